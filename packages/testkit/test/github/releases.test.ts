/**
 * Releases as GitHub keeps them: concurrent drafts for one tag, one published release per tag,
 * drafts listed first and only to writers, get-by-tag without drafts; uploads on their own host
 * and downloads redirected to a third one.
 */
import { octokit } from '@goship/core/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

const o = { owner: 'goship-test', repo: 'hello' };
const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
let api: GitHubApiStandIn;

beforeEach(async () => {
  api = await GitHubApiStandIn.start();
  api.addCommit({ sha: OLD, parents: [], message: 'feat: a', author: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' });
  api.addCommit({ sha: NEW, parents: [OLD], message: 'feat: b', author: 'a', email: 'a@b', date: '2026-02-01T00:00:00Z' });
  api.refs.set('refs/heads/main', NEW);
});
afterEach(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

describe('drafts and tags', () => {
  it('two runs racing for one tag: two drafts, the second publish is refused with already_exists', async () => {
    // Two runs, two clients: each finds no release and creates a draft.
    const [gh, other] = [octokit('test-token', { baseUrl: api.url }), octokit('test-token', { baseUrl: api.url })];
    const [a, b] = await Promise.all([
      gh.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', draft: true, target_commitish: NEW }),
      other.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', draft: true, target_commitish: NEW }),
    ]);
    expect(api.tagView('v1.0.0').map((r) => r.draft)).toEqual([true, true]);
    // get-by-tag never returns a draft.
    await expect(gh.rest.repos.getReleaseByTag({ ...o, tag: 'v1.0.0' })).rejects.toMatchObject({ status: 404 });
    await gh.rest.repos.updateRelease({ ...o, release_id: a.data.id, draft: false });
    await expect(gh.rest.repos.updateRelease({ ...o, release_id: b.data.id, draft: false })).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] } },
    });
    expect(api.releases.get(b.data.id)).toMatchObject({ draft: true, publishCount: 0 });
    expect((await gh.rest.repos.getReleaseByTag({ ...o, tag: 'v1.0.0' })).data.id).toBe(a.data.id);
    expect(api.orphanDrafts().map((r) => r.id)).toEqual([b.data.id]);
    // Creating it published again is refused the same way.
    await expect(gh.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', draft: false })).rejects.toMatchObject({ status: 422 });
    expect(api.releaseByTag('v1.0.0')).toHaveLength(2);
  });

  it('lists drafts first (newest first), then published releases by the date of their commit; readers see no drafts', async () => {
    const published = api.seedRelease('v0.9.0', { draft: true, target: OLD });
    const later = api.seedRelease('v0.8.0', { draft: true, target: NEW });
    const d1 = api.seedRelease('v1.0.0');
    const d2 = api.seedRelease('v1.0.0');
    const gh = octokit('test-token', { baseUrl: api.url });
    // Published in the opposite order of their commits: the list follows the commits.
    await gh.rest.repos.updateRelease({ ...o, release_id: later.id, draft: false });
    await gh.rest.repos.updateRelease({ ...o, release_id: published.id, draft: false });
    const all = await gh.paginate(gh.rest.repos.listReleases, { ...o, per_page: 2 });
    expect(all.map((r) => r.id)).toEqual([d2.id, d1.id, later.id, published.id]);
    expect(all.find((r) => r.id === later.id)?.created_at).toBe('2026-02-01T00:00:00Z');

    api.contents = 'read';
    const seen = await gh.paginate(gh.rest.repos.listReleases, { ...o, per_page: 100 });
    expect(seen.map((r) => r.id)).toEqual([later.id, published.id]);
    await expect(gh.rest.repos.getRelease({ ...o, release_id: d1.id })).rejects.toMatchObject({ status: 404 });
  });

  it('publishing creates the tag at target_commitish when it does not exist, and latest follows make_latest', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const r = await gh.rest.repos.createRelease({ ...o, tag_name: 'v2.0.0', target_commitish: OLD, make_latest: 'false' });
    expect(api.refs.get('refs/tags/v2.0.0')).toBe(OLD);
    expect(api.latestReleaseId).toBeUndefined();
    await gh.rest.repos.updateRelease({ ...o, release_id: r.data.id, make_latest: 'true' });
    expect((await gh.rest.repos.getLatestRelease(o)).data.id).toBe(r.data.id);
  });
});

describe('hosts', () => {
  it('upload_url points at the uploads host; an asset download redirects to a signed URL on a third host', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const rel = await gh.rest.repos.createRelease({ ...o, tag_name: 'v3.0.0', draft: true });
    expect(rel.data.upload_url.startsWith(`${api.uploadsUrl}/repos/goship-test/hello/releases/${rel.data.id}/assets`)).toBe(true);
    const up = await gh.rest.repos.uploadReleaseAsset({
      ...o,
      release_id: rel.data.id,
      url: rel.data.upload_url,
      name: 'a.bin',
      data: 'bytes of a',
    });
    expect(api.counters.byHost).toMatchObject({
      api: { requests: 1, mutations: 1 },
      uploads: { requests: 1, mutations: 1, bytesReceived: 10 },
    });

    const auth = { authorization: 'token test-token', accept: 'application/octet-stream' };
    const redirect = await fetch(`${api.url}/repos/goship-test/hello/releases/assets/${up.data.id}`, { headers: auth, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location.startsWith(`${api.downloadsUrl}/`)).toBe(true);
    // fetch drops Authorization on a redirect to another origin; the signed URL is the credential.
    const followed = await fetch(`${api.url}/repos/goship-test/hello/releases/assets/${up.data.id}`, { headers: auth });
    expect([followed.status, await followed.text()]).toEqual([200, 'bytes of a']);
    const both = await fetch(location, { headers: { authorization: 'token test-token' } });
    expect([both.status, await both.text()]).toEqual([400, expect.stringContaining('Only one auth mechanism allowed')]);
    // another signature (its first character changed, so never the same one)
    const forged = location.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    expect(forged).not.toBe(location);
    expect((await fetch(forged)).status).toBe(403);
    expect(api.counters.byHost.downloads).toMatchObject({ requests: 3, bytesSent: expect.any(Number) });
  });

  it('a starter asset has nothing to download', async () => {
    const rel = api.seedRelease('v3.1.0');
    const a = api.seedAsset(rel.id, 'x.bin', Buffer.alloc(0), 'starter');
    const res = await fetch(api.downloadUrl(api.main, a.id));
    expect(res.status).toBe(404);
  });
});
