/**
 * The hostile-input catalogue of semver-release, through the committed bundle: every case is
 * refused with an `::error::` naming the input, no stack, nothing written outside the workspace,
 * no refused file's content and no secret printed, and no request to the GitHub stand-in (nor to
 * the announcement webhook it serves).
 */
import { hashBytes } from '@goship/core/digest';
import { type GitRepo, actionDir, fixtureRepo } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { CANARIES, type HostileCase, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('semver-release');
let repo: GitRepo;
let api: GitHubApiStandIn;
let commit = '';

/** A case: inputs (over publish defaults with canary secrets), or a function of the workspace. */
type Case = Omit<HostileCase, 'inputs'> & {
  inputs: Record<string, string> | ((ws: HostileWorkspace) => Record<string, string> | Promise<Record<string, string>>);
};

const manifestWith = (artifactPath: string, version = '1.0.0') =>
  JSON.stringify({
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version,
    tag: `v${version}`,
    commit,
    commitTime: '2026-01-01T00:00:00Z',
    traceId: 't',
    artifacts: [{ kind: 'archive', name: 'hello.tar.gz', path: artifactPath, sha256: hashBytes('x') }],
  });

/** Writes `files` into the module of the case's workspace (relative paths). */
async function put(ws: HostileWorkspace, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.module, rel)), { recursive: true });
    await writeFile(path.join(ws.module, rel), content);
  }
}

const publish = (extra: Record<string, string>) => ({ command: 'publish', tag: 'v1.0.0', ...extra });
const long = 'ü'.repeat(3000);

const cases: Case[] = [
  // commands and kinds
  { name: 'an unknown command', input: 'command', inputs: { command: 'deploy' } },
  { name: 'a command with a shell tail', input: 'command', inputs: { command: 'publish; rm -rf /' } },
  { name: 'an unknown bump kind', input: 'bump', inputs: { bump: 'huge' } },
  { name: 'a bump that is a command substitution', input: 'bump', inputs: { bump: '$(id)' } },
  { name: 'breaking-pre-1 not minor or major', input: 'breaking-pre-1', inputs: { 'breaking-pre-1': 'patch' } },
  { name: 'prerelease neither auto, true nor false', input: 'prerelease', inputs: { prerelease: 'maybe' } },
  { name: 'make-latest that is not a choice', input: 'make-latest', inputs: { 'make-latest': 'always' } },
  { name: 'an unknown changelog kind', input: 'changelog', inputs: { changelog: 'markdown' } },
  { name: 'changelog-types with a stray item', input: 'changelog-types', inputs: { 'changelog-types': 'feat=Features, ; rm -rf x' } },
  { name: 'draft not a boolean', input: 'draft', inputs: { draft: 'yes please' } },
  { name: 'replace-mismatched not a boolean', input: 'replace-mismatched', inputs: publish({ 'replace-mismatched': 'sure' }) },
  { name: 'floating-tags with a tail', input: 'floating-tags', inputs: { 'floating-tags': 'true; false' } },
  // versions
  { name: 'a version with two parts', input: 'version', inputs: { version: '1.2' } },
  { name: 'a version with a leading dash', input: 'version', inputs: { version: '-1.0.0' } },
  { name: 'a version with a second line', input: 'version', inputs: { version: '1.0.0\n--exec=touch x' } },
  { name: 'a long unicode version', input: 'version', inputs: { version: long } },
  { name: 'a version too long for a tag', input: 'version', inputs: { version: `1.0.0-${'a'.repeat(250)}` } },
  { name: 'a version that disagrees with the tag', input: 'version', inputs: { tag: 'v1.0.0', version: '2.0.0' } },
  { name: 'an initial version that is a word', input: 'initial-version', inputs: { 'initial-version': 'one' } },
  { name: 'a numeric prerelease-id', input: 'prerelease-id', inputs: { 'prerelease-id': '1' } },
  { name: 'a prerelease-id with a command substitution', input: 'prerelease-id', inputs: { 'prerelease-id': '$(whoami)' } },
  // tags and prefixes
  { name: 'a tag with a shell tail', input: 'tag', inputs: { tag: 'v1.0.0; curl evil' } },
  { name: 'a tag that climbs', input: 'tag', inputs: { tag: '../../v1.0.0' } },
  { name: 'a tag with a leading dash', input: 'tag', inputs: { tag: '-v1.0.0' } },
  { name: 'a tag with a unicode override', input: 'tag', inputs: { tag: 'v1.0.0\u202e' } },
  { name: 'a long tag', input: 'tag', inputs: { tag: `v1.0.0-${'b'.repeat(300)}` } },
  {
    name: 'a hostile tag in GITHUB_REF',
    input: 'tag (from GITHUB_REF)',
    inputs: { command: 'plan' },
    env: { GITHUB_REF: 'refs/tags/v$(id)' },
  },
  { name: 'a prefix that is a dash', input: 'tag-prefix', inputs: { 'tag-prefix': '-' } },
  { name: 'a prefix with a command substitution', input: 'tag-prefix', inputs: { 'tag-prefix': '$(id)/v' } },
  { name: 'a prefix that climbs', input: 'tag-prefix', inputs: { 'tag-prefix': '../v' } },
  { name: 'a unicode prefix', input: 'tag-prefix', inputs: { 'tag-prefix': 'ünï/v' } },
  { name: 'a prefix ending in a digit', input: 'tag-prefix', inputs: { 'tag-prefix': 'v2' } },
  // refs and repositories
  {
    name: 'a target-commitish that is a git option',
    input: 'target-commitish',
    inputs: { 'target-commitish': '--upload-pack=touch /tmp/x' },
  },
  { name: 'a target-commitish range', input: 'target-commitish', inputs: { 'target-commitish': 'main..HEAD' } },
  {
    name: 'a target-commitish the checkout lacks',
    input: 'target-commitish',
    inputs: { command: 'tag', 'target-commitish': 'no-such-branch' },
  },
  { name: 'a repository that climbs', input: 'repository', inputs: publish({ repository: '../other' }) },
  { name: 'a repository with three parts', input: 'repository', inputs: publish({ repository: 'owner/repo/releases' }) },
  { name: 'a repository owner with a leading dash', input: 'repository', inputs: publish({ repository: '-x/y' }) },
  { name: 'a repository named ..', input: 'repository', inputs: publish({ repository: 'owner/..' }) },
  { name: 'a hostile GITHUB_REPOSITORY', input: 'GITHUB_REPOSITORY', inputs: publish({}), env: { GITHUB_REPOSITORY: 'o/../../admin' } },
  // numbers
  { name: 'max-concurrency 0', input: 'max-concurrency', inputs: publish({ 'max-concurrency': '0' }) },
  { name: 'max-concurrency in exponent form', input: 'max-concurrency', inputs: publish({ 'max-concurrency': '1e9' }) },
  { name: 'a negative max-concurrency', input: 'max-concurrency', inputs: publish({ 'max-concurrency': '-3' }) },
  { name: 'a huge max-concurrency', input: 'max-concurrency', inputs: publish({ 'max-concurrency': '9'.repeat(40) }) },
  // working-directory
  { name: 'a working-directory that climbs into the trap', input: 'working-directory', inputs: { 'working-directory': '../../trap' } },
  { name: 'an absolute working-directory', input: 'working-directory', inputs: { 'working-directory': '/etc' } },
  { name: 'a working-directory through a symlink out', input: 'working-directory', inputs: { 'working-directory': 'trap-link' } },
  { name: 'a working-directory that does not exist', input: 'working-directory', inputs: { 'working-directory': 'no-such-folder' } },
  { name: 'a working-directory that is a file', input: 'working-directory', inputs: { 'working-directory': 'go.mod' } },
  // RUNNER_TEMP is an allowed place, but no checkout.
  {
    name: 'a working-directory that is not a git checkout',
    input: 'working-directory',
    inputs: (ws) => ({ 'working-directory': ws.runnerTemp }),
  },
  // manifests
  { name: 'a manifest that climbs into the trap', input: 'manifest', inputs: publish({ manifest: '../../trap/passwd' }) },
  { name: 'an absolute manifest', input: 'manifest', inputs: publish({ manifest: '/etc/passwd' }) },
  { name: 'a manifest through a symlink out', input: 'manifest', inputs: publish({ manifest: 'trap-link/passwd' }) },
  {
    name: 'a manifest that is not JSON (never quoted)',
    input: 'manifest',
    inputs: async (ws) => (await put(ws, { 'release/notes.txt': 'TRAPCONTENT and more' }), publish({ manifest: 'release/notes.txt' })),
  },
  {
    name: 'a manifest entry that climbs into the trap',
    input: 'manifest',
    inputs: async (ws) => (await put(ws, { 'release/m.json': manifestWith('../../trap/passwd') }), publish({ manifest: 'release/m.json' })),
  },
  {
    name: 'a manifest entry through a symlink out',
    input: 'manifest',
    inputs: async (ws) => (await put(ws, { 'release/m.json': manifestWith('trap-link/passwd') }), publish({ manifest: 'release/m.json' })),
  },
  {
    name: 'a manifest entry with an absolute path',
    input: 'manifest',
    inputs: async (ws) => (
      await put(ws, { 'release/m.json': manifestWith(path.join(ws.trap, 'passwd')) }),
      publish({ manifest: 'release/m.json' })
    ),
  },
  {
    name: 'a manifest of another version',
    input: 'manifest',
    inputs: async (ws) => (
      await put(ws, { 'release/x.tar.gz': 'x', 'release/m.json': manifestWith('release/x.tar.gz', '0.9.0') }),
      publish({ manifest: 'release/m.json' })
    ),
  },
  // files
  { name: 'files with an absolute path', input: 'files', inputs: publish({ files: '/etc/passwd' }) },
  { name: 'files that climb into the trap', input: 'files', inputs: publish({ files: '../../trap/*' }) },
  { name: 'files through a symlink out', input: 'files', inputs: publish({ files: 'trap-link/*' }) },
  { name: 'files that match nothing', input: 'files', inputs: publish({ files: '*.nothing' }) },
  { name: 'files that are a command substitution', input: 'files', inputs: publish({ files: '$(touch pwned)' }) },
  {
    name: 'files behind a symlink to the trap inside the module',
    input: 'files',
    inputs: async (ws) => {
      await mkdir(path.join(ws.module, 'assets'), { recursive: true });
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'assets', 'passwd'));
      return publish({ files: 'assets/*' });
    },
  },
  // secrets
  { name: 'a token with a line break', input: 'token', inputs: publish({ token: `${CANARIES.token}\nsecond-line` }) },
  { name: 'a token with a carriage return', input: 'token', inputs: publish({ token: `${CANARIES.token}\r` + 'x' }) },
  { name: 'no token for publish', input: 'token', inputs: publish({ token: '' }) },
  { name: 'a token that is an unexpanded expression', input: 'token', inputs: publish({ token: '${{ secrets.NOPE }}' }) },
  {
    name: 'a webhook with a line break',
    input: 'announce-webhook',
    inputs: publish({ 'announce-webhook': `${CANARIES.webhook}\nX-Evil: 1` }),
  },
  {
    name: 'a webhook that is not http(s)',
    input: 'announce-webhook',
    inputs: publish({ 'announce-webhook': 'ftp://hooks.example.invalid/CANARYwebhookCCCC' }),
  },
  { name: 'a javascript: webhook', input: 'announce-webhook', inputs: publish({ 'announce-webhook': `javascript:${CANARIES.webhook}` }) },
  {
    name: 'a webhook with credentials in it',
    input: 'announce-webhook',
    inputs: publish({ 'announce-webhook': `https://user:${CANARIES.password}@hooks.example.invalid/x` }),
  },
];

beforeAll(async () => {
  repo = await fixtureRepo('hello', { history: [{ message: 'feat: greet', tag: 'v1.0.0' }, { message: 'fix: spacing' }] });
  commit = await repo.git('rev-parse', 'v1.0.0^{commit}');
  api = await GitHubApiStandIn.start();
  await api.seedFromGit(repo.dir);
}, 120_000);
afterAll(() => api?.close());

describe('semver-release refuses hostile input', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ws = await hostileWorkspace(repo.dir);
    const inputs = typeof c.inputs === 'function' ? await c.inputs(ws) : c.inputs;
    const verdict = await runHostile(
      dir,
      ws,
      {
        name: c.name,
        input: c.input,
        // Every case carries the canary secrets, so any leak shows.
        inputs: { token: CANARIES.token, 'announce-webhook': CANARIES.webhook, ...inputs },
        env: { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'goship-test/hello', GITHUB_REF: '', ...c.env },
      },
      { requests: () => api.counters.requests + api.webhooks.length },
    );
    expect(verdict.problems, verdict.result.log).toEqual([]);
  });
});
