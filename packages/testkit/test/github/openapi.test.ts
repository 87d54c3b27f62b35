/**
 * Requests are judged by GitHub's OpenAPI description: a route GitHub does not have, a wrong
 * host, parameters or bodies that break their schemas are recorded as violations, and a body
 * GitHub would refuse is refused the way GitHub does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenApi } from '../../src/github/openapi.js';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

let api: GitHubApiStandIn;
const R = '/repos/goship-test/hello';
const auth = { authorization: 'token test-token' };

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  api = await GitHubApiStandIn.start();
  api.addCommit({ sha: 'c'.repeat(40), parents: [], message: 'x', author: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' });
});
beforeEach(() => api.clearViolations());
afterAll(() => api?.close());

describe('request checks', () => {
  it('refuses a body whose type breaks the schema, as GitHub does, and changes nothing', async () => {
    const r = await call(api.url, 'POST', `${R}/releases`, { tag_name: 'v1.0.0', draft: 'yes' });
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(`Invalid request.\n\nFor 'properties/draft', "yes" is not a boolean.`);
    expect(api.releaseByTag('v1.0.0')).toEqual([]);
    expect(api.violations).toMatchObject([{ where: 'request', method: 'POST', route: '/repos/{owner}/{repo}/releases' }]);
    expect(api.violations[0]!.problems.join()).toMatch(/draft.*boolean/);
  });

  it('names a missing required field', async () => {
    const r = await call(api.url, 'POST', `${R}/git/refs`, { ref: 'refs/heads/x' });
    expect(r).toMatchObject({ status: 422, json: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } });
    expect(api.refs.has('refs/heads/x')).toBe(false);
  });

  it('refuses an enum value outside the schema (make_latest is a string enum, not a boolean)', async () => {
    const rel = api.seedRelease('v1.1.0', { target: 'c'.repeat(40) });
    const r = await call(api.url, 'PATCH', `${R}/releases/${rel.id}`, { draft: false, make_latest: true });
    expect(r.status).toBe(422);
    expect(rel.draft).toBe(true);
    expect(api.violations[0]!.problems.join()).toMatch(/make_latest/);
  });

  it('records parameters that break their schemas and query parameters GitHub does not take', async () => {
    expect((await call(api.url, 'GET', `${R}/releases?per_page=lots&page=2`)).status).toBe(200);
    expect((await call(api.url, 'GET', `${R}/releases?prerelease=true`)).status).toBe(200);
    expect((await call(api.url, 'GET', `${R}/releases/latest-one`)).status).toBe(404);
    const problems = api.violations.flatMap((v) => v.problems);
    expect(problems).toEqual([
      expect.stringMatching(/^query parameter per_page="lots": .*integer/),
      'query parameter prerelease is not documented',
      expect.stringMatching(/^path parameter release_id="latest-one": .*integer/),
    ]);
  });

  it('answers 404 for a route GitHub does not have, and says which methods it does have', async () => {
    expect((await call(api.url, 'GET', `${R}/releasez`)).status).toBe(404);
    expect((await call(api.url, 'PUT', `${R}/releases`, {})).status).toBe(404);
    expect(api.violations.map((v) => [v.where, v.problems.join()])).toEqual([
      ['route', `GET ${R}/releasez is not a GitHub API route`],
      ['route', `PUT ${R}/releases: GitHub documents only GET, POST here`],
    ]);
  });

  it('keeps uploads off the API host and the API off the uploads host', async () => {
    const rel = api.seedRelease('v1.2.0');
    const onApi = await call(api.url, 'POST', `${R}/releases/${rel.id}/assets?name=a.txt`, Buffer.from('a'), {
      'content-type': 'text/plain',
    });
    expect(onApi.status).toBe(404);
    expect((await call(api.uploadsUrl, 'GET', `${R}/releases`)).status).toBe(404);
    expect(api.assetsOf(rel.id)).toEqual([]);
    expect(api.violations.map((v) => [v.host, v.where])).toEqual([
      ['api', 'host'],
      ['uploads', 'host'],
    ]);
    // The documented host takes it.
    const ok = await call(api.uploadsUrl, 'POST', `${R}/releases/${rel.id}/assets?name=a.txt`, Buffer.from('a'), {
      'content-type': 'text/plain',
    });
    expect(ok).toMatchObject({ status: 201, json: { name: 'a.txt', state: 'uploaded' } });
    expect(api.violations).toHaveLength(2);
  });

  it('records an upload without Content-Type', async () => {
    const rel = api.seedRelease('v1.3.0');
    const res = await fetch(`${api.uploadsUrl}${R}/releases/${rel.id}/assets?name=b.bin`, {
      method: 'POST',
      headers: auth,
      body: Buffer.from('b'),
    });
    await res.arrayBuffer();
    expect(api.violations.flatMap((v) => v.problems)).toEqual(['an upload needs a Content-Type header']);
  });

  it('answers malformed JSON with 400 "Problems parsing JSON"', async () => {
    const res = await fetch(`${api.url}${R}/releases`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('Problems parsing JSON');
  });
});

describe('response checks', () => {
  it('accept the starter state GitHub documents in prose, and nothing else outside the enum', async () => {
    const spec = await OpenApi.load();
    const route = '/repos/{owner}/{repo}/releases/assets/{asset_id}';
    const starter = api.assetJson(api.seedAsset(api.seedRelease('v2.0.0').id, 'broken.tar.gz', Buffer.alloc(0), 'starter'));
    expect(spec.checkResponse('GET', route, 200, starter)).toEqual([]);
    expect(spec.checkResponse('GET', route, 200, { ...starter, state: 'broken' }).join()).toMatch(/state/);
    expect(spec.checkResponse('GET', route, 201, starter)).toEqual([`GET ${route} does not document status 201`]);
  });
});
