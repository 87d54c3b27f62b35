import { hashBytes } from '@goship/core/digest';
import { tempDir } from '@goship/testkit';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { selectAssets } from '../src/assets.js';

let dir: string;

async function setup(tamper = false) {
  dir = await tempDir('goship-sel-');
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  const files: Record<string, string> = {
    'dist/h_linux.tar.gz': 'L',
    'dist/h_darwin.tar.gz': 'D',
    'dist/h_checksums.txt': 'sums',
    'dist/hello': 'bin',
  };
  for (const [f, c] of Object.entries(files)) await writeFile(path.join(dir, f), c);
  await writeFile(path.join(dir, 'NOTES.md'), 'extra');
  const manifest = {
    schemaVersion: 1,
    project: 'h',
    module: 'example.com/h',
    version: '1.0.0',
    tag: 'v1.0.0',
    commit: 'x',
    commitTime: '',
    traceId: 't',
    artifacts: [
      { kind: 'binary', name: 'hello', path: 'dist/hello', os: 'linux', arch: 'amd64', sha256: hashBytes('bin') },
      { kind: 'archive', name: 'h_linux.tar.gz', path: 'dist/h_linux.tar.gz', sha256: hashBytes(tamper ? 'other' : 'L') },
      { kind: 'archive', name: 'h_darwin.tar.gz', path: 'dist/h_darwin.tar.gz', sha256: hashBytes('D') },
      { kind: 'checksums', name: 'h_checksums.txt', path: 'dist/h_checksums.txt' },
    ],
  };
  await writeFile(path.join(dir, 'dist/goship-manifest.json'), JSON.stringify(manifest));
}

describe('asset selection', () => {
  beforeEach(() => setup());

  it('defaults to every file artifact of the manifest except raw binaries, sorted, hashed', async () => {
    const s = await selectAssets(path.join(dir, 'dist/goship-manifest.json'), [], dir);
    expect(s.assets.map((a) => [a.name, a.sha256, a.contentType])).toEqual([
      ['h_checksums.txt', hashBytes('sums'), 'text/plain'],
      ['h_darwin.tar.gz', hashBytes('D'), 'application/gzip'],
      ['h_linux.tar.gz', hashBytes('L'), 'application/gzip'],
    ]);
  });

  it('selects by glob on manifest names, then files on disk', async () => {
    const s = await selectAssets(path.join(dir, 'dist/goship-manifest.json'), ['*linux*', 'NOTES.md'], dir);
    expect(s.assets.map((a) => a.name)).toEqual(['NOTES.md', 'h_linux.tar.gz']);
  });

  it('refuses a pattern that matches nothing, naming the input', async () => {
    await expect(selectAssets(path.join(dir, 'dist/goship-manifest.json'), ['*.deb'], dir)).rejects.toThrow(
      /^Input "files": got "\*\.deb"/,
    );
  });

  it('refuses a file that changed since the manifest was written', async () => {
    await setup(true);
    await expect(selectAssets(path.join(dir, 'dist/goship-manifest.json'), [], dir)).rejects.toThrow(
      /h_linux\.tar\.gz does not match the manifest/,
    );
  });

  it('refuses two assets with one name', async () => {
    await mkdir(path.join(dir, 'other'));
    await writeFile(path.join(dir, 'other/NOTES.md'), 'x');
    await expect(selectAssets(path.join(dir, 'dist/goship-manifest.json'), ['NOTES.md', 'other/NOTES.md'], dir)).rejects.toThrow(
      /Two assets would have the name NOTES\.md/,
    );
  });

  it('a missing manifest names the input', async () => {
    await expect(selectAssets(path.join(dir, 'nope.json'), [], dir)).rejects.toThrow(/^Input "manifest"/);
  });
});
