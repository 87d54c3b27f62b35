import { InputError } from '@goship/core/errors';
import { type DistPort, checkSupported, parsePlatform } from '@goship/core/platform';
import { describe, expect, it } from 'vitest';
import { cacheKeys, type KeyInputs } from '../src/cache.js';
import { exportedEnv, mergeGoflags, privateHosts } from '../src/env.js';
import { buildGroups, groupCount, platformEntries, testMatrix } from '../src/matrix.js';

const ports: DistPort[] = [
  { GOOS: 'linux', GOARCH: 'amd64', CgoSupported: true, FirstClass: true },
  { GOOS: 'linux', GOARCH: 'arm64', CgoSupported: true, FirstClass: true },
  { GOOS: 'linux', GOARCH: 'arm', CgoSupported: true, FirstClass: true },
  { GOOS: 'darwin', GOARCH: 'arm64', CgoSupported: true, FirstClass: true },
  { GOOS: 'windows', GOARCH: 'amd64', CgoSupported: true, FirstClass: true },
];

describe('matrices', () => {
  it('crosses versions with runner labels', () => {
    expect(testMatrix(['1.25.3', '1.24.13'], ['ubuntu-latest', 'macos-14'])).toEqual({
      include: [
        { go: '1.25.3', os: 'ubuntu-latest' },
        { go: '1.25.3', os: 'macos-14' },
        { go: '1.24.13', os: 'ubuntu-latest' },
        { go: '1.24.13', os: 'macos-14' },
      ],
    });
  });

  it('describes platforms with their variant variables', () => {
    const [arm, amd] = platformEntries([parsePlatform('linux/arm/v7'), parsePlatform('linux/amd64')], ports);
    expect(arm).toMatchObject({
      id: 'linux_arm_v7',
      platform: 'linux/arm/v7',
      goos: 'linux',
      goarch: 'arm',
      goarm: '7',
      env: { GOOS: 'linux', GOARCH: 'arm', GOARM: '7' },
      cgo: true,
    });
    expect(amd).toMatchObject({ id: 'linux_amd64', variant: '', env: { GOOS: 'linux', GOARCH: 'amd64' } });
    expect(amd).not.toHaveProperty('goarm');
  });

  it('splits targets into balanced contiguous groups; auto is about two a group', () => {
    const ps = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'].map((p) => parsePlatform(p));
    expect(groupCount('auto', 5)).toBe(3);
    expect(groupCount('auto', 1)).toBe(1);
    expect(groupCount(9, 5)).toBe(5);
    const g = buildGroups(ps, 2);
    expect(g.include.map((x) => x.platforms)).toEqual(['linux/amd64,linux/arm64,darwin/amd64', 'darwin/arm64,windows/amd64']);
    expect(g.include[1]).toMatchObject({ group: 2, name: 'darwin_arm64+windows_amd64', count: 2, split: '2/2' });
    expect(buildGroups(ps, 5).include.every((x) => x.count === 1)).toBe(true);
  });
});

describe('platform validation', () => {
  it('accepts ports of the toolchain and rejects others, naming the input', () => {
    expect(() => checkSupported([parsePlatform('linux/arm64')], ports, 'platforms', 'Go 1.25.3')).not.toThrow();
    expect(() => checkSupported([parsePlatform('darwin/amd64')], ports, 'platforms', 'Go 1.25.3')).toThrow(
      /Input "platforms": got "darwin\/amd64"; expected a port Go 1.25.3 supports.*Ports for darwin: darwin\/arm64/,
    );
  });
  it.each(['linux/arm65/v9', 'windows', 'linux/arm/v9', 'Linux/amd64'])('rejects malformed %s', (p) => {
    expect(() => parsePlatform(p)).toThrow(InputError);
  });
});

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

describe('exported environment', () => {
  it('sets the toolchain policy and -mod=readonly, keeping other GOFLAGS', () => {
    expect(mergeGoflags('-buildvcs=false -mod=vendor', true)).toBe('-buildvcs=false -mod=readonly');
    expect(mergeGoflags('-buildvcs=false', false)).toBe('-buildvcs=false');
    const env = exportedEnv({
      toolchain: 'local',
      modReadonly: true,
      currentGoflags: '-buildvcs=false',
      goproxy: '',
      goprivate: '',
      gonosumdb: '',
      gitToken: '',
      gitConfigCount: 0,
    });
    expect(env).toEqual({ GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -mod=readonly' });
  });
  it('turns a git token into url.insteadOf entries for the GOPRIVATE hosts, after existing GIT_CONFIG entries', () => {
    expect(privateHosts('git.corp.example/*,github.com/acme/*,*.internal')).toEqual(['git.corp.example', 'github.com']);
    const env = exportedEnv({
      toolchain: 'auto',
      modReadonly: false,
      currentGoflags: '',
      goproxy: 'https://proxy.corp',
      goprivate: 'github.com/acme/*',
      gonosumdb: 'github.com/acme/*',
      gitToken: 'tok123',
      gitConfigCount: 1,
    });
    expect(env).toMatchObject({
      GOTOOLCHAIN: 'auto',
      GOPROXY: 'https://proxy.corp',
      GOPRIVATE: 'github.com/acme/*',
      GONOSUMDB: 'github.com/acme/*',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_1: 'url.https://x-access-token:tok123@github.com/.insteadOf',
      GIT_CONFIG_VALUE_1: 'https://github.com/',
    });
    expect(env).not.toHaveProperty('GOFLAGS');
  });
});
