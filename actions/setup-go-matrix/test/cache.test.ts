import { hashBytes, hashFile } from '@goship/core/digest';
import { InputError } from '@goship/core/errors';
import { fixturesDir } from '@goship/testkit';
import { type HostileWorkspace, hostileWorkspace } from '@goship/testkit/hostile';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KeyInputs, cacheKeys, dependencyFiles } from '../src/cache.js';
import type { SetupInputs } from '../src/inputs.js';
import { recordingLog } from './log.js';

describe('cache keys', () => {
  const base: KeyInputs = {
    runnerOs: 'Linux',
    runnerArch: 'X64',
    goVersion: '1.25.3',
    depsHash: 'a'.repeat(64),
    platforms: ['linux/amd64', 'linux/arm64'],
    cgo: '0',
    goflags: '-mod=readonly',
    suffix: '',
  };
  it('equal inputs give equal keys', () => {
    expect(cacheKeys(base)).toEqual(cacheKeys({ ...base, platforms: ['linux/arm64', 'linux/amd64'] }));
  });
  it('build keys differ by target set, CGO and flags; module keys do not', () => {
    const other = cacheKeys({ ...base, platforms: ['windows/amd64'] });
    expect(other.build.key).not.toBe(cacheKeys(base).build.key);
    expect(other.modules.key).toBe(cacheKeys(base).modules.key);
    expect(cacheKeys({ ...base, cgo: '1' }).build.key).not.toBe(cacheKeys(base).build.key);
    expect(cacheKeys({ ...base, goflags: '-mod=readonly -race' }).build.key).not.toBe(cacheKeys(base).build.key);
  });
  it('keys carry runner, Go version and go.sum hash; build restore-keys are prefixes of the key', () => {
    const k = cacheKeys(base);
    expect(k.modules.key).toBe(`goship-go-mod-linux-x64-go1.25.3-${'a'.repeat(16)}`);
    expect(cacheKeys({ ...base, goVersion: '1.24.13' }).modules.key).not.toBe(k.modules.key);
    expect(cacheKeys({ ...base, depsHash: 'b'.repeat(64) }).modules.key).not.toBe(k.modules.key);
    expect(cacheKeys({ ...base, runnerArch: 'ARM64' }).modules.key).not.toBe(k.modules.key);
    for (const rk of k.build.restoreKeys) expect(k.build.key.startsWith(rk)).toBe(true);
    expect(k.modules.restoreKeys).toEqual([]);
    expect(cacheKeys({ ...base, suffix: 'nightly' }).modules.key.endsWith('-nightly')).toBe(true);
  });
});

describe('dependency files', () => {
  let ws: HostileWorkspace;
  const saved = { GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE, RUNNER_TEMP: process.env.RUNNER_TEMP };
  beforeEach(async () => {
    ws = await hostileWorkspace(path.join(fixturesDir, 'multi'));
    process.env.GITHUB_WORKSPACE = ws.workspace;
    process.env.RUNNER_TEMP = ws.runnerTemp;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const inputs = (o: Partial<SetupInputs>): SetupInputs => ({ workdir: ws.module, depPatterns: [], cache: true, ...o }) as SetupInputs;

  it('hashes go.sum by default, as the keys always did (sha256 and relative path a line)', async () => {
    const d = await dependencyFiles(inputs({}), recordingLog());
    expect(d.files).toEqual(['go.sum']);
    expect(d.hash).toBe(hashBytes(`${await hashFile(path.join(ws.module, 'go.sum'))}  go.sum`));
  });

  it('takes globs relative to the module folder, and checks them even with caching off', async () => {
    await mkdir(path.join(ws.module, 'tools'));
    await writeFile(path.join(ws.module, 'tools', 'go.sum'), 'x\n');
    const d = await dependencyFiles(inputs({ depPatterns: ['**/go.sum'], cache: false }), recordingLog());
    expect(d.files).toEqual(['go.sum', 'tools/go.sum']);
    await expect(dependencyFiles(inputs({ depPatterns: ['nothing-*.sum'], cache: false }), recordingLog())).rejects.toThrow(
      /Input "cache-dependency-path": got "nothing-\*\.sum"; expected globs that match at least one file/,
    );
  });

  it.each(['../../trap/passwd', '/etc/passwd', '../*', 'trap-link/passwd'])('refuses %j by name', async (pattern) => {
    const e = await dependencyFiles(inputs({ depPatterns: [pattern] }), recordingLog()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('cache-dependency-path');
    expect((e as InputError).message).not.toContain('TRAPCONTENT');
  });

  it('skips a file a glob reaches through a symlink out, with a warning', async () => {
    await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'evil.sum'));
    const log = recordingLog();
    const d = await dependencyFiles(inputs({ depPatterns: ['*.sum'] }), log);
    expect(d.files).toEqual(['go.sum']);
    expect(log.lines.join('\n')).toMatch(/warning: evil\.sum is a symlink to .*trap\/passwd, outside the workspace: skipped/);
  });

  it('no files to hash when caching is off and no paths are given', async () => {
    expect((await dependencyFiles(inputs({ cache: false }), recordingLog())).files).toEqual([]);
  });
});
