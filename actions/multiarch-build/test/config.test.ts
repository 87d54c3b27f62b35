import { splitArgs } from '@goship/core/args';
import { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { DEFAULT_PLATFORMS, formatPlatform, parsePlatform } from '@goship/core/platform';
import { actionDir, fixturesDir, readActionYaml } from '@goship/testkit';
import { type HostileWorkspace, hostileWorkspace } from '@goship/testkit/hostile';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFlags, checkMains, checkSplit, parseSplit, parseVersion, readConfig } from '../src/config.js';

const fixture = path.join(fixturesDir, 'hello');

describe('inputs', () => {
  it('parses split i/n and refuses the rest', () => {
    expect(parseSplit('2/3')).toEqual({ index: 2, total: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0', '1/257', '-1/2', '1/2/3', '1 / 2x']) {
      expect(() => parseSplit(bad), bad).toThrow(/Input "split"/);
    }
  });
  it("defaults to core's platform list, which the action.yml description names", async () => {
    const yml = await readActionYaml(actionDir('multiarch-build'));
    expect(yml.inputs!.platforms!.default).toBe('');
    expect(yml.inputs!.platforms!.description).toContain(`Default: ${DEFAULT_PLATFORMS.join(', ')}.`);
    const cfg = await readConfig(Inputs.of({ 'working-directory': fixture }));
    expect(cfg.platforms.map(formatPlatform)).toEqual([...DEFAULT_PLATFORMS]);
  });
  it('refuses more parts than platforms', () => {
    const ps = ['linux/amd64', 'linux/arm64'].map((p) => parsePlatform(p));
    expect(checkSplit({ index: 2, total: 2 }, ps)).toEqual({ index: 2, total: 2 });
    expect(() => checkSplit({ index: 1, total: 3 }, ps)).toThrow(/Input "split": got "1\/3".*at most 2 parts/s);
  });
  it("flags: go build flags with the go command's quoting, none goship owns", () => {
    // a field that starts with a quote runs to the next one; a quote inside a field is literal
    expect(checkFlags(splitArgs(`-trimpath '-gcflags=all=-N -l'`, 'flags'))).toEqual(['-trimpath', '-gcflags=all=-N -l']);
    expect(checkFlags([])).toEqual([]);
    for (const bad of ['-o=/tmp/x', '--o', '-C=..', '-ldflags=-s', '--tags=x', './cmd/evil', 'x', '-', '--']) {
      expect(() => checkFlags([bad]), bad).toThrow(/Input "flags"/);
    }
  });
});

describe('readConfig: every path through the path policy, before anything is written', () => {
  let ws: HostileWorkspace;
  const saved = { workspace: process.env.GITHUB_WORKSPACE, temp: process.env.RUNNER_TEMP, cwd: process.cwd() };
  beforeAll(async () => {
    ws = await hostileWorkspace(fixture);
    await mkdir(path.join(ws.module, 'cmd', 'tool'), { recursive: true });
    await symlink(path.join(ws.module, 'cmd'), path.join(ws.module, 'cmd-link'));
    process.env.GITHUB_WORKSPACE = ws.workspace;
    process.env.RUNNER_TEMP = ws.runnerTemp;
    process.chdir(ws.module);
  });
  afterAll(() => {
    process.chdir(saved.cwd);
    for (const [k, v] of [
      ['GITHUB_WORKSPACE', saved.workspace],
      ['RUNNER_TEMP', saved.temp],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const read = (values: Record<string, string>) => readConfig(Inputs.of(values));
  const refused = async (values: Record<string, string>): Promise<InputError> => {
    const e = await read(values).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e, JSON.stringify(values)).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toContain('TRAPCONTENT');
    return e as InputError;
  };

  it('resolves the folders it writes to, inside the workspace, symlinks followed', async () => {
    const cfg = await read({ dist: 'out', manifest: 'out/m.json', split: '2/3' });
    expect(cfg.workdir).toBe(ws.module);
    expect(cfg.dist).toBe(path.join(ws.module, 'out'));
    expect(cfg.manifest).toBe(path.join(ws.module, 'out', 'm.json'));
    expect(cfg.split).toEqual({ index: 2, total: 3 });
    const part = await read({ split: '2/3' });
    expect(part.manifest).toBe(path.join(ws.module, 'dist', 'goship-manifest.part-2-of-3.json'));
    const merge = await read({ merge: 'true' });
    expect(merge.merge).toEqual({ dir: path.join(ws.module, 'dist'), given: 'true' });
    // RUNNER_TEMP is the other root
    expect((await read({ dist: path.join(ws.runnerTemp, 'dist') })).dist).toBe(path.join(ws.runnerTemp, 'dist'));
  });

  it('refuses each path input that leads out, by name', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'working-directory': '../../trap' }, 'working-directory'],
      [{ 'working-directory': 'trap-link' }, 'working-directory'],
      [{ dist: 'trap-link' }, 'dist'],
      [{ dist: '../../trap/x' }, 'dist'],
      [{ dist: '..' }, 'dist'],
      [{ manifest: 'trap-link/m.json' }, 'manifest'],
      [{ merge: ws.trap }, 'merge'],
      [{ 'archive-files': 'trap-link/*' }, 'archive-files'],
      [{ image: 'r.io/o/a', 'image-files': 'trap-link/passwd:/etc/passwd' }, 'image-files'],
      [{ image: 'r.io/o/a', 'image-builder': 'buildx', dockerfile: 'trap-link/passwd' }, 'dockerfile'],
      [{ main: './trap-link' }, 'main'],
    ];
    for (const [values, input] of cases) expect((await refused(values)).input, JSON.stringify(values)).toBe(input);
  });

  it('checks main folders for real: a symlink to a folder of the module is fine', () => {
    expect(checkMains(['./cmd-link/tool', './cmd/...', 'example.com/hello'], ws.module)).toHaveLength(3);
    for (const bad of ['-race', '../x', './cmd/../../x', '/abs']) expect(() => checkMains([bad], ws.module), bad).toThrow(/Input "main"/);
  });

  it('checks the image platforms before the build, but not in a merge (the parts say what was built)', async () => {
    const e = await refused({ platforms: 'linux/amd64', image: 'r.io/o/a', 'image-platforms': 'linux/arm64' });
    expect(e.message).toMatch(/Input "image-platforms": got "linux\/arm64".*platforms that are built: linux\/amd64/s);
    const merge = await read({ platforms: 'linux/amd64', image: 'r.io/o/a', 'image-platforms': 'linux/arm64', merge: 'true' });
    expect(merge.image?.platforms?.map(formatPlatform)).toEqual(['linux/arm64']);
  });

  it('validates versions, splits against the platforms, tags and flags', async () => {
    expect(parseVersion('v1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect((await refused({ version: 'v1.2' })).input).toBe('version');
    expect((await refused({ platforms: 'linux/amd64', split: '1/2' })).input).toBe('split');
    expect((await refused({ tags: 'netgo -race' })).input).toBe('tags');
    expect((await read({ tags: 'netgo, osusergo' })).tags).toBe('netgo,osusergo');
    expect((await refused({ flags: '-trimpath -o x' })).input).toBe('flags');
  });
});
