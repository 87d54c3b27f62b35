/**
 * Which release the code is compared with under `new-only`, by semver-release's rules: tags are a
 * prefix (`v`, or `dir/v` for a module in a subfolder) and a SemVer 2.0.0 version. On a pushed
 * release tag, the previous one reachable from HEAD (a stable release skips pre-releases, so
 * v1.4.0 is compared with v1.3.x, not v1.4.0-rc.2); on anything else, the newest release
 * reachable from HEAD that is not HEAD itself.
 */
import { parseTag, previousTag, sortTags } from '@goship/core/semver';
import path from 'node:path';
import type { TagRef } from './git.js';

/** `v1.2.3` → `v`, `api/v1.2.3` → `api/v`, `1.2.3` → ``. */
export function tagPrefix(tag: string): string {
  const slash = tag.lastIndexOf('/');
  return tag.slice(0, slash + 1) + (tag.slice(slash + 1).startsWith('v') ? 'v' : '');
}

/** The tag prefix of a module at `moduleRel` (relative to the repository top): `v`, or `dir/v`. */
export function modulePrefix(moduleRel: string): string {
  const rel = moduleRel.split(path.sep).join('/');
  return rel === '' || rel === '.' ? 'v' : `${rel}/v`;
}

export function pickRelease(tags: readonly TagRef[], opts: { current?: string; head: string; prefix: string }): TagRef | undefined {
  const byName = new Map(tags.map((t) => [t.tag, t]));
  const current = opts.current ? parseTag(opts.current, tagPrefix(opts.current)) : undefined;
  if (current) {
    const names = tags.map((t) => t.tag).filter((t) => t !== current.tag);
    const prev = previousTag(names, current.version, current.prefix);
    return prev && byName.get(prev.tag);
  }
  const newest = sortTags(
    tags.filter((t) => t.commit !== opts.head).map((t) => t.tag),
    opts.prefix,
  )[0];
  return newest && byName.get(newest.tag);
}
