/**
 * Asset names as GitHub stores them, on their own and through an upload: the stored name comes
 * back in the answer, and a second upload whose name normalises to an existing one is refused.
 */
import { octokit } from '@goship/core/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubAssetName } from '../../src/github/asset-name.js';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

describe('githubAssetName', () => {
  it.each([
    // the review's cases
    ['hello 1.0.0~x (copy).txt', 'hello.1.0.0.x.copy.txt'],
    // observed on GitHub (issues of softprops/action-gh-release, travis-ci/dpl, tauri-action)
    ['.config', 'default.config'],
    ['.notes', 'default.notes'],
    ['😀.pdf', 'default.pdf'],
    ['appName(x64)_1.0.0.msi', 'appName.x64._1.0.0.msi'],
    ['tobwen-1.1.0-1~buster_amd64.deb', 'tobwen-1.1.0-1.buster_amd64.deb'],
    ['The Brain.js', 'The.Brain.js'],
    ['a5_ð_æ_©_ŋ.txt', 'a5_d_ae_._ng.txt'],
    ['a5_żółw.txt', 'a5_zolw.txt'],
    // runs collapse, trailing periods go, safe names stay as they are
    ['a  [b]  c.tar.gz', 'a.b.c.tar.gz'],
    ['notes.', 'notes'],
    ['hello_1.4.0_linux_amd64.tar.gz', 'hello_1.4.0_linux_amd64.tar.gz'],
    ['hello-1.0.0+build.7_arm64.deb', 'hello-1.0.0+build.7_arm64.deb'],
  ])('%s → %s', (given, stored) => {
    expect(githubAssetName(given)).toBe(stored);
  });
});

describe('uploads store the normalised name', () => {
  let api: GitHubApiStandIn;
  beforeAll(async () => {
    api = await GitHubApiStandIn.start();
  });
  afterAll(() => api?.close());

  it('answers with the stored name, keeps the requested one, and refuses a name that normalises to an existing one', async () => {
    const gh = octokit('test-token', { baseUrl: api.url });
    const o = { owner: 'goship-test', repo: 'hello' };
    const rel = api.seedRelease('v1.0.0');
    const up = (name: string) =>
      gh.rest.repos.uploadReleaseAsset({ ...o, release_id: rel.id, url: api.releaseJson(rel).upload_url as string, name, data: 'x' });
    const first = await up('hello 1.0.0~x (copy).txt');
    expect(first.data.name).toBe('hello.1.0.0.x.copy.txt');
    expect(api.assetsOf(rel.id).map((a) => [a.name, a.requestedName])).toEqual([['hello.1.0.0.x.copy.txt', 'hello 1.0.0~x (copy).txt']]);
    // A re-run asking for the same local name collides with what GitHub stored.
    await expect(up('hello 1.0.0~x (copy).txt')).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] } },
    });
    await expect(up('hello.1.0.0.x.copy.txt')).rejects.toMatchObject({ status: 422 });
    await up('.notes');
    expect(api.assetsOf(rel.id).map((a) => a.name)).toEqual(['hello.1.0.0.x.copy.txt', 'default.notes']);
    expect(api.violations).toEqual([]);
  });
});
