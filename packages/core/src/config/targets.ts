/**
 * GoReleaser's build targets (internal/builders/golang/targets.go at v2.15.1): goos × goarch ×
 * the variant list of each arch (goamd64, go386, goarm, goarm64, gomips, goppc64, goriscv64),
 * keeping only pairs Go supports and dropping `ignore` matches; or the `targets:` list as given,
 * with a missing variant filled with its default. A target is named `<os>_<arch>[_<variant>]`
 * (`linux_amd64_v1`, `linux_arm_6`, `darwin_arm64_v8.0`): the dist folder `<id>_<target>` and
 * artifacts.json use that name, so goship must produce the same strings.
 */
import { type Platform } from '../platform.js';

export const DEFAULT_VARIANTS = {
  goamd64: 'v1',
  go386: 'sse2',
  /** 7 when GORELEASER_EXPERIMENTAL contains `defaultgoarm`. */
  goarm: '6',
  goarm64: 'v8.0',
  gomips: 'hardfloat',
  goppc64: 'power8',
  goriscv64: 'rva20u64',
} as const;

export type VariantKey = keyof typeof DEFAULT_VARIANTS;
export const VARIANT_KEYS = Object.keys(DEFAULT_VARIANTS) as VariantKey[];

/** The arch each variant list applies to. */
const VARIANT_OF: Readonly<Record<string, VariantKey>> = {
  amd64: 'goamd64',
  '386': 'go386',
  arm: 'goarm',
  arm64: 'goarm64',
  mips: 'gomips',
  mipsle: 'gomips',
  mips64: 'gomips',
  mips64le: 'gomips',
  ppc64: 'goppc64',
  ppc64le: 'goppc64',
  riscv64: 'goriscv64',
};

export function variantKeyOf(goarch: string): VariantKey | undefined {
  return VARIANT_OF[goarch];
}

export const DEFAULT_GOOS = ['linux', 'darwin', 'windows'] as const;
export const DEFAULT_GOARCH = ['amd64', 'arm64', '386'] as const;

/** From https://go.dev/doc/install/source#environment, as GoReleaser lists them. */
export const VALID_GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'illumos',
  'ios',
  'js',
  'linux',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'windows',
  'wasip1',
] as const;
export const VALID_GOARCH = [
  '386',
  'amd64',
  'arm',
  'arm64',
  'mips',
  'mips64',
  'mips64le',
  'mipsle',
  'ppc64',
  'ppc64le',
  's390x',
  'wasm',
  'riscv64',
  'loong64',
  'sparc',
  'sparc64',
] as const;
/** The goos+goarch pairs GoReleaser builds; other combinations of the lists are skipped silently. */
const VALID_PAIRS = new Set([
  'aix/ppc64',
  'android/386',
  'android/amd64',
  'android/arm',
  'android/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'dragonfly/amd64',
  'freebsd/386',
  'freebsd/amd64',
  'freebsd/arm',
  'freebsd/arm64',
  'illumos/amd64',
  'ios/arm64',
  'js/wasm',
  'wasip1/wasm',
  'linux/386',
  'linux/amd64',
  'linux/arm',
  'linux/arm64',
  'linux/ppc64',
  'linux/ppc64le',
  'linux/mips',
  'linux/mipsle',
  'linux/mips64',
  'linux/mips64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/loong64',
  'netbsd/386',
  'netbsd/amd64',
  'netbsd/arm',
  'netbsd/arm64',
  'openbsd/386',
  'openbsd/amd64',
  'openbsd/arm',
  'openbsd/arm64',
  'plan9/386',
  'plan9/amd64',
  'plan9/arm',
  'solaris/amd64',
  'solaris/sparc',
  'solaris/sparc64',
  'windows/arm64',
  'windows/386',
  'windows/amd64',
  // experimental in GoReleaser (warned about, still built)
  'openbsd/riscv64',
]);

export const VALID_VARIANTS: Readonly<Record<VariantKey, (v: string) => boolean>> = {
  goamd64: (v) => ['v1', 'v2', 'v3', 'v4'].includes(v),
  go386: (v) => ['sse2', 'softfloat'].includes(v),
  goarm: (v) => ['5', '6', '7'].includes(v),
  // GoReleaser's own pattern, unanchored as it is there.
  goarm64: (v) => /(v8\.[0-9]|v9\.[0-5])((,lse|,crypto)?)+/.test(v),
  gomips: (v) => ['hardfloat', 'softfloat'].includes(v),
  goppc64: (v) => ['power8', 'power9', 'power10'].includes(v),
  goriscv64: (v) => ['rva20u64', 'rva22u64', 'rva23u64'].includes(v),
};

/** `go_first_class` / `go_118_first_class` in `targets:`. */
export const FIRST_CLASS_TARGETS = [
  'darwin_amd64',
  'darwin_arm64',
  'linux_386',
  'linux_amd64',
  'linux_arm',
  'linux_arm64',
  'windows_386',
  'windows_amd64',
] as const;

/** One target with the template fields GoReleaser gives its artifacts (`.Os`, `.Arch`, `.Arm`, …). */
export interface GoTarget {
  /** `linux_arm_6`. */
  target: string;
  goos: string;
  goarch: string;
  goamd64: string;
  go386: string;
  goarm: string;
  goarm64: string;
  gomips: string;
  goppc64: string;
  goriscv64: string;
}

export interface IgnoreRule {
  goos: string;
  goarch: string;
  goamd64: string;
  go386: string;
  goarm: string;
  goarm64: string;
  gomips: string;
  goppc64: string;
  goriscv64: string;
}

export interface TargetMatrix {
  goos: readonly string[];
  goarch: readonly string[];
  goamd64: readonly string[];
  go386: readonly string[];
  goarm: readonly string[];
  goarm64: readonly string[];
  gomips: readonly string[];
  goppc64: readonly string[];
  goriscv64: readonly string[];
  ignore: readonly Partial<IgnoreRule>[];
  /** When non-empty, the lists above are not used (GoReleaser warns that they are ignored). */
  targets: readonly string[];
}

export interface TargetOptions {
  /** `6`, or `7` with GORELEASER_EXPERIMENTAL=defaultgoarm. */
  defaultGoarm?: string;
}

/** A `targets:` entry with its default variant added, as GoReleaser's fixTarget does. */
export function fixTarget(target: string, opts: TargetOptions = {}): string {
  const arch = target.split('_')[1];
  if (target.split('_').length !== 2 || arch === undefined) return target;
  const key = VARIANT_OF[arch];
  if (!key) return target;
  // GoReleaser's fixTarget misses riscv64 only in its Parse, not here: every variant arch gets one.
  const def = key === 'goarm' ? (opts.defaultGoarm ?? DEFAULT_VARIANTS.goarm) : DEFAULT_VARIANTS[key];
  return `${target}_${def}`;
}

/**
 * The template fields of a target string, as GoReleaser's Parse sets them. Its switch has
 * `riscv` (not `riscv64`) and no `ppc64le`, so those two never get their variant field even
 * though the target string carries it; we keep that, since names rendered from `.Riscv64` or
 * `.Ppc64` depend on it.
 */
export function parseTarget(target: string): GoTarget {
  const [goos = '', goarch = '', extra = ''] = target.split('_');
  const t: GoTarget = {
    target,
    goos,
    goarch,
    goamd64: '',
    go386: '',
    goarm: '',
    goarm64: '',
    gomips: '',
    goppc64: '',
    goriscv64: '',
  };
  if (extra) {
    switch (goarch) {
      case 'amd64':
        t.goamd64 = extra;
        break;
      case 'arm64':
        t.goarm64 = extra;
        break;
      case '386':
        t.go386 = extra;
        break;
      case 'arm':
        t.goarm = extra;
        break;
      case 'mips':
      case 'mipsle':
      case 'mips64':
      case 'mips64le':
        t.gomips = extra;
        break;
      case 'ppc64':
        t.goppc64 = extra;
        break;
    }
  }
  return t;
}

function ignored(ignore: TargetMatrix['ignore'], t: GoTarget & Record<VariantKey, string>): boolean {
  return ignore.some((ig) => {
    if (ig.goos && ig.goos !== t.goos) return false;
    if (ig.goarch && ig.goarch !== t.goarch) return false;
    return VARIANT_KEYS.every((k) => !ig[k] || ig[k] === t[k]);
  });
}

/** Problems in the lists, as GoReleaser reports them before building (`invalid goos: …`). */
export function invalidTargetValues(m: TargetMatrix): { key: keyof TargetMatrix; index: number; value: string; expected: string }[] {
  const out: { key: keyof TargetMatrix; index: number; value: string; expected: string }[] = [];
  if (m.targets.length > 0) {
    m.targets.forEach((t, index) => {
      if (t === 'go_first_class' || t === 'go_118_first_class') return;
      const [os, arch, ...rest] = t.split('_');
      if (!os || !arch || rest.length > 1 || !VALID_PAIRS.has(`${os}/${arch}`)) {
        out.push({
          key: 'targets',
          index,
          value: t,
          expected: 'a target `<goos>_<goarch>[_<variant>]` Go supports, e.g. linux_amd64 or linux_arm_7',
        });
        return;
      }
      const key = VARIANT_OF[arch];
      if (rest[0] !== undefined && (!key || !VALID_VARIANTS[key](rest[0]))) {
        out.push({
          key: 'targets',
          index,
          value: t,
          expected: key ? `a ${key} value after ${os}_${arch}_` : `no variant after ${os}_${arch}`,
        });
      }
    });
    return out;
  }
  m.goos.forEach((v, index) => {
    if (!(VALID_GOOS as readonly string[]).includes(v))
      out.push({ key: 'goos', index, value: v, expected: `one of ${VALID_GOOS.join(', ')}` });
  });
  m.goarch.forEach((v, index) => {
    if (!(VALID_GOARCH as readonly string[]).includes(v))
      out.push({ key: 'goarch', index, value: v, expected: `one of ${VALID_GOARCH.join(', ')}` });
  });
  for (const key of VARIANT_KEYS) {
    // GoReleaser checks a variant only when a target uses it, i.e. when its arch is listed.
    if (!m.goarch.some((a) => VARIANT_OF[a] === key) || m.goos.length === 0) continue;
    m[key].forEach((v, index) => {
      if (!VALID_VARIANTS[key](v)) out.push({ key, index, value: v, expected: `a valid ${key} value` });
    });
  }
  return out;
}

/** The targets GoReleaser builds for a matrix whose defaults are already filled in. */
export function expandTargets(m: TargetMatrix, opts: TargetOptions = {}): GoTarget[] {
  if (m.targets.length > 0) {
    const seen = new Set<string>();
    for (const t of m.targets) {
      const list = t === 'go_first_class' || t === 'go_118_first_class' ? FIRST_CLASS_TARGETS : [t];
      for (const x of list) seen.add(fixTarget(x, opts));
    }
    return [...seen].map(parseTarget);
  }
  const out: GoTarget[] = [];
  for (const goos of m.goos) {
    for (const goarch of m.goarch) {
      const key = VARIANT_OF[goarch];
      for (const variant of key ? m[key] : ['']) {
        const t = { goos, goarch, goamd64: '', go386: '', goarm: '', goarm64: '', gomips: '', goppc64: '', goriscv64: '' };
        if (key) t[key] = variant;
        const target = variant ? `${goos}_${goarch}_${variant}` : `${goos}_${goarch}`;
        if (!VALID_PAIRS.has(`${goos}/${goarch}`)) continue;
        if (ignored(m.ignore, { target, ...t })) continue;
        // The artifact gets the fields Parse gives it (see parseTarget), not the ones above.
        out.push(parseTarget(target));
      }
    }
  }
  return out;
}

/** The goship platform of a target (variant as the target string spells it: `6`, `v1`, `v8.0`). */
export function targetPlatform(t: GoTarget): Platform {
  const [os = '', arch = '', variant = ''] = t.target.split('_');
  return { os, arch, variant };
}

/**
 * The environment GoReleaser builds a target with: GOOS, GOARCH and every variant variable, from
 * the parsed fields. So `linux_riscv64_rva22u64` builds with GORISCV64 empty (Go's default,
 * rva20u64), and ppc64le with GOPPC64 empty, exactly as GoReleaser v2.15.1 does.
 */
export function targetEnv(t: GoTarget): Record<string, string> {
  return {
    GOOS: t.goos,
    GOARCH: t.goarch,
    GOAMD64: t.goamd64,
    GO386: t.go386,
    GOARM: t.goarm,
    GOARM64: t.goarm64,
    GOMIPS: t.gomips,
    GOMIPS64: t.gomips,
    GOPPC64: t.goppc64,
    GORISCV64: t.goriscv64,
  };
}
