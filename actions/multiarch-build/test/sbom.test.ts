import type { BuildInfo } from '@goship/core/go';
import { describe, expect, it } from 'vitest';
import { cyclonedx, goPurl, sbomJson, spdx, spdxId, type SbomSubject, uuidV5 } from '../src/sbom.js';
import { cyclonedxValidator, errorsOf, spdxSemanticProblems, spdxValidator } from './sbom-validate.js';

const info = (path: string): BuildInfo => ({
  GoVersion: 'go1.26.8',
  Path: path,
  Main: { Path: 'example.com/multi', Version: '(devel)' },
  Deps: [
    { Path: 'github.com/google/uuid', Version: 'v1.6.0', Sum: 'h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=' },
    {
      Path: 'example.com/old',
      Version: 'v1.0.0',
      Replace: { Path: 'example.com/new', Version: 'v1.1.0', Sum: 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
    },
  ],
  Settings: [
    { Key: '-trimpath', Value: 'true' },
    { Key: 'CGO_ENABLED', Value: '0' },
    { Key: 'GOOS', Value: 'linux' },
    { Key: 'GOARCH', Value: 'arm64' },
  ],
});

const subject: SbomSubject = {
  name: 'multi_1.2.3_linux_arm64.tar.gz',
  sha256: 'f'.repeat(64),
  kind: 'archive',
  version: '1.2.3',
  created: '2026-01-01T00:00:00Z',
  binaries: [
    { file: 'worker', sha256: 'b'.repeat(64), platform: 'linux/arm64', info: info('example.com/multi/cmd/worker') },
    { file: 'api', sha256: 'a'.repeat(64), platform: 'linux/arm64', info: info('example.com/multi/cmd/api') },
  ],
};

describe('SPDX 2.3', () => {
  const doc = spdx(subject) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  it('validates against the SPDX 2.3 required-fields schema and is semantically whole', () => {
    const v = spdxValidator();
    expect(v(doc), errorsOf(v)).toBe(true);
    expect(spdxSemanticProblems(doc)).toEqual([]);
  });
  it('records go.sum h1: hashes as what they are, never as a SHA-256 checksum', () => {
    const uuid = doc.packages.find((p: { name: string }) => p.name === 'github.com/google/uuid');
    expect(uuid.versionInfo).toBe('v1.6.0');
    expect(uuid.checksums).toBeUndefined();
    expect(uuid.annotations[0].comment).toContain('h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=');
    expect(uuid.externalRefs[0].referenceLocator).toBe('pkg:golang/github.com/google/uuid@v1.6.0');
    const replaced = doc.packages.find((p: { name: string }) => p.name === 'example.com/new');
    expect(replaced.annotations[0].comment).toContain('replaces example.com/old@v1.0.0');
  });
  it('describes the archive, contains both binaries and records Go and the build settings', () => {
    expect(doc.creationInfo.created).toBe('2026-01-01T00:00:00Z');
    const contains = doc.relationships.filter((r: { relationshipType: string }) => r.relationshipType === 'CONTAINS');
    expect(contains).toHaveLength(2);
    expect(doc.packages.some((p: { name: string; versionInfo: string }) => p.name === 'stdlib' && p.versionInfo === 'go1.26.8')).toBe(true);
    const api = doc.packages.find((p: { name: string }) => p.name === 'api');
    expect(api.annotations[0].comment).toContain('-trimpath=true CGO_ENABLED=0 GOOS=linux GOARCH=arm64');
  });
  it('is deterministic: the same input gives the same bytes, another digest another namespace', () => {
    expect(sbomJson(spdx(subject))).toBe(sbomJson(spdx({ ...subject, binaries: [...subject.binaries].reverse() })));
    expect(spdx({ ...subject, sha256: 'e'.repeat(64) }).documentNamespace).not.toBe(doc.documentNamespace);
  });
});

describe('CycloneDX 1.6', () => {
  const doc = cyclonedx(subject) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  it('validates against the official CycloneDX 1.6 schema', () => {
    const v = cyclonedxValidator();
    expect(v(doc), errorsOf(v)).toBe(true);
  });
  it('has a stable v5 serial number, the commit time and deduplicated components', () => {
    expect(doc.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(doc.metadata.timestamp).toBe('2026-01-01T00:00:00Z');
    const refs = doc.components.map((c: { 'bom-ref': string }) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    const uuid = doc.components.find((c: { name: string }) => c.name === 'github.com/google/uuid');
    expect(uuid.hashes).toBeUndefined();
    expect(uuid.properties).toContainEqual({ name: 'goship:go:sum', value: 'h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=' });
    expect(sbomJson(cyclonedx(subject))).toBe(sbomJson(doc));
  });
  it('the schema rejects a broken document (the validator is live)', () => {
    const v = cyclonedxValidator();
    expect(v({ ...doc, specVersion: '1.6', components: [{ type: 'nonsense', name: 'x' }] })).toBe(false);
    expect(spdxValidator()({ ...spdx(subject), dataLicense: 'MIT' })).toBe(false);
  });
});

describe('ids', () => {
  it('uuidV5 is RFC 9562 version 5 and stable', () => {
    expect(uuidV5('https://example.com')).toBe(uuidV5('https://example.com'));
    // the URL namespace test vector: uuid5(NAMESPACE_URL, "http://python.org/")
    expect(uuidV5('http://python.org/')).toBe('4c565f0d-3f5a-5890-b41b-20cf47701c5e');
  });
  it('purls and SPDX ids', () => {
    expect(goPurl('github.com/google/uuid', 'v1.6.0')).toBe('pkg:golang/github.com/google/uuid@v1.6.0');
    expect(goPurl('example.com/x', 'v0.0.0-2026+dirty')).toBe('pkg:golang/example.com/x@v0.0.0-2026%2Bdirty');
    expect(spdxId('GoModule', 'github.com/google/uuid', 'v1.6.0')).toBe('SPDXRef-GoModule-github.com-google-uuid-v1.6.0');
  });
});
