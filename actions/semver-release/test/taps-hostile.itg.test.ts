/**
 * The hostile-input catalogue of semver-release's tap and bucket inputs, through the committed
 * bundle: refused by name before any request, without a stack, a write outside the workspace or
 * the canary tokens (`token` and `tap-token`) in anything goship writes.
 */
import { actionDir, fixturesDir } from '@goship/testkit';
import { CANARIES, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('semver-release');
const TAP_CANARY = 'ghp_CANARYtapTokenEEEEEEEEEEEEEEEEEEEEEEEEE';

interface Case {
  name: string;
  input: string;
  inputs: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'a tap that is not OWNER/REPO', input: 'homebrew-tap', inputs: { 'homebrew-tap': 'homebrew-tap' } },
  { name: 'a tap URL instead of OWNER/REPO', input: 'homebrew-tap', inputs: { 'homebrew-tap': 'https://github.com/acme/homebrew-tap' } },
  { name: 'a tap with a path climbing out', input: 'homebrew-tap', inputs: { 'homebrew-tap': 'acme/../../repos/x' } },
  { name: 'a tap branch climbing out', input: 'homebrew-tap', inputs: { 'homebrew-tap': 'acme/homebrew-tap@../../heads/main' } },
  { name: 'a tap with shell characters', input: 'homebrew-tap', inputs: { 'homebrew-tap': 'acme/tap;id' } },
  { name: 'a bucket with a query string', input: 'scoop-bucket', inputs: { 'scoop-bucket': 'acme/bucket?ref=x' } },
  { name: 'a bucket with spaces', input: 'scoop-bucket', inputs: { 'scoop-bucket': 'acme / bucket' } },
  { name: 'a multi-line bucket', input: 'scoop-bucket', inputs: { 'scoop-bucket': 'acme/bucket\nacme/other' } },
  {
    name: 'a pull-request mode that is not one',
    input: 'tap-pull-request',
    inputs: { 'homebrew-tap': 'acme/homebrew-tap', 'tap-pull-request': 'maybe' },
  },
  { name: 'a commit author without an address', input: 'tap-commit-author', inputs: { 'tap-commit-author': 'release bot' } },
  {
    name: 'a commit author with a header injection',
    input: 'tap-commit-author',
    inputs: { 'tap-commit-author': 'bot <a@b.c>\nSigned-off-by: x' },
  },
  { name: 'a homepage that is not http(s)', input: 'package-homepage', inputs: { 'package-homepage': 'file:///etc/passwd' } },
  { name: 'a license with shell characters', input: 'package-license', inputs: { 'package-license': 'MIT && curl x' } },
  {
    name: 'a homebrew-formula that is not a boolean',
    input: 'homebrew-formula',
    inputs: { 'homebrew-tap': 'acme/homebrew-tap', 'homebrew-formula': 'cask' },
  },
  { name: 'a tap token with a newline', input: 'tap-token', inputs: { 'tap-token': `${TAP_CANARY}\nX-Evil: 1` } },
];

describe('semver-release tap inputs, hostile', () => {
  let api: GitHubApiStandIn;
  beforeAll(async () => {
    api = await GitHubApiStandIn.start();
  });
  afterAll(() => api?.close());

  it('has a catalogue of at least 15 cases, each with its own name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name → refused on "$input"', async (c) => {
    const ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
    const { problems, result } = await runHostile(
      dir,
      ws,
      {
        name: c.name,
        input: c.input,
        inputs: { command: 'publish', tag: 'v1.0.0', token: CANARIES.token, 'tap-token': TAP_CANARY, ...c.inputs },
      },
      { env: { GITHUB_API_URL: api.url }, requests: () => api.log.length },
    );
    expect(problems, result.log).toEqual([]);
    expect(
      result.log
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(TAP_CANARY);
    await rm(ws.root, { recursive: true, force: true });
  });
});
