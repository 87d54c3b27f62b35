/**
 * loadConfig: the `config` input of the actions that read `.goreleaser.yaml` — auto-detection in
 * GoReleaser's order, `none`, a path; every file through the path policy (also one found by
 * auto-detection); and the not-applied keys of an action's own sections.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, notAppliedIn, notAppliedLines, sectionOf, signersOf } from '../src/config-input.js';

let root = '';
let ws = '';
const roots = () => ({ workspace: ws });

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'goship-config-load-')));
  ws = path.join(root, 'ws');
  await mkdir(path.join(ws, 'mod', '.config'), { recursive: true });
  await mkdir(path.join(root, 'trap'));
  await writeFile(path.join(root, 'trap', 'goreleaser.yaml'), 'version: 2\nproject_name: trapped\n');
  await writeFile(path.join(ws, 'mod', 'go.mod'), 'module example.com/mod\n');
  await writeFile(
    path.join(ws, 'mod', '.goreleaser.yaml'),
    'version: 2\nproject_name: second\nsigns: [{cmd: cosign, artifacts: checksum}]\nmilestones: [{close: true}]\n',
  );
  await writeFile(path.join(ws, 'mod', 'other.yml'), 'version: 2\nproject_name: other\n');
});

describe('loadConfig', () => {
  it('empty looks for GoReleaser’s names in its order; `.config/goreleaser.yml` comes first', async () => {
    const mod = path.join(ws, 'mod');
    expect(loadConfig('', { moduleDir: mod, roots: roots(), env: {} })?.projectName).toBe('second');
    await writeFile(path.join(mod, '.config', 'goreleaser.yml'), 'version: 2\nproject_name: first\n');
    try {
      expect(loadConfig('', { moduleDir: mod, roots: roots(), env: {} })?.projectName).toBe('first');
    } finally {
      await rm(path.join(mod, '.config', 'goreleaser.yml'));
    }
  });

  it('`none` reads nothing; a path is relative to the module folder', () => {
    const mod = path.join(ws, 'mod');
    expect(loadConfig('none', { moduleDir: mod, roots: roots() })).toBeUndefined();
    expect(loadConfig('other.yml', { moduleDir: mod, roots: roots(), env: {} })?.projectName).toBe('other');
    expect(loadConfig('', { moduleDir: ws, roots: roots() })).toBeUndefined();
  });

  it('a path outside the workspace, a missing file or a second line is refused by the input’s name', () => {
    const mod = path.join(ws, 'mod');
    expect(() => loadConfig('../../trap/goreleaser.yaml', { moduleDir: mod, roots: roots() })).toThrow(/Input "config"/);
    expect(() => loadConfig('nope.yaml', { moduleDir: mod, roots: roots(), input: 'goreleaser-config' })).toThrow(
      /Input "goreleaser-config"/,
    );
    expect(() => loadConfig('other.yml\nx', { moduleDir: mod, roots: roots() })).toThrow(/Input "config"/);
  });

  it('an auto-detected file that is a symlink out of the workspace is refused, not read', async () => {
    const mod = path.join(ws, 'linked');
    await mkdir(mod, { recursive: true });
    await symlink(path.join(root, 'trap', 'goreleaser.yaml'), path.join(mod, 'goreleaser.yaml'));
    let message = '';
    try {
      loadConfig('', { moduleDir: mod, roots: roots() });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Input "config"/);
    expect(message).not.toContain('trapped');
  });

  it('a file goship cannot use names its keys and says how to leave it out', async () => {
    const mod = path.join(ws, 'broken');
    await mkdir(mod, { recursive: true });
    await writeFile(path.join(mod, '.goreleaser.yaml'), 'version: 2\nproject_name: x\nbuilds:\n  - builder: rust\n');
    expect(() => loadConfig('', { moduleDir: mod, roots: roots(), env: {} })).toThrow(
      /builds\[0\]\.builder \(\.goreleaser\.yaml:4\).*set `config: none` to run without it/s,
    );
  });

  it('notAppliedIn keeps the rows of the given sections only', () => {
    const cfg = loadConfig('', { moduleDir: path.join(ws, 'mod'), roots: roots(), env: {} })!;
    expect(cfg.notApplied.map((n) => n.key)).toEqual(['signs[0].cmd', 'milestones']);
    expect(notAppliedIn(cfg, ['signs']).map((n) => n.key)).toEqual(['signs[0].cmd']);
    expect(notAppliedIn(cfg, ['release']).map((n) => n.key)).toEqual([]);
    expect(sectionOf('changelog.use=github')).toBe('changelog');
    expect(signersOf(cfg)).toEqual([{ cmd: 'cosign', signature: undefined }]);
    expect(notAppliedLines('.goreleaser.yaml', notAppliedIn(cfg, ['milestones']))).toEqual([
      '.goreleaser.yaml: not applied: milestones (.goreleaser.yaml:4): goship does not close milestones',
    ]);
  });
});
