import { describe, expect, it } from 'vitest';
import { bumpFor, parseCommit, parseCommits } from '../src/commits.js';

const sha = 'a'.repeat(40);

describe('conventional commits', () => {
  it('parses type, scope, subject and the PR number of a squash-merge header', () => {
    const [c] = parseCommit({ sha, message: 'feat(api): add /health (#42)' });
    expect(c).toMatchObject({ type: 'feat', scope: 'api', subject: 'add /health', pr: 42, breaking: false });
  });

  it('marks `!` headers and BREAKING CHANGE footers as breaking', () => {
    expect(parseCommit({ sha, message: 'refactor!: drop Go 1.22' })[0]).toMatchObject({
      type: 'refactor',
      breaking: true,
      breakingNote: 'drop Go 1.22',
    });
    const [c] = parseCommit({ sha, message: 'feat: new config\n\nBREAKING CHANGE: the `old` key is gone' });
    expect(c).toMatchObject({ breaking: true, breakingNote: 'the `old` key is gone' });
  });

  it('reads the squashed commits listed in a squash-merge body', () => {
    const changes = parseCommit({
      sha,
      message:
        'Add caching (#7)\n\n* feat: cache module downloads\n\n* fix(cache): key on go.sum\n\n* docs: explain the cache\n\nCo-authored-by: X <x@y>',
    });
    expect(changes.map((c) => [c.type, c.subject, c.pr])).toEqual([
      ['feat', 'cache module downloads', 7],
      ['fix', 'key on go.sum', 7],
      ['docs', 'explain the cache', 7],
    ]);
    expect(changes.every((c) => c.squashed)).toBe(true);
  });

  it('keeps a squash header and a breaking bullet in its body', () => {
    const changes = parseCommit({ sha, message: 'feat: v2 config (#9)\n\n* feat: v2 config\n\n* fix!: reject unknown keys' });
    expect(changes.map((c) => [c.type, c.subject, c.breaking])).toEqual([
      ['feat', 'v2 config', false],
      ['fix', 'reject unknown keys', true],
    ]);
  });

  it('leaves a message that follows no convention untyped', () => {
    const [c] = parseCommit({ sha, message: 'Update README.md' });
    expect(c?.type).toBeUndefined();
    expect(c?.subject).toBe('Update README.md');
  });

  it('bumps major for breaking (minor below 1.0.0 unless breaking-pre-1 is major), minor for feat, patch for fix/perf', () => {
    const ch = (m: string) => parseCommits([{ sha, message: m }]);
    expect(bumpFor(ch('feat!: x'), 1).bump).toBe('major');
    expect(bumpFor(ch('feat!: x'), 0).bump).toBe('minor');
    expect(bumpFor(ch('feat!: x'), 0, 'major').bump).toBe('major');
    expect(bumpFor(ch('feat: x'), 0).bump).toBe('minor');
    expect(bumpFor(ch('perf: x'), 2).bump).toBe('patch');
    expect(bumpFor(ch('fix: x'), 2).bump).toBe('patch');
    expect(bumpFor(ch('docs: x'), 2).bump).toBeUndefined();
    expect(bumpFor(ch('Update README'), 2).bump).toBeUndefined();
  });
});
