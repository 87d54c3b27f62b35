import * as cache from '@actions/cache';
import { type CacheService, startCacheService } from '@goship/testkit/cache-service';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @actions/cache itself (tar + zstd + the Azure SDK upload + http-client download) against the stand-in.
describe('Actions cache stand-in with @actions/cache 6', () => {
  let svc: CacheService;
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    svc = await startCacheService();
    dir = await mkdtemp(path.join(os.tmpdir(), 'goship-cache-svc-'));
    const env = { ...svc.env(), RUNNER_TEMP: path.join(dir, 'tmp'), GITHUB_WORKSPACE: dir, GITHUB_SERVER_URL: 'https://github.com' };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    await mkdir(env.RUNNER_TEMP, { recursive: true });
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await svc.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves, refuses a duplicate, and restores by exact key and by restore-key prefix', async () => {
    const data = path.join(dir, 'data');
    await mkdir(path.join(data, 'sub'), { recursive: true });
    await writeFile(path.join(data, 'sub', 'a.txt'), 'hello cache\n');
    expect(cache.isFeatureAvailable()).toBe(true);
    const id = await cache.saveCache([data], 'k-linux-1');
    expect(id).toBeGreaterThan(0);
    expect(svc.requests.map((r) => r.op)).toEqual(['CreateCacheEntry', 'blob:put', 'FinalizeCacheEntryUpload']);
    expect(svc.entries[0]).toMatchObject({ key: 'k-linux-1', finalized: true });

    // same key and version again: the service refuses, the library reports -1 without throwing
    expect(await cache.saveCache([data], 'k-linux-1')).toBe(-1);
    expect(svc.requests.at(-1)).toMatchObject({ op: 'CreateCacheEntry', status: 409 });

    await rm(data, { recursive: true });
    expect(await cache.restoreCache([data], 'k-linux-2', ['k-linux-'])).toBe('k-linux-1');
    expect(await readFile(path.join(data, 'sub', 'a.txt'), 'utf8')).toBe('hello cache\n');
    expect(await cache.restoreCache([data], 'k-linux-1')).toBe('k-linux-1');
    expect(await cache.restoreCache([data], 'other')).toBeUndefined();
    // a different path list is a different version: no match across it
    expect(await cache.restoreCache([path.join(dir, 'elsewhere')], 'k-linux-1')).toBeUndefined();
  });

  it('rejects a wrong runtime token', async () => {
    const res = await fetch(`${svc.url}twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify({ key: 'k', version: 'v' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('unauthenticated');
  });

  it('assembles a block-list upload in the listed order', async () => {
    const create = await twirp('CreateCacheEntry', { key: 'blocks', version: 'v1' });
    const url = new URL(create.signed_upload_url as string);
    const put = async (q: string, body: string): Promise<number> => (await fetch(`${url.href}&${q}`, { method: 'PUT', body })).status;
    const b1 = Buffer.from('b1').toString('base64');
    const b2 = Buffer.from('b2').toString('base64');
    expect(await put(`comp=block&blockid=${encodeURIComponent(b2)}`, 'world')).toBe(201);
    expect(await put(`comp=block&blockid=${encodeURIComponent(b1)}`, 'hello ')).toBe(201);
    expect(await put('comp=blocklist', `<?xml version="1.0"?><BlockList><Latest>${b1}</Latest><Latest>${b2}</Latest></BlockList>`)).toBe(
      201,
    );
    expect(await twirp('FinalizeCacheEntryUpload', { key: 'blocks', version: 'v1', size_bytes: '11' })).toMatchObject({ ok: true });
    const got = await twirp('GetCacheEntryDownloadURL', { key: 'blocks', version: 'v1' });
    expect(got.matched_key).toBe('blocks');
    expect(await (await fetch(got.signed_download_url as string)).text()).toBe('hello world');
    // the upload URL's signature does not allow reading
    expect((await fetch(url.href)).status).toBe(403);
  });

  async function twirp(method: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${svc.url}twirp/github.actions.results.api.v1.CacheService/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  }
});
