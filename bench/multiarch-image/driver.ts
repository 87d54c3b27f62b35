/**
 * Benchmark driver (bundled with ncc by run.mjs, then run with plain node): a loopback registry,
 * prebuilt linux/amd64 + linux/arm64 binaries of fixtures/go/hello, then
 *   ours:     publishImage (assemble + push + preflight + SBOMs), cold (new repository) and warm (re-run)
 *   baseline: `ko build` of the same module to the same registry (ko compiles, then pushes), and
 *             a crane-based push of the same binaries (crane append per platform + crane index append).
 * Prints one JSON line with the timings.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Platform, parsePlatform } from '../../packages/core/src/platform.js';
import { fixturesDir, tempDir } from '../../packages/testkit/src/fixtures.js';
import { startRegistry } from '../../packages/testkit/src/registry.js';
import { publishImage } from '../../actions/multiarch-build/src/image/publish.js';
import { readImageInputs } from '../../actions/multiarch-build/src/image/inputs.js';

const execFileP = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const [ko, crane] = [process.env.KO_BIN, process.env.CRANE_BIN];
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
  process.env['INPUT_INSECURE-REGISTRIES'] = reg.host;
  const result: Record<string, number[]> = { oursCold: [], oursWarm: [], ko: [], crane: [] };
  for (let i = 0; i < RUNS; i++) {
    process.env.INPUT_IMAGE = `${reg.host}/bench/ours-${i}`;
    const inputs = readImageInputs()!;
    const o = {
      binaries,
      project: 'hello',
      version: '1.0.0',
      commit: 'c'.repeat(40),
      commitTime: '2026-11-20T10:00:00Z',
      inputs,
      log: () => undefined,
    };
    result.oursCold!.push(await timed(() => publishImage(o)));
    result.oursWarm!.push(await timed(() => publishImage(o)));
  }
  if (crane) {
    // An empty multi-platform base for ko (ko needs one; scratch is not reachable here).
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
    for (let i = 0; i < RUNS; i++) {
      result.crane!.push(
        await timed(async () => {
          const refs: string[] = [];
          for (const b of binaries) {
            const dir = path.join(work, `crane-${i}-${b.platform.arch}`);
            await mkdir(path.join(dir, 'usr', 'local', 'bin'), { recursive: true });
            await execFileP('cp', [b.path, path.join(dir, 'usr', 'local', 'bin', 'hello')]);
            const tar = `${dir}.tar`;
            await execFileP('tar', ['-cf', tar, '-C', dir, 'usr']);
            const ref = `${reg.host}/bench/crane-${i}:${b.platform.arch}`;
            await execFileP(crane, ['append', '--insecure', '-b', `${reg.host}/bench/base:${b.platform.arch}`, '-f', tar, '-t', ref]);
            await execFileP(crane, ['mutate', '--insecure', '--entrypoint', '/usr/local/bin/hello', ref, '-t', ref]);
            refs.push(ref);
          }
          await execFileP(crane, [
            'index',
            'append',
            '--insecure',
            ...refs.flatMap((r) => ['-m', r]),
            '-t',
            `${reg.host}/bench/crane-${i}:1.0.0`,
          ]);
        }),
      );
    }
    if (ko) {
      const gocache = path.join(work, 'ko-gocache');
      for (let i = 0; i < RUNS; i++) {
        // ko compiles both platforms (warm Go build cache after the first run), then pushes.
        await writeFile(path.join(work, '.ko.yaml'), `defaultBaseImage: ${reg.host}/bench/base:multi\n`);
        result.ko!.push(
          await timed(() =>
            execFileP(ko, ['build', '--insecure-registry', '--bare', '--platform', platforms.join(','), '--tags', '1.0.0', '.'], {
              cwd: path.join(fixturesDir, 'hello'),
              env: {
                ...env,
                GOCACHE: gocache,
                KO_DOCKER_REPO: `${reg.host}/bench/ko-${i}`,
                KO_CONFIG_PATH: work,
                KO_DEFAULTBASEIMAGE: `${reg.host}/bench/base:multi`,
              },
            }),
          ),
        );
      }
    }
  }
  await reg.stop();
  await rm(work, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
