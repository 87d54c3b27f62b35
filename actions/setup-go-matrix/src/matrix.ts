/** The `matrix`, `platforms` and `build-groups` outputs. */
import { type DistPort, type Platform, formatPlatform, platformEnv, platformId, variantEnv } from '@goship/core/platform';

export interface TestMatrix {
  include: { go: string; os: string }[];
}

/** Go versions × runner labels, in input order, duplicates removed. */
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

export interface BuildGroups {
  include: { group: number; name: string; platforms: string; ids: string; count: number; split: string }[];
}

/**
 * `auto`: about two targets a job (1 → 1, 6 → 3). A number larger than the target count is
 * lowered to it. Targets keep their order and are split into contiguous, balanced groups.
 */
export function groupCount(requested: number | 'auto', n: number): number {
  if (n === 0) return 0;
  if (requested === 'auto') return Math.max(1, Math.ceil(n / 2));
  return Math.min(requested, n);
}

export function buildGroups(ps: readonly Platform[], count: number): BuildGroups {
  const include: BuildGroups['include'] = [];
  const n = ps.length;
  let start = 0;
  for (let g = 0; g < count; g++) {
    const size = Math.floor(n / count) + (g < n % count ? 1 : 0);
    const part = ps.slice(start, start + size);
    start += size;
    include.push({
      group: g + 1,
      name: part.map(platformId).join('+'),
      platforms: part.map(formatPlatform).join(','),
      ids: part.map(platformId).join(','),
      count: part.length,
      // multiarch-build's `split: i/n` over the full platform list: the parts cover every target once.
      split: `${g + 1}/${count}`,
    });
  }
  return { include };
}
