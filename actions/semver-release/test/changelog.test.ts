import { describe, expect, it } from 'vitest';
import type { Manifest } from '@goship/core/manifest';
import { DEFAULT_SECTIONS, highlights, parseSections, renderChangelog } from '../src/changelog.js';
import { parseCommits } from '../src/commits.js';
import { releaseNotes } from '../src/notes.js';

const s = (n: number) => String(n).repeat(40);
const changes = parseCommits([
  { sha: s(1), message: 'feat(cli): add --json (#12)' },
  { sha: s(2), message: 'fix: trim output' },
  { sha: s(3), message: 'docs: typo' },
  { sha: s(4), message: 'perf: faster hashing' },
  { sha: s(5), message: 'Bump deps by hand' },
  { sha: s(6), message: 'refactor!: rename Greet to Hello\n\nBREAKING CHANGE: callers must use Hello' },
]);
const links = { web: 'https://github.com/o/r' };

describe('changelog', () => {
  it('renders sections in order with commit and pull-request links, hiding docs', () => {
    const md = renderChangelog({
      version: '2.0.0',
      tag: 'v2.0.0',
      previousTag: 'v1.3.0',
      date: '2026-11-20',
      changes,
      sections: DEFAULT_SECTIONS,
      links,
    });
    expect(md).toBe(
      [
        '## [2.0.0](https://github.com/o/r/compare/v1.3.0...v2.0.0) (2026-11-20)',
        '',
        '### ⚠ Breaking changes',
        '',
        `- rename Greet to Hello ([6666666](https://github.com/o/r/commit/${s(6)}))`,
        '  callers must use Hello',
        '',
        '### Features',
        '',
        `- **cli:** add --json ([1111111](https://github.com/o/r/commit/${s(1)}), [#12](https://github.com/o/r/pull/12))`,
        '',
        '### Fixes',
        '',
        `- trim output ([2222222](https://github.com/o/r/commit/${s(2)}))`,
        '',
        '### Performance',
        '',
        `- faster hashing ([4444444](https://github.com/o/r/commit/${s(4)}))`,
        '',
        '### Other changes',
        '',
        `- Bump deps by hand ([5555555](https://github.com/o/r/commit/${s(5)}))`,
        '',
      ].join('\n'),
    );
  });

  it('shows hidden types when changelog-types lists them', () => {
    const md = renderChangelog({ version: '1.0.0', tag: 'v1.0.0', changes, sections: parseSections(['feat=New', 'docs=Documentation']) });
    expect(md).toContain('### Documentation\n\n- typo');
    expect(md).toContain('### New');
    expect(md).not.toContain('### Fixes');
  });

  it('rejects a malformed changelog-types item', () => {
    expect(() => parseSections(['feat: Features'])).toThrow(/Input "changelog-types"/);
  });

  it('puts breaking changes first among highlights', () => {
    expect(highlights(changes, DEFAULT_SECTIONS, 2)).toEqual(['⚠ rename Greet to Hello', 'cli: add --json']);
  });
});

describe('release notes', () => {
  const manifest: Manifest = {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version: '1.4.0',
    tag: 'v1.4.0',
    commit: s(7),
    commitTime: '2026-11-20T10:00:00Z',
    traceId: '77-1',
    artifacts: [
      { kind: 'archive', name: 'hello_1.4.0_linux_amd64.tar.gz', path: 'dist/a.tgz', sha256: 'a'.repeat(64) },
      { kind: 'checksums', name: 'hello_1.4.0_checksums.txt', path: 'dist/c.txt' },
      { kind: 'signature', name: 'hello_1.4.0_checksums.txt.sigstore.json', path: 'dist/s.json', signs: 'hello_1.4.0_checksums.txt' },
      { kind: 'provenance', name: 'hello_1.4.0.intoto.jsonl', path: 'dist/p.jsonl' },
      { kind: 'image', name: 'ghcr.io/o/hello', ref: `ghcr.io/o/hello@sha256:${'b'.repeat(64)}`, platforms: ['linux/amd64'] },
    ],
  };
  const ctx = {
    repository: 'o/r',
    serverUrl: 'https://github.com',
    workflowRef: 'o/r/.github/workflows/release.yml@refs/tags/v1.4.0',
    traceId: '77-1',
    runId: '77',
    runAttempt: '1',
  };

  it('ends with verification commands for what the manifest holds and the trace id', () => {
    const notes = releaseNotes('## 1.4.0\n', manifest, ctx);
    expect(notes).toContain('sha256sum --ignore-missing -c hello_1.4.0_checksums.txt');
    expect(notes).toContain('cosign verify-blob --bundle hello_1.4.0_checksums.txt.sigstore.json');
    expect(notes).toContain("--certificate-identity 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.4.0'");
    expect(notes).toContain('gh attestation verify hello_1.4.0_linux_amd64.tar.gz --repo o/r');
    expect(notes).toContain(`cosign verify ghcr.io/o/hello@sha256:${'b'.repeat(64)}`);
    expect(notes).toContain(`gh attestation verify oci://ghcr.io/o/hello@sha256:${'b'.repeat(64)} --repo o/r`);
    expect(notes.trimEnd().split('\n').at(-1)).toBe(
      '<sub>goship trace id: `77-1` (workflow run [77](https://github.com/o/r/actions/runs/77/attempts/1))</sub>',
    );
  });

  it('shows key-mode signatures with the public key, and leaves raw .sig files and image signature copies out', () => {
    const keyed = {
      ...manifest,
      artifacts: [
        ...manifest.artifacts.filter((a) => a.kind !== 'signature'),
        {
          kind: 'signature' as const,
          name: 'hello_1.4.0_checksums.txt.sigstore.json',
          path: 'dist/s.json',
          signs: 'hello_1.4.0_checksums.txt',
          format: 'sigstore-bundle-v0.3',
          mode: 'key',
          tlog: false,
        },
        {
          kind: 'signature' as const,
          name: 'hello_1.4.0_checksums.txt.sig',
          path: 'dist/s.sig',
          signs: 'hello_1.4.0_checksums.txt',
          format: 'base64-signature',
        },
        {
          kind: 'signature' as const,
          name: 'o_hello_sha256-b.sigstore.json',
          path: 'dist/i.json',
          signs: 'ghcr.io/o/hello',
          format: 'cosign-image-signature',
          mode: 'key',
          tlog: false,
        },
      ],
    };
    const notes = releaseNotes('## 1.4.0\n', keyed, ctx);
    expect(notes).toContain(
      'cosign verify-blob --bundle hello_1.4.0_checksums.txt.sigstore.json \\\n  --key cosign.pub --insecure-ignore-tlog',
    );
    expect(notes).not.toContain('--bundle hello_1.4.0_checksums.txt.sig ');
    expect(notes).not.toContain('o_hello_sha256-b.sigstore.json');
    expect(notes).toContain(`cosign verify ghcr.io/o/hello@sha256:${'b'.repeat(64)} \\\n  --key cosign.pub --insecure-ignore-tlog`);
    expect(notes).not.toContain('--certificate-identity');
  });

  it('omits the verification section when nothing can be verified', () => {
    const notes = releaseNotes('## 1.4.0\n', { ...manifest, artifacts: [manifest.artifacts[0]!] }, ctx);
    expect(notes).not.toContain('Verify this release');
  });
});
