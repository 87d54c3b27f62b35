import { parseTarget } from '@goship/core/config';
import { partition } from '@goship/core/partition';
import { type Platform, formatPlatform, parsePlatform } from '@goship/core/platform';
import { describe, expect, it } from 'vitest';
import { checkSplit } from '../src/config.js';
import { goTargetOf, planTargets, platformOfTarget } from '../src/release-plan.js';
import { partTargetIds, planBuildTargets, targetKey } from '../src/targets.js';
import { inputConfig, resolved } from './plan-helpers.js';

const place = { workdir: '/m', dist: '/d', binaryName: (_b: unknown, m: { binary: string }) => ({ name: m.binary, flat: false }) };

describe('targets and split', () => {
  it('pairs every main with every platform in goship’s layout, with .exe on Windows', () => {
    const all = planBuildTargets(resolved(inputConfig()), place);
    expect(all.map((t) => t.out).sort()).toEqual([
      '/d/api_linux_amd64/api',
      '/d/api_linux_arm_v7/api',
      '/d/api_windows_amd64/api.exe',
      '/d/worker_linux_amd64/worker',
      '/d/worker_linux_arm_v7/worker',
      '/d/worker_windows_amd64/worker.exe',
    ]);
  });
  it('maps goship platforms to GoReleaser targets and back (default variants filled in, then left out)', () => {
    const cases: [string, string, string][] = [
      ['linux/amd64', 'linux_amd64_v1', 'linux/amd64'],
      ['linux/amd64/v3', 'linux_amd64_v3', 'linux/amd64/v3'],
      ['linux/arm/v7', 'linux_arm_7', 'linux/arm/v7'],
      ['linux/arm64', 'linux_arm64_v8.0', 'linux/arm64'],
      ['windows/386', 'windows_386_sse2', 'windows/386'],
      ['darwin/arm64', 'darwin_arm64_v8.0', 'darwin/arm64'],
    ];
    for (const [p, target, back] of cases) {
      expect(goTargetOf(parsePlatform(p)).target, p).toBe(target);
      expect(formatPlatform(platformOfTarget(parseTarget(target))), target).toBe(back);
    }
    expect(formatPlatform(platformOfTarget(parseTarget('linux_arm_6')))).toBe('linux/arm/v6');
  });
  it('for many sizes, each part builds exactly partition(targets, i, n): whole targets, every build once', () => {
    const pool = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/riscv64', 'darwin/amd64', 'darwin/arm64'];
    const oses = ['windows', 'freebsd', 'netbsd'];
    for (let count = 1; count <= 13; count++) {
      const platforms: Platform[] = Array.from({ length: count }, (_, i) =>
        parsePlatform(i < pool.length ? pool[i]! : `${oses[(i - pool.length) % 3]}/${['amd64', 'arm64'][i % 2]}`),
      );
      const builds = resolved(inputConfig({ platforms }));
      const targets = planTargets({ builds: builds.map((b) => b.build) });
      const whole = planBuildTargets(builds, place);
      for (let n = 1; n <= count; n++) {
        const seen: string[] = [];
        for (let i = 1; i <= n; i++) {
          const part = planBuildTargets(builds, place, partTargetIds(targets, { index: i, total: n }));
          const want = partition(platforms, i, n).map(formatPlatform);
          expect([...new Set(part.map((t) => t.platformName))].sort(), `${i}/${n} of ${count}`).toEqual([...want].sort());
          expect(part, `${i}/${n} of ${count}: every main on each of its platforms`).toHaveLength(want.length * 2);
          seen.push(...part.map(targetKey));
        }
        expect(seen.sort(), `${n} parts of ${count}`).toEqual(whole.map(targetKey).sort());
      }
      expect(() => checkSplit({ index: 1, total: count + 1 }, platforms)).toThrow(/Input "split"/);
    }
  });
});
