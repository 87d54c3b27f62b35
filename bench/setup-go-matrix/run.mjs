#!/usr/bin/env node
// setup-go-matrix: the action's wall time (main + post, through the committed bundle, as the runner
// runs it) with a warm tool cache and warm Go caches (both entries hit in the local Actions cache
// stand-in), as a ratio to `go env -json` alone — the overhead a user pays. Also reported: the
// compute-only plan job (install: false, cache: false) and the one-off cold run (proxy install,
// cache miss, save). Writes bench/results/setup-go-matrix.md. Reported, never asserted.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from '../../packages/testkit/src/runner.ts';
import { startCacheService } from '../../packages/testkit/src/cache-service.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const actionDir = path.join(root, 'actions', 'setup-go-matrix');
const N = Number(process.env.BENCH_RUNS ?? 5);
const PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH}`;

const work = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-sgm-'));
const repo = path.join(work, 'multi');
cpSync(path.join(root, 'fixtures', 'go', 'multi'), repo, { recursive: true });
const git = (...args) => {
  const r = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'import');
git('tag', 'v1.0.0');
writeFileSync(path.join(repo, 'pkg', 'greet', 'extra.go'), 'package greet\n\n// Extra is new.\nconst Extra = 1\n');
git('add', '-A');
git('commit', '-q', '-m', 'change');

const toolCache = path.join(work, 'tool-cache');
const caches = { GOMODCACHE: path.join(work, 'home', 'go', 'pkg', 'mod'), GOCACHE: path.join(work, 'home', '.cache', 'go-build') };
mkdirSync(toolCache, { recursive: true });
for (const args of [
  ['mod', 'download'],
  ['build', './...'],
]) {
  const r = spawnSync('go', args, { cwd: repo, env: { ...process.env, PATH, ...caches, GOFLAGS: '-mod=mod' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')}: ${r.stderr}`);
}
const svc = await startCacheService();
const env = { PATH, ...caches, ...svc.env() };

async function timed(fn) {
  const t = performance.now();
  const r = await fn();
  return { ms: performance.now() - t, r };
}
function check(r, what) {
  if (r.exitCode !== 0 || (r.post && r.post.exitCode !== 0)) {
    console.error(r.log);
    throw new Error(`${what} failed`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// cold: install Go (go.mod: 1.24.0) through the proxy, both caches miss, post saves them
const cold = await timed(() => runAction(actionDir, { cwd: repo, toolCache, env, inputs: { platforms: 'linux/amd64,linux/arm64' } }));
check(cold.r, 'cold run');
const goVersion = cold.r.outputs['go-version'];
const goBin = path.join(toolCache, 'go', goVersion, process.arch, 'bin', 'go');

const rows = [];
const baseline = [];
const warm = [];
const plan = [];
for (let i = 0; i < N; i++) {
  baseline.push((await timed(() => spawnSync(goBin, ['env', '-json'], { cwd: repo, env: { ...process.env, ...caches } }))).ms);
  const w = await timed(() => runAction(actionDir, { cwd: repo, toolCache, env, inputs: { platforms: 'linux/amd64,linux/arm64' } }));
  check(w.r, 'warm run');
  if (w.r.outputs['cache-hit'] !== 'true') throw new Error('warm run did not hit the module cache');
  warm.push(w.ms);
  const p = await timed(() =>
    runAction(actionDir, { cwd: repo, toolCache, env, inputs: { install: false, cache: false, 'go-version': goVersion } }),
  );
  check(p.r, 'plan run');
  plan.push(p.ms);
}
const b = median(baseline);
rows.push(['`go env -json` (baseline)', b, 1]);
rows.push(['setup-go-matrix, warm tool cache, both caches hit (main + post)', median(warm), median(warm) / b]);
rows.push(['setup-go-matrix, compute only (`install: false`, `cache: false`)', median(plan), median(plan) / b]);
rows.push(['first run: proxy install, caches miss and saved (once)', cold.ms, cold.ms / b]);

const table = [
  `Go ${goVersion} on ${os.cpus().length} CPU(s) (load average ${os.loadavg()[0].toFixed(1)} at the end: a shared machine), fixtures/go/multi, median of ${N} runs; each action run is a fresh node process running the committed bundle, as on a runner.`,
  '',
  '| scenario | wall time | ratio to `go env` |',
  '| --- | --- | --- |',
  ...rows.map(([n, ms, ratio]) => `| ${n} | ${ms.toFixed(0)} ms | ${ratio.toFixed(1)}× |`),
  '',
].join('\n');
console.log(table);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'setup-go-matrix.md'), `# setup-go-matrix\n\n${table}`);

await svc.close();
const writable = (d) => {
  chmodSync(d, 0o755);
  for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) writable(path.join(d, e.name));
};
writable(work);
rmSync(work, { recursive: true, force: true });
