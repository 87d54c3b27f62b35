/** The `matrix`, `platforms` and `build-groups` outputs. */
import type { Log } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { partitions } from '@goship/core/partition';
import { type DistPort, type Platform, formatPlatform, platformEnv, platformId, variantEnv } from '@goship/core/platform';

export interface TestMatrix {
  include: { go: string; os: string }[];
}

/** GitHub runs at most this many jobs from one matrix. */
export const MAX_MATRIX_JOBS = 256;

/** Go versions × runner labels, in input order, duplicates removed; refused when GitHub would not run it. */
export function testMatrix(versions: readonly string[], oses: readonly string[]): TestMatrix {
  const include: TestMatrix['include'] = [];
  const seen = new Set<string>();
  for (const go of versions) {
    for (const os of oses) {
      const k = `${go}\0${os}`;
      if (seen.has(k)) continue;
      seen.add(k);
      include.push({ go, os });
    }
  }
  if (include.length > MAX_MATRIX_JOBS) {
    const input = versions.length >= oses.length ? 'go-version' : 'os';
    throw new InputError(
      input,
      `${versions.length} Go version(s) × ${oses.length} runner label(s)`,
      `at most ${MAX_MATRIX_JOBS} matrix jobs (GitHub's limit)`,
      'Test fewer versions (`min, stable` covers the range) or fewer runner labels',
    );
  }
  return { include };
}

export interface PlatformEntry {
  id: string;
  platform: string;
  goos: string;
  goarch: string;
  variant: string;
  /** The variant's variable in lower case (goarm, goamd64, …) when a variant is given. */
  [variantVar: string]: string | boolean | Record<string, string>;
  env: Record<string, string>;
  cgo: boolean;
  'first-class': boolean;
}

export function platformEntries(ps: readonly Platform[], ports: readonly DistPort[] = []): PlatformEntry[] {
  return ps.map((p) => {
    const port = ports.find((d) => d.GOOS === p.os && d.GOARCH === p.arch);
    const e: PlatformEntry = {
      id: platformId(p),
      platform: formatPlatform(p),
      goos: p.os,
      goarch: p.arch,
      variant: p.variant,
      env: platformEnv(p),
      cgo: port?.CgoSupported ?? false,
      'first-class': port?.FirstClass ?? false,
    };
    const v = variantEnv(p);
    if (v) e[v.name.toLowerCase()] = v.value;
    return e;
  });
}

export interface BuildGroup {
  group: number;
  name: string;
  platforms: string;
  ids: string;
  count: number;
  /** multiarch-build's `split: i/n` over the full platform list: the same part of the same list. */
  split: string;
}

export interface BuildGroups {
  include: BuildGroup[];
}

/**
 * `auto`: about two targets a job (1 → 1, 6 → 3). A number larger than the target count is
 * lowered to it (no group is empty).
 */
export function groupCount(requested: number | 'auto', n: number): number {
  if (n === 0) return 0;
  if (requested === 'auto') return Math.max(1, Math.ceil(n / 2));
  return Math.min(requested, n);
}

/** The targets split by the one split rule (core's `partition`), so group i is exactly what `split: i/n` builds. */
export function buildGroups(ps: readonly Platform[], count: number): BuildGroups {
  return {
    include: partitions(ps, count).map((part, i) => ({
      group: i + 1,
      name: part.map(platformId).join('+'),
      platforms: part.map(formatPlatform).join(','),
      ids: part.map(platformId).join(','),
      count: part.length,
      split: `${i + 1}/${count}`,
    })),
  };
}

/** The build groups for the `build-groups` input, with a notice when it asked for more groups than targets. */
export function planBuildGroups(ps: readonly Platform[], requested: number | 'auto', log: Log): BuildGroups {
  if (typeof requested === 'number' && requested > ps.length) {
    log.notice(`build-groups: ${requested} is more than the ${ps.length} platforms; using ${ps.length}.`);
  }
  return buildGroups(ps, groupCount(requested, ps.length));
}
