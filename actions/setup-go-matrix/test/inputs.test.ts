import { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import type { PathRoots } from '@goship/core/paths';
import { DEFAULT_PLATFORMS, formatPlatform } from '@goship/core/platform';
import { fixturesDir } from '@goship/testkit';
import { type HostileWorkspace, hostileWorkspace } from '@goship/testkit/hostile';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readInputs } from '../src/inputs.js';

let ws: HostileWorkspace;
let roots: PathRoots;
beforeEach(async () => {
  ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
  roots = { workspace: ws.workspace, temp: ws.runnerTemp };
});

function read(values: Record<string, string>, secrets: Record<string, string> = {}): ReturnType<typeof readInputs> {
  return readInputs(Inputs.of(values, new Map(Object.entries(secrets))), roots, ws.module);
}

function refusal(values: Record<string, string>, secrets: Record<string, string> = {}): InputError {
  try {
    read(values, secrets);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe('readInputs', () => {
  it('defaults: the module folder, its go.mod, the default platforms, caching and installing on', () => {
    const inp = read({});
    expect(inp.workdir).toBe(ws.module);
    expect(inp.versionFile).toBe(path.join(ws.module, 'go.mod'));
    expect(inp.versionFileInput).toBe('go-version');
    expect(inp.goMod).toBe(path.join(ws.module, 'go.mod'));
    expect(inp.specs).toEqual([{ kind: 'go.mod', raw: 'go.mod' }]);
    expect(inp.platforms.map(formatPlatform)).toEqual(DEFAULT_PLATFORMS);
    expect(inp).toMatchObject({
      install: true,
      cache: true,
      toolchain: 'local',
      modReadonly: true,
      buildGroups: 'auto',
      oses: ['ubuntu-latest'],
    });
  });

  it('takes a version file the user names, and reports its problems on go-version-file', async () => {
    await writeFile(path.join(ws.module, '.go-version'), '1.24.6\n');
    const inp = read({ 'go-version-file': '.go-version' });
    expect(inp.versionFile).toBe(path.join(ws.module, '.go-version'));
    expect(inp.versionFileInput).toBe('go-version-file');
  });

  it.each([
    ['working-directory', '../../trap'],
    ['working-directory', '/etc'],
    ['working-directory', 'trap-link'],
    ['go-version-file', '../../trap/passwd'],
    ['go-version-file', '/etc/passwd'],
    ['go-version-file', 'trap-link/passwd'],
  ])('refuses %s %j: it leads outside the workspace', (input, given) => {
    const e = refusal({ [input]: given });
    expect(e.input).toBe(input);
    expect(e.message).toContain(`expected a path inside the workspace (${ws.workspace}) or RUNNER_TEMP (${ws.runnerTemp})`);
    expect(e.message).not.toContain('TRAPCONTENT');
  });

  it('refuses a go.mod in the module folder that is a symlink out, naming go-version-file', async () => {
    await rm(path.join(ws.module, 'go.mod'));
    await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'go.mod'));
    const e = refusal({});
    expect(e.input).toBe('go-version-file');
    expect(e.message).toContain(`go.mod in working-directory leads to ${path.join(ws.trap, 'passwd')}`);
  });

  it('refuses version files of another name, missing files and missing folders', async () => {
    expect(refusal({ 'go-version-file': 'README.md' }).message).toMatch(/expected a file named go\.mod, go\.work/);
    expect(refusal({ 'go-version-file': 'nope/go.mod' }).message).toMatch(/expected an existing go\.mod/);
    expect(refusal({ 'working-directory': 'nope' }).message).toMatch(/^Input "working-directory": got "nope"; expected an existing folder/);
  });

  it('a file:// GOPROXY is a path: inside the workspace it is taken, outside refused', async () => {
    await mkdir(path.join(ws.workspace, 'proxy'));
    expect(read({ goproxy: `file://${path.join(ws.workspace, 'proxy')},https://proxy.golang.org` }).goproxy).toContain('file://');
    expect(refusal({ goproxy: `file://${ws.trap}` }).input).toBe('goproxy');
    expect(refusal({ goproxy: 'https://proxy.golang.org,$(curl evil)' }).message).toMatch(/"\$\(curl evil\)" is none of those/);
  });

  it.each([
    ['goprivate', '-x'],
    ['goprivate', 'github.com/acme/*,evil"]'],
    ['gonosumdb', 'a b'],
    ['changed-since', '--output=/tmp/x'],
    ['changed-since', '$(id)'],
    ['changed-since', 'main;reboot'],
    ['os', 'ubuntu‑latest'],
    ['os', '-latest'],
    ['cache-key-suffix', 'a,b'],
    ['cache-key-suffix', 'x'.repeat(101)],
    ['toolchain', 'Local'],
    ['build-groups', '1e3'],
    ['install', 'maybe'],
    ['platforms', 'linux/amd64;rm'],
  ])('refuses %s %j by name', (input, given) => {
    expect(refusal({ [input]: given }).input).toBe(input);
  });

  it('refuses a token with a space without quoting it', () => {
    const e = refusal({}, { 'git-token': 'ghp_abc def' });
    expect(e.input).toBe('git-token');
    expect(e.message).not.toContain('ghp_abc');
    expect(read({}, { 'git-token': 'ghp_abc' }).gitToken).toBe('ghp_abc');
  });
});
