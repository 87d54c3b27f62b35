/**
 * SemVer 2.0.0 (https://semver.org): parsing with the specification's own regular expression,
 * precedence as its section 11 defines it, bumps, and tags with a prefix (`v`, `api/v`).
 */
import { GoshipError } from './errors.js';

/** The regular expression suggested by semver.org, verbatim. */
export const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
  build: string[];
}

export function parseSemVer(s: string): SemVer | undefined {
  const m = SEMVER_RE.exec(s);
  if (!m) return undefined;
  const nums = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  if (nums.some((n) => !Number.isSafeInteger(n))) return undefined;
  return {
    major: nums[0],
    minor: nums[1],
    patch: nums[2],
    prerelease: m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

/** Says which SemVer rule a string breaks, for error messages. */
export function explainInvalid(s: string): string {
  if (s === '') return 'it is empty';
  if (/^[vV]/.test(s)) return 'a version has no leading "v" (that belongs to the tag prefix)';
  const core = s.split(/[-+]/, 1)[0]!;
  const parts = core.split('.');
  if (parts.length !== 3) return `the version core needs MAJOR.MINOR.PATCH, got ${parts.length} part(s)`;
  if (parts.some((p) => !/^\d+$/.test(p))) return 'MAJOR, MINOR and PATCH must be non-negative integers';
  if (parts.some((p) => /^0\d/.test(p))) return 'numbers must not have leading zeros (rule 2)';
  const pre = /^[^-+]*-([^+]*)/.exec(s)?.[1];
  if (pre !== undefined) {
    if (pre.split('.').some((id) => id === '')) return 'pre-release identifiers must not be empty (rule 9)';
    if (pre.split('.').some((id) => /^0\d+$/.test(id))) return 'numeric pre-release identifiers must not have leading zeros (rule 9)';
    if (/[^0-9A-Za-z.-]/.test(pre)) return 'pre-release identifiers are [0-9A-Za-z-] only (rule 9)';
  }
  const build = /\+(.*)$/.exec(s)?.[1];
  if (build !== undefined && (build === '' || build.split('.').some((id) => !/^[0-9A-Za-z-]+$/.test(id)))) {
    return 'build metadata identifiers are non-empty [0-9A-Za-z-] (rule 10)';
  }
  return 'it does not match SemVer 2.0.0';
}

export function mustParseSemVer(s: string, what = 'version'): SemVer {
  const v = parseSemVer(s);
  if (!v)
    throw new GoshipError(
      `${what} ${JSON.stringify(s)} is not a SemVer 2.0.0 version: ${explainInvalid(s)}.`,
      'Use MAJOR.MINOR.PATCH, e.g. 1.4.0 or 1.4.0-rc.1',
    );
  return v;
}

export function formatSemVer(v: SemVer, withBuild = true): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.prerelease.length) s += `-${v.prerelease.join('.')}`;
  if (withBuild && v.build.length) s += `+${v.build.join('.')}`;
  return s;
}

/** Precedence per SemVer §11: negative when a < b. Build metadata is ignored. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length === 0 ? 0 : pa.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: string, b: string): number {
  return compareSemVer(mustParseSemVer(a), mustParseSemVer(b));
}

export function isPrerelease(v: SemVer): boolean {
  return v.prerelease.length > 0;
}

export type Bump = 'major' | 'minor' | 'patch';

/** The next release version; a pre-release of the same core is finished instead of bumped. */
export function bump(v: SemVer, kind: Bump): SemVer {
  const base = { prerelease: [], build: [] };
  if (isPrerelease(v)) {
    const finished = { ...v, ...base };
    const finishes = kind === 'major' ? v.minor === 0 && v.patch === 0 : kind === 'minor' ? v.patch === 0 : true;
    if (finishes) return finished;
  }
  if (kind === 'major') return { major: v.major + 1, minor: 0, patch: 0, ...base };
  if (kind === 'minor') return { major: v.major, minor: v.minor + 1, patch: 0, ...base };
  return { major: v.major, minor: v.minor, patch: v.patch + 1, ...base };
}

/** `1.4.0` + `rc` → `1.4.0-rc.1`; `1.4.0-rc.1` + `rc` → `1.4.0-rc.2`. */
export function nextPrerelease(core: SemVer, id: string, previous?: SemVer): SemVer {
  let n = 1;
  if (
    previous &&
    previous.major === core.major &&
    previous.minor === core.minor &&
    previous.patch === core.patch &&
    previous.prerelease[0] === id
  ) {
    const last = previous.prerelease[1];
    n = typeof last === 'number' ? last + 1 : 1;
  }
  return { major: core.major, minor: core.minor, patch: core.patch, prerelease: [id, n], build: [] };
}

export interface Tag {
  tag: string;
  prefix: string;
  version: SemVer;
}

/** Parses `api/v1.4.0` with prefix `api/v`; undefined when the tag is not prefix + SemVer. */
export function parseTag(tag: string, prefix = 'v'): Tag | undefined {
  if (!tag.startsWith(prefix)) return undefined;
  const version = parseSemVer(tag.slice(prefix.length));
  return version ? { tag, prefix, version } : undefined;
}

/** SemVer tags with the prefix, highest first. Non-matching tags are ignored. */
export function sortTags(tags: readonly string[], prefix = 'v'): Tag[] {
  return tags
    .map((t) => parseTag(t, prefix))
    .filter((t): t is Tag => t !== undefined)
    .sort((a, b) => compareSemVer(b.version, a.version));
}

/**
 * The highest tag below `current` with the same prefix. When `current` is a stable release,
 * pre-releases are skipped, so the changelog of 1.4.0 spans everything since 1.3.x.
 */
export function previousTag(tags: readonly string[], current: SemVer, prefix = 'v'): Tag | undefined {
  const stable = !isPrerelease(current);
  return sortTags(tags, prefix).find((t) => compareSemVer(t.version, current) < 0 && (!stable || !isPrerelease(t.version)));
}
