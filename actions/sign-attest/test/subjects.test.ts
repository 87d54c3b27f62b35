import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Inputs, memoryPort, ActionContext, Secrets } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { emptyManifest, writeManifest, type Artifact } from '@goship/core/manifest';
import { hashBytes } from '@goship/core/digest';
import { beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { planOutputs } from '../src/plan.js';
import { resolveSubjects } from '../src/subjects.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
let ws: string;
let outside: string;

async function file(rel: string, content: string): Promise<Artifact['sha256']> {
  await mkdir(path.dirname(path.join(ws, rel)), { recursive: true });
  await writeFile(path.join(ws, rel), content);
  return hashBytes(content);
}

async function release(extra: Artifact[] = []): Promise<void> {
  const m = emptyManifest({ project: 'hello', module: 'm', version: '1.4.0', tag: 'v1.4.0', commit: 'c', commitTime: '', traceId: 't' });
  m.artifacts = [
    {
      kind: 'binary',
      name: 'hello',
      path: 'dist/hello_linux_amd64/hello',
      os: 'linux',
      arch: 'amd64',
      sha256: await file('dist/hello_linux_amd64/hello', 'bin'),
    },
    {
      kind: 'archive',
      name: 'hello_1.4.0_linux_amd64.tar.gz',
      path: 'dist/hello_1.4.0_linux_amd64.tar.gz',
      sha256: await file('dist/hello_1.4.0_linux_amd64.tar.gz', 'tgz'),
    },
    {
      kind: 'checksums',
      name: 'hello_1.4.0_checksums.txt',
      path: 'dist/hello_1.4.0_checksums.txt',
      sha256: await file('dist/hello_1.4.0_checksums.txt', 'sums'),
    },
    {
      kind: 'sbom',
      name: 'hello_1.4.0_linux_amd64.tar.gz.spdx.json',
      path: 'dist/s.spdx.json',
      describes: 'hello_1.4.0_linux_amd64.tar.gz',
      sha256: await file('dist/s.spdx.json', '{}'),
    },
    { kind: 'image', name: 'ghcr.io/o/hello', ref: `ghcr.io/o/hello@${D('a')}`, platforms: ['linux/amd64'] },
    {
      kind: 'sbom-image',
      name: `ghcr.io/o/hello@${D('b')}`,
      ref: `ghcr.io/o/hello@${D('b')}`,
      describes: `ghcr.io/o/hello@${D('c')}`,
      platform: 'linux/amd64',
    },
    ...extra,
  ];
  await writeManifest(path.join(ws, 'dist', 'goship-manifest.json'), m);
}

const cfg = (inputs: Record<string, string>) =>
  readConfig(
    Inputs.of(
      { mode: 'key', key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----', ...inputs },
      new Map([
        ['key', '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----'],
        ['key-password', ''],
        ['github-token', ''],
      ]),
    ),
    { GITHUB_WORKSPACE: ws },
    ws,
  );
const log = new ActionContext('t', memoryPort(), Inputs.of({}), new Secrets(memoryPort())).log;

beforeEach(async () => {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'goship-subjects-')));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret'), 'TRAP');
  await mkdir(ws);
});

describe('resolveSubjects', () => {
  it('signs the kinds `sign` names, covers every file in the provenance, pairs SBOMs with what they describe', async () => {
    await release();
    const s = await resolveSubjects(cfg({}), log);
    expect(s.files.map((f) => f.name)).toEqual(['hello_1.4.0_checksums.txt']);
    expect(s.covered.map((f) => f.name).sort()).toEqual([
      'dist/hello_linux_amd64/hello',
      'hello_1.4.0_checksums.txt',
      'hello_1.4.0_linux_amd64.tar.gz',
      'hello_1.4.0_linux_amd64.tar.gz.spdx.json',
    ]);
    expect(s.sboms.map((x) => [x.sbom.name, x.describes.name])).toEqual([
      ['hello_1.4.0_linux_amd64.tar.gz.spdx.json', 'hello_1.4.0_linux_amd64.tar.gz'],
    ]);
    expect(s.images.map((i) => [i.registry, i.repository, i.digest])).toEqual([['ghcr.io', 'o/hello', D('a')]]);
    expect(s.sbomImages.map((i) => [i.digest, i.describes, i.image.name])).toEqual([[D('b'), D('c'), 'ghcr.io/o/hello']]);
    expect((await resolveSubjects(cfg({ sign: 'all' }), log)).files).toHaveLength(4);
  });

  it('refuses, as a bad `manifest`, files it lists outside the workspace, through symlinks or changed since the build', async () => {
    await symlink(outside, path.join(ws, 'link'));
    for (const p of ['../outside/secret', 'link/secret', 'dist/hello_1.4.0_checksums.txt']) {
      await release([{ kind: 'archive', name: 'evil.tar.gz', path: p, sha256: 'f'.repeat(64) }]);
      const e = await resolveSubjects(cfg({}), log).catch((x: unknown) => x);
      expect(e, p).toBeInstanceOf(InputError);
      expect((e as InputError).input).toBe('manifest');
      expect((e as Error).message).not.toContain('TRAP');
    }
  });

  it('refuses an image that is not pinned by digest', async () => {
    await release([{ kind: 'image', name: 'ghcr.io/o/other', ref: 'ghcr.io/o/other:latest' }]);
    await expect(resolveSubjects(cfg({}), log)).rejects.toThrow(/Input "manifest".*REGISTRY\/REPOSITORY@sha256/);
  });

  it('with `subjects`, signs the matched files and leaves goship’s own outputs out', async () => {
    await file('out/a.bin', 'a');
    await file('out/a.bin.sigstore.json', '{}');
    await file('out/b.bin', 'b');
    const s = await resolveSubjects(cfg({ subjects: 'out/*' }), log);
    expect(s.files.map((f) => f.relPath)).toEqual(['out/a.bin', 'out/b.bin']);
    expect(s.manifest).toBeUndefined();
  });
});

describe('planOutputs', () => {
  it('names the bundles beside their files and the provenance and public key beside the manifest', async () => {
    await release();
    const c = cfg({});
    const s = await resolveSubjects(c, log);
    const plan = planOutputs(c, s);
    expect(plan.bundle(s.files[0]!)).toBe(path.join(ws, 'dist', 'hello_1.4.0_checksums.txt.sigstore.json'));
    expect(plan.provenance).toBe(path.join(ws, 'dist', 'hello_1.4.0.intoto.jsonl'));
    expect(plan.publicKey).toBe(path.join(ws, 'dist', 'cosign.pub'));
    expect(plan.sbomAttestation(s.sboms[0]!.sbom)).toBe(path.join(ws, 'dist', 's.spdx.intoto.jsonl'));
  });

  it('refuses an output pre-placed as a symlink out of the workspace, before anything is signed', async () => {
    await release();
    await symlink(path.join(outside, 'secret'), path.join(ws, 'dist', 'cosign.pub'));
    const c = cfg({});
    const s = await resolveSubjects(c, log);
    expect(() => planOutputs(c, s)).toThrow(/Input "manifest".*cosign\.pub would be written at .*outside/);
  });
});
