import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PauseGate } from '../src/retry.js';
import { connectionFailure, octokit, parseRepo, rateLimitOf, refTag, traceId } from '../src/github.js';

let server: http.Server;
let base = '';
const seen: string[] = [];
let failures = 0;
const perId = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const m = /^\/api\/repos\/o\/r\/releases\/(1\d\d)$/.exec(req.url ?? '');
    if (m) {
      const n = (perId.get(m[1]!) ?? 0) + 1;
      perId.set(m[1]!, n);
      if (n === 1) res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":${m[1]},"tag_name":"v1.0.0"}`);
      return;
    }
    if (req.url === '/api/repos/o/r/releases/1' && failures > 0) {
      failures--;
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway"}');
      return;
    }
    if (req.url === '/api/repos/o/r/releases/1') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1,"tag_name":"v1.0.0"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('octokit', () => {
  it('uses the given API base URL, sends the token and retries a 502', async () => {
    failures = 1;
    const gh = octokit('t0ken', { baseUrl: base });
    const r = await gh.rest.repos.getRelease({ owner: 'o', repo: 'r', release_id: 1 });
    expect(r.data.tag_name).toBe('v1.0.0');
    expect(seen.filter((s) => s.startsWith('GET /api/repos/o/r/releases/1'))).toHaveLength(2);
    expect(seen.at(-1)).toBe('GET /api/repos/o/r/releases/1 token t0ken');
  });

  it('counts retries per request, not across concurrent requests', async () => {
    const gh = octokit('t0ken', { baseUrl: base });
    const firstAttemptCounts: unknown[] = [];
    gh.hook.before('request', (options) => {
      firstAttemptCounts.push((options.request as { retryCount?: number }).retryCount);
    });
    const ids = [101, 102, 103, 104];
    const got = await Promise.all(ids.map((id) => gh.rest.repos.getRelease({ owner: 'o', repo: 'r', release_id: id })));
    expect(got.map((r) => r.data.id)).toEqual(ids);
    // each failed once and was retried once: a shared counter would retry some of them more
    expect(ids.map((id) => perId.get(String(id)))).toEqual([2, 2, 2, 2]);
    // and a second batch on the same client starts from zero again: no count left over
    perId.clear();
    firstAttemptCounts.length = 0;
    await Promise.all(ids.map((id) => gh.rest.repos.getRelease({ owner: 'o', repo: 'r', release_id: id })));
    expect(ids.map((id) => perId.get(String(id)))).toEqual([2, 2, 2, 2]);
    expect(firstAttemptCounts).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('does not retry a 404', async () => {
    const before = seen.length;
    const gh = octokit('t0ken', { baseUrl: base });
    await expect(gh.rest.repos.getRelease({ owner: 'o', repo: 'r', release_id: 2 })).rejects.toMatchObject({ status: 404 });
    expect(seen.length - before).toBe(1);
  });

  it('refuses an empty token with a fix', () => {
    expect(() => octokit('')).toThrow(/No GitHub token.*github.token/);
  });
});

describe('run context', () => {
  it('trace ids, tags from refs and repositories', () => {
    expect(traceId({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' })).toBe('42-2');
    expect(traceId({})).toMatch(/^local-[0-9a-f]{12}$/);
    expect(refTag({ GITHUB_REF: 'refs/tags/api/v1.2.3' })).toBe('api/v1.2.3');
    expect(refTag({ GITHUB_REF: 'refs/heads/main' })).toBeUndefined();
    expect(parseRepo('octo/hello')).toEqual({ owner: 'octo', repo: 'hello' });
    expect(() => parseRepo('octo')).toThrow(/expected OWNER\/REPO/);
  });
});

describe('octokit with a PauseGate', () => {
  let gated: http.Server;
  let url = '';
  /** Arrival times of writes; the server refuses writes until `closedUntil`. */
  const writes: { at: number; refused: boolean }[] = [];
  const reads: number[] = [];
  let closedUntil = 0;
  let resetAt = 0;
  let refuseNext: 'secondary' | 'primary' | '' = '';

  beforeAll(async () => {
    gated = http.createServer((req, res) => {
      const now = Date.now();
      req.resume();
      req.on('end', () => {
        if (req.url === '/drop') {
          req.socket.destroy();
          return;
        }
        const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        if (req.method === 'GET') {
          reads.push(now);
          if (now < resetAt) return json(403, { message: 'API rate limit exceeded' }, primary());
          if (refuseNext === 'primary') {
            refuseNext = '';
            resetAt = Math.ceil((now + 1000) / 1000) * 1000;
            // The last request of the budget: answered, but nothing is left.
            return json(200, { id: 1 }, primary());
          }
          return json(200, { id: 1 });
        }
        const refused = now < closedUntil || refuseNext === 'secondary';
        writes.push({ at: now, refused });
        if (refuseNext === 'secondary') {
          refuseNext = '';
          closedUntil = now + 1000;
        }
        if (refused) {
          return json(
            req.url?.includes('429') ? 429 : 403,
            { message: 'You have exceeded a secondary rate limit.' },
            { 'retry-after': '1' },
          );
        }
        json(201, { id: 2 });
      });
    });
    await new Promise<void>((r) => gated.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(gated.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => gated.close(() => r())));
  const primary = () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt / 1000) });

  it('a secondary limit on one write holds back every write until retry-after; reads go on', async () => {
    const gate = new PauseGate();
    // When the gate let each write go (the server's arrival times also carry the machine's load).
    const letGo: number[] = [];
    const ready = gate.ready.bind(gate);
    gate.ready = async (write, signal) => {
      await ready(write, signal);
      if (write) letGo.push(Date.now());
    };
    const gh = octokit('t0ken', { baseUrl: url, gate });
    writes.length = 0;
    reads.length = 0;
    refuseNext = 'secondary';
    const first = gh.request('POST /repos/{owner}/{repo}/releases', { owner: 'o', repo: 'r', tag_name: 'v1' });
    await new Promise((r) => setTimeout(r, 100));
    // Three more writes and a read while the window is open.
    const more = [1, 2, 3].map(() => gh.request('POST /repos/{owner}/{repo}/releases', { owner: 'o', repo: 'r', tag_name: 'v1' }));
    await gh.request('GET /repos/{owner}/{repo}/releases', { owner: 'o', repo: 'r' });
    expect(reads[0]!).toBeLessThan(closedUntil);
    await Promise.all([first, ...more]);
    expect(writes[0]!.refused).toBe(true);
    // Nothing was sent into the window: every other write arrived after it ended, and all passed.
    expect(writes.slice(1).every((w) => !w.refused && w.at >= closedUntil)).toBe(true);
    expect(writes).toHaveLength(5);
    // While throttled, writes are spaced a second apart.
    const gaps = letGo.slice(2).map((t, i) => t - letGo[i + 1]!);
    expect(gaps).toHaveLength(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it('a 429 is the gate’s to retry, not the retry plugin’s', async () => {
    const gh = octokit('t0ken', { baseUrl: url, gate: new PauseGate(), rateLimitRetries: 1 });
    writes.length = 0;
    closedUntil = Date.now() + 5000;
    await expect(gh.request('POST /429', {})).rejects.toMatchObject({ status: 429 });
    // One refusal, one retry after retry-after (still inside the window), then it gives up.
    expect(writes.map((w) => w.refused)).toEqual([true, true]);
    expect(writes[1]!.at - writes[0]!.at).toBeGreaterThanOrEqual(990);
    closedUntil = 0;
  });

  it('the last request of the primary budget pauses every request until the reset', async () => {
    const gh = octokit('t0ken', { baseUrl: url, gate: new PauseGate() });
    reads.length = 0;
    refuseNext = 'primary';
    await gh.request('GET /repos/{owner}/{repo}/releases', { owner: 'o', repo: 'r' });
    await gh.request('GET /repos/{owner}/{repo}/releases', { owner: 'o', repo: 'r' });
    expect(reads).toHaveLength(2);
    expect(reads[1]!).toBeGreaterThanOrEqual(resetAt);
  });

  it('rateLimitOf follows GitHub’s order: retry-after, then the reset, then a minute', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    const err = (status: number, headers: Record<string, string>, message = '') => ({
      status,
      message,
      response: { headers, data: { message } },
    });
    expect(rateLimitOf(err(403, { 'retry-after': '3' }), true, now)).toEqual({ kind: 'secondary', scope: 'writes', waitMs: 3000 });
    expect(rateLimitOf(err(403, {}, 'You have exceeded a secondary rate limit'), false, now)).toEqual({
      kind: 'secondary',
      scope: 'all',
      waitMs: 60_000,
    });
    // The reset is measured on the server's clock (`date`), plus a second.
    const serverNow = now - 10_000;
    expect(
      rateLimitOf(
        err(403, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(serverNow / 1000 + 30),
          date: new Date(serverNow).toUTCString(),
        }),
        false,
        now,
      ),
    ).toEqual({ kind: 'primary', scope: 'all', waitMs: 31_000 });
    expect(rateLimitOf(err(403, {}, 'Resource not accessible by integration'), true, now)).toBeUndefined();
    expect(rateLimitOf(err(500, { 'retry-after': '1' }), true, now)).toBeUndefined();
  });

  it('says "connection reset" for a dropped connection, not HTTP 500', async () => {
    const gh = octokit('t0ken', { baseUrl: url });
    const e = await gh.request('GET /drop', { request: { retries: 0 } }).catch((x: unknown) => x);
    expect((e as { status?: number }).status).toBe(500);
    expect(connectionFailure(e)).toMatch(/^connection reset: the connection was closed before GitHub answered/);
    expect(connectionFailure({ status: 500, message: 'boom', response: { status: 500 } })).toBeUndefined();
  });
});
