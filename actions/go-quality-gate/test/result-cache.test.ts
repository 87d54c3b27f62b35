import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultCache } from '../src/result-cache.js';

const quiet = { debug: () => undefined };

describe('result cache', () => {
  it('stores and reads results in the folder its variable names, else in the user cache folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gqg-cache-'));
    const c = resultCache('govulncheck', 'GOSHIP_TEST_CACHE', { GOSHIP_TEST_CACHE: dir });
    expect(c.dir()).toBe(dir);
    expect(await c.read('abc')).toBeUndefined();
    await c.write('abc', '{"config":{}}', quiet);
    expect(await c.read('abc')).toBe('{"config":{}}');
    expect(resultCache('gate-baseline', 'X', { XDG_CACHE_HOME: '/x' }).dir()).toBe(path.join('/x', 'goship', 'gate-baseline'));
  });

  it('keeps the newest 50 entries', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gqg-cache-'));
    const c = resultCache('t', 'T', { T: dir });
    for (let i = 0; i < 52; i++) {
      await c.write(`k${i}`, String(i), quiet);
      await utimes(path.join(dir, `k${i}.json`), 1000 + i, 1000 + i);
    }
    await c.write('last', 'x', quiet);
    const left = await readdir(dir);
    expect(left).toHaveLength(50);
    expect(left).toContain('last.json');
    expect(left).not.toContain('k0.json');
  });

  it('says so, in debug, when it cannot write', async () => {
    const said: string[] = [];
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'gqg-cache-')), 'a-file');
    await writeFile(file, '');
    await resultCache('t', 'T', { T: path.join(file, 'cache') }).write('k', 'v', { debug: (m) => said.push(m) });
    expect(said[0]).toMatch(/^t cache not written: /);
  });
});
