/**
 * The GitHub API stand-in answers the endpoints semver-release uses with the shapes GitHub's
 * OpenAPI description documents, and behaves like GitHub where it matters to a release.
 */
import { octokit } from '@goship/core/github';
import { fixtureRepo } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { OpenApiChecker } from '@goship/testkit/openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let api: GitHubApiStandIn;
let checker: OpenApiChecker;
let head = '';
let first = '';

beforeAll(async () => {
  const repo = await fixtureRepo('hello', {
    history: [{ message: 'feat: greet (#3)', tag: 'v0.1.0' }, { message: 'fix: spacing' }],
  });
  first = await repo.git('rev-parse', 'v0.1.0');
  head = await repo.head();
  api = await GitHubApiStandIn.start();
  await api.seedFromGit(repo.dir);
  checker = await OpenApiChecker.load();
}, 60_000);
afterAll(() => api?.close());

describe('GitHub API stand-in', () => {
  it('serves every endpoint semver-release uses with bodies that match the OpenAPI description', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const o = { owner: 'goship-test', repo: 'hello' };
    const draft = await gh.rest.repos.createRelease({ ...o, tag_name: 'v0.2.0', name: 'v0.2.0', body: 'notes', draft: true });
    const up = await gh.rest.repos.uploadReleaseAsset({
      ...o,
      release_id: draft.data.id,
      url: draft.data.upload_url,
      name: 'a.txt',
      data: 'hello' as unknown as string,
      headers: { 'content-type': 'text/plain' },
    });
    expect(up.data.digest).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    await gh.paginate(gh.rest.repos.listReleaseAssets, { ...o, release_id: draft.data.id, per_page: 100 });
    await gh.rest.repos.getReleaseAsset({ ...o, asset_id: up.data.id });
    await gh.paginate(gh.rest.repos.listReleases, { ...o, per_page: 100 });
    await gh.rest.repos.getRelease({ ...o, release_id: draft.data.id });
    await gh.rest.repos.generateReleaseNotes({ ...o, tag_name: 'v0.2.0', target_commitish: head, previous_tag_name: 'v0.1.0' });
    await gh.rest.repos.updateRelease({ ...o, release_id: draft.data.id, draft: false, target_commitish: head, make_latest: 'true' });
    await gh.rest.repos.getReleaseByTag({ ...o, tag: 'v0.2.0' });
    await gh.rest.git.createRef({ ...o, ref: 'refs/tags/v0', sha: first });
    await gh.rest.git.updateRef({ ...o, ref: 'tags/v0', sha: head, force: true });
    await gh.rest.git.getRef({ ...o, ref: 'tags/v0' });
    await gh.rest.repos.getCommit({ ...o, ref: head });
    await gh.rest.repos.compareCommitsWithBasehead({ ...o, basehead: `v0.1.0...${head}` });
    await gh.rest.repos.deleteReleaseAsset({ ...o, asset_id: up.data.id });
    // Error bodies are checked too: a duplicate asset (422) and a missing release (404).
    await gh.rest.repos.uploadReleaseAsset({ ...o, release_id: draft.data.id, url: draft.data.upload_url, name: 'b.txt', data: 'b' });
    await expect(
      gh.rest.repos.uploadReleaseAsset({ ...o, release_id: draft.data.id, url: draft.data.upload_url, name: 'b.txt', data: 'b' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(gh.rest.repos.getReleaseByTag({ ...o, tag: 'v404.0.0' })).rejects.toMatchObject({ status: 404 });
    expect(api.log.filter((l) => l.status >= 400).map((l) => l.status)).toEqual([422, 404]);

    const routes = new Set(api.log.map((l) => `${l.method} ${l.route}`));
    expect(routes.size).toBeGreaterThanOrEqual(14);
    expect(checker.checkAll(api.log)).toEqual([]);
  });

  it('catches a body that breaks the schema (the check itself can fail)', () => {
    const asset = { ...api.assetJson(api.seedAsset([...api.releases.keys()][0]!, 'x', Buffer.from('x'))) };
    delete asset.digest;
    expect(checker.check('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', 200, asset).join()).toMatch(/digest/);
  });

  it('omits drafts from get-by-tag but lists them, like GitHub', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const o = { owner: 'goship-test', repo: 'hello' };
    await gh.rest.repos.createRelease({ ...o, tag_name: 'v9.9.9', draft: true });
    await expect(gh.rest.repos.getReleaseByTag({ ...o, tag: 'v9.9.9' })).rejects.toMatchObject({ status: 404 });
    const all = await gh.paginate(gh.rest.repos.listReleases, { ...o, per_page: 1 });
    expect(all.map((r) => r.tag_name)).toContain('v9.9.9');
  });

  it('refuses asset changes on a published immutable release', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const o = { owner: 'goship-test', repo: 'hello' };
    api.immutableReleases = true;
    try {
      const r = await gh.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', draft: false, target_commitish: head });
      expect(r.data.immutable).toBe(true);
      await expect(
        gh.rest.repos.uploadReleaseAsset({ ...o, release_id: r.data.id, url: r.data.upload_url, name: 'late.txt', data: 'x' }),
      ).rejects.toMatchObject({ status: 422 });
    } finally {
      api.immutableReleases = false;
    }
  });
});

describe('GitHub API stand-in faults', () => {
  it('refuses mutations over the secondary-limit window with retry-after, and counts them', async () => {
    const s = await GitHubApiStandIn.start({ secondaryRule: { limit: 2, windowMs: 60_000, retryAfter: 3, status: 429 } });
    try {
      const post = () =>
        fetch(`${s.url}/repos/goship-test/hello/releases`, {
          method: 'POST',
          headers: { authorization: 'token test-token', 'content-type': 'application/json' },
          body: JSON.stringify({ tag_name: 'v1.0.0', draft: true }),
        });
      const statuses: number[] = [];
      let third: Response | undefined;
      for (let i = 0; i < 3; i++) {
        const r = await post();
        statuses.push(r.status);
        if (i === 2) third = r;
        else await r.arrayBuffer();
      }
      expect(statuses).toEqual([201, 201, 429]);
      expect(third!.headers.get('retry-after')).toBe('3');
      expect(((await third!.json()) as { message: string }).message).toMatch(/secondary rate limit/);
      expect(s.counters).toMatchObject({ mutations: 3, secondaryLimited: 1, releasesCreated: 2 });
    } finally {
      await s.close();
    }
  });
});
