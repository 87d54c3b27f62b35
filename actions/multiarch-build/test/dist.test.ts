import { type HostileWorkspace, hostileWorkspace } from '@goship/testkit/hostile';
import { lstat, mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { distFile, fromPosix, isFileName, posixRel, realDir, replaceCopy, replaceFile } from '../src/dist.js';

let ws: HostileWorkspace;
let dist: string;
beforeEach(async () => {
  ws = await hostileWorkspace();
  dist = path.join(ws.module, 'dist');
  await mkdir(dist);
});

describe('writing into dist', () => {
  it('takes only plain file names', () => {
    for (const ok of ['hello_1.0.0_linux_amd64.tar.gz', 'a..b', '.hidden']) expect(isFileName(ok), ok).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\nb', 'a\0b', '\u007f']) expect(isFileName(bad), JSON.stringify(bad)).toBe(false);
    expect(distFile(dist, 'x.zip')).toBe(path.join(dist, 'x.zip'));
    expect(() => distFile(dist, '../../trap/x')).toThrow(/is not a file name/);
  });

  it('replaces a symlink in the place of a file, never writing through it', async () => {
    const planted = path.join(dist, 'x.tar.gz');
    await symlink(path.join(ws.trap, 'passwd'), planted);
    await replaceFile(planted, 'archive');
    expect(await readFile(path.join(ws.trap, 'passwd'), 'utf8')).toContain('TRAPCONTENT');
    expect((await lstat(planted)).isSymbolicLink()).toBe(false);
    expect(await readFile(planted, 'utf8')).toBe('archive');
    await symlink(path.join(ws.trap, 'passwd'), path.join(dist, 'copy'));
    await replaceCopy(planted, path.join(dist, 'copy'));
    expect(await readFile(path.join(ws.trap, 'passwd'), 'utf8')).toContain('TRAPCONTENT');
    expect(await readFile(path.join(dist, 'copy'), 'utf8')).toBe('archive');
  });

  it('makes real folders where symlinks were, at every level below the base', async () => {
    await symlink(ws.trap, path.join(dist, 'a'));
    await realDir(path.join(dist, 'a', 'b', 'c'), dist);
    for (const d of ['a', 'a/b', 'a/b/c']) expect((await lstat(path.join(dist, d))).isDirectory(), d).toBe(true);
    await expect(lstat(path.join(ws.trap, 'b'))).rejects.toThrow(/ENOENT/);
  });

  it('records paths with forward slashes', () => {
    expect(posixRel(ws.module, path.join(dist, 'hello_linux_amd64', 'hello'))).toBe('dist/hello_linux_amd64/hello');
    expect(fromPosix(ws.module, 'dist/hello_linux_amd64/hello')).toBe(path.join(dist, 'hello_linux_amd64', 'hello'));
  });
});
