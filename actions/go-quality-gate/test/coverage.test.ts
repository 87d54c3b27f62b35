import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../src/config.js';
import { parseDiff } from '../src/changes.js';
import {
  blockCodeOnLine,
  diffCoverage,
  evaluateThresholds,
  lineRanges,
  packageMatcher,
  parseProfile,
  pct,
  summarize,
} from '../src/coverage.js';

// A real profile written by `go test -covermode=atomic -coverprofile` for fixtures/go/hello.
const HELLO = `mode: atomic
example.com/hello/main.go:18.13,20.2 1 0
example.com/hello/main.go:22.55,27.39 5 1
example.com/hello/main.go:27.39,29.3 1 0
example.com/hello/main.go:30.2,30.18 1 1
example.com/hello/main.go:30.18,33.3 2 1
example.com/hello/main.go:34.2,35.10 2 0
example.com/hello/main.go:39.35,40.16 1 2
example.com/hello/main.go:40.16,42.3 1 1
example.com/hello/main.go:43.2,43.31 1 2
`;

describe('coverage profile', () => {
  it('weights the total by statements as go tool cover -func does (11 of 15 = 73.3%)', () => {
    const s = summarize(parseProfile(HELLO));
    expect(s.total).toMatchObject({ statements: 15, covered: 11 });
    expect(pct(s.total.percent)).toBe('73.3');
    expect(s.packages.map((p) => p.name)).toEqual(['example.com/hello']);
    expect(s.files.map((f) => f.name)).toEqual(['example.com/hello/main.go']);
  });

  it('merges a block listed by several test binaries: counts add up in atomic mode, max in set mode', () => {
    const atomic = parseProfile('mode: atomic\nm/a.go:1.1,2.2 3 0\nm/a.go:1.1,2.2 3 4\nm/b/b.go:1.1,1.9 1 0\n');
    expect(atomic.blocks).toHaveLength(2);
    expect(atomic.blocks[0]!.count).toBe(4);
    const s = summarize(atomic);
    expect(s.total).toMatchObject({ statements: 4, covered: 3 });
    expect(s.packages.map((p) => `${p.name}=${pct(p.percent)}`)).toEqual(['m=100.0', 'm/b=0.0']);
    const set = parseProfile('mode: set\nm/a.go:1.1,2.2 3 1\nm/a.go:1.1,2.2 3 1\n');
    expect(set.blocks[0]!.count).toBe(1);
  });
});

describe('thresholds', () => {
  const cov = summarize(
    parseProfile('mode: set\nm/a.go:1.1,2.2 6 1\nm/a.go:3.1,4.2 4 0\nm/internal/x/x.go:1.1,2.2 1 0\nm/internal/y/y.go:1.1,2.2 1 1\n'),
  );
  // total 7/12 = 58.3%
  const rules = parseRules(['branch:release/*: 85', 'branch:develop: 50', 'package:./internal/...: 70']);

  it('picks the first branch rule that matches the branch, else coverage-threshold', () => {
    const rel = evaluateThresholds(cov, { rules, branch: 'release/1.4', modulePath: 'm', threshold: 10 });
    expect(rel[0]).toMatchObject({ subject: 'total on release/1.4', min: 85, ok: false });
    const dev = evaluateThresholds(cov, { rules, branch: 'develop', modulePath: 'm', threshold: 90 });
    expect(dev[0]).toMatchObject({ min: 50, ok: true });
    const main = evaluateThresholds(cov, { rules, branch: 'main', modulePath: 'm', threshold: 58.3 });
    expect(main[0]).toMatchObject({ subject: 'total', min: 58.3, ok: true });
    expect(evaluateThresholds(cov, { rules: [], branch: 'main', modulePath: 'm' })).toEqual([]);
  });

  it('checks each package a package rule matches', () => {
    const r = evaluateThresholds(cov, { rules, branch: 'main', modulePath: 'm' }).filter((t) => t.rule.startsWith('package'));
    expect(r.map((t) => `${t.subject}:${t.ok}`)).toEqual(['m/internal/x:false', 'm/internal/y:true']);
  });

  it("matches branch globs per path segment (core's glob engine) and package patterns", () => {
    const total = (branch: string, rule: string): number =>
      evaluateThresholds(cov, { rules: parseRules([`branch:${rule}: 99`]), branch, modulePath: 'm' }).length;
    expect(total('release/1.4', 'release/*')).toBe(1);
    expect(total('release/1.4/x', 'release/*')).toBe(0);
    expect(total('release/1.4/x', 'release/**')).toBe(1);
    expect(total('mainline', 'main')).toBe(0);
    const m = packageMatcher('./internal/...', 'example.com/m');
    expect(m('example.com/m/internal')).toBe(true);
    expect(m('example.com/m/internal/a/b')).toBe(true);
    expect(m('example.com/m/internalx')).toBe(false);
    expect(packageMatcher('./...', 'example.com/m')('example.com/m')).toBe(true);
    expect(packageMatcher('example.com/m/pkg', 'example.com/m')('example.com/m/pkg/x')).toBe(false);
  });
});

describe('diff coverage', () => {
  // The diff of changes.test.ts: shout.go is new (lines 1-11).
  const diff = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'changes.diff'), 'utf8');
  it('counts lines holding code of a block, not its braces', () => {
    const src = [
      'package main',
      '',
      'import "strings"',
      '',
      '// Shout upper-cases s.',
      'func Shout(s string) string {',
      '\tif s == "" {',
      '\t\treturn ""',
      '\t}',
      '\treturn strings.ToUpper(s) + "!"',
      '}',
    ];
    const profile = parseProfile('mode: atomic\nm/shout.go:6.29,7.13 1 1\nm/shout.go:7.13,9.3 1 0\nm/shout.go:10.2,10.32 1 1\n');
    expect(blockCodeOnLine(profile.blocks[0]!, 6, src[5])).toBe(false);
    expect(blockCodeOnLine(profile.blocks[0]!, 7, src[6])).toBe(true);
    expect(blockCodeOnLine(profile.blocks[1]!, 9, src[8])).toBe(false);
    const d = diffCoverage(
      profile,
      parseDiff(diff),
      (f) => f.replace(/^m\//, ''),
      (f) => (f === 'shout.go' ? src : undefined),
    );
    expect(d).toMatchObject({ lines: 3, covered: 2 });
    expect(d.files).toEqual([{ file: 'shout.go', lines: 3, covered: 2, uncovered: [8] }]);
    expect(pct(d.percent)).toBe('66.7');
  });

  it('writes line ranges compactly', () => {
    expect(lineRanges([3, 4, 5, 9, 11, 12])).toBe('3-5, 9, 11-12');
    expect(lineRanges([])).toBe('');
  });
});
