import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/digest.js';
import { InputError } from '../../src/errors.js';
import { type Manifest, emptyManifest } from '../../src/manifest/index.js';
import { ArtifactFileError, globFiles, matchGlob, resolveArtifact, selectArtifacts } from '../../src/manifest/select.js';
import { pathRoots } from '../../src/paths.js';

let ws: string;
let mod: string;
let outside: string;
let m: Manifest;
beforeAll(async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'goship-select-'));
  ws = path.join(base, 'ws');
  mod = path.join(ws, 'mod');
  outside = path.join(base, 'outside');
  await mkdir(path.join(mod, 'dist', 'hello_linux_amd64'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(mod, 'dist', 'hello_1.0.0_linux_amd64.tar.gz'), 'archive');
  await writeFile(path.join(mod, 'dist', 'hello_linux_amd64', 'hello'), 'binary');
  await writeFile(path.join(mod, 'dist', 'checksums.txt'), 'sums');
  await writeFile(path.join(outside, 'passwd'), 'root:x:0:0');
  await symlink(path.join(outside, 'passwd'), path.join(mod, 'dist', 'evil.txt'));
  m = emptyManifest({
    project: 'hello',
    module: 'example.com/hello',
    version: '1.0.0',
    tag: 'v1.0.0',
    commit: 'c',
    commitTime: 't',
    traceId: 'x',
  });
  m.artifacts.push(
    { kind: 'archive', name: 'hello_1.0.0_linux_amd64.tar.gz', path: 'dist/hello_1.0.0_linux_amd64.tar.gz', sha256: hashBytes('archive') },
    { kind: 'binary', name: 'hello', path: 'dist/hello_linux_amd64/hello', os: 'linux', arch: 'amd64', sha256: hashBytes('binary') },
    { kind: 'checksums', name: 'checksums.txt', path: 'dist/checksums.txt' },
  );
});

const roots = () => pathRoots({ GITHUB_WORKSPACE: ws });

describe('manifest consumer side', () => {
  it('selects by kind and by glob on name or path', () => {
    expect(selectArtifacts(m, { kinds: ['archive', 'checksums'] }).map((a) => a.name)).toEqual([
      'hello_1.0.0_linux_amd64.tar.gz',
      'checksums.txt',
    ]);
    expect(selectArtifacts(m, { patterns: ['*.tar.gz'] }).map((a) => a.kind)).toEqual(['archive']);
    expect(selectArtifacts(m, { patterns: ['dist/**/hello'] }).map((a) => a.kind)).toEqual(['binary']);
    expect(matchGlob('release/*', 'release/1.2')).toBe(true);
    expect(matchGlob('release/*', 'release/1/2')).toBe(false);
  });

  it('resolves, hashes and checks recorded digests; binaries are named by path', async () => {
    const [bin] = selectArtifacts(m, { kinds: ['binary'] });
    const r = await resolveArtifact(bin!, mod, { roots: roots() });
    expect(r.name).toBe('dist/hello_linux_amd64/hello');
    expect(r.sha256).toBe(hashBytes('binary'));
    const changed = { ...bin!, sha256: hashBytes('other') };
    await expect(resolveArtifact(changed, mod, { roots: roots() })).rejects.toThrow(/the file changed after the build/);
    await expect(resolveArtifact({ ...bin!, path: 'dist/missing' }, mod, { roots: roots() })).rejects.toThrow(/there is no such file/);
  });

  it('refuses manifest entries that point outside the workspace, without quoting the file', async () => {
    for (const p of ['../../outside/passwd', path.join(outside, 'passwd'), 'dist/evil.txt']) {
      const e = await resolveArtifact({ kind: 'archive', name: 'x', path: p }, mod, { roots: roots(), manifestFile: 'dist/m.json' }).catch(
        (x: unknown) => x,
      );
      expect(e, p).toBeInstanceOf(ArtifactFileError);
      expect(String(e)).not.toContain('root:x');
    }
  });

  it('globs files on disk: each pattern must match, symlinks leading out are skipped with a warning, escapes refused', async () => {
    const warnings: string[] = [];
    const files = await globFiles('files', ['dist/*.txt', 'dist/*.tar.gz'], mod, { roots: roots(), warn: (w) => warnings.push(w) });
    expect(files.map((f) => f.relPath)).toEqual(['dist/checksums.txt', 'dist/hello_1.0.0_linux_amd64.tar.gz']);
    expect(warnings.join()).toContain('dist/evil.txt is a symlink');
    await expect(globFiles('files', ['dist/*.zip'], mod, { roots: roots() })).rejects.toThrow(InputError);
    // best-effort patterns may match nothing, yet escapes are still refused
    expect(await globFiles('files', ['dist/*.zip', 'CHANGELOG*'], mod, { roots: roots(), optional: true })).toEqual([]);
    await expect(globFiles('files', ['../outside/*'], mod, { roots: roots(), optional: true })).rejects.toThrow(/Input "files"/);
    for (const p of ['../outside/*', '/etc/passwd', '../../**/passwd']) {
      await expect(globFiles('files', [p], mod, { roots: roots() }), p).rejects.toThrow(/Input "files"/);
    }
  });
});
