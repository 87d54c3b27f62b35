/**
 * The GitHub layer of semver-release: failures said for people (a lost answer is not "HTTP 500"),
 * deletes that find nothing left, and core's asset-name rule agreeing with the stand-in's model of
 * what GitHub stores.
 */
import { githubAssetName } from '@goship/core/asset-name';
import { GitHubApiStandIn, githubAssetName as standInName } from '@goship/testkit/github-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, RepoApi, apiError, githubClient } from '../src/github-api.js';

const repo = { owner: 'o', repo: 'r' };
const failure = (status: number, message: string, headers: Record<string, string> = {}, errors?: { code: string }[]) => ({
  status,
  message,
  response: { status, headers, data: { message, ...(errors ? { errors } : {}) } },
});

describe('apiError', () => {
  it('names the permission on a 403, the token on a 401, the repository on a 404', () => {
    expect(apiError(failure(403, 'Resource not accessible by integration'), 'creating the draft', repo).message).toMatch(
      /^The token may not write to o\/r \(403: Resource not accessible by integration\) while creating the draft\. Give the job `permissions: contents: write`/,
    );
    expect(apiError(failure(401, 'Bad credentials'), 'listing releases', repo).message).toMatch(
      /^GitHub refused the token \(401 Bad credentials\)/,
    );
    expect(apiError(failure(404, 'Not Found'), 'listing releases', repo).message).toMatch(
      /404 while listing releases in o\/r\. Check `repository:`/,
    );
  });

  it('a rate limit that outlasted the waits is said as one', () => {
    const e = apiError(failure(403, 'You have exceeded a secondary rate limit', { 'retry-after': '30' }), 'uploading a', repo);
    expect(e.message).toMatch(/^GitHub's rate limit was still exceeded after waiting as told while uploading a/);
  });

  it('a connection closed before an answer is a connection reset, not HTTP 500, and may be tried again', () => {
    const cause = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const e = apiError(Object.assign(new Error('other side closed'), { status: 500, cause }), 'uploading a.tar.gz', repo) as ApiError;
    expect(e.message).toMatch(
      /^GitHub did not answer while uploading a\.tar\.gz: connection reset: the connection was closed before GitHub answered/,
    );
    expect(e.message).not.toMatch(/HTTP 500/);
    expect(e).toMatchObject({ transient: true, status: undefined });
  });

  it('5xx is transient; a 422 carries its codes', () => {
    expect(apiError(failure(502, 'Bad Gateway'), 'x', repo)).toMatchObject({ transient: true, status: 502 });
    const e = apiError(failure(422, 'Validation Failed', {}, [{ code: 'already_exists' }]), 'x', repo) as ApiError;
    expect(e).toMatchObject({ transient: false, status: 422, codes: ['already_exists'] });
  });
});

describe('RepoApi against the stand-in', () => {
  let api: GitHubApiStandIn;
  beforeAll(async () => {
    api = await GitHubApiStandIn.start();
  });
  afterAll(() => api?.close());

  it('a delete of something already gone is not an error', async () => {
    const gh = new RepoApi(githubClient('test-token', api.url), { owner: 'goship-test', repo: 'hello' });
    const rel = api.seedRelease('v1.0.0');
    const asset = api.seedAsset(rel.id, 'a.txt', Buffer.from('a'));
    expect(await gh.deleteAsset(asset.id, 'deleting a')).toBe(true);
    expect(await gh.deleteAsset(asset.id, 'deleting a')).toBe(false);
    expect(await gh.deleteRelease(rel.id, 'deleting the draft')).toBe(true);
    expect(await gh.deleteRelease(rel.id, 'deleting the draft')).toBe(false);
    expect(api.violations).toEqual([]);
  });
});

describe("core's asset-name rule agrees with the stand-in's model of GitHub", () => {
  it('on the names of the reports and on 2000 generated ones', () => {
    const names = ['hello 1.0.0~x (copy).txt', '.notes', '😀.pdf', 'a5_ð_æ_©_ŋ.txt', 'x..y', '...', '', 'Straße.tar.gz', 'ÆØÅ.zip'];
    // A small deterministic generator over the characters that matter.
    const alphabet = [...'aZ09._-+ ~()[]!@#$%^&*=,;:\'"`|\\/?<>{}éüñßæøđþŋı😀\u0301\u202e\t'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = next() % 12; n >= 0; n--) s += alphabet[next() % alphabet.length];
      names.push(s);
    }
    const differ = names.filter((n) => githubAssetName(n) !== standInName(n));
    expect(differ).toEqual([]);
  });
});
