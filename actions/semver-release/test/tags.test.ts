import { parseSemVer } from '@goship/core/semver';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RepoApi, githubClient } from '../src/github-api.js';
import { createTag, floatingTagsFor, moveFloatingTags } from '../src/tags.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
let api: GitHubApiStandIn;
const gh = () => new RepoApi(githubClient('test-token', api.url), { owner: 'goship-test', repo: 'hello' });

beforeAll(async () => {
  api = await GitHubApiStandIn.start();
  api.addCommit({ sha: A, parents: [], message: 'feat: a', author: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' });
  api.addCommit({ sha: B, parents: [A], message: 'fix: b', author: 'a', email: 'a@b', date: '2026-01-02T00:00:00Z' });
});
afterEach(() => {
  api.clearFaults();
  expect(api.violations).toEqual([]);
});
afterAll(() => api?.close());

describe('floatingTagsFor', () => {
  it('moves v1 and v1.4 only when the release is the newest stable of each line', () => {
    const v = (s: string) => parseSemVer(s)!;
    expect(floatingTagsFor(v('1.4.2'), 'v', ['v1.4.1', 'v1.3.0'])).toEqual(['v1', 'v1.4']);
    expect(floatingTagsFor(v('1.4.2'), 'v', ['v1.5.0', 'v1.4.1'])).toEqual(['v1.4']);
    expect(floatingTagsFor(v('1.4.2'), 'v', ['v1.4.3'])).toEqual([]);
    expect(floatingTagsFor(v('2.0.0-rc.1'), 'v', [])).toEqual([]);
    expect(floatingTagsFor(v('0.3.0'), 'api/v', ['api/v0.2.0', 'v9.0.0'])).toEqual(['api/v0', 'api/v0.3']);
  });
});

describe('createTag', () => {
  it('creates, converges on a re-run, refuses a tag elsewhere', async () => {
    expect(await createTag(gh(), 'v1.0.0', A)).toBe('created');
    expect(await createTag(gh(), 'v1.0.0', A)).toBe('exists');
    await expect(createTag(gh(), 'v1.0.0', B)).rejects.toThrow(/already exists in goship-test\/hello at a{12}, not at b{12}.*never moved/);
  });

  it('a create whose answer was lost finds the tag it made', async () => {
    api.inject({ method: 'POST', path: '/git/refs', kind: 'reset-after' });
    expect(await createTag(gh(), 'v1.1.0', A)).toBe('exists');
    expect(api.refs.get('refs/tags/v1.1.0')).toBe(A);
  });

  it('a commit GitHub does not have is said so', async () => {
    await expect(createTag(gh(), 'v1.2.0', 'c'.repeat(40))).rejects.toThrow(/GitHub does not have the commit c{12}/);
  });
});

describe('moveFloatingTags', () => {
  it('creates, moves and leaves alone', async () => {
    api.refs.set('refs/tags/v2', A);
    api.refs.set('refs/tags/v2.1', B);
    expect(await moveFloatingTags(gh(), ['v2', 'v2.1', 'v2.2'], B)).toEqual({ v2: 'moved', 'v2.1': 'unchanged', 'v2.2': 'created' });
    expect([api.refs.get('refs/tags/v2'), api.refs.get('refs/tags/v2.2')]).toEqual([B, B]);
  });
});
