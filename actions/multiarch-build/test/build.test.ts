import { describe, expect, it } from 'vitest';
import { buildArgs, gomaxprocsAt, ldflagsFor, planParallelism, vcsEnv } from '../src/build.js';
import { allTargets, type MainPkg } from '../src/targets.js';

const vars = {
  Version: '1.2.3',
  Tag: 'v1.2.3',
  Commit: 'c'.repeat(40),
  ShortCommit: 'ccccccc',
  Date: '2026-01-01T00:00:00Z',
  TraceId: '1-1',
  Project: 'hello',
};

const mains: MainPkg[] = [
  { arg: './cmd/api', importPath: 'example.com/multi/cmd/api', binary: 'api' },
  { arg: './cmd/worker', importPath: 'example.com/multi/cmd/worker', binary: 'worker' },
];
const plats = [
  { os: 'linux', arch: 'amd64', variant: '' },
  { os: 'linux', arch: 'arm', variant: 'v7' },
  { os: 'windows', arch: 'amd64', variant: '' },
];

describe('go build', () => {
  it('builds the ldflags: -buildid= first, defaults, then the user ones', () => {
    const l = ldflagsFor({ ldflags: '-X main.trace={{.TraceId}}', reproducible: true }, vars);
    expect(l).toBe(
      `-buildid= -s -w -X main.version=1.2.3 -X main.commit=${vars.Commit} -X main.date=2026-01-01T00:00:00Z -X main.trace=1-1`,
    );
    expect(ldflagsFor({ ldflags: '', reproducible: false }, vars)).not.toContain('-buildid=');
  });
  it('passes -trimpath, tags, ldflags, the output and `--` before the package to go build', () => {
    const args = buildArgs(
      { flags: [], tags: 'netgo', reproducible: true, ldflags: '' },
      '-s -X main.v=1',
      allTargets(mains, plats, '/d')[0]!,
    );
    expect(args).toEqual([
      'build',
      '-trimpath',
      '-tags=netgo',
      '-ldflags=-s -X main.v=1',
      '-o',
      '/d/api_linux_amd64/api',
      '--',
      './cmd/api',
    ]);
  });
  it('keeps dist out of git status through a per-build excludes file', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'goship-unit-'));
    const env = await vcsEnv('/repo', '/repo/sub/dist', tmp);
    const n = Number(process.env.GIT_CONFIG_COUNT ?? 0) || 0;
    expect(env.GIT_CONFIG_COUNT).toBe(String(n + 1));
    expect(env[`GIT_CONFIG_KEY_${n}`]).toBe('core.excludesFile');
    expect(await readFile(env[`GIT_CONFIG_VALUE_${n}`]!, 'utf8')).toBe('/sub/dist/\n');
    const outside = await vcsEnv('/repo', '/elsewhere/dist', tmp);
    expect(await readFile(outside[`GIT_CONFIG_VALUE_${n}`]!, 'utf8')).toBe('');
  });
});

describe('parallelism', () => {
  const GiB = 2 ** 30;
  it('is bounded by cores, memory and the number of targets', () => {
    expect(planParallelism('auto', 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 8, gomaxprocs: 1 });
    expect(planParallelism('auto', 12, 8, 3 * GiB, GiB)).toMatchObject({ workers: 3, gomaxprocs: 2 });
    expect(planParallelism('auto', 2, 8, 64 * GiB, GiB)).toMatchObject({ workers: 2, gomaxprocs: 4 });
    expect(planParallelism('auto', 5, 4, 0.2 * GiB, GiB)).toMatchObject({ workers: 1, gomaxprocs: 4 });
    expect(planParallelism(3, 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 3, gomaxprocs: 2 });
  });
  it('gives the last builds the cores the finished ones freed', () => {
    const plan = planParallelism('auto', 8, 4, 64 * GiB, GiB);
    expect([8, 4, 3, 2, 1].map((n) => gomaxprocsAt(plan, n))).toEqual([1, 1, 1, 2, 4]);
  });
});
