import { hashBytes } from '@goship/core/digest';
import { tempDir } from '@goship/testkit';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AssetSource, checkBuiltFor, selectAssets } from '../src/assets.js';

let dir: string;
let root: string;
const COMMIT = 'a'.repeat(40);
const release = { tag: 'v1.0.0', version: '1.0.0', commit: COMMIT };
const warnings: string[] = [];
const log = { warning: (m: string) => warnings.push(m) };
const saved = process.env.GITHUB_WORKSPACE;

const src = (files: string[] = [], manifest = 'dist/goship-manifest.json'): AssetSource => ({
  manifest: path.join(dir, manifest),
  manifestInput: manifest,
  files,
  workdir: dir,
});

async function setup(o: { tamper?: boolean; extra?: Record<string, unknown>[]; version?: string } = {}) {
  root = await tempDir('goship-sel-');
  dir = path.join(root, 'ws');
  process.env.GITHUB_WORKSPACE = dir;
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  const files: Record<string, string> = {
    'dist/h_linux.tar.gz': 'L',
    'dist/h_darwin.tar.gz': 'D',
    'dist/h_checksums.txt': 'sums',
    'dist/hello': 'bin',
    'dist/h 1.0 (notes).txt': 'notes',
  };
  for (const [f, c] of Object.entries(files)) await writeFile(path.join(dir, f), c);
  await writeFile(path.join(dir, 'NOTES.md'), 'extra');
  const manifest = {
    schemaVersion: 1,
    project: 'h',
    module: 'example.com/h',
    version: o.version ?? '1.0.0',
    tag: 'v1.0.0',
    commit: COMMIT,
    commitTime: '',
    traceId: 't',
    artifacts: [
      { kind: 'binary', name: 'hello', path: 'dist/hello', os: 'linux', arch: 'amd64', sha256: hashBytes('bin') },
      { kind: 'archive', name: 'h_linux.tar.gz', path: 'dist/h_linux.tar.gz', sha256: hashBytes(o.tamper ? 'other' : 'L') },
      { kind: 'archive', name: 'h_darwin.tar.gz', path: 'dist/h_darwin.tar.gz', sha256: hashBytes('D') },
      { kind: 'checksums', name: 'h_checksums.txt', path: 'dist/h_checksums.txt' },
      ...(o.extra ?? []),
    ],
  };
  await writeFile(path.join(dir, 'dist/goship-manifest.json'), JSON.stringify(manifest));
}

beforeEach(async () => {
  warnings.length = 0;
  await setup();
});
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
  else process.env.GITHUB_WORKSPACE = saved;
});

describe('asset selection', () => {
  it('defaults to the release kinds of the manifest (no raw binaries), sorted by stored name, hashed', async () => {
    const s = await selectAssets(src(), release, log);
    expect(s.assets.map((a) => [a.storedName, a.sha256, a.contentType, a.kind])).toEqual([
      ['h_checksums.txt', hashBytes('sums'), 'text/plain', 'checksums'],
      ['h_darwin.tar.gz', hashBytes('D'), 'application/gzip', 'archive'],
      ['h_linux.tar.gz', hashBytes('L'), 'application/gzip', 'archive'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('selects by glob on manifest names, then files on disk', async () => {
    const s = await selectAssets(src(['*linux*', 'NOTES.md']), release, log);
    expect(s.assets.map((a) => [a.name, a.kind])).toEqual([
      ['NOTES.md', 'file'],
      ['h_linux.tar.gz', 'archive'],
    ]);
  });

  it('knows the name GitHub will store, warns once, and sorts by it', async () => {
    const s = await selectAssets(src(['dist/h 1.0 (notes).txt', '*darwin*']), release, log);
    expect(s.assets.map((a) => [a.name, a.storedName])).toEqual([
      ['h 1.0 (notes).txt', 'h.1.0.notes.txt'],
      ['h_darwin.tar.gz', 'h_darwin.tar.gz'],
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/this asset will be stored \(and compared\) as: h 1\.0 \(notes\)\.txt → h\.1\.0\.notes\.txt/),
    ]);
  });

  it('refuses two files GitHub would store under one name', async () => {
    await writeFile(path.join(dir, 'dist/h.1.0.notes.txt'), 'other notes');
    await expect(selectAssets(src(['dist/h 1.0 (notes).txt', 'dist/h.1.0.notes.txt']), release, log)).rejects.toThrow(
      /GitHub would store both h 1\.0 \(notes\)\.txt and h\.1\.0\.notes\.txt as h\.1\.0\.notes\.txt/,
    );
  });

  it('refuses a pattern that matches nothing, an absolute one and one that climbs out, naming the input', async () => {
    for (const p of ['*.deb', '/etc/passwd', '../*']) {
      await expect(selectAssets(src([p]), release, log)).rejects.toThrow(/^Input "files": got /);
    }
  });

  it('skips a symlink on disk that leads outside the workspace, with a warning', async () => {
    await writeFile(path.join(root, 'secret.txt'), 'outside');
    await symlink(path.join(root, 'secret.txt'), path.join(dir, 'link.txt'));
    await expect(selectAssets(src(['link*']), release, log)).rejects.toThrow(/^Input "files": got "link\*"/);
    expect(warnings.join('\n')).toMatch(/link\.txt is a symlink to .*secret\.txt, outside the workspace: skipped/);
  });

  it('refuses a file that changed since the manifest was written', async () => {
    await setup({ tamper: true });
    await expect(selectAssets(src(), release, log)).rejects.toThrow(
      /dist\/h_linux\.tar\.gz has sha256 [0-9a-f]{64}, but the manifest recorded/,
    );
  });

  it('refuses a manifest entry outside the workspace, naming the input and never quoting the file', async () => {
    await writeFile(path.join(root, 'passwd'), 'root:x:0:0:SECRET');
    await setup({ extra: [{ kind: 'checksums', name: 'passwd', path: '../passwd' }] });
    await writeFile(path.join(root, 'passwd'), 'root:x:0:0:SECRET');
    const e = await selectAssets(src(), release, log).catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(
      /^Input "manifest": The manifest in dist\/goship-manifest\.json lists checksums passwd at \.\.\/passwd/,
    );
    expect((e as Error).message).not.toContain('SECRET');
  });

  it('refuses two assets with one name (raw binaries of two platforms)', async () => {
    await setup({
      extra: [{ kind: 'binary', name: 'hello', path: 'dist/darwin/hello', os: 'darwin', arch: 'arm64', sha256: hashBytes('bin2') }],
    });
    await mkdir(path.join(dir, 'dist/darwin'));
    await writeFile(path.join(dir, 'dist/darwin/hello'), 'bin2');
    await expect(selectAssets(src(['dist/**/hello']), release, log)).rejects.toThrow(
      /Two assets would have the name hello: .*dist\/hello and .*dist\/darwin\/hello/,
    );
  });

  it('a missing manifest names the input; a non-JSON one too, without quoting it', async () => {
    await expect(selectAssets(src([], 'nope.json'), release, log)).rejects.toThrow(/^Input "manifest": got "nope\.json"/);
    await writeFile(path.join(dir, 'bad.json'), 'TOPSECRET not json');
    const e = (await selectAssets(src([], 'bad.json'), release, log).catch((x: Error) => x)) as Error;
    expect(e.message).toMatch(/^Input "manifest": got "bad\.json"; expected a goship artifact manifest/);
    expect(e.message).not.toContain('TOPSECRET');
  });

  it('refuses a manifest built for another version or commit, naming both', async () => {
    await setup({ version: '0.9.0' });
    await expect(selectAssets(src(), release, log)).rejects.toThrow(
      new RegExp(
        `^Input "manifest": got "dist/goship-manifest.json"; expected a manifest built for v1\\.0\\.0: version 1\\.0\\.0 at commit ${COMMIT}\\. It was built for version 0\\.9\\.0 at commit ${COMMIT}`,
      ),
    );
    const m = { version: '1.0.0', commit: 'b'.repeat(40) } as Parameters<typeof checkBuiltFor>[0];
    expect(() => checkBuiltFor(m, release, 'm.json')).toThrow(/built for version 1\.0\.0 at commit b{40}/);
    // A short sha of the same commit is the same build.
    expect(() => checkBuiltFor({ ...m, commit: COMMIT.slice(0, 12) }, release, 'm.json')).not.toThrow();
  });
});
