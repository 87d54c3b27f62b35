#!/usr/bin/env node
// Benchmark: wall time of go-quality-gate (the committed bundle, run as the runner runs it) on
// fixtures/go/multi with warm caches, against a plain sequential script running the same commands
// (gofmt -l, go vet, staticcheck, go test -race -cover, govulncheck). Both use the same pinned
// tools, the same warm GOCACHE and the same offline vulnerability database; runs alternate.
// Goal (issue #4): the gate at most 0.8x the script. Writes bench/results/go-quality-gate.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const toolsDir = process.env.GOSHIP_TOOLS_DIR ?? path.join(os.homedir(), 'go', 'goship-tools');
const pins = Object.fromEntries(
  readFileSync(path.join(root, 'tools.versions'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/))
    .map(([n, v]) => [n, v]),
);
const TOOLS = ['staticcheck', 'govulncheck'];
const env = { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH}` };
for (const k of Object.keys(env)) if (/^(INPUT_|GITHUB_|RUNNER_|STATE_)/.test(k)) delete env[k];

const work = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-gate-'));
const mod = path.join(work, 'multi');
cpSync(path.join(root, 'fixtures', 'go', 'multi'), mod, { recursive: true });

// Tool cache in @actions/tool-cache's layout, holding the prebuilt pinned tools.
const toolCache = path.join(work, 'tool-cache');
const bin = {};
for (const name of TOOLS) {
  const built = path.join(toolsDir, `${name}-${pins[name]}`, name);
  if (!existsSync(built)) {
    console.error(`${name} ${pins[name]} is not built in ${toolsDir}; run scripts/install-tools ${name}`);
    process.exit(1);
  }
  const dir = path.join(toolCache, name, pins[name].replace(/^v/, ''), os.arch());
  mkdirSync(dir, { recursive: true });
  symlinkSync(built, path.join(dir, name));
  writeFileSync(`${dir}.complete`, '');
  bin[name] = built;
}

// A one-advisory offline vulnerability database (the layout govulncheck reads), in RUNNER_TEMP:
// the gate reads a vuln-db only inside the workspace or RUNNER_TEMP.
const db = path.join(work, 'runner-temp', 'vulndb');
const put = (rel, v) => {
  mkdirSync(path.dirname(path.join(db, rel)), { recursive: true });
  writeFileSync(path.join(db, `${rel}.json`), JSON.stringify(v));
  writeFileSync(path.join(db, `${rel}.json.gz`), gzipSync(JSON.stringify(v)));
};
const T = '2026-01-01T00:00:00Z';
put('index/db', { modified: T });
put('index/modules', [{ path: 'github.com/google/uuid', vulns: [{ id: 'GO-2099-0001', modified: T, fixed: '1.6.1' }] }]);
put('index/vulns', [{ id: 'GO-2099-0001', modified: T, aliases: [] }]);
put('ID/GO-2099-0001', {
  schema_version: '1.3.1',
  id: 'GO-2099-0001',
  modified: T,
  published: T,
  summary: 'bench advisory',
  details: 'bench advisory',
  affected: [
    {
      package: { name: 'github.com/google/uuid', ecosystem: 'Go' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.6.1' }] }],
      ecosystem_specific: { imports: [{ path: 'github.com/google/uuid', symbols: ['NewString'] }] },
    },
  ],
});

function timeIt(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: mod, env, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

function script() {
  // The plain sequential script a workflow would have: one command after another.
  const steps = [
    ['gofmt', ['-l', '.']],
    ['go', ['vet', './...']],
    [bin.staticcheck, ['./...']],
    ['go', ['test', '-race', '-cover', './...']],
    [bin.govulncheck, ['-db', `file://${db}`, './...']],
  ];
  for (const [cmd, args] of steps) {
    const ms = timeIt(() => sh(cmd, args));
    if (process.env.BENCH_VERBOSE) console.log(`  script: ${path.basename(cmd)} ${args[0]} ${(ms / 1000).toFixed(2)} s`);
  }
}

function gate(vulnCache) {
  const files = {};
  for (const k of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
    files[k] = path.join(work, k.toLowerCase());
    writeFileSync(files[k], '');
  }
  const eventPath = path.join(work, 'event.json');
  writeFileSync(eventPath, '{}');
  const r = sh(process.execPath, [path.join(root, 'actions', 'go-quality-gate', 'dist', 'index.js')], {
    env: {
      ...env,
      ...files,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: mod,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: 'refs/heads/main',
      RUNNER_TEMP: path.join(work, 'runner-temp'),
      RUNNER_TOOL_CACHE: toolCache,
      GOSHIP_GOVULNCHECK_CACHE: vulnCache,
      INPUT_CHECKS: 'fmt,vet,test,race,coverage,staticcheck,vuln',
      'INPUT_VULN-DB': `file://${db}`,
      'INPUT_FAIL-ON-VULN': 'none',
      'INPUT_WORKING-DIRECTORY': '.',
      INPUT_PACKAGES: './...',
      INPUT_RACE: 'true',
      'INPUT_MAX-ANNOTATIONS': '10',
      'INPUT_BENCH-THRESHOLD': '15',
      'INPUT_BENCH-COUNT': '6',
      'INPUT_STATICCHECK-VERSION': pins.staticcheck,
      'INPUT_GOLANGCI-LINT-VERSION': pins['golangci-lint'],
      'INPUT_GOVULNCHECK-VERSION': pins.govulncheck,
    },
  });
  if (process.env.BENCH_VERBOSE)
    console.log(
      r.stdout
        .split('\n')
        .filter((l) => /^[✓✗▶]/.test(l))
        .join('\n'),
    );
  if (r.status !== 0) {
    console.error(r.stdout.slice(-4000), r.stderr.slice(-2000));
    throw new Error(`the gate failed (exit ${r.status})`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`warming caches (one untimed run of each) in ${work} …`);
const warmVulnCache = path.join(work, 'vulncache-warm');
script();
gate(warmVulnCache);
const t = { script: [], gate: [], cold: [] };
for (let i = 0; i < runs; i++) {
  t.script.push(timeIt(script));
  t.gate.push(timeIt(() => gate(warmVulnCache)));
  // The same gate with an empty govulncheck result cache: only the go command's caches are warm.
  const cold = path.join(work, `vulncache-cold-${i}`);
  t.cold.push(timeIt(() => gate(cold)));
  console.log(
    `run ${i + 1}/${runs}: script ${(t.script.at(-1) / 1000).toFixed(2)} s, gate ${(t.gate.at(-1) / 1000).toFixed(2)} s, gate without govulncheck result cache ${(t.cold.at(-1) / 1000).toFixed(2)} s`,
  );
}
const ms = median(t.script);
const mg = median(t.gate);
const mc = median(t.cold);
const ratio = mg / ms;
const cpus = os.availableParallelism();
const table = [
  `# go-quality-gate benchmark`,
  '',
  `fixtures/go/multi, warm GOCACHE and module cache, prebuilt pinned tools, offline vulnerability DB; ${runs} alternating runs, median; ${cpus} CPU(s), load average ${os.loadavg()[0].toFixed(2)} at the end; ${new Date().toISOString()}.`,
  '',
  '| what | median wall time | runs (s) |',
  '| --- | --- | --- |',
  `| sequential script (gofmt -l, go vet, staticcheck, go test -race -cover, govulncheck) | ${(ms / 1000).toFixed(2)} s | ${t.script.map((x) => (x / 1000).toFixed(2)).join(', ')} |`,
  `| go-quality-gate (same checks + coverage, JUnit, report, summary), warm caches | ${(mg / 1000).toFixed(2)} s | ${t.gate.map((x) => (x / 1000).toFixed(2)).join(', ')} |`,
  `| go-quality-gate with an empty govulncheck result cache | ${(mc / 1000).toFixed(2)} s | ${t.cold.map((x) => (x / 1000).toFixed(2)).join(', ')} |`,
  '',
  `**Ratio gate / script: ${ratio.toFixed(2)}×** with warm caches (goal ≤ 0.80×: ${ratio <= 0.8 ? 'met' : 'not met'}); ${(mc / ms).toFixed(2)}× when govulncheck has to run (checks run concurrently, govulncheck started first).`,
  '',
  "The script gets the same warm GOCACHE (go vet and go test results come from the go command's cache for both); govulncheck has no cache of its own, which is where most of the time goes.",
  '',
].join('\n');
console.log(`\n${table}`);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'go-quality-gate.md'), table);
if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
