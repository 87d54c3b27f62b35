#!/usr/bin/env node
// Benchmark of multiarch-build (plain node, no test framework). Usage: node bench/multiarch-build/run.mjs
//  (a) 8 targets of fixtures/go/multi (2 mains × 4 platforms) from a cold GOCACHE: the action's
//      bundle vs a bare parallel loop, one `go build` per platform for both mains with the same
//      flags (the physical limit; see bench/README.md).
//  (b) packaging those 8 targets (4 archives + checksums + SPDX and CycloneDX SBOMs) vs
//      `tar czf` + `sha256sum` (no SBOMs) on the same binaries.
// Prints a Markdown table and writes bench/results/multiarch-build.md. Never asserted in tests.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { smokeBanner } from '../lib/measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const actionDir = path.join(root, 'actions', 'multiarch-build');
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'darwin/arm64', 'windows/amd64'];
const MAINS = ['./cmd/api', './cmd/worker'];
const PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH}`;

/** Runs under GNU time: returns the output and the CPU seconds (user + sys, children included). */
async function timed(cmd, args, opts = {}) {
  const out = await sh('/usr/bin/time', ['-f', 'GOSHIP_CPU %U %S', cmd, ...args], opts);
  const m = /GOSHIP_CPU ([\d.]+) ([\d.]+)\s*$/.exec(out);
  return { out, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

function sh(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, env: { ...process.env, PATH, ...(opts.env ?? {}) } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} → ${code}\n${out.slice(-2000)}`))));
  });
}

async function repo() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-'));
  cpSync(path.join(root, 'fixtures', 'go', 'multi'), dir, { recursive: true });
  const env = {
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@b.invalid',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@b.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  await sh('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  await sh('git', ['add', '-A'], { cwd: dir, env });
  await sh('git', ['commit', '-qm', 'bench'], { cwd: dir, env });
  await sh('git', ['tag', 'v1.0.0'], { cwd: dir, env });
  return dir;
}

/** Runs the committed bundle like the runner: INPUT_* with action.yml defaults, GITHUB_OUTPUT. */
async function runBundle(cwd, inputs, env) {
  const yml = parse(readFileSync(path.join(actionDir, 'action.yml'), 'utf8'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-step-'));
  const outFile = path.join(work, 'out');
  writeFileSync(outFile, '');
  const e = { GITHUB_OUTPUT: outFile, RUNNER_TEMP: work, GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REPOSITORY: 'bench/multi', ...env };
  for (const [k, v] of Object.entries(yml.inputs)) if (v.default !== undefined) e[`INPUT_${k.toUpperCase()}`] = String(v.default);
  for (const [k, v] of Object.entries(inputs)) e[`INPUT_${k.toUpperCase()}`] = String(v);
  const t = performance.now();
  const { out: log, cpu } = await timed(process.execPath, [path.join(actionDir, yml.runs.main)], { cwd, env: e });
  const ms = performance.now() - t;
  for (const line of log.split('\n')) if (/^(built|packaged) /.test(line)) console.error(`  ${line}`);
  const outputs = Object.fromEntries(
    [...readFileSync(outFile, 'utf8').matchAll(/^([^<\n]+)<<(.+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]]),
  );
  rmSync(work, { recursive: true, force: true });
  return { ms, cpu, log, outputs };
}

/**
 * The physical limit: one `go build -o DIR/ ./cmd/...` per platform (both mains in one process, so
 * each platform's standard library and dependencies are compiled once), all platforms at once.
 */
async function baselineBuild(cwd, gocache) {
  const env = { GOCACHE: gocache, CGO_ENABLED: '0', SOURCE_DATE_EPOCH: '1767225600' };
  const t = performance.now();
  let cpu = (await timed('go', ['mod', 'download'], { cwd, env })).cpu;
  const ld = '-s -w -X main.version=1.0.0';
  await Promise.all(
    PLATFORMS.map((p) => {
      const [GOOS, GOARCH] = p.split('/');
      return timed(
        'go',
        ['build', '-trimpath', `-ldflags=${ld}`, '-o', `${path.join(cwd, 'out', `${GOOS}_${GOARCH}`)}${path.sep}`, ...MAINS],
        {
          cwd,
          env: { ...env, GOOS, GOARCH },
        },
      ).then((r) => (cpu += r.cpu));
    }),
  );
  return { ms: performance.now() - t, cpu };
}

async function baselinePackage(dir) {
  const out = path.join(dir, 'baseline-dist');
  mkdirSync(out, { recursive: true });
  const t = performance.now();
  const names = [];
  for (const p of PLATFORMS) {
    const id = p.replace('/', '_');
    const stage = path.join(dir, 'stage', id);
    mkdirSync(stage, { recursive: true });
    for (const m of ['api', 'worker']) {
      const exe = p.startsWith('windows') ? `${m}.exe` : m;
      cpSync(path.join(dir, 'dist', `${m}_${id}`, exe), path.join(stage, exe));
    }
    cpSync(path.join(dir, 'LICENSE'), path.join(stage, 'LICENSE'));
    cpSync(path.join(dir, 'README.md'), path.join(stage, 'README.md'));
    const name = `multi_1.0.0_${id}.tar.gz`;
    await sh('tar', ['czf', path.join(out, name), '-C', stage, '.']);
    names.push(name);
  }
  writeFileSync(path.join(out, 'checksums.txt'), await sh('sha256sum', names, { cwd: out }));
  return performance.now() - t;
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const rows = [];
const dir = await repo();
const cacheA = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-cache-'));
const cacheB = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-cache-'));
console.error('(a) baseline: bare parallel go build loop, cold GOCACHE …');
const loads = [os.loadavg()[0]];
const base = await baselineBuild(dir, cacheA);
loads.push(os.loadavg()[0]);
console.error('(a) ours: multiarch-build bundle, cold GOCACHE …');
const ours = await runBundle(
  dir,
  { platforms: PLATFORMS.join(','), 'archive-format': 'binary', sbom: 'none', dist: 'dist-a' },
  { GOCACHE: cacheB },
);
rows.push([
  '(a) 8 targets of multi, cold GOCACHE: wall time',
  `${s(ours.ms)} (build phase ${ours.outputs['build-seconds']} s)`,
  `${s(base.ms)} (bare parallel loop, one \`go build\` per platform)`,
  (ours.ms / base.ms).toFixed(2),
]);
rows.push([
  '(a) same runs: CPU time (user + sys, children included)',
  `${ours.cpu.toFixed(1)} s`,
  `${base.cpu.toFixed(1)} s`,
  (ours.cpu / base.cpu).toFixed(2),
]);
console.error('(b) packaging: ours (warm cache), then tar czf + sha256sum …');
loads.push(os.loadavg()[0]);
const packRun = await runBundle(dir, { platforms: PLATFORMS.join(','), sbom: 'both' }, { GOCACHE: cacheB });
const m = /packaged (\d+) release file\(s\) and (\d+) SBOM\(s\) in ([\d.]+) (ms|s)/.exec(packRun.log);
const packMs = m ? Number(m[3]) * (m[4] === 's' ? 1000 : 1) : NaN;
const basePack = await baselinePackage(dir);
rows.push([
  `(b) packaging 8 targets: ${m?.[1]} archives + checksums + ${m?.[2]} SBOMs`,
  s(packMs),
  `${s(basePack)} (\`tar czf\` + \`sha256sum\`, no SBOMs)`,
  (packMs / basePack).toFixed(2),
]);

const table = [
  '| benchmark | multiarch-build | baseline | ratio |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const md = `# multiarch-build benchmark

${smokeBanner(
  1,
  1,
  loads.map((load) => ({ load })),
)}Load average (1 min) before the bare loop, the goship build and the packaging: ${loads.map((l) => l.toFixed(1)).join(', ')}.

Machine: ${os.availableParallelism()} cores (load average at the end ${os.loadavg()[0].toFixed(1)}: the machine is shared, so wall times are noisy and favour the side with more runnable threads; CPU time is the fairer measure of work), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? 'unknown CPU'}; Go from /usr/local/go/bin; one run each (cold runs are expensive), measured ${new Date().toISOString().slice(0, 10)}.
Goal for (a): ratio ≤ 1.10 (the bare loop is the physical limit: same flags, no packaging, all builds at once).

${table}

Run: \`node bench/multiarch-build/run.mjs\`.
`;
console.log(table);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'multiarch-build.md'), md);
for (const d of [dir, cacheA, cacheB]) rmSync(d, { recursive: true, force: true });
