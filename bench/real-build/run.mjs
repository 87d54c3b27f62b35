#!/usr/bin/env node
// Benchmark: building and packaging a real-size CLI (bench/fixtures/realcli: 2 mains over the AWS
// SDK's S3 client, cobra, viper, bubbletea, lipgloss; ~390 packages) for 6 targets
// (linux/darwin/windows × amd64/arm64), goship's multiarch-build against the fair baselines:
//   bare       one `go build -trimpath -ldflags=… -o DIR/ ./cmd/...` per platform, all six at once —
//              the physical limit: each platform's standard library and dependencies compiled once
//              for all its mains, every core busy;
//   goreleaser `goreleaser build --snapshot --clean` (the pinned GoReleaser, no network), the tool
//              goship's users compare it with, on the fixture's .goreleaser.yaml (same targets,
//              flags, ldflags);
//   goship     multiarch-build's committed bundle run the way the runner runs it (INPUT_* with
//              action.yml's defaults, GITHUB_OUTPUT, RUNNER_TEMP), `archive-format: binary` and
//              `sbom: none`: the least it does after building.
// Phases, each interleaved by round (bare, goreleaser, goship, bare, …):
//   cold     a fresh GOCACHE per sample; the module cache is warm (downloaded, and every source file
//            the build reads was read once before the first sample);
//   warm     the GOCACHE each contender's last cold sample left (primed by itself);
//   package  warm: `goreleaser release --snapshot --skip=publish,sign,docker --clean` (build,
//            archives, checksums) vs multiarch-build with its defaults (build, tar.gz/zip archives,
//            checksums, an SPDX SBOM per archive).
// Every sample is measured with bench/lib/measure.ts (wall, CPU with children, peak RSS of the
// step, load average before). Writes bench/results/real-build.md. Reported, never asserted.
//
// Usage: node bench/real-build/run.mjs
//   BENCH_ROUNDS=3            rounds per phase (the median is reported; a real run takes ≥ 3)
//   BENCH_PHASES=cold,warm,package
//   BENCH_GOFLAGS=-buildvcs=true    GOFLAGS of every contender (one value for all; default: VCS stamping,
//                             which goship always does, so the three build the same binaries)
//   BENCH_KEEP=1              keep the work folder (checkout, caches) for a look afterwards
//   BENCH_GOCACHE=DIR         warm phases without cold ones: each contender starts from its own copy
//                             of DIR (a GOCACHE a kept run's goship left, same flags, so the same keys)
//                             instead of an unmeasured priming build
//   BENCH_OUT=NAME            the results file bench/results/NAME.md (default real-build)
//   BENCH_RELINK=1            remove the binaries goship keeps in its GOCACHE before each of its samples
//                             (unmeasured), so that go links every binary: the warm build of a new commit
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, mebibytes, median, rawTable, ratio, sample, seconds, smokeBanner } from '../lib/measure.ts';
import { contextEnv, inputEnvName, parseFileCommands, readActionYaml } from '../../packages/testkit/src/runner.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = path.join(root, 'bench', 'fixtures', 'realcli');
const actionDir = path.join(root, 'actions', 'multiarch-build');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PHASES = (process.env.BENCH_PHASES ?? 'cold,warm,package').split(',').filter(Boolean);
const GOFLAGS = process.env.BENCH_GOFLAGS ?? '-buildvcs=true';
const OUT = process.env.BENCH_OUT ?? 'real-build';
const RELINK = process.env.BENCH_RELINK === '1';
if (!/^[a-z0-9-]+$/.test(OUT)) throw new Error(`BENCH_OUT: ${OUT} is not a results file name (a-z, 0-9, -)`);
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64', 'windows/arm64'];
const MAINS = 2;
const TAG = 'v1.0.0';
const VERSION = '1.0.0';
const DATE = '2026-01-01T00:00:00Z';
const REPO = 'goship-bench/realcli';

for (const p of PHASES)
  if (!['cold', 'warm', 'package'].includes(p)) throw new Error(`BENCH_PHASES: unknown phase ${p} (cold, warm, package)`);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS: ${process.env.BENCH_ROUNDS} is not a whole number ≥ 1`);

const goBin = '/usr/local/go/bin';
const go = path.join(goBin, 'go');
const basePath = `${goBin}${path.delimiter}${process.env.PATH}`;
const hostEnv = { ...process.env, PATH: basePath };

function goreleaserBin() {
  const bin = path.join(root, '.tools', 'bin', 'goreleaser');
  if (!existsSync(bin)) execFileSync(path.join(root, 'scripts', 'install-tools'), ['goreleaser'], { stdio: 'inherit', env: hostEnv });
  return bin;
}

async function git(cwd, ...args) {
  const env = {
    ...hostEnv,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@goship.invalid',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@goship.invalid',
    GIT_AUTHOR_DATE: DATE,
    GIT_COMMITTER_DATE: DATE,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

/** The fixture in a fresh git repository, HEAD tagged v1.0.0, with a GitHub remote (never contacted). */
async function checkout(work) {
  const dir = path.join(work, 'realcli');
  await cp(fixture, dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'remote', 'add', 'origin', `https://github.com/${REPO}.git`);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'realcli');
  await git(dir, 'tag', TAG);
  return { dir, sha: await git(dir, 'rev-parse', 'HEAD') };
}

/**
 * Downloads the modules, then reads every source file the build compiles (dependencies and the
 * standard library) and the toolchain's compile/link/asm, so that no contender pays the disk.
 */
async function warmModuleCache(dir, env) {
  execFileSync(go, ['mod', 'download'], { cwd: dir, env: { ...env, GOPROXY: process.env.GOPROXY ?? 'https://proxy.golang.org,direct' } });
  const dirs = new Set();
  for (const p of PLATFORMS) {
    const [GOOS, GOARCH] = p.split('/');
    const out = execFileSync(go, ['list', '-deps', '-f', '{{.Dir}}', './cmd/...'], {
      cwd: dir,
      env: { ...env, GOOS, GOARCH },
      encoding: 'utf8',
    });
    for (const d of out.split('\n').filter(Boolean)) dirs.add(d);
  }
  let bytes = 0;
  for (const d of dirs) {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isFile() && /\.(go|s|h)$/.test(e.name)) bytes += (await readFile(path.join(d, e.name))).length;
    }
  }
  const toolDir = execFileSync(go, ['env', 'GOTOOLDIR'], { env, encoding: 'utf8' }).trim();
  for (const t of ['compile', 'link', 'asm', 'cgo', 'buildid']) {
    const f = path.join(toolDir, t);
    if (existsSync(f)) bytes += (await readFile(f)).length;
  }
  return { packages: dirs.size, bytes };
}

async function sha256(file) {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

// ---- the contenders: each prepares its outputs, gives the commands of one sample, then says what it made ----

function ldflags(sha) {
  return `-s -w -X main.version=${VERSION} -X main.commit=${sha} -X main.date=${DATE}`;
}

function bare(ctx) {
  const out = path.join(ctx.work, 'bare-out');
  return {
    name: 'bare loop',
    prepare: () => rm(out, { recursive: true, force: true }),
    commands: (gocache) =>
      PLATFORMS.map((p) => {
        const [GOOS, GOARCH] = p.split('/');
        return {
          argv: [
            go,
            'build',
            '-trimpath',
            `-ldflags=${ldflags(ctx.sha)}`,
            '-o',
            `${path.join(out, `${GOOS}_${GOARCH}`)}${path.sep}`,
            './cmd/...',
          ],
          cwd: ctx.dir,
          env: { ...ctx.goEnv, GOCACHE: gocache, GOOS, GOARCH, CGO_ENABLED: '0' },
        };
      }),
    /** platform/binary → sha256 */
    binaries: async () => {
      const res = {};
      for (const p of PLATFORMS) {
        const d = path.join(out, p.replace('/', '_'));
        for (const f of await readdir(d)) res[`${p}/${f.replace(/\.exe$/, '')}`] = await sha256(path.join(d, f));
      }
      return res;
    },
  };
}

function goreleaser(ctx, command) {
  const argv =
    command === 'build'
      ? [ctx.goreleaser, 'build', '--snapshot', '--clean']
      : [ctx.goreleaser, 'release', '--snapshot', '--skip=publish,sign,docker', '--clean'];
  const artifacts = async () => JSON.parse(await readFile(path.join(ctx.dir, 'dist', 'artifacts.json'), 'utf8'));
  return {
    name: command === 'build' ? 'goreleaser build' : 'goreleaser release',
    prepare: () => rm(path.join(ctx.dir, 'dist'), { recursive: true, force: true }),
    commands: (gocache) => [{ argv, cwd: ctx.dir, env: { ...ctx.goEnv, GOCACHE: gocache, HOME: ctx.home } }],
    binaries: async () => {
      const res = {};
      for (const a of (await artifacts()).filter((x) => x.type === 'Binary')) {
        res[`${a.goos}/${a.goarch}/${a.extra?.ID ?? a.name}`] = await sha256(path.join(ctx.dir, a.path));
      }
      return res;
    },
    files: async () => {
      const list = await artifacts();
      return {
        archives: list.filter((x) => x.type === 'Archive').length,
        checksums: list.filter((x) => x.type === 'Checksum').length,
        sboms: 0,
      };
    },
  };
}

function goship(ctx, mode) {
  const step = path.join(ctx.work, 'goship-step');
  const inputs =
    mode === 'build' ? { platforms: PLATFORMS.join(','), 'archive-format': 'binary', sbom: 'none' } : { platforms: PLATFORMS.join(',') };
  let last;
  const outputs = () => parseFileCommands(readFileSync(path.join(step, 'github_output'), 'utf8'));
  return {
    name: mode === 'build' ? 'goship' : 'goship (defaults)',
    keeps: true, // the binaries of the last run, in <GOCACHE>/goship (BENCH_RELINK)
    prepare: async () => {
      await rm(path.join(ctx.dir, 'dist'), { recursive: true, force: true });
      await rm(step, { recursive: true, force: true });
      await mkdir(path.join(step, 'runner-temp'), { recursive: true });
      for (const f of ['github_output', 'github_env', 'github_state', 'github_path', 'github_step_summary'])
        await writeFile(path.join(step, f), '');
      await writeFile(path.join(step, 'event.json'), '{}');
    },
    commands: (gocache) => {
      const env = {};
      for (const [k, v] of Object.entries(ctx.goEnv)) if (!/^(INPUT_|GITHUB_|RUNNER_|STATE_|ACTIONS_)/.test(k)) env[k] = v;
      Object.assign(env, contextEnv(ctx.dir, path.join(step, 'event.json'), 'push'), {
        GITHUB_REPOSITORY: REPO,
        GITHUB_REPOSITORY_OWNER: REPO.split('/')[0],
        GITHUB_REF: `refs/tags/${TAG}`,
        GITHUB_REF_NAME: TAG,
        GITHUB_REF_TYPE: 'tag',
        GITHUB_SHA: ctx.sha,
        RUNNER_TEMP: path.join(step, 'runner-temp'),
        RUNNER_TOOL_CACHE: path.join(step, 'tool-cache'),
        GOCACHE: gocache,
      });
      for (const f of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'])
        env[f] = path.join(step, f.toLowerCase());
      for (const [name, spec] of Object.entries(ctx.action.inputs ?? {}))
        if (spec.default !== undefined) env[inputEnvName(name)] = String(spec.default);
      for (const [name, v] of Object.entries(inputs)) env[inputEnvName(name)] = v;
      return [{ argv: [process.execPath, path.join(actionDir, ctx.action.runs.main)], cwd: ctx.dir, env }];
    },
    after: (s) => {
      last = { outputs: outputs(), log: s.output };
    },
    binaries: async () => {
      const res = {};
      for (const b of JSON.parse(last.outputs.binaries)) res[`${b.platform}/${b.name}`] = b.sha256;
      return res;
    },
    files: async () => {
      const arts = JSON.parse(last.outputs.artifacts);
      const n = (k) => arts.filter((a) => a.kind === k).length;
      return { archives: n('archive'), checksums: n('checksums'), sboms: n('sbom') };
    },
    /** What goship said about its plan and where its time went. */
    notes: () =>
      last.log
        .split('\n')
        .filter((l) => /go build\(s\), \d+ at a time|^built \d+\/|^packaged |^[✓✗] /.test(l))
        .concat(`build-seconds output: ${last.outputs['build-seconds']}`),
  };
}

// ---- the run ----

const work = await mkdtemp(path.join(os.tmpdir(), 'goship-bench-real-'));
const cacheRoot = path.join(work, 'caches');
await mkdir(cacheRoot);
const home = path.join(work, 'home');
await mkdir(home);
const gomodcache = execFileSync(go, ['env', 'GOMODCACHE'], { env: hostEnv, encoding: 'utf8' }).trim();
const goEnv = { ...hostEnv, GOMODCACHE: gomodcache, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS };
const { dir, sha } = await checkout(work);
console.error(`checkout ${dir} at ${sha.slice(0, 12)} (${TAG}); warming the module cache …`);
const warmed = await warmModuleCache(dir, goEnv);
const ctx = { work, dir, sha, home, goEnv, goreleaser: goreleaserBin(), action: await readActionYaml(actionDir) };
const goVersion = execFileSync(go, ['version'], { env: hostEnv, encoding: 'utf8' }).trim();
const grVersion = /GitVersion:\s*(\S+)/.exec(execFileSync(ctx.goreleaser, ['--version'], { env: hostEnv, encoding: 'utf8' }))?.[1] ?? '?';

const raw = [];
const primed = new Map(); // contender name → its GOCACHE
const notes = [];
const identical = {};
let cacheN = 0;
const freshCache = async () => {
  const d = path.join(cacheRoot, `c${++cacheN}`);
  await mkdir(d);
  return d;
};

async function measure(phase, round, c, gocache) {
  await c.prepare();
  if (RELINK && c.keeps) await rm(path.join(gocache, 'goship'), { recursive: true, force: true });
  console.error(`${phase} round ${round}: ${c.name} (load ${os.loadavg()[0].toFixed(1)}) …`);
  const s = await sample(c.commands(gocache));
  c.after?.(s);
  console.error(`  ${seconds(s.wall)} wall, ${seconds(s.cpu)} CPU, peak ${mebibytes(s.peakRssKiB)}`);
  raw.push({ phase, round, contender: c.name, sample: s });
  return s;
}

/** Checks that a contender made every binary (and, packaging, every file): a benchmark of less work would lie. */
async function checkWork(c, phase) {
  const bins = await c.binaries();
  if (Object.keys(bins).length !== PLATFORMS.length * MAINS)
    throw new Error(
      `${c.name} made ${Object.keys(bins).length} binaries, expected ${PLATFORMS.length * MAINS}: ${Object.keys(bins).join(', ')}`,
    );
  identical[c.name] = bins;
  if (phase === 'package') {
    const f = await c.files();
    if (f.archives !== PLATFORMS.length || f.checksums !== 1)
      throw new Error(`${c.name} made ${JSON.stringify(f)}, expected 6 archives and 1 checksums file`);
    return f;
  }
  return undefined;
}

const builders = [bare(ctx), goreleaser(ctx, 'build'), goship(ctx, 'build')];
const packagers = [goreleaser(ctx, 'release'), goship(ctx, 'package')];
const made = {};

if (PHASES.includes('cold')) {
  for (let r = 1; r <= ROUNDS; r++) {
    for (const c of builders) {
      const gocache = await freshCache();
      await measure('cold', r, c, gocache);
      if (r === 1) await checkWork(c, 'cold');
      if (c.notes && r === ROUNDS) notes.push(`cold, round ${r}:`, ...c.notes());
      const old = primed.get(c.name);
      primed.set(c.name, gocache);
      if (old) await rm(old, { recursive: true, force: true });
    }
  }
}

/** A GOCACHE the contender primed itself (its last cold sample, or one unmeasured run), or its copy of BENCH_GOCACHE. */
async function primedCache(c, primer = c) {
  if (!primed.has(primer.name) && process.env.BENCH_GOCACHE) {
    const gocache = await freshCache();
    console.error(`copying ${process.env.BENCH_GOCACHE} as the GOCACHE of ${primer.name} …`);
    await cp(process.env.BENCH_GOCACHE, gocache, { recursive: true });
    primed.set(primer.name, gocache);
  }
  if (!primed.has(primer.name)) {
    const gocache = await freshCache();
    console.error(`priming a GOCACHE for ${primer.name} (not measured) …`);
    await primer.prepare();
    await sample(primer.commands(gocache));
    primed.set(primer.name, gocache);
  }
  return primed.get(primer.name);
}

// the copies of BENCH_GOCACHE are made before any sample, so that no sample follows a copy's disk work
if (process.env.BENCH_GOCACHE) {
  for (const c of builders) await primedCache(c);
  await new Promise((r) => setTimeout(r, 10_000)); // and the disk has written them back
}

if (PHASES.includes('warm')) {
  for (let r = 1; r <= ROUNDS; r++) {
    for (const c of builders) {
      await measure('warm', r, c, await primedCache(c));
      if (r === 1 && !PHASES.includes('cold')) await checkWork(c, 'warm');
      if (c.notes && r === ROUNDS) notes.push(`warm, round ${r}:`, ...c.notes());
    }
  }
}

if (PHASES.includes('package')) {
  // each packager builds on the cache its own build primed (same flags, so the same cache keys)
  const primers = { 'goreleaser release': builders[1], 'goship (defaults)': builders[2] };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const c of packagers) {
      await measure('package', r, c, await primedCache(c, primers[c.name]));
      if (r === 1) made[c.name] = await checkWork(c, 'package');
      if (c.notes && r === ROUNDS) notes.push(`package, round ${r}:`, ...c.notes());
    }
  }
}

// ---- the report ----

const med = (phase, name, f) => median(raw.filter((x) => x.phase === phase && x.contender === name).map((x) => x.sample[f]));
const rows = [];
const goals = [];
for (const phase of ['cold', 'warm'].filter((p) => PHASES.includes(p))) {
  for (const [f, label, fmt] of [
    ['wall', 'wall', seconds],
    ['cpu', 'CPU (user + sys)', seconds],
    ['peakRssKiB', 'peak RSS, whole step', mebibytes],
  ]) {
    const [b, g, o] = builders.map((c) => med(phase, c.name, f));
    rows.push(`| ${phase} ${label} | ${fmt(b)} | ${fmt(g)} | ${fmt(o)} | ${ratio(o, g)} | ${ratio(o, b)} |`);
  }
}
const [grB, gsB] = ['goreleaser build', 'goship'];
const goal = (what, a, b, limit) =>
  goals.push(
    `| ${what} | ${ratio(a, b)} | ≤ ${limit.toFixed(2)}× | ${a === undefined || b === undefined ? 'n/a' : a / b <= limit ? 'met' : 'not met'} |`,
  );
if (PHASES.includes('cold')) {
  goal('cold wall, goship ÷ goreleaser build', med('cold', gsB, 'wall'), med('cold', grB, 'wall'), 1.0);
  goal('cold CPU, goship ÷ goreleaser build', med('cold', gsB, 'cpu'), med('cold', grB, 'cpu'), 1.0);
  goal('cold wall, goship ÷ bare loop', med('cold', gsB, 'wall'), med('cold', 'bare loop', 'wall'), 1.1);
}
if (PHASES.includes('warm')) goal('warm wall, goship ÷ goreleaser build', med('warm', gsB, 'wall'), med('warm', grB, 'wall'), 1.0);
const pack = [];
if (PHASES.includes('package')) {
  const [gr, gs] = packagers.map((c) => c.name);
  for (const [f, label, fmt] of [
    ['wall', 'wall', seconds],
    ['cpu', 'CPU (user + sys)', seconds],
    ['peakRssKiB', 'peak RSS, whole step', mebibytes],
  ]) {
    const a = med('package', gr, f);
    const b = med('package', gs, f);
    pack.push(`| warm ${label} | ${fmt(a)} | ${fmt(b)} | ${ratio(b, a)} |`);
  }
  goal(
    'warm build + archives + checksums + SBOMs, goship ÷ goreleaser release',
    med('package', gs, 'wall'),
    med('package', gr, 'wall'),
    0.5,
  );
}
const names = Object.keys(identical);
const ref = identical[names[0]] ?? {};
const same = names.every(
  (n) => Object.keys(ref).every((k) => identical[n][k] === ref[k]) && Object.keys(identical[n]).length === Object.keys(ref).length,
);

let md = `# real-build benchmark\n\n${smokeBanner(
  ROUNDS,
  3,
  raw.map((x) => x.sample),
)}`;
md += `bench/fixtures/realcli (${MAINS} mains, ${warmed.packages} package folders across the 6 targets) for ${PLATFORMS.join(', ')}; ${machineLine()}; ${goVersion}; GoReleaser ${grVersion}; GOFLAGS=${GOFLAGS || '(empty)'}; GOPROXY=off; median of ${ROUNDS} round(s) per phase, contenders interleaved in each round; warm GOCACHE: ${process.env.BENCH_GOCACHE ? 'each contender its own copy of one that a goship cold build primed (BENCH_GOCACHE; the same flags, so the same cache keys)' : "the one each contender's own last cold build left"}${RELINK ? '; BENCH_RELINK=1: the binaries goship keeps in its GOCACHE were removed before each of its samples, so go linked every binary (a new commit)' : "; goship's GOCACHE holds the binaries its last run kept, which go finds up to date (the same commit built again)"}.\n\n`;
if (rows.length) {
  md += `## Build: 6 targets × ${MAINS} mains\n\n| measure | bare loop | goreleaser build | goship | goship ÷ goreleaser | goship ÷ bare |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n\n`;
  md += `Binaries byte-identical across ${names.join(', ')}: ${same ? `yes (${Object.keys(ref).length} of ${Object.keys(ref).length})` : 'no — the contenders did not do the same work; see the raw hashes in the log'}.\n\n`;
}
if (pack.length) {
  const gsMade = made['goship (defaults)'];
  md += `## Packaging, warm: build + ${gsMade?.archives ?? '?'} archives + checksums (+ ${gsMade?.sboms ?? '?'} SBOMs for goship)\n\n| measure | goreleaser release --snapshot | goship multiarch-build (defaults) | goship ÷ goreleaser |\n| --- | --- | --- | --- |\n${pack.join('\n')}\n\n`;
}
if (goals.length) md += `## Goals\n\n| goal | measured | goal | |\n| --- | --- | --- | --- |\n${goals.join('\n')}\n\n`;
md += `## What each contender is\n\n- **bare loop**: one \`go build -trimpath -ldflags='${ldflags('<sha>')}' -o DIR/ ./cmd/...\` per platform, all six at once (GOMAXPROCS unset): the physical limit, each platform's standard library and dependencies compiled once for both mains.\n- **goreleaser build**: \`goreleaser build --snapshot --clean\` on bench/fixtures/realcli/.goreleaser.yaml (one build per main, the same flags and ldflags; its default parallelism is GOMAXPROCS, i.e. ${os.availableParallelism()} here).\n- **goship**: multiarch-build's committed bundle with \`platforms\` set to the six, \`archive-format: binary\`, \`sbom: none\` (its mains found under ./cmd/), run like the runner runs it.\n- **goreleaser release**: \`goreleaser release --snapshot --skip=publish,sign,docker --clean\`: build, archives, checksums (no SBOM: it would need syft).\n- **goship (defaults)**: multiarch-build with its defaults but \`platforms\`: build, tar.gz (zip on Windows) archives, checksums, an SPDX SBOM per archive.\n\n`;
if (notes.length) md += `## What goship said (its plan and timings)\n\n\`\`\`\n${notes.join('\n')}\n\`\`\`\n\n`;
md += `## Raw samples\n\nIn the order taken; load is the 1-minute load average just before the sample (it still counts the previous sample's own processes), busy the share of the CPUs busy in the second before it; peak RSS of the whole step is the summed RSS of its process tree, sampled every ${process.env.BENCH_RSS_MS ?? 250} ms.\n\n${rawTable(raw, 1)}\n\nRun: \`node bench/real-build/run.mjs\` (BENCH_ROUNDS, BENCH_PHASES, BENCH_GOFLAGS; see bench/README.md).\n`;
console.log(md);
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(path.join(root, 'bench', 'results', `${OUT}.md`), md);
if (!same) console.error(JSON.stringify(identical, null, 1));
if (process.env.BENCH_KEEP) console.error(`kept ${work}`);
else await rm(work, { recursive: true, force: true });
