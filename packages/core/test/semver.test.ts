import { describe, expect, it } from 'vitest';
import {
  bump,
  compareSemVer,
  explainInvalid,
  formatSemVer,
  nextPrerelease,
  parseSemVer,
  parseTag,
  previousTag,
  sortTags,
} from '../src/semver.js';

const v = (s: string) => {
  const p = parseSemVer(s);
  if (!p) throw new Error(`test bug: ${s} does not parse`);
  return p;
};

describe('SemVer 2.0.0 parsing', () => {
  it.each([
    '0.0.4',
    '1.2.3',
    '10.20.30',
    '1.1.2-prerelease+meta',
    '1.1.2+meta',
    '1.1.2+meta-valid',
    '1.0.0-alpha',
    '1.0.0-beta',
    '1.0.0-alpha.beta',
    '1.0.0-alpha.beta.1',
    '1.0.0-alpha.1',
    '1.0.0-alpha0.valid',
    '1.0.0-alpha.0valid',
    '1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay',
    '1.0.0-rc.1+build.1',
    '2.0.0-rc.1+build.123',
    '1.2.3-beta',
    '10.2.3-DEV-SNAPSHOT',
    '1.2.3-SNAPSHOT-123',
    '2.0.0+build.1848',
    '2.0.1-alpha.1227',
    '1.0.0-alpha+beta',
    '1.2.3----RC-SNAPSHOT.12.9.1--.12+788',
    '1.2.3----R-S.12.9.1--.12+meta',
    '1.2.3----RC-SNAPSHOT.12.9.1--.12',
    '1.0.0+0.build.1-rc.10000aaa-kk-0.1',
    '1.0.0-0A.is.legal',
  ])('accepts %s (semver.org valid list)', (s) => {
    expect(formatSemVer(v(s))).toBe(s);
  });

  it.each([
    '1',
    '1.2',
    '1.2.3-0123',
    '1.2.3-0123.0123',
    '1.1.2+.123',
    '+invalid',
    '-invalid',
    '-invalid+invalid',
    'alpha',
    'alpha.beta.1',
    '1.0.0-alpha_beta',
    '01.1.1',
    '1.01.1',
    '1.1.01',
    '1.2.3.DEV',
    '1.2-SNAPSHOT',
    '1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788',
    '+justmeta',
    '9.8.7+meta+meta',
    '9.8.7-whatever+meta+meta',
    'v1.2.3',
  ])('rejects %s (semver.org invalid list)', (s) => {
    expect(parseSemVer(s)).toBeUndefined();
  });

  it('explains which rule is broken', () => {
    expect(explainInvalid('v1.2.3')).toMatch(/leading "v"/);
    expect(explainInvalid('1.2')).toMatch(/MAJOR.MINOR.PATCH/);
    expect(explainInvalid('01.2.3')).toMatch(/leading zeros/);
    expect(explainInvalid('1.2.3-01')).toMatch(/rule 9/);
    expect(explainInvalid('1.2.3+')).toMatch(/rule 10/);
  });
});

describe('precedence (§11)', () => {
  it('orders the specification example chain', () => {
    const chain = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 0; i < chain.length - 1; i++) {
      expect(compareSemVer(v(chain[i]!), v(chain[i + 1]!)), `${chain[i]} < ${chain[i + 1]}`).toBeLessThan(0);
      expect(compareSemVer(v(chain[i + 1]!), v(chain[i]!))).toBeGreaterThan(0);
    }
    const shuffled = [...chain].reverse().sort((a, b) => compareSemVer(v(a), v(b)));
    expect(shuffled).toEqual(chain);
  });

  it('orders 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1 and ignores build metadata', () => {
    expect(compareSemVer(v('1.0.0'), v('2.0.0'))).toBeLessThan(0);
    expect(compareSemVer(v('2.0.0'), v('2.1.0'))).toBeLessThan(0);
    expect(compareSemVer(v('2.1.0'), v('2.1.1'))).toBeLessThan(0);
    expect(compareSemVer(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
  });
});

describe('bumps and tags', () => {
  it('bumps releases and finishes pre-releases', () => {
    expect(formatSemVer(bump(v('1.2.3'), 'patch'))).toBe('1.2.4');
    expect(formatSemVer(bump(v('1.2.3'), 'minor'))).toBe('1.3.0');
    expect(formatSemVer(bump(v('1.2.3'), 'major'))).toBe('2.0.0');
    expect(formatSemVer(bump(v('2.0.0-rc.1'), 'major'))).toBe('2.0.0');
    expect(formatSemVer(bump(v('1.3.0-rc.1'), 'patch'))).toBe('1.3.0');
    expect(formatSemVer(bump(v('1.3.1-rc.1'), 'minor'))).toBe('1.4.0');
    expect(formatSemVer(nextPrerelease(v('1.4.0'), 'rc', v('1.4.0-rc.1')))).toBe('1.4.0-rc.2');
    expect(formatSemVer(nextPrerelease(v('1.4.0'), 'rc', v('1.3.0')))).toBe('1.4.0-rc.1');
  });

  it('parses prefixed tags and finds the previous one', () => {
    expect(parseTag('api/v1.2.3', 'api/v')?.version.minor).toBe(2);
    expect(parseTag('v1.2.3', 'api/v')).toBeUndefined();
    expect(parseTag('v1.2', 'v')).toBeUndefined();
    const tags = ['v1.0.0', 'v1.1.0-rc.1', 'v1.1.0', 'v1.2.0-rc.1', 'v1.2.0-rc.2', 'api/v9.0.0', 'nightly', 'v1.10.0'];
    expect(sortTags(tags).map((t) => t.tag)).toEqual(['v1.10.0', 'v1.2.0-rc.2', 'v1.2.0-rc.1', 'v1.1.0', 'v1.1.0-rc.1', 'v1.0.0']);
    expect(previousTag(tags, v('1.2.0'))?.tag).toBe('v1.1.0');
    expect(previousTag(tags, v('1.2.0-rc.2'))?.tag).toBe('v1.2.0-rc.1');
    expect(previousTag(tags, v('1.0.0'))).toBeUndefined();
    expect(previousTag(tags, v('9.1.0'), 'api/v')?.tag).toBe('api/v9.0.0');
  });
});
