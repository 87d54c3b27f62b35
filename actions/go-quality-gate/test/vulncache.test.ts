import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey, dbModified, hasLocalReplace, vulnCache } from '../src/vulncache.js';

async function module(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gqg-vc-'));
  await writeFile(path.join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.24.0\n');
  await writeFile(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  await mkdir(path.join(dir, 'sub'));
  await writeFile(path.join(dir, 'sub', 'sub.go'), 'package sub\n');
  return dir;
}

describe('govulncheck result cache', () => {
  it('keys on the sources, go.sum, Go, tool, arguments and database', async () => {
    const dir = await module();
    const base = {
      moduleDir: dir,
      toolVersion: 'v1.8.0',
      toolGo: '1.26.8',
      goVersion: '1.26.8',
      goEnv: { GOOS: 'linux' },
      args: ['-json', './...'],
      db: 'file:///db@2026-01-01T00:00:00Z',
    };
    const k = await cacheKey(base);
    expect(await cacheKey(base)).toBe(k);
    expect(await cacheKey({ ...base, goVersion: '1.26.9' })).not.toBe(k);
    expect(await cacheKey({ ...base, db: 'file:///db@2026-02-01T00:00:00Z' })).not.toBe(k);
    expect(await cacheKey({ ...base, args: ['-json', '-tags', 'x', './...'] })).not.toBe(k);
    expect(await cacheKey({ ...base, goEnv: { GOOS: 'windows' } })).not.toBe(k);
    await writeFile(path.join(dir, 'sub', 'sub.go'), 'package sub\n\nvar X = 1\n');
    const k2 = await cacheKey(base);
    expect(k2).not.toBe(k);
    await writeFile(path.join(dir, 'go.sum'), 'example.com/x v1.0.0 h1:abc=\n');
    expect(await cacheKey(base)).not.toBe(k2);
    // files that cannot change the result do not change the key
    const k3 = await cacheKey(base);
    await writeFile(path.join(dir, 'README.md'), '# readme\n');
    expect(await cacheKey(base)).toBe(k3);
  });

  it('refuses modules with local replacements', () => {
    expect(hasLocalReplace('module m\n\nreplace example.com/x => ../x\n')).toBe(true);
    expect(hasLocalReplace('module m\n\nreplace (\n\texample.com/x v1.0.0 => ./x\n)\n')).toBe(true);
    expect(hasLocalReplace('module m\n\nreplace example.com/x => example.com/y v1.2.0\n')).toBe(false);
    expect(hasLocalReplace('module m\n\nrequire example.com/x v1.0.0\n')).toBe(false);
  });

  it('reads the database stamp from a file:// database, plain or gzipped', async () => {
    const db = await mkdtemp(path.join(os.tmpdir(), 'gqg-db-'));
    await mkdir(path.join(db, 'index'));
    await writeFile(path.join(db, 'index', 'db.json'), '{"modified":"2026-03-04T05:06:07Z"}');
    expect(await dbModified(`file://${db}`)).toBe(`file://${db}@2026-03-04T05:06:07Z`);
    expect(await dbModified(`file://${db}/missing`)).toBeUndefined();
  });

  it('lives in GOSHIP_GOVULNCHECK_CACHE when it is set', () => {
    const prev = process.env.GOSHIP_GOVULNCHECK_CACHE;
    process.env.GOSHIP_GOVULNCHECK_CACHE = '/tmp/gqg-vulncache';
    try {
      expect(vulnCache.dir()).toBe('/tmp/gqg-vulncache');
    } finally {
      if (prev === undefined) delete process.env.GOSHIP_GOVULNCHECK_CACHE;
      else process.env.GOSHIP_GOVULNCHECK_CACHE = prev;
    }
  });
});
