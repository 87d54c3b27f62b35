import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBranch, readEvent } from '../src/event.js';

async function payload(body: unknown): Promise<string> {
  const f = path.join(await mkdtemp(path.join(os.tmpdir(), 'gqg-event-')), 'event.json');
  await writeFile(f, JSON.stringify(body));
  return f;
}

const SHA = 'a'.repeat(40);

describe('the triggering event', () => {
  it('reads a pull request base commit, a merge group base, a pushed tag, or anything else', async () => {
    const pr = await payload({ pull_request: { base: { sha: SHA } } });
    expect(await readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: pr })).toEqual({ kind: 'pull-request', base: SHA });
    const mg = await payload({ merge_group: { base_sha: SHA } });
    expect(await readEvent({ GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH: mg })).toEqual({ kind: 'pull-request', base: SHA });
    expect(await readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.0' })).toEqual({ kind: 'tag', tag: 'v1.2.0' });
    expect(await readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' })).toEqual({
      kind: 'other',
      ref: 'refs/heads/main',
    });
  });

  it('uses a base only when it is a commit id: never an option or a revision expression', async () => {
    for (const sha of ['--output=/tmp/x', 'HEAD~3', 'main', `${SHA}\n`, 42]) {
      const f = await payload({ pull_request: { base: { sha } } });
      expect(await readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: f }), String(sha)).toEqual({ kind: 'pull-request' });
    }
    expect(await readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/nonexistent' })).toEqual({ kind: 'pull-request' });
  });

  it('reads the branch from GITHUB_BASE_REF on pull requests, else GITHUB_REF', () => {
    expect(currentBranch({ GITHUB_BASE_REF: 'develop', GITHUB_REF: 'refs/pull/1/merge' })).toBe('develop');
    expect(currentBranch({ GITHUB_REF: 'refs/heads/release/2.0' })).toBe('release/2.0');
    expect(currentBranch({ GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REF_NAME: 'v1.0.0' })).toBe('v1.0.0');
  });
});
