import { partition } from '@goship/core/partition';
import { type Platform, formatPlatform, parsePlatform } from '@goship/core/platform';
import { describe, expect, it } from 'vitest';
import { checkSplit } from '../src/config.js';
import { allTargets, jobTargets, targetKey, type MainPkg } from '../src/targets.js';

const mains: MainPkg[] = [
  { arg: './cmd/api', importPath: 'example.com/multi/cmd/api', binary: 'api' },
  { arg: './cmd/worker', importPath: 'example.com/multi/cmd/worker', binary: 'worker' },
];
const plats = [
  { os: 'linux', arch: 'amd64', variant: '' },
  { os: 'linux', arch: 'arm', variant: 'v7' },
  { os: 'windows', arch: 'amd64', variant: '' },
];

describe('targets and split', () => {
  const all = allTargets(mains, plats, '/d');
  it('pairs every main with every platform, with .exe on Windows', () => {
    expect(all.map((t) => t.out)).toEqual([
      '/d/api_linux_amd64/api',
      '/d/worker_linux_amd64/worker',
      '/d/api_linux_arm_v7/api',
      '/d/worker_linux_arm_v7/worker',
      '/d/api_windows_amd64/api.exe',
      '/d/worker_windows_amd64/worker.exe',
    ]);
  });
  it('for many sizes, each part builds exactly partition(platforms, i, n): whole platforms, every target once', () => {
    const pool = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/riscv64', 'darwin/amd64', 'darwin/arm64'];
    const oses = ['windows', 'freebsd', 'netbsd'];
    for (let count = 1; count <= 13; count++) {
      const platforms: Platform[] = Array.from({ length: count }, (_, i) =>
        parsePlatform(i < pool.length ? pool[i]! : `${oses[(i - pool.length) % 3]}/${['amd64', 'arm64'][i % 2]}`),
      );
      for (let n = 1; n <= count; n++) {
        const seen: string[] = [];
        for (let i = 1; i <= n; i++) {
          const { all: whole, part } = jobTargets(mains, platforms, '/d', { index: i, total: n });
          const want = partition(platforms, i, n).map(formatPlatform);
          expect([...new Set(part.map((t) => t.platformName))], `${i}/${n} of ${count}`).toEqual(want);
          expect(part, `${i}/${n} of ${count}: every main on each of its platforms`).toHaveLength(want.length * mains.length);
          expect(whole).toHaveLength(count * mains.length);
          seen.push(...part.map(targetKey));
        }
        expect(seen.sort(), `${n} parts of ${count}`).toEqual(allTargets(mains, platforms, '/d').map(targetKey).sort());
      }
      expect(() => checkSplit({ index: 1, total: count + 1 }, platforms)).toThrow(/Input "split"/);
    }
  });
});
