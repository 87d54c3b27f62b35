import { Inputs } from '@goship/core/action';
import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLintConfig, parseRules, readConfig } from '../src/config.js';

let ws: string;
let mod: string;
let outside: string;
const saved = { ...process.env };

beforeEach(async () => {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'gqg-config-')));
  ws = path.join(root, 'ws');
  mod = path.join(ws, 'mod');
  outside = path.join(root, 'outside');
  for (const d of [path.join(mod, 'cmd', 'app'), outside]) await mkdir(d, { recursive: true });
  await writeFile(path.join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.24.0\n');
  await writeFile(path.join(outside, 'bench.txt'), 'BenchmarkX 1 1 ns/op\n');
  await symlink(outside, path.join(mod, 'out-link'));
  process.env.GITHUB_WORKSPACE = ws;
  delete process.env.RUNNER_TEMP;
});

afterEach(() => {
  process.env = { ...saved };
});

const config = (inputs: Record<string, string>): ReturnType<typeof readConfig> =>
  readConfig(Inputs.of({ 'working-directory': mod, ...inputs }));

describe('readConfig', () => {
  it('reads the defaults', () => {
    const c = config({});
    expect(c).toMatchObject({
      workdir: mod,
      packages: ['./...'],
      testArgs: [],
      buildTags: '',
      newOnly: true,
      failOnVuln: 'called',
      benchBaseline: '',
    });
    expect(c.checks).toEqual(['fmt', 'mod', 'vet', 'test', 'staticcheck', 'vuln', 'race', 'coverage']);
    expect(c.versions).toEqual({ staticcheck: 'v0.8.2', 'golangci-lint': 'v2.15.0', govulncheck: 'v1.8.0' });
  });

  it('splits test-args with the go command’s quoting; the other inputs are never flags', () => {
    expect(config({ 'test-args': `-run 'TestA|TestB' -timeout=5m\n-short` }).testArgs).toEqual([
      '-run',
      'TestA|TestB',
      '-timeout=5m',
      '-short',
    ]);
    expect(() => config({ 'test-args': `-run 'TestA` })).toThrow(/Input "test-args".*is not closed/);
    expect(config({ 'build-tags': 'netgo, osusergo' }).buildTags).toBe('netgo,osusergo');
    expect(() => config({ 'build-tags': '-toolexec=./pwn.sh' })).toThrow(/Input "build-tags"/);
    expect(() => config({ packages: '-toolexec=./pwn.sh' })).toThrow(/Input "packages".*cannot start with "-"/);
  });

  it('refuses package patterns outside the module, through a link, or naming no folder', () => {
    expect(config({ packages: './cmd/...,example.com/m/cmd/app' }).packages).toEqual(['./cmd/...', 'example.com/m/cmd/app']);
    for (const p of ['../../etc', './out-link/...', '/etc', '$(touch X)', './nope/...']) {
      expect(() => config({ packages: p }), p).toThrow(/Input "packages"/);
    }
    expect(() => config({ packages: ' , ' })).toThrow(/Input "packages": got ","; expected one or more package patterns/);
  });

  it('refuses checks that select nothing, and unknown ones with a suggestion', () => {
    expect(() => config({ checks: ' , ' })).toThrow(/Input "checks".*It selects no check/);
    expect(() => config({ checks: 'fmt,golangcilint' })).toThrow(/Did you mean `golangci-lint`\?/);
    expect(config({ checks: 'vet,vet,fmt' }).checks).toEqual(['vet', 'fmt']);
  });

  it('keeps every path inside the workspace or RUNNER_TEMP, symlinks followed', async () => {
    for (const [input, value] of [
      ['bench-baseline', '../../outside/bench.txt'],
      ['bench-baseline', path.join(outside, 'bench.txt')],
      ['bench-baseline', 'out-link/bench.txt'],
      ['vuln-db', 'out-link'],
      ['vuln-db', `file://${outside}`],
      ['working-directory', outside],
      ['working-directory', path.join(mod, 'out-link')],
    ]) {
      expect(() => config({ [input!]: value! }), `${input}: ${value}`).toThrow(new RegExp(`Input "${input}".*outside both`));
    }
    await writeFile(path.join(mod, 'bench.txt'), '');
    expect(config({ 'bench-baseline': 'bench.txt' }).benchBaseline).toBe(path.join(mod, 'bench.txt'));
    expect(() => config({ 'vuln-db': 'ftp://mirror/db' })).toThrow(/Only http\(s\) and file URLs/);
    expect(config({ 'vuln-db': 'https://mirror.example/db/' }).vulnDb).toBe('https://mirror.example/db');
  });

  it('parses coverage rules and refuses malformed ones, package patterns included', () => {
    expect(parseRules(['branch:release/*: 85', 'package:./internal/...: 70.5%'])).toEqual([
      { kind: 'branch', pattern: 'release/*', min: 85, text: 'branch:release/*: 85' },
      { kind: 'package', pattern: './internal/...', min: 70.5, text: 'package:./internal/...: 70.5%' },
    ]);
    expect(() => parseRules(['release 85'])).toThrow(/Input "coverage-rules": got "release 85"/);
    expect(() => parseRules(['branch:main: 120'])).toThrow(/percent from 0 to 100/);
    expect(() => parseRules(['tag:v1: 50'])).toThrow(/coverage-rules/);
    expect(() => parseRules(['package:../../etc: 50'], mod)).toThrow(/Input "coverage-rules": got "..\/..\/etc"/);
  });

  it("finds the module's lint configuration and refuses one that links outside the workspace", async () => {
    expect(findLintConfig(mod)).toEqual({ golangci: undefined, golangciText: undefined, staticcheck: [] });
    await writeFile(path.join(mod, 'cmd', 'staticcheck.conf'), 'checks = ["all"]\n');
    await writeFile(path.join(mod, '.golangci.yml'), 'version: "2"\n');
    expect(findLintConfig(mod)).toEqual({
      golangci: path.join(mod, '.golangci.yml'),
      golangciText: 'version: "2"\n',
      staticcheck: [path.join(mod, 'cmd', 'staticcheck.conf')],
    });
    await writeFile(path.join(outside, 'staticcheck.conf'), 'SECRET\n');
    await symlink(path.join(outside, 'staticcheck.conf'), path.join(mod, 'cmd', 'app', 'staticcheck.conf'));
    expect(() => findLintConfig(mod)).toThrow(/cmd\/app\/staticcheck.conf in the module links to .*outside the workspace/);
  });
});
