import { describe, expect, it } from 'vitest';
import type { TagRef } from '../src/git.js';
import { modulePrefix, pickRelease, tagPrefix } from '../src/release.js';

const tags = (...names: string[]): TagRef[] => names.map((tag, i) => ({ tag, commit: `c${i}` }));

describe('the release new-only compares with', () => {
  const all = tags('v1.0.0', 'v1.1.0-rc.1', 'v1.1.0', 'v1.2.0-rc.1', 'v1.2.0-rc.2', 'notes', 'api/v9.0.0');

  it('is the previous release on a release tag: a stable release skips pre-releases, a pre-release does not', () => {
    expect(pickRelease(all, { current: 'v1.2.0', head: 'h', prefix: 'v' })?.tag).toBe('v1.1.0');
    expect(pickRelease(all, { current: 'v1.2.0-rc.2', head: 'c4', prefix: 'v' })?.tag).toBe('v1.2.0-rc.1');
    expect(pickRelease(all, { current: 'v1.1.0', head: 'c2', prefix: 'v' })?.tag).toBe('v1.0.0');
    expect(pickRelease(all, { current: 'v1.0.0', head: 'c0', prefix: 'v' })).toBeUndefined();
  });

  it("follows the pushed tag's prefix (a module in a subfolder)", () => {
    const sub = tags('api/v1.0.0', 'api/v1.1.0', 'v5.0.0');
    expect(pickRelease(sub, { current: 'api/v1.2.0', head: 'h', prefix: 'v' })?.tag).toBe('api/v1.1.0');
    expect(tagPrefix('api/v1.2.0')).toBe('api/v');
    expect(tagPrefix('v1.2.0')).toBe('v');
    expect(tagPrefix('1.2.0')).toBe('');
    expect(modulePrefix('')).toBe('v');
    expect(modulePrefix('svc/api')).toBe('svc/api/v');
  });

  it('is the newest release reachable from HEAD but not at HEAD on anything else', () => {
    expect(pickRelease(all, { head: 'h', prefix: 'v' })?.tag).toBe('v1.2.0-rc.2');
    expect(pickRelease(all, { head: 'c4', prefix: 'v' })?.tag).toBe('v1.2.0-rc.1');
    expect(pickRelease(all, { current: 'nightly', head: 'h', prefix: 'v' })?.tag).toBe('v1.2.0-rc.2');
    expect(pickRelease(tags('notes'), { head: 'h', prefix: 'v' })).toBeUndefined();
    expect(pickRelease(all, { head: 'h', prefix: 'api/v' })?.tag).toBe('api/v9.0.0');
  });
});
