import { fixtureRepo, tempDir } from '@goship/testkit';
import { describe, expect, it } from 'vitest';
import { openHistory } from '../src/git.js';

describe('openHistory', () => {
  it('the release commit: target-commitish, else the tag when the checkout has it, else HEAD', async () => {
    const repo = await fixtureRepo('hello', { history: [{ message: 'feat: a', tag: 'v1.0.0' }, { message: 'fix: b' }] });
    const tagged = await repo.git('rev-parse', 'v1.0.0^{commit}');
    const head = await repo.head();
    expect((await openHistory(repo.dir, 'v1.0.0', '')).target).toBe(tagged);
    expect((await openHistory(repo.dir, 'v1.1.0', '')).target).toBe(head);
    expect((await openHistory(repo.dir, undefined, 'v1.0.0')).target).toBe(tagged);
    const { git } = await openHistory(repo.dir, 'v1.0.0', '');
    expect(git.target).toBe(tagged);
  });

  it('names the input for a folder that is no checkout and a ref the checkout lacks', async () => {
    await expect(openHistory(await tempDir('goship-nogit-'), undefined, '')).rejects.toThrow(
      /^Input "working-directory": got ".*"; expected a git checkout/,
    );
    const repo = await fixtureRepo('hello');
    await expect(openHistory(repo.dir, undefined, 'no-such-branch')).rejects.toThrow(/^Input "target-commitish": got "no-such-branch"/);
  });
});
