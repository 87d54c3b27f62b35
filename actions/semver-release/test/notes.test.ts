import type { Artifact, Manifest } from '@goship/core/manifest';
import { describe, expect, it } from 'vitest';
import { releaseNotes, shellWord, verificationSection } from '../src/notes.js';

const IMAGE = `ghcr.io/o/hello@sha256:${'b'.repeat(64)}`;
const ctx = {
  repository: 'o/r',
  serverUrl: 'https://github.com',
  workflowRef: 'o/r/.github/workflows/release.yml@refs/tags/v1.4.0',
  traceId: '77-1',
  runId: '77',
  runAttempt: '1',
};
const IDENTITY = 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.4.0';
const ISSUER = 'https://token.actions.githubusercontent.com';
/** Flags cosign v3.1.3 reports as deprecated (cmd/cosign/cli/options). */
const DEPRECATED = [
  '--new-bundle-format',
  '--private-infrastructure',
  '--offline',
  '--experimental-oci11',
  '--timestamp-certificate-chain',
];

type Facts = { mode: 'key' | 'keyless'; tlog: boolean; tsa?: boolean; identity?: string; issuer?: string; trust: 'public-good' | 'custom' };

/** A manifest as multiarch-build and then sign-attest (with these facts) leave it. */
function manifest(f: Facts, extra: { github?: boolean; perArchive?: boolean; sbomFiles?: boolean; archives?: number } = {}): Manifest {
  const archives = Array.from({ length: extra.archives ?? 2 }, (_, i) => `hello_1.4.0_linux_arch${i}.tar.gz`);
  const gh = extra.github ? { github: { id: '1', url: 'https://github.com/o/r/attestations/1' } } : {};
  const artifacts: Artifact[] = [
    ...archives.map((n): Artifact => ({ kind: 'archive', name: n, path: `dist/${n}`, sha256: 'a'.repeat(64) })),
    ...archives.map((n): Artifact => ({ kind: 'sbom', name: `${n}.spdx.json`, path: `dist/${n}.spdx.json`, describes: n })),
    { kind: 'checksums', name: 'hello_1.4.0_checksums.txt', path: 'dist/c.txt' },
    {
      kind: 'signature',
      name: 'hello_1.4.0_checksums.txt.sigstore.json',
      path: 'dist/s.json',
      signs: 'hello_1.4.0_checksums.txt',
      format: 'sigstore-bundle-v0.3',
      ...f,
    },
    ...(extra.perArchive
      ? archives.map((n): Artifact => ({
          kind: 'signature',
          name: `${n}.sigstore.json`,
          path: `dist/${n}.sigstore.json`,
          signs: n,
          format: 'sigstore-bundle-v0.3',
          ...f,
        }))
      : []),
    ...(extra.sbomFiles
      ? archives.map((n): Artifact => ({
          kind: 'attestation',
          name: `${n}.spdx.intoto.jsonl`,
          path: `dist/${n}.spdx.intoto.jsonl`,
          describes: n,
          predicateType: 'https://spdx.dev/Document',
          type: 'spdxjson',
          ...f,
        }))
      : []),
    {
      kind: 'provenance',
      name: 'hello_1.4.0.intoto.jsonl',
      path: 'dist/p.jsonl',
      predicateType: 'https://slsa.dev/provenance/v1',
      type: 'slsaprovenance1',
      example: archives[0],
      ...f,
      ...gh,
    },
    ...(f.mode === 'key' ? [{ kind: 'public-key' as const, name: 'cosign.pub', path: 'dist/cosign.pub' }] : []),
    {
      kind: 'image',
      name: 'ghcr.io/o/hello',
      ref: IMAGE,
      platforms: ['linux/amd64'],
      sigstore: {
        ...f,
        signature: { tag: 'ghcr.io/o/hello:sha256-b.sig' },
        attestations: [{ type: 'slsaprovenance1', ...gh }, { type: 'spdxjson' }],
      },
    },
  ];
  return {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version: '1.4.0',
    tag: 'v1.4.0',
    commit: '7'.repeat(40),
    commitTime: '2026-11-20T10:00:00Z',
    traceId: '77-1',
    artifacts,
  };
}

/** The commands of the ```sh blocks, continuation lines joined. */
function commands(notes: string): string[] {
  return [...notes.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .replace(/ \\\n\s*/g, ' ')
      .trim()
      .split('\n'),
  );
}

describe('release notes: one verification block per kind, the exact commands for the mode', () => {
  it('key mode without the log: cosign.pub, --insecure-ignore-tlog, no gh, one block per kind', () => {
    const notes = releaseNotes('## 1.4.0\n', manifest({ mode: 'key', tlog: false, trust: 'public-good' }), ctx);
    expect(commands(notes)).toEqual([
      'cosign verify-blob --bundle hello_1.4.0_checksums.txt.sigstore.json --key cosign.pub --insecure-ignore-tlog hello_1.4.0_checksums.txt',
      'sha256sum --ignore-missing -c hello_1.4.0_checksums.txt',
      'cosign verify-blob-attestation --bundle hello_1.4.0.intoto.jsonl --type slsaprovenance1 --key cosign.pub --insecure-ignore-tlog hello_1.4.0_linux_arch0.tar.gz',
      `cosign verify --key cosign.pub --insecure-ignore-tlog ${IMAGE}`,
      `cosign verify-attestation --type slsaprovenance1 --key cosign.pub --insecure-ignore-tlog ${IMAGE}`,
      `cosign verify-attestation --type spdxjson --key cosign.pub --insecure-ignore-tlog ${IMAGE}`,
    ]);
    expect(notes.match(/```sh/g)).toHaveLength(4);
    expect(notes).toContain("`cosign.pub` is one of this release's assets");
    expect(notes).not.toContain('gh attestation');
    expect(notes).not.toContain('--certificate-identity');
    expect(notes.trimEnd().split('\n').at(-1)).toBe(
      '<sub>goship trace id: `77-1` (workflow run [77](https://github.com/o/r/actions/runs/77/attempts/1))</sub>',
    );
  });

  it('keyless on public good with GitHub attestations: the certificate identity and issuer, gh attestation verify', () => {
    const notes = verificationSection(
      manifest({ mode: 'keyless', tlog: true, identity: IDENTITY, issuer: ISSUER, trust: 'public-good' }, { github: true }),
      ctx,
    );
    const cmds = commands(notes);
    const id = `--certificate-identity ${IDENTITY} --certificate-oidc-issuer ${ISSUER}`;
    expect(cmds).toContain(`cosign verify-blob --bundle hello_1.4.0_checksums.txt.sigstore.json ${id} hello_1.4.0_checksums.txt`);
    expect(cmds).toContain(
      `cosign verify-blob-attestation --bundle hello_1.4.0.intoto.jsonl --type slsaprovenance1 ${id} hello_1.4.0_linux_arch0.tar.gz`,
    );
    expect(cmds).toContain('gh attestation verify hello_1.4.0_linux_arch0.tar.gz --repo o/r');
    expect(cmds).toContain(`gh attestation verify oci://${IMAGE} --repo o/r`);
    expect(notes).not.toContain('--trusted-root');
    expect(notes).not.toContain('--insecure-ignore-tlog');
    expect(notes).not.toContain('cosign.pub');
  });

  it('a private Sigstore instance: --trusted-root trusted_root.json and where to get it; keyless without the log: signed timestamps', () => {
    const custom = verificationSection(
      manifest({ mode: 'keyless', tlog: true, identity: IDENTITY, issuer: 'https://oidc.example.com', trust: 'custom' }),
      ctx,
    );
    for (const c of commands(custom).filter((x) => x.startsWith('cosign'))) expect(c).toContain('--trusted-root trusted_root.json');
    expect(custom).toContain('--certificate-oidc-issuer https://oidc.example.com');
    expect(custom).toContain('keep its trusted root as `trusted_root.json`');
    const tsa = verificationSection(
      manifest({ mode: 'keyless', tlog: false, tsa: true, identity: IDENTITY, issuer: ISSUER, trust: 'public-good' }),
      ctx,
    );
    expect(commands(tsa)[0]).toContain('--insecure-ignore-tlog --use-signed-timestamps');
    // Key mode against a private log needs its root too; without the log it does not.
    const keyLog = verificationSection(manifest({ mode: 'key', tlog: true, trust: 'custom' }), ctx);
    expect(commands(keyLog)[0]).toBe(
      'cosign verify-blob --bundle hello_1.4.0_checksums.txt.sigstore.json --key cosign.pub --trusted-root trusted_root.json hello_1.4.0_checksums.txt',
    );
    expect(verificationSection(manifest({ mode: 'key', tlog: false, trust: 'custom' }), ctx)).not.toContain('--trusted-root');
  });

  it('many files: per-file bundles and SBOM attestations are one block each, with one example', () => {
    const notes = verificationSection(
      manifest({ mode: 'key', tlog: false, trust: 'public-good' }, { archives: 6, perArchive: true, sbomFiles: true }),
      ctx,
    );
    expect(notes.match(/```sh/g)).toHaveLength(6);
    expect(notes).toContain('**Individual files** (6 with a `.sigstore.json` bundle beside them');
    expect(notes).toContain('**SBOM attestations** (6, each about the archive its SBOM describes)');
    expect(commands(notes)).toContain(
      'cosign verify-blob-attestation --bundle hello_1.4.0_linux_arch0.tar.gz.spdx.intoto.jsonl --type spdxjson --key cosign.pub --insecure-ignore-tlog hello_1.4.0_linux_arch0.tar.gz',
    );
  });

  it('uses no flag the pinned cosign reports as deprecated', () => {
    for (const f of [
      { mode: 'key' as const, tlog: false, trust: 'public-good' as const },
      { mode: 'key' as const, tlog: true, trust: 'custom' as const },
      { mode: 'keyless' as const, tlog: true, identity: IDENTITY, issuer: ISSUER, trust: 'custom' as const },
      { mode: 'keyless' as const, tlog: false, tsa: true, identity: IDENTITY, issuer: ISSUER, trust: 'public-good' as const },
    ]) {
      const notes = verificationSection(manifest(f, { perArchive: true, sbomFiles: true, github: true }), ctx);
      for (const d of DEPRECATED) expect(notes).not.toContain(d);
    }
  });

  it('older manifests without a recorded identity fall back to the workflow, then to the repository', () => {
    const old = manifest({ mode: 'keyless', tlog: true, trust: 'public-good' });
    expect(commands(verificationSection(old, ctx))[0]).toContain(`--certificate-identity ${IDENTITY} --certificate-oidc-issuer ${ISSUER}`);
    expect(commands(verificationSection(old, { ...ctx, workflowRef: undefined }))[0]).toContain(
      "--certificate-identity-regexp '^https://github\\.com/o/r/'",
    );
  });

  it('omits the section when nothing can be verified, and quotes words only when the shell needs it', () => {
    const m = manifest({ mode: 'key', tlog: false, trust: 'public-good' });
    expect(releaseNotes('## 1.4.0\n', { ...m, artifacts: [m.artifacts[0]!] }, ctx)).not.toContain('Verify this release');
    expect(shellWord('hello_1.4.0.tar.gz')).toBe('hello_1.4.0.tar.gz');
    expect(shellWord("it's here")).toBe("'it'\\''s here'");
    expect(shellWord('^https://x/')).toBe("'^https://x/'");
  });
});
