/**
 * readConfig: every input read and checked before anything happens; paths through the path
 * policy, refs and names through their grammar.
 */
import { Inputs } from '@goship/core/action';
import { tempDir } from '@goship/testkit';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRef, readConfig } from '../src/config.js';

let ws = '';
let env: NodeJS.ProcessEnv = {};
const secrets = (values: Record<string, string>) =>
  new Map(['token', 'announce-webhook'].map((k) => [k, values[k] ?? ''] as [string, string]));
const read = (values: Record<string, string>, cwd = ws) =>
  readConfig(Inputs.of({ 'tag-prefix': 'v', ...values }, secrets({ token: 't0k3n', ...values })), env, cwd);

beforeAll(async () => {
  const root = await tempDir('goship-config-');
  ws = path.join(root, 'ws');
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await writeFile(path.join(ws, 'file.txt'), 'x');
  await mkdir(path.join(root, 'outside'));
  await symlink(path.join(root, 'outside'), path.join(ws, 'out-link'));
  env = { GITHUB_WORKSPACE: ws, GITHUB_REPOSITORY: 'octo/hello' };
});

describe('readConfig', () => {
  it('defaults: plan, prefix v, the manifest in dist/ of the working directory, the run’s repository', () => {
    const c = read({});
    expect(c).toMatchObject({
      command: 'plan',
      prefix: 'v',
      bump: 'auto',
      manifestInput: 'dist/goship-manifest.json',
      maxConcurrency: 3,
      repository: { owner: 'octo', repo: 'hello' },
    });
    expect(c.workdir).toBe(ws);
    expect(c.manifest).toBe(path.join(ws, 'dist/goship-manifest.json'));
  });

  it('an explicit empty tag-prefix means bare versions; files split on commas and lines', () => {
    const c = read({ 'tag-prefix': '', tag: '1.2.3', files: 'a.txt, b.txt\n# a comment\nc/*.zip' });
    expect(c).toMatchObject({ prefix: '', tag: '1.2.3', files: ['a.txt', 'b.txt', 'c/*.zip'] });
  });

  it('takes the tag from GITHUB_REF except for command: tag', () => {
    env.GITHUB_REF = 'refs/tags/v1.4.0';
    try {
      expect(read({}).tag).toBe('v1.4.0');
      expect(read({}).tagSource).toBe('tag (from GITHUB_REF)');
      expect(read({ command: 'tag' }).tag).toBeUndefined();
    } finally {
      delete env.GITHUB_REF;
    }
  });

  it('the working directory is an existing folder inside the workspace; the manifest is relative to it', () => {
    const c = read({ 'working-directory': 'sub', manifest: 'm.json' });
    expect(c.workdir).toBe(path.join(ws, 'sub'));
    expect(c.manifest).toBe(path.join(ws, 'sub', 'm.json'));
    expect(() => read({ 'working-directory': 'missing' })).toThrow(
      /^Input "working-directory": got "missing"; expected an existing folder.* does not exist/,
    );
    expect(() => read({ 'working-directory': 'file.txt' })).toThrow(/is not a folder/);
    expect(() => read({ 'working-directory': 'out-link' })).toThrow(/^Input "working-directory": got "out-link".*outside both/);
    expect(() => read({ manifest: '../../etc/passwd' })).toThrow(/^Input "manifest": got "\.\.\/\.\.\/etc\/passwd"/);
    expect(() => read({ manifest: 'out-link/m.json' })).toThrow(/^Input "manifest"/);
  });

  it('publish and tag need a token and a repository; plan with conventional notes does not', () => {
    expect(() => read({ command: 'publish', token: '' })).toThrow(/^Input "token": got "" \(empty\)/);
    expect(() => read({ command: 'tag', token: '${{ secrets.X }}' })).toThrow(
      /^Input "token": got "\(an expression that was not expanded\)"/,
    );
    expect(() => read({ changelog: 'github', token: '' })).toThrow(/^Input "token"/);
    expect(read({ token: '' }).token).toBe('');
    const saved = env.GITHUB_REPOSITORY;
    delete env.GITHUB_REPOSITORY;
    try {
      expect(() => read({ command: 'publish' })).toThrow(/^Input "repository": got "" \(empty\); expected OWNER\/REPO/);
    } finally {
      env.GITHUB_REPOSITORY = saved;
    }
  });

  it('the webhook must be an http(s) URL without credentials, and is never shown', () => {
    expect(read({ 'announce-webhook': 'https://hooks.example/T/B/x' }).announceWebhook).toBe('https://hooks.example/T/B/x');
    for (const bad of ['ftp://hooks.example/x', 'not a url', 'https://u:p@hooks.example/x']) {
      expect(() => read({ 'announce-webhook': bad })).toThrow(/^Input "announce-webhook": got "\*\*\*"/);
    }
  });

  it('refuses a version whose tag would be too long for a git ref, naming the version', () => {
    expect(() => read({ version: `1.0.0-${'x'.repeat(250)}` })).toThrow(
      /^Input "version": got "v1\.0\.0-x+…"; expected a tag of at most 255 bytes/,
    );
  });
});

describe('checkRef', () => {
  it.each(['main', 'release/1.x', 'v1.2.3', 'a'.repeat(40), 'feature_x+y'])('accepts %s', (ref) => {
    expect(checkRef('target-commitish', ref)).toBe(ref);
  });
  it.each(['-x', '--upload-pack=x', 'a..b', 'a//b', 'a/', 'a.', '.hidden', 'x.lock', 'a b', 'a~1', 'a^', 'HEAD@{1}', 'ü'])(
    'refuses %j',
    (ref) => {
      expect(() => checkRef('target-commitish', ref)).toThrow(/^Input "target-commitish"/);
    },
  );
});
