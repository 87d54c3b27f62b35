/**
 * The GitHub API stand-in answers the endpoints goship uses with the shapes GitHub's OpenAPI
 * description documents, checks every request against it, and behaves like GitHub where it
 * matters to a release.
 */
import { octokit } from '@goship/core/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRepo } from '../src/fixtures.js';
import { GitHubApiStandIn } from '../src/github-api.js';
import { OpenApiChecker } from '../src/openapi.js';

let api: GitHubApiStandIn;
let checker: OpenApiChecker;
let head = '';
let first = '';
const o = { owner: 'goship-test', repo: 'hello' };

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
  it('serves every endpoint semver-release uses, and its traffic breaks nothing in the OpenAPI description', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
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
    const bytes = await gh.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      ...o,
      asset_id: up.data.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(bytes.data as unknown as ArrayBuffer).toString()).toBe('hello');
    await gh.paginate(gh.rest.repos.listReleases, { ...o, per_page: 100 });
    await gh.rest.repos.getRelease({ ...o, release_id: draft.data.id });
    await gh.rest.repos.updateRelease({ ...o, release_id: draft.data.id, name: 'v0.2.0', body: 'notes 2', prerelease: false });
    await gh.rest.repos.generateReleaseNotes({ ...o, tag_name: 'v0.2.0', target_commitish: head, previous_tag_name: 'v0.1.0' });
    await gh.rest.repos.updateRelease({
      ...o,
      release_id: draft.data.id,
      draft: false,
      target_commitish: head,
      make_latest: 'true',
      tag_name: 'v0.2.0',
    });
    await gh.rest.repos.getReleaseByTag({ ...o, tag: 'v0.2.0' });
    await gh.rest.git.createRef({ ...o, ref: 'refs/tags/v0', sha: first });
    await gh.rest.git.updateRef({ ...o, ref: 'tags/v0', sha: head, force: true });
    await gh.rest.git.getRef({ ...o, ref: 'tags/v0' });
    await gh.rest.repos.getCommit({ ...o, ref: head });
    await gh.rest.repos.compareCommitsWithBasehead({ ...o, basehead: `v0.1.0...${head}` });
    // Error bodies are checked too: a duplicate asset (422) and a missing release (404).
    const draft2 = await gh.rest.repos.createRelease({ ...o, tag_name: 'v0.3.0', draft: true });
    await gh.rest.repos.uploadReleaseAsset({ ...o, release_id: draft2.data.id, url: draft2.data.upload_url, name: 'b.txt', data: 'b' });
    await expect(
      gh.rest.repos.uploadReleaseAsset({ ...o, release_id: draft2.data.id, url: draft2.data.upload_url, name: 'b.txt', data: 'b' }),
    ).rejects.toMatchObject({ status: 422 });
    await gh.rest.repos.deleteReleaseAsset({ ...o, asset_id: up.data.id }).catch(() => undefined);
    await expect(gh.rest.repos.getReleaseByTag({ ...o, tag: 'v404.0.0' })).rejects.toMatchObject({ status: 404 });

    const statuses = api.log.filter((l) => l.status >= 400).map((l) => l.status);
    expect(statuses).toEqual([422, 404]);
    const routes = new Set(api.log.filter((l) => l.route).map((l) => `${l.method} ${l.route}`));
    expect(routes.size).toBe(15);
    expect(api.log.some((l) => l.host === 'uploads') && api.log.some((l) => l.host === 'downloads')).toBe(true);
    expect(api.violations).toEqual([]);
    // The after-the-fact checker agrees with the stand-in's own checks.
    expect(checker.checkAll(api.log)).toEqual([]);
  });

  it('catches a body that breaks the schema (the check itself can fail)', () => {
    const asset = { ...api.assetJson(api.seedAsset([...api.releases.keys()][0]!, 'x', Buffer.from('x'))) };
    delete asset.digest;
    expect(checker.check('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', 200, asset).join()).toMatch(/digest/);
  });

  it('refuses asset changes on a published immutable release', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    api.immutableReleases = true;
    try {
      const r = await gh.rest.repos.createRelease({ ...o, tag_name: 'v1.0.0', draft: false, target_commitish: head });
      expect(r.data.immutable).toBe(true);
      await expect(
        gh.rest.repos.uploadReleaseAsset({ ...o, release_id: r.data.id, url: r.data.upload_url, name: 'late.txt', data: 'x' }),
      ).rejects.toMatchObject({ status: 422 });
      expect(api.assetsOf(r.data.id)).toEqual([]);
    } finally {
      api.immutableReleases = false;
    }
  });
});
