import { describe, expect, it } from 'vitest';
import {
  type CommandContext,
  buildOrder,
  commandFor,
  defaultExecName,
  groupTargets,
  nextBuild,
  parseModTimestamp,
  planParallelism,
  vcsEnv,
} from '../src/build.js';
import { parsePlatform } from '@goship/core/platform';
import { planBuildTargets } from '../src/targets.js';
import { COMMIT, inputConfig, resolved, scope } from './plan-helpers.js';

function context(cfg = inputConfig(), stamps = new Map<string, string[]>()): CommandContext {
  return { cfg, scope: scope(), fileEnv: {}, stamps, vcs: true };
}

function targets(cfg = inputConfig()) {
  return planBuildTargets(resolved(cfg), {
    workdir: '/m',
    dist: '/d',
    binaryName: (_b, m) => ({ name: m.binary, flat: false }),
  });
}

describe('go build', () => {
  it("renders the ldflags: the defaults, the input, then the version variables found; the build ID is go's own", () => {
    const cfg = inputConfig({ ldflags: '-X main.trace={{.TraceId}} -X main.short={{ .ShortCommit }}' });
    const c = commandFor(context(cfg, new Map([['api', ['-X main.revision={{.Commit}}']]])), targets(cfg)[0]!);
    const ldflags = c.args.find((a) => a.startsWith('-ldflags='));
    expect(ldflags).toBe(
      `-ldflags=-s -w -X main.version=1.2.3 -X main.commit=${COMMIT} -X main.date=2026-01-01T00:00:00Z -X main.trace=1-1 -X main.short=ccccccc -X main.revision=${COMMIT}`,
    );
    expect(c.args.join(' ')).not.toContain('-buildid');
    const plain = commandFor({ ...context(inputConfig({ reproducible: false })) }, targets()[0]!);
    expect(plain.args).not.toContain('-trimpath');
  });
  it('passes -buildvcs=true, -trimpath, tags, ldflags, the output and `--` before the package to go build', () => {
    const cfg = inputConfig({ tags: 'netgo,osusergo' });
    const c = commandFor(context(cfg), targets(cfg)[0]!);
    expect(c.args[0]).toBe('build');
    expect(c.args.slice(1, 3)).toEqual(['-buildvcs=true', '-trimpath']);
    expect(c.args).toContain('-tags=netgo,osusergo');
    expect(c.args.slice(-4)).toEqual(['-o', '/d/api_linux_amd64/api', '--', './cmd/api']);
    // a -buildvcs flag of the user's wins: goship adds none
    const mine = inputConfig({ flags: ['-buildvcs=false'] });
    const own = commandFor(context(mine), targets(mine)[0]!);
    expect(own.args.filter((a) => a.startsWith('-buildvcs'))).toEqual(['-buildvcs=false']);
    expect(commandFor({ ...context(), vcs: false }, targets()[0]!).args).not.toContain('-buildvcs=true');
  });
  it('sets CGO_ENABLED from the cgo input over the env input, 0 by default, and the target after the env', () => {
    const t = targets()[1]!; // api linux/arm/v7
    expect(commandFor(context(), t).env).toMatchObject({
      CGO_ENABLED: '0',
      GOOS: 'linux',
      GOARCH: 'arm',
      GOARM: '7',
      SOURCE_DATE_EPOCH: '1767225600',
    });
    const byEnv = inputConfig({ env: { CGO_ENABLED: '1', GOOS: 'plan9' } });
    const c = commandFor(context(byEnv), targets(byEnv)[1]!);
    expect(c).toMatchObject({ cgo: true, env: { CGO_ENABLED: '1', GOOS: 'linux' } });
    const off = inputConfig({ env: { CGO_ENABLED: '1' }, cgo: false });
    expect(commandFor(context(off), targets(off)[1]!).cgo).toBe(false);
  });
  it("gives hooks the file's and the build's env, not the target's GOOS/GOARCH (a hook's `go run` builds for the machine)", () => {
    const cfg = inputConfig({ env: { FOO: 'bar' } });
    const c = commandFor({ ...context(cfg), fileEnv: { GLOBAL: '1' } }, targets(cfg)[1]!);
    expect(c.hookEnv).toEqual({ GLOBAL: '1', FOO: 'bar' });
    expect(c.env).toMatchObject({ GLOBAL: '1', FOO: 'bar', GOOS: 'linux', GOARCH: 'arm' });
  });
  it('reads mod_timestamp as Unix seconds or RFC 3339, and names the key otherwise', () => {
    expect(parseModTimestamp('k', '1767225600').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseModTimestamp('k', '2026-01-01T00:00:00Z').getTime()).toBe(1767225600000);
    expect(() => parseModTimestamp('builds[0].mod_timestamp (.goreleaser.yaml:9)', 'soon')).toThrow(/builds\[0\]\.mod_timestamp.*"soon"/);
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

describe('the order of the builds', () => {
  const six = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64', 'windows/arm64'];
  const all = targets(inputConfig({ platforms: six.map((p) => parsePlatform(p)) }));
  const names = (ts: readonly { main: { binary: string }; platformName: string }[]) => ts.map((t) => `${t.main.binary} ${t.platformName}`);
  it("starts the platforms in groups of the workers, each group's mains in turn", () => {
    expect(names(buildOrder(all, 2))).toEqual([
      'api linux/amd64',
      'api linux/arm64',
      'worker linux/amd64',
      'worker linux/arm64',
      'api darwin/amd64',
      'api darwin/arm64',
      'worker darwin/amd64',
      'worker darwin/arm64',
      'api windows/amd64',
      'api windows/arm64',
      'worker windows/amd64',
      'worker windows/arm64',
    ]);
    // one worker: platform by platform, every main of one before the next
    expect(names(buildOrder(all, 1)).slice(0, 4)).toEqual([
      'api linux/amd64',
      'worker linux/amd64',
      'api linux/arm64',
      'worker linux/arm64',
    ]);
    // as many workers as platforms: main by main
    expect(names(buildOrder(all, 6)).slice(0, 7)).toEqual([...six.map((p) => `api ${p}`), 'worker linux/amd64']);
  });
  it('makes one go build of the mains of each platform that share flags and environment', () => {
    const groups = groupTargets(buildOrder(all, 2), context());
    expect(groups.map((g) => names(g.targets))).toEqual(six.map((p) => [`api ${p}`, `worker ${p}`]));
    const g = groups[0]!;
    expect(g.flags).toEqual(commandFor(context(), g.targets[0]!).args.slice(0, -4));
    // different flags for one main: that platform's mains are built apart
    const stamps = new Map([[all.find((t) => t.main.binary === 'worker')!.build.id, ['-X main.v=2']]]);
    expect(groupTargets(buildOrder(all, 2), context(inputConfig(), stamps)).length).toBe(12);
  });
  it('starts next a build whose platform is not being built, in order, else the first waiting', () => {
    const solo = buildOrder(all, 2).map((t) => ({ targets: [t] }));
    const [apiLinux, apiArm, workerLinux, workerArm] = solo;
    // api linux/arm64 finished first while api linux/amd64 still builds: worker linux/arm64 goes before worker linux/amd64
    expect(nextBuild([workerLinux!, workerArm!, ...solo.slice(4)], [apiLinux!])).toBe(1);
    expect(nextBuild([workerLinux!, workerArm!], [])).toBe(0);
    // every waiting build's platform busy: the first
    expect(nextBuild([workerLinux!, workerArm!], [apiLinux!, apiArm!])).toBe(0);
  });
  it("names a main's binary as go does: its last element, the one before a major version, .exe on Windows", () => {
    expect(defaultExecName('example.com/m/cmd/api', 'linux')).toBe('api');
    expect(defaultExecName('example.com/m/cmd/api', 'windows')).toBe('api.exe');
    expect(defaultExecName('example.com/tool/v2', 'linux')).toBe('tool');
    expect(defaultExecName('example.com/tool/v10', 'darwin')).toBe('tool');
    for (const keep of ['v1', 'v0', 'v01', 'v2beta']) expect(defaultExecName(`example.com/x/${keep}`, 'linux')).toBe(keep);
    expect(defaultExecName('hello', 'linux')).toBe('hello');
  });
});

describe('parallelism', () => {
  const GiB = 2 ** 30;
  it('is bounded by cores, memory for `cores` compiles per build, and the number of targets', () => {
    expect(planParallelism('auto', 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 8 });
    expect(planParallelism('auto', 12, 8, 24 * GiB, GiB)).toMatchObject({ workers: 3 });
    expect(planParallelism('auto', 2, 8, 64 * GiB, GiB)).toMatchObject({ workers: 2 });
    expect(planParallelism('auto', 5, 4, 0.2 * GiB, GiB)).toMatchObject({ workers: 1 });
    expect(planParallelism('auto', 12, 2, 22 * GiB, 640 * 2 ** 20).reason).toBe(
      '2 cores, 22.0 GiB available ÷ (2 × 640 MiB per build) = 17, 12 targets',
    );
    expect(planParallelism(3, 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 3, reason: 'parallelism: 3' });
  });
});
