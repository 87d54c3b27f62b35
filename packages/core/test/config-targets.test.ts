import { describe, expect, it } from 'vitest';
import {
  FIRST_CLASS_TARGETS,
  GoRegexpError,
  type TargetMatrix,
  expandTargets,
  fixTarget,
  goRegexp,
  parseTarget,
  targetEnv,
  targetPlatform,
} from '../src/config/index.js';
import { invalidTargetValues } from '../src/config/targets.js';
import { parsePlatform, platformId } from '../src/platform.js';

function matrix(m: Partial<TargetMatrix>): TargetMatrix {
  return {
    goos: [],
    goarch: [],
    goamd64: ['v1'],
    go386: ['sse2'],
    goarm: ['6'],
    goarm64: ['v8.0'],
    gomips: ['hardfloat'],
    goppc64: ['power8'],
    goriscv64: ['rva20u64'],
    ignore: [],
    targets: [],
    ...m,
  };
}

const names = (m: Partial<TargetMatrix>): string[] => expandTargets(matrix(m)).map((t) => t.target);

describe('target expansion, as internal/builders/golang/targets.go', () => {
  it('goos × goarch × the variants of each arch, in GoReleaser’s order, unsupported pairs dropped', () => {
    expect(names({ goos: ['linux', 'darwin'], goarch: ['amd64', 'arm', '386'], goarm: ['6', '7'] })).toEqual([
      'linux_amd64_v1',
      'linux_arm_6',
      'linux_arm_7',
      'linux_386_sse2',
      'darwin_amd64_v1',
    ]);
  });

  it('arches without a variant have none; every variant arch gets its list', () => {
    expect(
      names({ goos: ['linux'], goarch: ['s390x', 'loong64', 'mips64le', 'ppc64le', 'riscv64', 'arm64'], goarm64: ['v8.0', 'v9.0'] }),
    ).toEqual([
      'linux_s390x',
      'linux_loong64',
      'linux_mips64le_hardfloat',
      'linux_ppc64le_power8',
      'linux_riscv64_rva20u64',
      'linux_arm64_v8.0',
      'linux_arm64_v9.0',
    ]);
  });

  it('ignore rules match on every field they set, variants included', () => {
    expect(
      names({
        goos: ['linux', 'freebsd'],
        goarch: ['amd64', 'arm'],
        goarm: ['6', '7'],
        goamd64: ['v1', 'v3'],
        ignore: [
          { goos: 'freebsd', goarch: 'arm', goarm: '6' },
          { goamd64: 'v3', goos: 'linux' },
        ],
      }),
    ).toEqual(['linux_amd64_v1', 'linux_arm_6', 'linux_arm_7', 'freebsd_amd64_v1', 'freebsd_amd64_v3', 'freebsd_arm_7']);
  });

  it('`targets:` is used as given, default variants filled in, duplicates and first-class sets merged', () => {
    expect(names({ goos: ['windows'], targets: ['linux_amd64', 'linux_amd64_v1', 'linux_arm_7', 'go_first_class'] })).toEqual([
      'linux_amd64_v1',
      'linux_arm_7',
      'darwin_amd64_v1',
      'darwin_arm64_v8.0',
      'linux_386_sse2',
      'linux_arm_6',
      'linux_arm64_v8.0',
      'windows_386_sse2',
      'windows_amd64_v1',
    ]);
    expect(FIRST_CLASS_TARGETS).toHaveLength(8);
    expect(fixTarget('linux_arm', { defaultGoarm: '7' })).toBe('linux_arm_7');
    expect(fixTarget('linux_riscv64')).toBe('linux_riscv64_rva20u64');
    expect(fixTarget('js_wasm')).toBe('js_wasm');
  });

  it('names invalid values the way GoReleaser rejects them', () => {
    expect(invalidTargetValues(matrix({ goos: ['linux', 'plan10'], goarch: ['amd64', 'mips'], gomips: ['half'] }))).toEqual([
      { key: 'goos', index: 1, value: 'plan10', expected: expect.stringContaining('one of aix') },
      { key: 'gomips', index: 0, value: 'half', expected: 'a valid gomips value' },
    ]);
    // A variant is only checked when its arch is built.
    expect(invalidTargetValues(matrix({ goos: ['linux'], goarch: ['amd64'], goarm: ['9'] }))).toEqual([]);
    expect(
      invalidTargetValues(matrix({ targets: ['linux_amd64', 'darwin_386', 'linux_amd64_v9', 'go_first_class'] })).map((x) => x.value),
    ).toEqual(['darwin_386', 'linux_amd64_v9']);
  });
});

describe('target fields and environment', () => {
  it('parseTarget sets the template fields as GoReleaser’s Parse does, quirks included', () => {
    expect(parseTarget('linux_arm_7')).toMatchObject({ goos: 'linux', goarch: 'arm', goarm: '7', goamd64: '' });
    expect(parseTarget('darwin_arm64_v8.0').goarm64).toBe('v8.0');
    // Parse switches on "riscv" and has no ppc64le case: those variants never reach the fields.
    expect(parseTarget('linux_riscv64_rva22u64').goriscv64).toBe('');
    expect(parseTarget('linux_ppc64le_power9').goppc64).toBe('');
    expect(parseTarget('linux_ppc64_power9').goppc64).toBe('power9');
  });

  it('targetEnv sets every variant variable, empty where the target has none', () => {
    expect(targetEnv(parseTarget('linux_amd64_v3'))).toEqual({
      GOOS: 'linux',
      GOARCH: 'amd64',
      GOAMD64: 'v3',
      GO386: '',
      GOARM: '',
      GOARM64: '',
      GOMIPS: '',
      GOMIPS64: '',
      GOPPC64: '',
      GORISCV64: '',
    });
    expect(targetEnv(parseTarget('linux_mips64_softfloat'))).toMatchObject({ GOMIPS: 'softfloat', GOMIPS64: 'softfloat' });
  });

  it('targetPlatform is a goship platform whose id is the GoReleaser target string', () => {
    for (const t of [
      'linux_amd64_v1',
      'linux_arm_6',
      'darwin_arm64_v8.0',
      'windows_386_sse2',
      'linux_s390x',
      'linux_mips_hardfloat',
      'linux_riscv64_rva20u64',
    ]) {
      const p = targetPlatform(parseTarget(t));
      expect(platformId(p)).toBe(t);
      expect(parsePlatform(`${p.os}/${p.arch}${p.variant ? `/${p.variant}` : ''}`)).toEqual(p);
    }
  });
});

describe('goRegexp: changelog patterns in Go syntax', () => {
  it.each([
    ['^.*?feat(\\([[:word:]]+\\))??!?:.+$', ['feat(cli): x', 'feat!: y', 'x feat: z'], ['fix: a', 'feat(a-b): c']],
    ['(?i)^docs:', ['Docs: a', 'DOCS: b'], ['chore: docs:']],
    ['^.*fix[(\\w)]*:+.*$', ['fix(core): a', 'bugfix: b'], ['fixes a']],
    ['\\Afeat\\z', ['feat'], ['feat\n', 'xfeat']],
    ['^(?P<type>\\w+):', ['chore: x'], ['no colon']],
    ['\\Qa.b\\E', ['a.b'], ['axb']],
    ['[[:upper:]][[:digit:]]', ['A1'], ['a1']],
    ['[]a]', [']', 'a'], ['b']],
  ])('%s', (pattern, yes, no) => {
    const re = goRegexp(pattern);
    for (const s of yes) expect(re.test(s), s).toBe(true);
    for (const s of no) expect(re.test(s), s).toBe(false);
  });

  it.each([
    ['(a)\\1', 'backreferences'],
    ['a(?=b)', 'lookahead'],
    ['(?U)a+', 'ungreedy'],
    ['a(?i)b', 'put them first'],
    ['[[:nope:]]', 'unknown POSIX class'],
    ['[abc', 'missing closing ]'],
  ])('%s is refused (%s)', (pattern, reason) => {
    expect(() => goRegexp(pattern)).toThrow(GoRegexpError);
    expect(() => goRegexp(pattern)).toThrow(reason);
  });
});
