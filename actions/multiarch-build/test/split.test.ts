/**
 * Merging parts in process: a part manifest's grammar, joining parts, and gathering their files
 * into dist through the path policy (sources resolved and checked against their digests).
 */
import { hashBytes } from '@goship/core/digest';
import { InputError } from '@goship/core/errors';
import type { Manifest } from '@goship/core/manifest';
import { type HostileWorkspace, hostileWorkspace } from '@goship/testkit/hostile';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type PartFields, gather, loadAndMerge, partProblems } from '../src/split.js';

const BIN = Buffer.from('\x7fELF hello');
const TGZ = Buffer.from('archive bytes');

/** A part of `split: i/2` over linux/amd64 (part 1) and linux/arm64 (part 2) of hello. */
function part(i: 1 | 2): Manifest & PartFields {
  const arch = i === 1 ? 'amd64' : 'arm64';
  return {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version: '1.0.0',
    tag: 'v1.0.0',
    commit: 'c'.repeat(40),
    commitTime: '2026-01-01T00:00:00Z',
    traceId: '1-1',
    part: `${i}/2`,
    targets: ['example.com/hello@linux/amd64', 'example.com/hello@linux/arm64'],
    dist: 'dist',
    artifacts: [
      {
        kind: 'binary',
        name: 'hello',
        path: `dist/hello_linux_${arch}/hello`,
        os: 'linux',
        arch,
        variant: '',
        main: 'example.com/hello',
        sha256: hashBytes(BIN),
        size: BIN.length,
      },
      {
        kind: 'archive',
        name: `hello_1.0.0_linux_${arch}.tar.gz`,
        path: `dist/hello_1.0.0_linux_${arch}.tar.gz`,
        os: 'linux',
        arch,
        variant: '',
        binaries: ['hello'],
        sha256: hashBytes(TGZ),
        size: TGZ.length,
      },
    ],
  };
}

let ws: HostileWorkspace;
const saved = process.env.GITHUB_WORKSPACE;
afterAll(() => {
  if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = saved;
});

/** Writes part `i` as download-artifact leaves it: `parts/part-<i>/` with its manifest and files. */
async function writePart(i: 1 | 2, m: Manifest & PartFields = part(i)): Promise<string> {
  const dir = path.join(ws.module, 'parts', `part-${i}`);
  for (const a of m.artifacts) {
    const file = path.join(dir, ...path.posix.relative('dist', a.path!).split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, a.kind === 'binary' ? BIN : TGZ);
  }
  await writeFile(path.join(dir, `goship-manifest.part-${i}-of-2.json`), JSON.stringify(m));
  return dir;
}

describe('part manifests', () => {
  it('one multiarch-build wrote has no problems', () => {
    expect(partProblems(part(1))).toEqual([]);
  });
  it('names each field that is not of its grammar', () => {
    const bad = (edit: (m: Manifest & PartFields) => void): string[] => {
      const m = structuredClone(part(1));
      edit(m);
      return partProblems(m);
    };
    expect(bad((m) => (m.version = '../x'))).toEqual(['version "../x" is not SemVer']);
    expect(bad((m) => (m.project = 'a/b'))).toEqual(['project "a/b" is not a file name']);
    expect(bad((m) => (m.dist = '../..')).join()).toMatch(/dist "\.\.\/\.\." is not a relative folder/);
    expect(bad((m) => (m.part = 'x'))).toEqual(['part "x" is not i/n']);
    expect(bad((m) => (m.artifacts[0]!.path = 'dist/../../etc/passwd'))[0]).toMatch(/binary "hello": path .* is not inside dist/);
    expect(bad((m) => (m.artifacts[0]!.name = '../evil'))[0]).toMatch(/binary "\.\.\/evil": not a file name/);
    expect(bad((m) => (m.artifacts[0]!.os = 'linux;id'))[0]).toMatch(/platform .* is not GOOS\/GOARCH/);
    expect(bad((m) => (m.artifacts[1]!.binaries = ['$(id)']))[0]).toMatch(/binaries are not names/);
    expect(bad((m) => (m.artifacts[1]!.kind = 'signature'))[0]).toMatch(/binaries, archives, Linux packages and SBOMs only/);
    expect(bad((m) => m.artifacts.push({ ...DEB, format: 'snap' }))).toEqual([
      'package "hello_1.0.0_amd64.deb": format "snap" is not deb, rpm or apk',
    ]);
    expect(bad((m) => m.artifacts.push({ ...DEB, packageVersion: '1.0.0;rm -rf' }))[0]).toMatch(/packageVersion "1\.0\.0;rm -rf" is not/);
  });
  it('holds the Linux packages a part built (a GoReleaser file with nfpms: fzf v0.74.3)', () => {
    const m = part(1);
    m.artifacts.push(DEB, {
      kind: 'sbom',
      name: `${DEB.name}.spdx.json`,
      path: `dist/${DEB.name}.spdx.json`,
      describes: DEB.name,
      sha256: 'b'.repeat(64),
    });
    expect(partProblems(m)).toEqual([]);
  });
});

/** A package as packages/build.ts records it. */
const DEB = {
  kind: 'package' as const,
  name: 'hello_1.0.0_amd64.deb',
  path: 'dist/hello_1.0.0_amd64.deb',
  format: 'deb',
  os: 'linux',
  arch: 'amd64',
  variant: '',
  binaries: ['hello'],
  packageName: 'hello',
  packageVersion: '1.0.0',
  packageArch: 'amd64',
  sha256: 'a'.repeat(64),
  size: 3,
};

describe('loadAndMerge and gather', () => {
  beforeEach(async () => {
    ws = await hostileWorkspace();
    process.env.GITHUB_WORKSPACE = ws.workspace;
  });
  const o = (): { workdir: string; dist: string; given: string } => ({
    workdir: ws.module,
    dist: path.join(ws.module, 'dist'),
    given: 'parts',
  });

  it("joins the parts and gathers their files into the merge job's dist, checked", async () => {
    await writePart(1);
    await writePart(2);
    const m = await loadAndMerge(path.join(ws.module, 'parts'), 'parts', o());
    expect(m.manifest.part).toBeUndefined();
    expect(m.manifest.artifacts.map((a) => a.path)).toEqual([
      'dist/hello_linux_amd64/hello',
      'dist/hello_linux_arm64/hello',
      'dist/hello_1.0.0_linux_amd64.tar.gz',
      'dist/hello_1.0.0_linux_arm64.tar.gz',
    ]);
    await gather(m, o());
    expect(await readFile(path.join(ws.module, 'dist', 'hello_linux_arm64', 'hello'))).toEqual(BIN);
    expect((await lstat(path.join(ws.module, 'dist', 'hello_linux_arm64', 'hello'))).mode & 0o777).toBe(0o755);
  });

  it('gathers the Linux packages of a part with its archives', async () => {
    const p1 = part(1);
    p1.artifacts.push({ ...DEB, sha256: hashBytes(TGZ), size: TGZ.length });
    await writePart(1, p1);
    await writePart(2);
    const m = await loadAndMerge(path.join(ws.module, 'parts'), 'parts', o());
    expect(m.manifest.artifacts.filter((a) => a.kind === 'package').map((a) => a.path)).toEqual(['dist/hello_1.0.0_amd64.deb']);
    await gather(m, o());
    expect(await readFile(path.join(ws.module, 'dist', 'hello_1.0.0_amd64.deb'))).toEqual(TGZ);
  });

  it('into another dist than the parts had', async () => {
    await writePart(1);
    await writePart(2);
    const other = { ...o(), dist: path.join(ws.module, 'out') };
    const m = await loadAndMerge(path.join(ws.module, 'parts'), 'parts', other);
    expect(m.manifest.artifacts[0]!.path).toBe('out/hello_linux_amd64/hello');
    await gather(m, other);
    expect(await readFile(path.join(ws.module, 'out', 'hello_1.0.0_linux_amd64.tar.gz'))).toEqual(TGZ);
  });

  it("refuses a part's file that is a symlink out, or changed, naming merge", async () => {
    const dir = await writePart(1);
    await writePart(2);
    const bin = path.join(dir, 'hello_linux_amd64', 'hello');
    await writeFile(bin, 'changed');
    let e = await gather(await loadAndMerge(path.join(ws.module, 'parts'), 'parts', o()), o()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/Input "merge".*but the manifest recorded/s);
    await rm(bin);
    await symlink(path.join(ws.trap, 'passwd'), bin);
    e = await gather(await loadAndMerge(path.join(ws.module, 'parts'), 'parts', o()), o()).catch((err: unknown) => err);
    expect((e as InputError).message).toMatch(/Input "merge".*resolves to .*trap\/passwd: not a path inside the workspace/s);
    expect((e as Error).message).not.toContain('TRAPCONTENT');
  });

  it('replaces a symlink planted in dist instead of copying through it', async () => {
    await writePart(1);
    await writePart(2);
    await mkdir(path.join(ws.module, 'dist'));
    await symlink(ws.trap, path.join(ws.module, 'dist', 'hello_linux_amd64'));
    await gather(await loadAndMerge(path.join(ws.module, 'parts'), 'parts', o()), o());
    expect((await lstat(path.join(ws.module, 'dist', 'hello_linux_amd64'))).isDirectory()).toBe(true);
    await expect(lstat(path.join(ws.trap, 'hello'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses parts that do not make a whole, or left a platform unpackaged', async () => {
    await writePart(1);
    await expect(loadAndMerge(path.join(ws.module, 'parts'), 'parts', o())).rejects.toThrow(/Input "merge".*missing 2\/2/s);
    const unpackaged = part(2);
    unpackaged.artifacts = unpackaged.artifacts.filter((a) => a.kind === 'binary');
    await writePart(2, unpackaged);
    await expect(loadAndMerge(path.join(ws.module, 'parts'), 'parts', o())).rejects.toThrow(
      /Input "merge".*packaged every platform.*Not in any archive: hello linux\/arm64/s,
    );
  });
});
