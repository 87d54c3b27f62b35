import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { confinePath, isInside, pathRoots, realOrResolved, resolveConfined } from '../src/paths.js';

let ws: string;
let temp: string;
let outside: string;
beforeAll(async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'goship-paths-'));
  ws = path.join(base, 'ws');
  temp = path.join(base, 'runner-temp');
  outside = path.join(base, 'outside');
  for (const d of [ws, temp, outside, path.join(ws, 'mod')]) await mkdir(d, { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), 'root:x:0:0');
  await symlink(outside, path.join(ws, 'mod', 'escape'));
  await symlink(path.join(ws, 'mod'), path.join(ws, 'inner-link'));
});

const roots = () => pathRoots({ GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp });

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('path policy', () => {
  it('accepts paths inside the workspace and RUNNER_TEMP, existing or not yet', () => {
    expect(confinePath('dist', 'dist', { base: path.join(ws, 'mod'), roots: roots() })).toBe(path.join(realOrResolved(ws), 'mod', 'dist'));
    expect(confinePath('key', path.join(temp, 'k', 'cosign.key'), { roots: roots() })).toBe(
      path.join(realOrResolved(temp), 'k', 'cosign.key'),
    );
    expect(confinePath('dist', 'inner-link/dist', { base: ws, roots: roots() })).toBe(path.join(realOrResolved(ws), 'mod', 'dist'));
  });

  it('refuses ../, absolute paths and symlinks that lead outside, naming the input and the resolved path', () => {
    const up = refusal(() => confinePath('archive-files', '../../../../etc/passwd', { base: path.join(ws, 'mod'), roots: roots() }));
    expect(up.input).toBe('archive-files');
    expect(up.message).toContain('resolves to /etc/passwd');
    expect(up.message).toContain('a path inside the workspace');
    const abs = refusal(() => confinePath('files', '/etc/passwd', { roots: roots() }));
    expect(abs.message).toContain('Input "files": got "/etc/passwd"');
    const link = refusal(() => confinePath('subjects', 'escape/secret.txt', { base: path.join(ws, 'mod'), roots: roots() }));
    expect(link.message).toContain(path.join(realOrResolved(outside), 'secret.txt'));
    // a link that does not exist yet under a linked folder still resolves through the link
    expect(() => confinePath('dist', 'escape/new/dist', { base: path.join(ws, 'mod'), roots: roots() })).toThrow(InputError);
    expect(() => confinePath('x', 'a\0b', { base: ws, roots: roots() })).toThrow(InputError);
  });

  it('never quotes the content of a refused file', () => {
    const e = refusal(() => confinePath('manifest', path.join(outside, 'secret.txt'), { roots: roots() }));
    expect(e.message).not.toContain('root:x');
  });

  it('resolveConfined answers without throwing; isInside is not fooled by a shared prefix', () => {
    expect(resolveConfined('escape/secret.txt', { base: path.join(ws, 'mod'), roots: roots() }).ok).toBe(false);
    expect(resolveConfined('main.go', { base: path.join(ws, 'mod'), roots: roots() }).ok).toBe(true);
    expect(isInside('/work/ws-evil/x', '/work/ws')).toBe(false);
    expect(isInside('/work/ws', '/work/ws')).toBe(true);
    expect(isInside('/work/ws/..x', '/work/ws')).toBe(true);
  });
});
