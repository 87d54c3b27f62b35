#!/usr/bin/env node
// Benchmark: the peak memory of one build, the figure multiarch-build's scheduler sizes its
// parallelism by (actions/multiarch-build/src/build.ts PEAK_BYTES_PER_BUILD). A build is what
// goship runs for one main on one platform: `go build -trimpath -ldflags=… -o FILE ./cmd/realcli`
// with the go command's own parallelism (GOMAXPROCS unset), on a fresh GOCACHE, so every package
// of the real-size fixture (bench/fixtures/realcli, the AWS SDK's S3 client, cobra, viper,
// bubbletea) is compiled and the binary linked. Samples, one after another:
//   one build   linux/amd64, then windows/arm64 (a different linker and object format);
//   two builds  linux/arm64 and darwin/arm64 at once, as the scheduler runs them on 2 cores: does
//               the step's peak add up per build?
// Each sample is measured with bench/lib/measure.ts (peak summed RSS of the process tree, the
// largest process's peak, wall, CPU, the CPUs' busy share before). Writes
// bench/results/build-memory.md. Reported, never asserted.
//
// Usage: node bench/real-build/memory.mjs   (BENCH_KEEP=1 keeps the work folder)
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, mebibytes, rawTable, sample, smokeBanner } from '../lib/measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const go = '/usr/local/go/bin/go';
const hostEnv = { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH}` };

const work = await mkdtemp(path.join(os.tmpdir(), 'goship-bench-memory-'));
const dir = path.join(work, 'realcli');
await cp(path.join(root, 'bench', 'fixtures', 'realcli'), dir, { recursive: true });
const gomodcache = execFileSync(go, ['env', 'GOMODCACHE'], { env: hostEnv, encoding: 'utf8' }).trim();
execFileSync(go, ['mod', 'download'], { cwd: dir, env: { ...hostEnv, GOPROXY: process.env.GOPROXY ?? 'https://proxy.golang.org,direct' } });
const goEnv = { ...hostEnv, GOMODCACHE: gomodcache, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' };
const goVersion = execFileSync(go, ['version'], { env: hostEnv, encoding: 'utf8' }).trim();

let n = 0;
async function build(platform) {
  const [GOOS, GOARCH] = platform.split('/');
  const GOCACHE = path.join(work, `cache-${++n}`);
  await mkdir(GOCACHE);
  return {
    argv: [go, 'build', '-trimpath', '-ldflags=-s -w', '-o', path.join(work, 'out', `${n}-${GOOS}-${GOARCH}`, 'realcli'), './cmd/realcli'],
    cwd: dir,
    env: { ...goEnv, GOOS, GOARCH, GOCACHE },
  };
}

const steps = [
  ['one build', 'linux/amd64', ['linux/amd64']],
  ['one build', 'windows/arm64', ['windows/arm64']],
  ['two builds at once', 'linux/arm64 + darwin/arm64', ['linux/arm64', 'darwin/arm64']],
];
const raw = [];
for (const [phase, contender, platforms] of steps) {
  console.error(`${phase}: ${contender} (load ${os.loadavg()[0].toFixed(1)}) …`);
  const s = await sample(await Promise.all(platforms.map(build)));
  console.error(`  peak ${mebibytes(s.peakRssKiB)} (largest process ${mebibytes(s.maxRssKiB)}), ${s.wall.toFixed(1)} s`);
  raw.push({ phase, round: 1, contender, sample: s, builds: platforms.length });
}

const perBuild = raw.map((r) => r.sample.peakRssKiB / r.builds);
// the scheduler's figure, read from its source so that this file cannot quote a stale one
const source = await readFile(path.join(root, 'actions', 'multiarch-build', 'src', 'build.ts'), 'utf8');
const peakMiB = Number(/PEAK_BYTES_PER_BUILD = (\d+) \* 1024 \* 1024/.exec(source)?.[1]);
if (!peakMiB) throw new Error('PEAK_BYTES_PER_BUILD not found in actions/multiarch-build/src/build.ts');
let md = `# build-memory benchmark\n\n${smokeBanner(
  3,
  3,
  raw.map((x) => x.sample),
)}`;
md += `bench/fixtures/realcli, \`./cmd/realcli\` (the larger main); ${machineLine()}; ${goVersion}; a fresh GOCACHE per build, GOMAXPROCS unset (the go command's own parallelism, ${os.availableParallelism()} compiles at once).\n\n`;
md += `| step | peak RSS, whole step | per build | peak RSS, largest process |\n| --- | --- | --- | --- |\n`;
for (const [i, r] of raw.entries())
  md += `| ${r.phase}: ${r.contender} | ${mebibytes(r.sample.peakRssKiB)} | ${mebibytes(perBuild[i])} | ${mebibytes(r.sample.maxRssKiB)} |\n`;
md += `\nThe largest per-build figure is ${mebibytes(Math.max(...perBuild))}. multiarch-build's scheduler assumes ${
  peakMiB * os.availableParallelism()
} MiB per build here (${peakMiB} MiB for each of the ${os.availableParallelism()} compiles or links a build may run at once).\n\n`;
md += `## Raw samples\n\n${rawTable(raw, 1)}\n\nRun: \`node bench/real-build/memory.mjs\`.\n`;
console.log(md);
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(path.join(root, 'bench', 'results', 'build-memory.md'), md);
if (process.env.BENCH_KEEP) console.error(`kept ${work}`);
else await rm(work, { recursive: true, force: true });
