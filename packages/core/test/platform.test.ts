import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import {
  DEFAULT_PLATFORMS,
  FIRST_CLASS_PORTS,
  type DistPort,
  checkSupported,
  formatPlatform,
  ociPlatform,
  parsePlatform,
  platformEnv,
  platformId,
} from '../src/platform.js';

const ports = JSON.parse(execFileSync('go', ['tool', 'dist', 'list', '-json'], { encoding: 'utf8' })) as DistPort[];

describe('platforms against the installed Go', () => {
  it('every first-class port parses and is first-class in `go tool dist list -json`', () => {
    const firstClass = ports.filter((p) => p.FirstClass).map((p) => `${p.GOOS}/${p.GOARCH}`);
    expect([...FIRST_CLASS_PORTS].sort()).toEqual([...firstClass].sort());
    for (const s of FIRST_CLASS_PORTS) {
      const p = parsePlatform(s);
      expect(formatPlatform(p)).toBe(s);
      expect(() => checkSupported([p], ports)).not.toThrow();
    }
  });

  it('every port the toolchain lists parses and round-trips', () => {
    for (const d of ports) {
      const p = parsePlatform(`${d.GOOS}/${d.GOARCH}`);
      expect(platformEnv(p)).toEqual({ GOOS: d.GOOS, GOARCH: d.GOARCH });
    }
  });

  it('the default platforms are all supported', () => {
    expect(() =>
      checkSupported(
        DEFAULT_PLATFORMS.map((s) => parsePlatform(s)),
        ports,
      ),
    ).not.toThrow();
  });

  it('rejects a pair the toolchain does not have, naming the input and the ports for that OS', () => {
    const err = (() => {
      try {
        checkSupported([parsePlatform('linux/arm65')], ports, 'platforms', 'Go 1.26.8');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toContain('Input "platforms": got "linux/arm65"');
    expect(err!.message).toContain('linux/arm64');
  });
});

describe('variants', () => {
  it.each([
    ['linux/arm/v5', { GOARM: '5' }],
    ['linux/arm/v6', { GOARM: '6' }],
    ['linux/arm/v7', { GOARM: '7' }],
    ['linux/amd64/v1', { GOAMD64: 'v1' }],
    ['linux/amd64/v3', { GOAMD64: 'v3' }],
    ['darwin/amd64/v4', { GOAMD64: 'v4' }],
    ['linux/arm64/v8.0', { GOARM64: 'v8.0' }],
    ['linux/arm64/v8', { GOARM64: 'v8.0' }],
    ['linux/arm64/v9.2', { GOARM64: 'v9.2' }],
    ['linux/arm64/v8.1,lse', { GOARM64: 'v8.1,lse' }],
    ['linux/386/softfloat', { GO386: 'softfloat' }],
    ['linux/mipsle/softfloat', { GOMIPS: 'softfloat' }],
    ['linux/ppc64le/power9', { GOPPC64: 'power9' }],
    ['linux/riscv64/rva22u64', { GORISCV64: 'rva22u64' }],
  ])('%s sets %o', (s, env) => {
    const p = parsePlatform(s);
    const [os, arch] = s.split('/');
    expect(platformEnv(p)).toEqual({ GOOS: os, GOARCH: arch, ...env });
  });

  it.each(['linux/arm/v8', 'linux/amd64/v5', 'linux/arm64/v7', 'linux/arm64/v8.1,sve', 'linux/386/v7', 'darwin/arm64/v10.0'])(
    'rejects %s',
    (s) => {
      expect(() => parsePlatform(s)).toThrow(InputError);
    },
  );

  it.each(['windows', 'linux/', '/amd64', 'linux/amd64/v3/x', 'Linux/AMD64', 'linux amd64'])('rejects malformed %s with a hint', (s) => {
    expect(() => parsePlatform(s, 'platforms')).toThrow(/Input "platforms": got/);
  });

  it('suggests an architecture for a bare OS', () => {
    expect(() => parsePlatform('windows')).toThrow(/windows\/amd64/);
  });

  it('makes file-name ids and OCI platforms', () => {
    expect(platformId(parsePlatform('linux/arm/v7'))).toBe('linux_arm_v7');
    expect(platformId(parsePlatform('darwin/arm64'))).toBe('darwin_arm64');
    expect(ociPlatform(parsePlatform('linux/arm/v6'))).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(ociPlatform(parsePlatform('linux/arm'))).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(ociPlatform(parsePlatform('linux/amd64/v3'))).toEqual({ os: 'linux', architecture: 'amd64' });
  });
});
