/**
 * A second repository (a Homebrew tap) served by the same stand-in: files read and written
 * through the contents API with GitHub's sha checks, branches through git refs, and a pull
 * request from the bump branch; every commit the API made is counted.
 */
import { octokit } from '@goship/core/github';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

const tap = { owner: 'goship-test', repo: 'homebrew-tap' };
const FORMULA = 'Formula/hello.rb';
const v1 = 'class Hello < Formula\n  version "1.0.0"\nend\n';
const v2 = 'class Hello < Formula\n  version "1.1.0"\nend\n';
let api: GitHubApiStandIn;
let gh: ReturnType<typeof octokit>;

beforeAll(async () => {
  api = await GitHubApiStandIn.start();
  api.addRepository(tap.owner, tap.repo);
  api.seedFiles('main', { [FORMULA]: v1, 'README.md': '# tap\n' }, { repo: `${tap.owner}/${tap.repo}` });
  gh = octokit('test-token', { baseUrl: api.url });
});
afterAll(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
});

const tapRepo = () => api.repository(tap.owner, tap.repo)!;
const gitBlobSha = (text: string) => execFileSync('git', ['hash-object', '--stdin'], { input: text, encoding: 'utf8' }).trim();
const errorOf = async (p: Promise<unknown>) =>
  p.then(
    () => ({ status: 0, message: 'resolved' }),
    (e: { status: number; response: { data: { message: string } } }) => ({ status: e.status, message: e.response.data.message }),
  );

describe('contents API', () => {
  it('reads a file as wrapped base64 with the blob sha git computes', async () => {
    const r = await gh.rest.repos.getContent({ ...tap, path: FORMULA });
    const file = r.data as { type: string; content: string; encoding: string; sha: string; size: number };
    expect(file).toMatchObject({ type: 'file', encoding: 'base64', size: Buffer.byteLength(v1) });
    expect(Buffer.from(file.content, 'base64').toString()).toBe(v1);
    expect(file.sha).toBe(gitBlobSha(v1));
    const dir = await gh.rest.repos.getContent({ ...tap, path: 'Formula' });
    expect((dir.data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([['hello.rb', 'file']]);
    await expect(gh.rest.repos.getContent({ ...tap, path: 'Formula/nope.rb' })).rejects.toMatchObject({ status: 404 });
  });

  it('updates a file only with the sha it replaces: missing → 422, different → 409, right → 200 and one commit', async () => {
    const content = Buffer.from(v2).toString('base64');
    const before = tapRepo().refs.get('refs/heads/main')!;
    expect(await errorOf(gh.rest.repos.createOrUpdateFileContents({ ...tap, path: FORMULA, message: 'hello 1.1.0', content }))).toEqual({
      status: 422,
      message: 'Invalid request.\n\n"sha" wasn\'t supplied.',
    });
    const stale = gitBlobSha('something else\n');
    expect(
      await errorOf(gh.rest.repos.createOrUpdateFileContents({ ...tap, path: FORMULA, message: 'hello 1.1.0', content, sha: stale })),
    ).toEqual({
      status: 409,
      message: `${FORMULA} does not match ${stale}`,
    });
    expect(tapRepo().createdCommits).toEqual([]);
    const ok = await gh.rest.repos.createOrUpdateFileContents({
      ...tap,
      path: FORMULA,
      message: 'hello 1.1.0',
      content,
      sha: gitBlobSha(v1),
    });
    expect(ok.status).toBe(200);
    expect(ok.data.content?.sha).toBe(gitBlobSha(v2));
    expect(ok.data.commit.parents?.map((p) => p.sha)).toEqual([before]);
    expect(tapRepo().refs.get('refs/heads/main')).toBe(ok.data.commit.sha);
    expect(tapRepo().createdCommits).toEqual([ok.data.commit.sha]);
    expect(api.counters.commitsCreated).toBe(1);
    // The main repository is untouched.
    expect(api.main.createdCommits).toEqual([]);
  });

  it('creates a new file whatever sha is given (201), on an existing branch only (404)', async () => {
    const content = Buffer.from('bucket\n').toString('base64');
    const r = await gh.rest.repos.createOrUpdateFileContents({
      ...tap,
      path: 'bucket/hello.json',
      message: 'add',
      content,
      sha: 'f'.repeat(40),
    });
    expect(r.status).toBe(201);
    expect(
      await errorOf(gh.rest.repos.createOrUpdateFileContents({ ...tap, path: 'x.txt', message: 'add', content, branch: 'nope' })),
    ).toEqual({
      status: 404,
      message: 'Branch nope not found',
    });
  });
});

describe('refs and pull requests', () => {
  it('branches from main, commits on the branch, opens one pull request and refuses a second', async () => {
    const main = tapRepo().refs.get('refs/heads/main')!;
    await gh.rest.git.createRef({ ...tap, ref: 'refs/heads/bump-hello', sha: main });
    await expect(gh.rest.git.createRef({ ...tap, ref: 'refs/heads/bump-hello', sha: main })).rejects.toMatchObject({ status: 422 });
    expect(await errorOf(gh.rest.pulls.create({ ...tap, title: 'hello 1.2.0', head: 'bump-hello', base: 'main' }))).toEqual({
      status: 422,
      message: 'Validation Failed',
    });
    const file = (await gh.rest.repos.getContent({ ...tap, path: FORMULA, ref: 'bump-hello' })).data as { sha: string };
    const commit = await gh.rest.repos.createOrUpdateFileContents({
      ...tap,
      path: FORMULA,
      branch: 'bump-hello',
      message: 'hello 1.2.0',
      content: Buffer.from(v2.replace('1.1.0', '1.2.0')).toString('base64'),
      sha: file.sha,
    });
    expect(tapRepo().refs.get('refs/heads/main')).toBe(main);
    // A non-fast-forward move is refused unless forced.
    await expect(gh.rest.git.updateRef({ ...tap, ref: 'heads/bump-hello', sha: main })).rejects.toMatchObject({ status: 422 });

    const pr = await gh.rest.pulls.create({ ...tap, title: 'hello 1.2.0', head: 'bump-hello', base: 'main', body: 'bump' });
    expect(pr.data).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'bump-hello', sha: commit.data.commit.sha },
      base: { ref: 'main', sha: main },
      commits: 1,
    });
    const again = await errorOf(gh.rest.pulls.create({ ...tap, title: 'hello 1.2.0', head: 'goship-test:bump-hello', base: 'main' }));
    expect(again.status).toBe(422);
    const listed = await gh.paginate(gh.rest.pulls.list, { ...tap, head: 'goship-test:bump-hello', state: 'open' });
    expect(listed.map((p) => p.number)).toEqual([1]);
    expect(await gh.paginate(gh.rest.pulls.list, { ...tap, state: 'closed' })).toEqual([]);
    expect(api.counters.pullsCreated).toBe(1);
    expect(tapRepo().pulls).toHaveLength(1);
  });
});
