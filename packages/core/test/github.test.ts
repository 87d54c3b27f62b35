import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokit, parseRepo, refTag, traceId } from '../src/github.js';

let server: http.Server;
let base = '';
const seen: string[] = [];
let failures = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
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
