/**
 * Faults where GitHub applied the change and the client never heard so (a 5xx, a dropped
 * connection), a 502 that leaves a `starter` asset, a connection dropped in the middle of an
 * upload body, and faults before any effect.
 */
import { octokit } from '@goship/core/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

const SHA = 'c'.repeat(40);
const NEXT = 'd'.repeat(40);
type Ids = { release: number; asset: number };
const R = '/repos/goship-test/hello';
const auth = { authorization: 'token test-token' };
let api: GitHubApiStandIn;

beforeEach(async () => {
  api = await GitHubApiStandIn.start();
  api.addCommit({ sha: SHA, parents: [], message: 'x', author: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' });
  api.addCommit({ sha: NEXT, parents: [SHA], message: 'y', author: 'a', email: 'a@b', date: '2026-01-02T00:00:00Z' });
  api.refs.set('refs/heads/main', SHA);
});
afterEach(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

/** Sends one request; `dropped` when the connection was reset instead of answered. */
async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; dropped: boolean }> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return { status: res.status, dropped: false };
  } catch {
    return { status: 0, dropped: true };
  }
}

describe('applied, then failed', () => {
  it('a create that took effect but answered 500 leaves a draft; a client that retries blindly makes a second', async () => {
    api.inject({ method: 'POST', route: '/repos/{owner}/{repo}/releases', kind: 'applied-status', status: 500 });
    const gh = octokit('test-token', { baseUrl: api.url });
    // Octokit's retry plugin retries the 500: GitHub already created the first draft.
    const r = await gh.rest.repos.createRelease({ owner: 'goship-test', repo: 'hello', tag_name: 'v1.0.0', draft: true });
    expect(r.status).toBe(201);
    expect(api.log.map((l) => [l.method, l.status])).toEqual([
      ['POST', 500],
      ['POST', 201],
    ]);
    expect(api.tagView('v1.0.0').map((x) => x.draft)).toEqual([true, true]);
    // Publishing the one the client knows leaves the other as an empty orphan.
    await gh.rest.repos.updateRelease({ owner: 'goship-test', repo: 'hello', release_id: r.data.id, draft: false, target_commitish: SHA });
    expect(api.orphanDrafts('v1.0.0').map((x) => x.id)).toEqual([r.data.id - 1]);
  });

  const cases = [
    {
      what: 'create a release',
      method: 'POST',
      path: () => `${R}/releases`,
      body: { tag_name: 'v2.0.0', draft: true },
      applied: () => api.releaseByTag('v2.0.0').length === 1,
    },
    {
      what: 'publish a draft',
      method: 'PATCH',
      path: (ids: Ids) => `${R}/releases/${ids.release}`,
      body: { draft: false, target_commitish: SHA },
      applied: (ids: Ids) => api.releases.get(ids.release)!.draft === false,
    },
    {
      what: 'delete an asset',
      method: 'DELETE',
      path: (ids: Ids) => `${R}/releases/assets/${ids.asset}`,
      body: undefined,
      applied: () => api.assets.size === 0,
    },
    {
      what: 'create a tag',
      method: 'POST',
      path: () => `${R}/git/refs`,
      body: { ref: 'refs/tags/v2', sha: SHA },
      applied: () => api.refs.get('refs/tags/v2') === SHA,
    },
    {
      what: 'move a branch',
      method: 'PATCH',
      path: () => `${R}/git/refs/heads%2Fmain`,
      body: { sha: NEXT },
      applied: () => api.refs.get('refs/heads/main') === NEXT,
    },
    {
      what: 'write a file',
      method: 'PUT',
      path: () => `${R}/contents/README.md`,
      body: { message: 'readme', content: Buffer.from('hi').toString('base64') },
      applied: () => api.main.createdCommits.length === 1,
    },
  ];
  it.each(cases.flatMap((c) => (['applied-status', 'reset-after'] as const).map((kind) => ({ ...c, kind }))))(
    '$what: the change is there after $kind',
    async ({ method, path, body, applied, kind }) => {
      const rel = api.seedRelease('v2.1.0', { target: SHA });
      const ids = { release: rel.id, asset: api.seedAsset(rel.id, 'a.txt', Buffer.from('a')).id };
      api.inject({ method, kind, status: 503 });
      const r = await send(api.url, method, path(ids), body);
      expect(r).toEqual(kind === 'applied-status' ? { status: 503, dropped: false } : { status: 0, dropped: true });
      expect(applied(ids)).toBe(true);
    },
  );
});

describe('uploads', () => {
  it('a 502 leaves an empty starter asset that blocks the name until it is deleted, as GitHub documents', async () => {
    const rel = api.seedRelease('v3.0.0');
    const url = `${R}/releases/${rel.id}/assets?name=hello.tar.gz`;
    const type = { 'content-type': 'application/gzip' };
    api.inject({ host: 'uploads', kind: 'starter' });
    expect(await send(api.uploadsUrl, 'POST', url, Buffer.alloc(2048, 1), type)).toEqual({ status: 502, dropped: false });
    expect(api.tagView('v3.0.0')[0]!.assets).toEqual([
      { name: 'hello.tar.gz', requestedName: 'hello.tar.gz', state: 'starter', size: 0, digest: null },
    ]);
    const listed = (await (await fetch(`${api.url}${R}/releases/${rel.id}/assets`, { headers: auth })).json()) as {
      id: number;
      state: string;
    }[];
    expect(listed.map((a) => a.state)).toEqual(['starter']);
    expect((await send(api.uploadsUrl, 'POST', url, Buffer.alloc(2048, 1), type)).status).toBe(422);
    expect((await send(api.url, 'DELETE', `${R}/releases/assets/${listed[0]!.id}`)).status).toBe(204);
    expect((await send(api.uploadsUrl, 'POST', url, Buffer.alloc(2048, 1), type)).status).toBe(201);
    expect(api.assetsOf(rel.id).map((a) => [a.state, a.data.length])).toEqual([['uploaded', 2048]]);
  });

  it('a connection dropped after N bytes of the body: exactly N received, a starter asset left (or none)', async () => {
    const rel = api.seedRelease('v3.1.0');
    const body = Buffer.alloc(256 * 1024, 7);
    api.inject({ host: 'uploads', kind: 'reset-during', afterBytes: 100_000 });
    const r = await send(api.uploadsUrl, 'POST', `${R}/releases/${rel.id}/assets?name=big.bin`, body, {
      'content-type': 'application/octet-stream',
    });
    expect(r.dropped).toBe(true);
    expect(api.counters.bytesByName['big.bin']).toBe(100_000);
    expect(api.counters.byHost.uploads.bytesReceived).toBe(100_000);
    expect(api.assetsOf(rel.id).map((a) => [a.name, a.state])).toEqual([['big.bin', 'starter']]);
    expect(api.log.at(-1)).toMatchObject({ host: 'uploads', status: 0 });

    api.inject({ host: 'uploads', kind: 'reset-during', afterBytes: 10, leaves: 'nothing' });
    expect(
      (
        await send(api.uploadsUrl, 'POST', `${R}/releases/${rel.id}/assets?name=other.bin`, body, {
          'content-type': 'application/octet-stream',
        })
      ).dropped,
    ).toBe(true);
    expect(api.assetsOf(rel.id).map((a) => a.name)).toEqual(['big.bin']);
  });

  it('Octokit retries a dropped upload and then meets the starter asset it left', async () => {
    const rel = api.seedRelease('v3.2.0');
    api.inject({ host: 'uploads', kind: 'reset-during', afterBytes: 1000 });
    const gh = octokit('test-token', { baseUrl: api.url });
    const up = gh.rest.repos.uploadReleaseAsset({
      owner: 'goship-test',
      repo: 'hello',
      release_id: rel.id,
      url: api.releaseJson(rel).upload_url as string,
      name: 'c.bin',
      data: Buffer.alloc(64 * 1024, 3) as unknown as string,
    });
    await expect(up).rejects.toMatchObject({ status: 422 });
    expect(api.log.filter((l) => l.host === 'uploads').map((l) => l.status)).toEqual([0, 422]);
  });
});

describe('clients that give up', () => {
  it('an upload aborted in the middle of its body leaves nothing and counts what arrived', async () => {
    const rel = api.seedRelease('v3.3.0');
    const abort = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(1000)); // and never more
      },
    });
    const sent = fetch(`${api.uploadsUrl}${R}/releases/${rel.id}/assets?name=slow.bin`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
      signal: abort.signal,
    }).catch(() => 'aborted');
    for (let i = 0; i < 200 && api.counters.byHost.uploads.bytesReceived < 1000; i++) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    expect(await sent).toBe('aborted');
    for (let i = 0; i < 200 && api.log.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(api.log).toMatchObject([{ host: 'uploads', status: 0 }]);
    expect(api.counters.bytesByName['slow.bin']).toBe(1000);
    expect(api.assetsOf(rel.id)).toEqual([]);
  });
});

describe('before any effect', () => {
  it('a refusal or a connection dropped on arrival changes nothing', async () => {
    api.inject({ method: 'POST', kind: 'status', status: 500 }, { method: 'POST', kind: 'reset' });
    expect(await send(api.url, 'POST', `${R}/releases`, { tag_name: 'v4.0.0', draft: true })).toEqual({ status: 500, dropped: false });
    expect(await send(api.url, 'POST', `${R}/releases`, { tag_name: 'v4.0.0', draft: true })).toEqual({ status: 0, dropped: true });
    expect(api.releaseByTag('v4.0.0')).toEqual([]);
    expect(api.counters.faultsFired).toBe(2);
  });

  it('skip and times pick which matching requests fail', async () => {
    api.inject({ method: 'POST', route: '/repos/{owner}/{repo}/releases', kind: 'status', status: 502, skip: 1, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await send(api.url, 'POST', `${R}/releases`, { tag_name: `v5.0.${i}`, draft: true })).status);
    expect(statuses).toEqual([201, 502, 502, 201]);
  });
});
