/**
 * Benchmark driver (bundled with ncc by run.mjs, then run with plain node): a loopback registry,
 * prebuilt linux/amd64 + linux/arm64 binaries of fixtures/go/hello, then, interleaved per round so
 * machine load hits every variant alike:
 *   ours:     a fresh process running publishImage (assemble + push + SBOMs + preflight), cold (new
 *             repository) and re-run (everything there)
 *   ko:       `ko build` of the same module to the same registry (ko compiles, then pushes)
 *   crane:    the same binaries pushed with crane (append per platform, mutate, index append)
 * Each is measured with bench/lib/measure.ts: wall and CPU seconds (user + system, children
 * included), peak RSS, and the load average before the sample.
 * Prints one JSON line: the samples by variant, and all of them in the order taken.
 * `driver push IMAGE` is the child mode that runs one publishImage.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Command, type Sample as Measured, sample, sampleSeries } from '../lib/measure.js';
import { type Platform, parsePlatform } from '../../packages/core/src/platform.js';
import { Inputs } from '../../packages/core/src/action/inputs.js';
import { fixturesDir, tempDir } from '../../packages/testkit/src/fixtures.js';
import { startRegistry } from '../../packages/testkit/src/registry.js';
import { readImageConfig } from '../../actions/multiarch-build/src/image/config.js';
import { publishImage } from '../../actions/multiarch-build/src/image/publish.js';

const execFileP = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A sample without the commands' output (which the JSON line does not carry). */
type Sample = Omit<Measured, 'output'>;

interface Taken {
  variant: string;
  round: number;
  sample: Sample;
}

const taken: Taken[] = [];

/** Measures `commands` (one after another when `series`) and records the sample in the order taken. */
async function timed(variant: string, round: number, commands: Command[], series = false): Promise<Sample> {
  const { output: _output, ...s } = await (series ? sampleSeries(commands) : sample(commands));
  taken.push({ variant, round, sample: s });
  return s;
}

async function pushOnce(): Promise<void> {
  const binaries = JSON.parse(await readFile(process.env.BENCH_BINARIES!, 'utf8')) as { path: string; platform: Platform }[];
  const image = readImageConfig(Inputs.fromEnv(), process.cwd())!;
  await publishImage({
    binaries,
    project: 'hello',
    version: '1.0.0',
    commit: 'c'.repeat(40),
    commitTime: '2026-11-20T10:00:00Z',
    image,
    distDir: path.dirname(process.env.BENCH_BINARIES!),
    log: () => undefined,
  });
}

async function main(): Promise<void> {
  const [ko, crane] = [process.env.KO_BIN, process.env.CRANE_BIN];
  const self = process.argv[1]!;
  const work = await tempDir('goship-bench-image-');
  const reg = await startRegistry();
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const platforms = ['linux/amd64', 'linux/arm64'];
  const binaries: { path: string; platform: Platform }[] = [];
  for (const p of platforms) {
    const pl = parsePlatform(p);
    const out = path.join(work, `${pl.os}_${pl.arch}`, 'hello');
    await execFileP('go', ['build', '-trimpath', '-ldflags', '-s -w -buildid= -X main.version=1.0.0', '-o', out, '.'], {
      cwd: path.join(fixturesDir, 'hello'),
      env: { ...env, GOOS: pl.os, GOARCH: pl.arch },
    });
    binaries.push({ path: out, platform: pl });
  }
  const binFile = path.join(work, 'binaries.json');
  await writeFile(binFile, JSON.stringify(binaries));
  const result: Record<string, Sample[]> = { oursCold: [], oursWarm: [], ko: [], crane: [] };

  if (crane) {
    // An empty multi-platform base for ko and crane (scratch is not reachable here).
    const empty = path.join(work, 'empty.tar');
    await mkdir(path.join(work, 'emptydir'));
    await execFileP('tar', ['-cf', empty, '-C', path.join(work, 'emptydir'), '.']);
    for (const p of platforms) {
      const a = p.split('/')[1]!;
      await execFileP(crane, ['append', '--insecure', '--oci-empty-base', '-f', empty, '-t', `${reg.host}/bench/base:${a}`]);
      await execFileP(crane, [
        'mutate',
        '--insecure',
        '--set-platform',
        p,
        `${reg.host}/bench/base:${a}`,
        '-t',
        `${reg.host}/bench/base:${a}`,
      ]);
    }
    await execFileP(crane, [
      'index',
      'append',
      '--insecure',
      '-m',
      `${reg.host}/bench/base:amd64`,
      '-m',
      `${reg.host}/bench/base:arm64`,
      '-t',
      `${reg.host}/bench/base:multi`,
    ]);
    for (const b of binaries) {
      const dir = path.join(work, `crane-${b.platform.arch}`);
      await mkdir(path.join(dir, 'usr', 'local', 'bin'), { recursive: true });
      await execFileP('cp', [b.path, path.join(dir, 'usr', 'local', 'bin', 'hello')]);
      await execFileP('tar', ['-cf', `${dir}.tar`, '-C', dir, 'usr']);
    }
    await writeFile(path.join(work, '.ko.yaml'), `defaultBaseImage: ${reg.host}/bench/base:multi\n`);
  }

  const gocache = path.join(work, 'ko-gocache');
  for (let i = 0; i < RUNS; i++) {
    const childEnv = {
      ...process.env,
      BENCH_BINARIES: binFile,
      INPUT_IMAGE: `${reg.host}/bench/ours-${i}`,
      'INPUT_INSECURE-REGISTRIES': reg.host,
    };
    result.oursCold!.push(await timed('oursCold', i + 1, [{ argv: [process.execPath, self, 'push'], env: childEnv }]));
    result.oursWarm!.push(await timed('oursWarm', i + 1, [{ argv: [process.execPath, self, 'push'], env: childEnv }]));
    if (crane) {
      const script: string[][] = [];
      const refs: string[] = [];
      for (const b of binaries) {
        const ref = `${reg.host}/bench/crane-${i}:${b.platform.arch}`;
        script.push([
          'append',
          '--insecure',
          '-b',
          `${reg.host}/bench/base:${b.platform.arch}`,
          '-f',
          path.join(work, `crane-${b.platform.arch}.tar`),
          '-t',
          ref,
        ]);
        script.push(['mutate', '--insecure', '--entrypoint', '/usr/local/bin/hello', ref, '-t', ref]);
        refs.push(ref);
      }
      script.push(['index', 'append', '--insecure', ...refs.flatMap((r) => ['-m', r]), '-t', `${reg.host}/bench/crane-${i}:1.0.0`]);
      result.crane!.push(
        await timed(
          'crane',
          i + 1,
          script.map((argv) => ({ argv: [crane, ...argv] })),
          true,
        ),
      );
    }
    if (ko && crane) {
      // ko compiles both platforms (its own Go cache: cold in round 1, warm after), then pushes.
      result.ko!.push(
        await timed('ko', i + 1, [
          {
            argv: [ko, 'build', '--insecure-registry', '--bare', '--platform', platforms.join(','), '--tags', '1.0.0', '.'],
            cwd: path.join(fixturesDir, 'hello'),
            env: { ...env, GOCACHE: gocache, KO_DOCKER_REPO: `${reg.host}/bench/ko-${i}`, KO_CONFIG_PATH: work },
          },
        ]),
      );
    }
  }
  await reg.stop();
  await rm(work, { recursive: true, force: true });
  console.log(JSON.stringify({ ...result, taken }));
}

(process.argv[2] === 'push' ? pushOnce() : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
