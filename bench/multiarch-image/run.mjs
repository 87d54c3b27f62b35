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
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
const fmt = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)} s`);
const ours = median(res.oursCold);
const rows = [
  ['goship native (cold: new repository)', median(res.oursCold), 'from prebuilt binaries: layers, configs, index, SBOMs, push, preflight'],
  ['goship native (re-run: everything there)', median(res.oursWarm), 'HEADs only, no layer bytes'],
  ['ko build (baseline)', median(res.ko), `ko ${KO_VERSION}: compiles both platforms (warm Go cache after run 1), pushes`],
  ['crane append + index (baseline)', median(res.crane), 'same binaries, one crane process per step'],
];
const ratio = (x) => (x && ours ? `${(ours / x).toFixed(2)}×` : 'n/a');
let md = `# multiarch-image benchmark\n\n2-platform image (linux/amd64, linux/arm64) of fixtures/go/hello to a loopback registry; median of ${res.oursCold.length} runs on ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.\n\n`;
md += '| variant | seconds | goship cold ÷ this | notes |\n| --- | --- | --- | --- |\n';
for (const [name, x, note] of rows) md += `| ${name} | ${fmt(x)} | ${name.startsWith('goship') ? '' : ratio(x)} | ${note} |\n`;
md += `\nRaw (s): ${JSON.stringify(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.map((x) => +x.toFixed(3))])))}\n`;
console.log(md);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'multiarch-image.md'), md);
