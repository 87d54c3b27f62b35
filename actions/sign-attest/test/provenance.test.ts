import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COSIGN_SIGN_PREDICATE,
  COSIGN_TYPE,
  GOSHIP_BUILD_TYPE,
  imageSignatureStatement,
  provenanceStatement,
  sbomPredicateType,
  sbomStatement,
  workflowPath,
} from '../src/provenance.js';

describe('provenance', () => {
  it('is an in-toto Statement v1 with an SLSA v1 predicate naming the reusable workflow as builder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prov-'));
    const event = path.join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ inputs: { version: '1.4.0' } }));
    const s = provenanceStatement([{ name: 'a.tar.gz', digest: { sha256: 'ab'.repeat(32) } }], {
      env: {
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_REF: 'refs/tags/v1.4.0',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/release.yml@refs/tags/v1.4.0',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: event,
      },
      jobWorkflowRef: 'goship/goship/.github/workflows/go-release.yml@refs/tags/v1',
      startedOn: new Date('2026-01-01T00:00:00Z'),
    });
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe('https://slsa.dev/provenance/v1');
    const p = s.predicate as Record<string, Record<string, unknown>>;
    expect(p.buildDefinition!.buildType).toBe(GOSHIP_BUILD_TYPE);
    expect(p.buildDefinition!.externalParameters).toEqual({
      workflow: { ref: 'refs/tags/v1.4.0', repository: 'https://github.com/o/r', path: '.github/workflows/release.yml' },
      inputs: { version: '1.4.0' },
    });
    expect(p.buildDefinition!.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/o/r@refs/tags/v1.4.0', digest: { gitCommit: 'c'.repeat(40) } },
    ]);
    expect(p.runDetails).toEqual({
      builder: { id: 'https://github.com/goship/goship/.github/workflows/go-release.yml@refs/tags/v1' },
      metadata: { invocationId: 'https://github.com/o/r/actions/runs/42/attempts/2', startedOn: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('falls back to the calling workflow as builder without a job_workflow_ref', () => {
    const s = provenanceStatement([], {
      env: { GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/x.yml@refs/heads/main' },
      startedOn: new Date(0),
    });
    expect((s.predicate.runDetails as { builder: { id: string } }).builder.id).toBe(
      'https://github.com/o/r/.github/workflows/x.yml@refs/heads/main',
    );
    expect(workflowPath('o/r/.github/workflows/x.yml@refs/heads/main')).toBe('.github/workflows/x.yml');
  });

  it('predicate types are the URIs cosign --type names map to', () => {
    expect(COSIGN_TYPE).toEqual({
      'https://slsa.dev/provenance/v1': 'slsaprovenance1',
      'https://spdx.dev/Document': 'spdxjson',
      'https://cyclonedx.org/bom': 'cyclonedx',
    });
  });

  it("image signatures are cosign v3's statement about the digest", () => {
    expect(imageSignatureStatement(`sha256:${'a'.repeat(64)}`)).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: 'a'.repeat(64) } }],
      predicateType: COSIGN_SIGN_PREDICATE,
      predicate: {},
    });
  });

  it('SBOM predicate types are the ones cosign --type spdxjson and cyclonedx name', () => {
    expect(sbomPredicateType({ spdxVersion: 'SPDX-2.3' })).toBe('https://spdx.dev/Document');
    expect(sbomPredicateType({ bomFormat: 'CycloneDX', specVersion: '1.5' })).toBe('https://cyclonedx.org/bom');
    expect(sbomPredicateType({ name: 'not an sbom' })).toBeUndefined();
    const subject = { name: 'a', digest: { sha256: '0'.repeat(64) } };
    const s = sbomStatement([subject], { spdxVersion: 'SPDX-2.3' }, 'https://spdx.dev/Document');
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [subject],
      predicateType: 'https://spdx.dev/Document',
      predicate: { spdxVersion: 'SPDX-2.3' },
    });
  });
});
