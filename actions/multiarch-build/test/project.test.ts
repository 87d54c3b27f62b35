import { describe, expect, it } from 'vitest';
import { moduleBase, projectName, readCommit, readGitFacts, resolveVersion } from '../src/project.js';
import { tempDir } from '@goship/testkit';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

describe('version and project name', () => {
  it('derives version and tag from GITHUB_REF, else a snapshot', () => {
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/tags/v1.4.0' })).toEqual({ version: '1.4.0', tag: 'v1.4.0' });
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/heads/main' })).toEqual({ version: '0.0.0-SNAPSHOT-abcdef0', tag: '' });
    expect(resolveVersion('2.0.0', 'abcdef0123', {})).toEqual({ version: '2.0.0', tag: 'v2.0.0' });
    expect(() => resolveVersion('', 'abc', { GITHUB_REF: 'refs/tags/nightly' })).toThrow(/Input "version"/);
  });
  it('names the project from GITHUB_REPOSITORY, else the module path', () => {
    expect(projectName('example.com/x/tool/v2', { GITHUB_REPOSITORY: 'o/repo' })).toBe('repo');
    expect(projectName('example.com/x/tool/v2', {})).toBe('tool');
    expect(moduleBase('example.com/hello')).toBe('hello');
  });
});

describe('the commit and the git facts', () => {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'A U Thor',
    GIT_AUTHOR_EMAIL: 'a@example.invalid',
    GIT_COMMITTER_NAME: 'A U Thor',
    GIT_COMMITTER_EMAIL: 'a@example.invalid',
    GIT_AUTHOR_DATE: '2026-03-04T05:06:07+02:00',
    GIT_COMMITTER_DATE: '2026-03-04T05:06:07+02:00',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' });
  /** What each query gives alone, as goship asked before it batched them. */
  const alone = (cwd: string, tag: string, f: string): string => git(cwd, 'tag', '-l', `--format=%(${f})`, tag).replace(/\n\n$/, '').trim();

  it('are what git gives for each query alone, for annotated and lightweight tags', async () => {
    const dir = await tempDir('goship-git-facts-');
    git(dir, 'init', '-q', '-b', 'main');
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/facts\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'first\n\nwith a body\nof two lines');
    git(dir, 'tag', '-a', 'v1.0.0', '-m', 'Release 1.0.0\n\nNotes: %00 is not a NUL\n\n- a\n- b\n');
    git(dir, 'tag', 'v1.1.0');
    const commit = await readCommit(dir);
    expect(commit).toEqual({
      sha: git(dir, 'rev-parse', 'HEAD').trim(),
      short: git(dir, 'show', '-s', '--format=%h', 'HEAD').trim(),
      time: '2026-03-04T03:06:07Z',
      epoch: Date.parse('2026-03-04T03:06:07Z') / 1000,
      toplevel: git(dir, 'rev-parse', '--show-toplevel').trim(),
    });
    for (const tag of ['v1.0.0', 'v1.1.0']) {
      const facts = await readGitFacts(dir, tag);
      expect([tag, facts.tagSubject, facts.tagContents, facts.tagBody]).toEqual([
        tag,
        alone(dir, tag, 'contents:subject'),
        alone(dir, tag, 'contents'),
        alone(dir, tag, 'contents:body'),
      ]);
    }
    expect((await readGitFacts(dir, 'v1.0.0')).tagBody).toBe('Notes: %00 is not a NUL\n\n- a\n- b');
    expect(await readGitFacts(dir, '')).toMatchObject({ tagSubject: '', tagContents: '', tagBody: '' });
  });

  it('refuses a folder without a commit before any other question', async () => {
    const dir = await tempDir('goship-git-none-');
    git(dir, 'init', '-q', '-b', 'main');
    await expect(readCommit(dir)).rejects.toThrow(/is not a git checkout with a commit/);
  });
});
