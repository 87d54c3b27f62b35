import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnnotations, parseFileCommands, runAction } from '../src/runner.js';
import { fixtureRepo } from '../src/fixtures.js';

describe('file commands and workflow commands', () => {
  it('parses k=v lines and heredoc blocks as @actions/core writes them', () => {
    expect(parseFileCommands('a=1\nmatrix<<ghadelimiter_x\n{"include":[]}\nline2\nghadelimiter_x\nb=\n')).toEqual({
      a: '1',
      matrix: '{"include":[]}\nline2',
      b: '',
    });
    expect(() => parseFileCommands('k<<EOF\nnever closed\n')).toThrow(/unterminated/);
  });

  it('parses annotations with escaped properties and data', () => {
    const a = parseAnnotations('noise\n::error file=a%2Cb.go,line=3,col=2,title=x%3Ay::first%0Asecond 100%25\n::warning::plain\n');
    expect(a).toEqual([
      {
        type: 'error',
        message: 'first\nsecond 100%',
        properties: { file: 'a,b.go', line: '3', col: '2', title: 'x:y' },
        file: 'a,b.go',
        line: 3,
      },
      { type: 'warning', message: 'plain', properties: {} },
    ]);
  });
});

describe('runAction', () => {
  it('runs main then post with state, inputs with defaults, outputs, env, path and summary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-action-'));
    await mkdir(path.join(dir, 'dist'));
    await writeFile(
      path.join(dir, 'action.yml'),
      'name: fake\ninputs:\n  who:\n    default: world\n  my input:\n    default: x\n  extra-thing:\n    default: ""\noutputs:\n  greeting:\n    description: g\nruns:\n  using: node24\n  main: dist/main.js\n  post: dist/post.js\n',
    );
    const append = (v: string, line: string) => `require('fs').appendFileSync(process.env.${v}, ${JSON.stringify(line)} + '\\n');`;
    await writeFile(
      path.join(dir, 'dist', 'main.js'),
      [
        append('GITHUB_OUTPUT', 'greeting<<EOF'),
        `require('fs').appendFileSync(process.env.GITHUB_OUTPUT, 'hello ' + process.env['INPUT_WHO'] + ' ' + process.env['INPUT_MY_INPUT'] + ' ' + process.env['INPUT_EXTRA-THING'] + '\\nEOF\\n');`,
        append('GITHUB_STATE', 'saved=from-main'),
        append('GITHUB_ENV', 'EXPORTED=yes'),
        append('GITHUB_PATH', '/opt/fake/bin'),
        append('GITHUB_STEP_SUMMARY', '## fake summary'),
        `console.log('::warning file=main.go,line=7::look here');`,
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'dist', 'post.js'),
      `console.log('post saw ' + process.env.STATE_saved + ' ' + process.env.EXPORTED + ' ' + process.env.PATH.split(require('path').delimiter)[0]); process.exitCode = 3;`,
    );
    const r = await runAction(dir, { inputs: { 'extra-thing': 'given' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.greeting).toBe('hello world x given');
    expect(r.state).toEqual({ saved: 'from-main' });
    expect(r.exportedEnv).toEqual({ EXPORTED: 'yes' });
    expect(r.path).toEqual(['/opt/fake/bin']);
    expect(r.summary).toBe('## fake summary\n');
    expect(r.annotations).toEqual([
      { type: 'warning', message: 'look here', properties: { file: 'main.go', line: '7' }, file: 'main.go', line: 7 },
    ]);
    expect(r.post?.stdout.trim()).toBe('post saw from-main yes /opt/fake/bin');
    expect(r.post?.exitCode).toBe(3);
    await expect(runAction(dir, { inputs: { nope: 'x' } })).rejects.toThrow(/fake has no input "nope"/);
  });
});

describe('fixtureRepo', () => {
  it('copies a fixture into a git repository with a scripted, dated history', async () => {
    const repo = await fixtureRepo('hello', {
      history: [
        { message: 'feat: add a flag', date: '2026-02-01T10:00:00Z', files: { 'NOTES.md': 'x\n' }, tag: 'v0.1.0' },
        { message: 'fix: typo', files: { 'NOTES.md': null } },
      ],
    });
    expect(await repo.git('log', '--format=%s|%cI', '--reverse')).toBe(
      [
        'chore: import hello|2026-01-01T00:00:00+00:00',
        'feat: add a flag|2026-02-01T10:00:00+00:00',
        `fix: typo|${await repo.git('log', '-1', '--format=%cI')}`,
      ].join('\n'),
    );
    expect(await repo.git('tag', '--list')).toBe('v0.1.0');
    expect(await repo.git('ls-files')).toContain('main.go');
    expect(await repo.git('ls-files')).not.toContain('NOTES.md');
  });
});
