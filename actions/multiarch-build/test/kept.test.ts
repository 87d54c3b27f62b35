import { tempDir } from '@goship/testkit';
import { mkdir, readFile, readdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_DAYS, KeptBinaries } from '../src/kept.js';
import type { Target } from '../src/targets.js';

function target(id: string, os = 'linux'): Target {
  return {
    build: { id: 'cli' },
    main: { importPath: 'example.com/m/cmd/cli' },
    target: { id },
    platform: { os, arch: 'amd64' },
    file: os === 'windows' ? 'cli.exe' : 'cli',
  } as unknown as Target;
}

describe('kept binaries', () => {
  it('lives in <GOCACHE>/goship/bin, and not in a GOCACHE that is off or relative', () => {
    expect(KeptBinaries.at('/c/go-build')?.dir).toBe(path.join('/c/go-build', 'goship', 'bin'));
    expect(KeptBinaries.at('off')).toBeUndefined();
    expect(KeptBinaries.at('rel/cache')).toBeUndefined();
    expect(KeptBinaries.at('')).toBeUndefined();
  });

  it('keeps one file per target, the same for every run', () => {
    const k = KeptBinaries.at('/c')!;
    expect(k.file(target('linux_amd64'))).toBe(KeptBinaries.at('/c')!.file(target('linux_amd64')));
    expect(k.file(target('linux_amd64'))).not.toBe(k.file(target('windows_amd64', 'windows')));
  });

  it('restores nothing at first, keeps what was linked, and tells a binary go left alone from a new one', async () => {
    const cache = await tempDir('goship-kept-');
    const k = KeptBinaries.at(cache)!;
    const t = target('linux_amd64');
    const out = path.join(cache, 'out');
    await mkdir(out);
    const at = path.join(out, 'cli');
    expect(await k.restore(t, at)).toBeUndefined();
    await writeFile(at, 'linked once');
    expect(await k.keep(t, at, undefined)).toBe(false);
    expect(await readFile(k.file(t), 'utf8')).toBe('linked once');

    // next run (dist cleaned, as buildAll removes the output first): the kept copy is put in
    // place; go leaves it (same inode) → reused
    await rm(at);
    const ino = await k.restore(t, at);
    expect(ino).toBeTypeOf('number');
    expect(await readFile(at, 'utf8')).toBe('linked once');
    expect(await k.keep(t, at, ino)).toBe(true);

    // go linked a new one and moved it over (another inode) → kept for the run after
    await rm(at);
    const ino2 = await k.restore(t, at);
    await writeFile(`${at}.new`, 'linked twice');
    await rename(`${at}.new`, at);
    expect(await k.keep(t, at, ino2)).toBe(false);
    expect(await readFile(k.file(t), 'utf8')).toBe('linked twice');
    // what a post hook does to the output does not reach the kept file
    await writeFile(at, 'changed by a hook');
    expect(await readFile(k.file(t), 'utf8')).toBe('linked twice');
    expect((await readdir(k.dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('never writes through a symlink planted where it keeps or restores', async () => {
    const cache = await tempDir('goship-kept-');
    const k = KeptBinaries.at(cache)!;
    const t = target('linux_amd64');
    await mkdir(k.dir, { recursive: true });
    const victim = path.join(cache, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, `${k.file(t)}.${process.pid}.part`);
    const at = path.join(cache, 'bin');
    await writeFile(at, 'linked');
    expect(await k.keep(t, at, undefined)).toBe(false);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readFile(k.file(t), 'utf8')).toBe('linked');
    // where go will write, something already stands (a symlink): nothing is restored through it
    const planted = path.join(cache, 'planted');
    await symlink(victim, planted);
    expect(await k.restore(t, planted)).toBeUndefined();
    expect(await readFile(victim, 'utf8')).toBe('precious');
  });

  it('costs only the next link, never the build, when the folder cannot be made (a file in its place)', async () => {
    const cache = await tempDir('goship-kept-');
    const k = KeptBinaries.at(cache)!;
    const t = target('linux_amd64');
    await writeFile(path.join(cache, 'goship'), 'not a folder');
    const at = path.join(cache, 'bin');
    await writeFile(at, 'linked');
    expect(await k.restore(t, at)).toBeUndefined();
    expect(await k.keep(t, at, undefined)).toBe(false);
    expect(await readFile(at, 'utf8')).toBe('linked');
    await k.trim();
  });

  it(`removes the files no run used for ${KEEP_DAYS} days, and keeps the ones a restore used`, async () => {
    const cache = await tempDir('goship-kept-');
    const k = KeptBinaries.at(cache)!;
    const [a, b] = [target('linux_amd64'), target('linux_arm64')];
    await mkdir(k.dir, { recursive: true });
    const day = 24 * 3600 * 1000;
    const old = new Date(Date.now() - (KEEP_DAYS + 1) * day);
    for (const t of [a, b]) {
      await writeFile(k.file(t), 'bin');
      await utimes(k.file(t), old, old);
    }
    expect(await k.restore(a, path.join(cache, 'a'))).toBeTypeOf('number'); // used now
    await k.trim();
    expect(await readdir(k.dir)).toEqual([path.basename(k.file(a))]);
  });
});
