import { partition } from '@goship/core/partition';
import { type DistPort, type Platform, formatPlatform, parsePlatform } from '@goship/core/platform';
import { describe, expect, it } from 'vitest';
import { MAX_MATRIX_JOBS, buildGroups, groupCount, planBuildGroups, platformEntries, testMatrix } from '../src/matrix.js';
import { recordingLog } from './log.js';

const ports: DistPort[] = [
  { GOOS: 'linux', GOARCH: 'amd64', CgoSupported: true, FirstClass: true },
  { GOOS: 'linux', GOARCH: 'arm64', CgoSupported: true, FirstClass: true },
  { GOOS: 'linux', GOARCH: 'arm', CgoSupported: true, FirstClass: true },
  { GOOS: 'darwin', GOARCH: 'arm64', CgoSupported: true, FirstClass: true },
  { GOOS: 'windows', GOARCH: 'amd64', CgoSupported: true, FirstClass: true },
];

/** n distinct platforms (linux/<arch>N spellings are syntax only: build groups never check ports). */
function platforms(n: number): Platform[] {
  return Array.from({ length: n }, (_, i) => ({ os: 'linux', arch: `arch${i}`, variant: '' }));
}

describe('test matrix', () => {
  it('crosses versions with runner labels', () => {
    expect(testMatrix(['1.25.3', '1.24.13'], ['ubuntu-latest', 'macos-14'])).toEqual({
      include: [
        { go: '1.25.3', os: 'ubuntu-latest' },
        { go: '1.25.3', os: 'macos-14' },
        { go: '1.24.13', os: 'ubuntu-latest' },
        { go: '1.24.13', os: 'macos-14' },
      ],
    });
  });

  it("refuses more jobs than GitHub's matrix limit, naming the input that contributes most", () => {
    const versions = Array.from({ length: 20 }, (_, i) => `1.${i}.0`);
    const labels = Array.from({ length: 13 }, (_, i) => `runner-${i}`);
    expect(testMatrix(versions, labels.slice(0, 12)).include).toHaveLength(240);
    expect(() => testMatrix(versions, labels)).toThrow(
      new RegExp(`Input "go-version": got "20 Go version\\(s\\) × 13 runner label\\(s\\)"; expected at most ${MAX_MATRIX_JOBS}`),
    );
    expect(() =>
      testMatrix(
        versions.slice(0, 2),
        Array.from({ length: 129 }, (_, i) => `r${i}`),
      ),
    ).toThrow(/Input "os"/);
  });
});

describe('platform entries', () => {
  it('describes platforms with their variant variables', () => {
    const [arm, amd] = platformEntries([parsePlatform('linux/arm/v7'), parsePlatform('linux/amd64')], ports);
    expect(arm).toMatchObject({
      id: 'linux_arm_v7',
      platform: 'linux/arm/v7',
      goos: 'linux',
      goarch: 'arm',
      goarm: '7',
      env: { GOOS: 'linux', GOARCH: 'arm', GOARM: '7' },
      cgo: true,
    });
    expect(amd).toMatchObject({ id: 'linux_amd64', variant: '', env: { GOOS: 'linux', GOARCH: 'amd64' } });
    expect(amd).not.toHaveProperty('goarm');
  });
});

describe('build groups', () => {
  it('auto is about two targets a group; a number above the target count is lowered to it', () => {
    expect(groupCount('auto', 5)).toBe(3);
    expect(groupCount('auto', 1)).toBe(1);
    expect(groupCount(9, 5)).toBe(5);
    const ps = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'].map((p) => parsePlatform(p));
    const g = buildGroups(ps, 2);
    expect(g.include.map((x) => x.platforms)).toEqual(['linux/amd64,linux/arm64,darwin/amd64', 'darwin/arm64,windows/amd64']);
    expect(g.include[1]).toEqual({
      group: 2,
      name: 'darwin_arm64+windows_amd64',
      platforms: 'darwin/arm64,windows/amd64',
      ids: 'darwin_arm64,windows_amd64',
      count: 2,
      split: '2/2',
    });
  });

  it("each group's platforms are exactly partition(platforms, i, n) — what multiarch-build's `split: i/n` builds", () => {
    let checked = 0;
    for (let count = 1; count <= 20; count++) {
      const ps = platforms(count);
      for (let n = 1; n <= count; n++) {
        const groups = buildGroups(ps, n).include;
        expect(groups).toHaveLength(n);
        groups.forEach((g, idx) => {
          const want = partition(ps, idx + 1, n);
          expect(g.split).toBe(`${idx + 1}/${n}`);
          expect(g.platforms).toBe(want.map(formatPlatform).join(','));
          expect(g.count).toBe(want.length);
          expect(g.count).toBeGreaterThan(0);
          checked++;
        });
        // together the groups cover every target once, in order
        expect(groups.flatMap((g) => g.platforms.split(','))).toEqual(ps.map(formatPlatform));
      }
    }
    expect(checked).toBe(1540); // Σ_{c=1..20} Σ_{n=1..c} n
  });

  it('says so when more groups are asked for than there are targets', () => {
    const log = recordingLog();
    const g = planBuildGroups(platforms(3), 9, log);
    expect(g.include).toHaveLength(3);
    expect(log.lines).toEqual(['notice: build-groups: 9 is more than the 3 platforms; using 3.']);
    expect(planBuildGroups(platforms(3), 'auto', log).include).toHaveLength(2);
    expect(log.lines).toHaveLength(1);
  });
});
