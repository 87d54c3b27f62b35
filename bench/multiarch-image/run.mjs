#!/usr/bin/env node
// Benchmark: a 2-platform image (linux/amd64 + linux/arm64) of fixtures/go/hello from prebuilt
// binaries, pushed to a loopback registry, vs `ko build` of the same module to the same registry
// (ko compiles, then pushes) and a crane-based push of the same binaries. Seconds, median of
// BENCH_RUNS (default 3). Writes bench/results/multiarch-image.md. Not a test: nothing is asserted.
//
// ko is installed with `go install github.com/google/ko@KO_VERSION` into $(go env GOPATH)/goship-bench
// (checksums verified by the Go checksum database) unless it is there already.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, median, rawTable, smokeBanner } from '../lib/measure.ts';

const KO_VERSION = 'v0.19.1';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = {
  ...process.env,
  PATH: `/usr/local/go/bin${path.delimiter}${path.join(root, '.tools', 'bin')}${path.delimiter}${process.env.PATH}`,
};

function tool(name) {
  const p = path.join(root, '.tools', 'bin', name);
  if (!existsSync(p)) execFileSync(path.join(root, 'scripts', 'install-tools'), [name], { stdio: 'inherit', env });
  return p;
}

function ko() {
  if (process.env.BENCH_NO_KO) return undefined;
  const gopath = execFileSync('go', ['env', 'GOPATH'], { env, encoding: 'utf8' }).trim();
  const dir = path.join(gopath, 'goship-bench', `ko-${KO_VERSION}`);
  const bin = path.join(dir, 'ko');
  if (existsSync(bin)) return bin;
  console.error(`installing ko ${KO_VERSION} with go install (once)…`);
  const tmp = `${dir}.tmp.${process.pid}`;
  const r = spawnSync('go', ['install', `github.com/google/ko@${KO_VERSION}`], {
    env: { ...env, GOBIN: tmp, CGO_ENABLED: '0', GOTOOLCHAIN: 'auto' },
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('ko could not be installed; the crane baseline is used alone');
    return undefined;
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(tmp, dir);
  return bin;
}

// Three levels below the root, where the test kit's code expects to be (it finds the repository
// and its fixtures relative to itself); removed after the run.
const out = path.join(root, 'bench', 'multiarch-image', '.build');
rmSync(out, { recursive: true, force: true });
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const b = spawnSync(
  process.execPath,
  [ncc, 'build', path.join(root, 'bench', 'multiarch-image', 'driver.ts'), '-o', out, '--target', 'es2023', '--quiet'],
  {
    cwd: path.join(root, 'actions', 'multiarch-build'),
    stdio: 'inherit',
  },
);
if (b.status !== 0) process.exit(1);
writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');

const r = spawnSync(process.execPath, [path.join(out, 'index.js')], {
  env: { ...env, CRANE_BIN: tool('crane'), KO_BIN: ko() ?? '', REGISTRY_BIN: tool('registry') },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 << 20,
});
rmSync(out, { recursive: true, force: true });
if (r.status !== 0) process.exit(r.status ?? 1);
const res = JSON.parse(r.stdout.trim().split('\n').pop());
const stat = (k, f) => median((res[k] ?? []).map((x) => x[f]));
const fmt = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)} s`);
const warmKo = { wall: median(res.ko.slice(1).map((x) => x.wall)), cpu: median(res.ko.slice(1).map((x) => x.cpu)) };
const rows = [
  [
    'goship native, cold (new repository)',
    stat('oursCold', 'wall'),
    stat('oursCold', 'cpu'),
    'from prebuilt binaries: layers, configs, index, SBOMs, push, preflight; a fresh node process',
  ],
  ['goship native, re-run (all blobs there)', stat('oursWarm', 'wall'), stat('oursWarm', 'cpu'), 'HEADs only, no layer bytes'],
  ['ko build, cold Go cache (round 1)', res.ko[0]?.wall, res.ko[0]?.cpu, `ko ${KO_VERSION}: compiles both platforms, pushes`],
  ['ko build, warm Go cache (rounds 2…)', warmKo.wall, warmKo.cpu, 'ko links again from its cache, pushes'],
  ['crane append + mutate + index append', stat('crane', 'wall'), stat('crane', 'cpu'), 'same binaries; 5 crane processes'],
];
const oursWall = stat('oursCold', 'wall');
const oursCpu = stat('oursCold', 'cpu');
const ratio = (ours, x) => (x && ours ? `${(ours / x).toFixed(2)}×` : 'n/a');
let md = `# multiarch-image benchmark\n\n${smokeBanner(
  res.oursCold.length,
  3,
  res.taken.map((t) => t.sample),
)}2-platform image (linux/amd64, linux/arm64) of fixtures/go/hello pushed to a loopback registry (distribution, pinned); rounds interleave the variants; median of ${res.oursCold.length} rounds; ${machineLine()} (on a shared machine wall times are noisy; CPU seconds are steadier).\n\n`;
md += '| variant | wall | CPU (user+sys) | goship cold ÷ this (wall / CPU) | notes |\n| --- | --- | --- | --- | --- |\n';
for (const [name, w, c, note] of rows)
  md += `| ${name} | ${fmt(w)} | ${fmt(c)} | ${name.startsWith('goship') ? '' : `${ratio(oursWall, w)} / ${ratio(oursCpu, c)}`} | ${note} |\n`;
md += `\nGoal (issue #6): goship ≤ 0.5× ko.\n\n## Raw samples\n\nIn the order taken; load is the 1-minute load average just before the sample; oursCold/oursWarm are goship's publishImage in a fresh node process; crane is its 5 commands in series.\n\n${rawTable(
  res.taken.map((t) => ({ phase: 'image', round: t.round, contender: t.variant, sample: t.sample })),
)}\n\nRun: \`node bench/multiarch-image/run.mjs\` (BENCH_RUNS, BENCH_NO_KO).\n`;
console.log(md);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'multiarch-image.md'), md);
