#!/usr/bin/env node
// Benchmark: Linux packaging time for 6 linux targets × 3 formats (18 packages: deb, rpm, apk)
// — goship's packaging (multiarch-build's packages/ modules with the pinned nFPM, on prebuilt
// binaries) against the pinned GoReleaser's `release --snapshot` with the same `nfpms` config.
// GoReleaser cannot package prebuilt binaries (that is Pro), so its packaging time is taken as
// `release --snapshot` minus `build --snapshot` of the same round (warm GOCACHE, same targets).
// Rounds are interleaved (the order flips every round); wall and CPU (user + sys, children
// included, GNU time) per sample; the load average is recorded before each sample because the
// machine is shared. goship's verification (dpkg-deb, lintian, rpm, .PKGINFO) is measured on its
// own: GoReleaser does not verify. Writes bench/results/packages.md with the raw samples.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const toolsDir = process.env.GOSHIP_TOOLS_DIR ?? path.join(os.homedir(), 'go', 'goship-tools');
const pins = Object.fromEntries(
  readFileSync(path.join(root, 'tools.versions'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/)),
);
const tool = (name) => {
  const bin = path.join(toolsDir, `${name}-${pins[name]}`, name);
  if (!existsSync(bin)) {
    console.error(`${name} ${pins[name]} is not built in ${toolsDir}; run scripts/install-tools ${name}`);
    process.exit(1);
  }
  return bin;
};
const NFPM = tool('nfpm');
const GORELEASER = tool('goreleaser');
const TARGETS = [
  ['amd64', ''],
  ['arm64', ''],
  ['arm', '7'],
  ['386', ''],
  ['ppc64le', ''],
  ['riscv64', ''],
];
const env = { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH}`, CGO_ENABLED: '0' };
for (const k of Object.keys(env)) if (/^(INPUT_|GITHUB_|RUNNER_|STATE_|GORELEASER_)/.test(k)) delete env[k];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env, ...opts });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

/** One sample under GNU time: wall seconds, CPU seconds (children included), load average before. */
function sample(cmd, args, opts = {}) {
  const load = os.loadavg()[0];
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'GOSHIP_CPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env, ...opts });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  const m = /GOSHIP_CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN, load, out: r.stdout };
}

const work = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-packages-'));
const mod = path.join(work, 'hello');
cpSync(path.join(root, 'fixtures', 'go', 'hello'), mod, { recursive: true });
const META = {
  maintainer: 'Goship Test <test@goship.invalid>',
  description: 'A tiny command used as a benchmark fixture.',
  license: 'MIT',
  homepage: 'https://github.com/goship-test/hello',
  vendor: 'goship-test',
};
writeFileSync(
  path.join(mod, '.goreleaser.yaml'),
  `version: 2
project_name: hello
builds:
  - env: [CGO_ENABLED=0]
    goos: [linux]
    goarch: [${TARGETS.map(([a]) => a).join(', ')}]
    goarm: ["7"]
    flags: [-trimpath]
    ldflags: [-s -w]
    mod_timestamp: "{{ .CommitTimestamp }}"
archives:
  - formats: [binary]
checksum:
  disable: true
changelog:
  disable: true
release:
  disable: true
nfpms:
  - maintainer: "${META.maintainer}"
    description: "${META.description}"
    license: ${META.license}
    homepage: ${META.homepage}
    vendor: ${META.vendor}
    section: utils
    formats: [deb, rpm, apk]
`,
);
const git = (...a) =>
  sh('git', a, {
    cwd: mod,
    env: {
      ...env,
      GIT_AUTHOR_NAME: 'Goship Test',
      GIT_AUTHOR_EMAIL: 'test@goship.invalid',
      GIT_COMMITTER_NAME: 'Goship Test',
      GIT_COMMITTER_EMAIL: 'test@goship.invalid',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    },
  });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'bench');
git('tag', 'v1.2.3');
const commit = git('rev-parse', 'HEAD').trim();

// Prebuilt binaries for goship (GoReleaser builds its own; both share the warm GOCACHE).
const bins = TARGETS.map(([arch, arm]) => {
  const platformName = `linux/${arch}${arm ? `/v${arm}` : ''}`;
  const out = path.join(work, 'bin', platformName.replaceAll('/', '_'), 'hello');
  sh('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
    cwd: mod,
    env: { ...env, GOOS: 'linux', GOARCH: arch, ...(arm ? { GOARM: arm } : {}) },
  });
  return {
    name: 'hello',
    main: 'example.com/hello',
    os: 'linux',
    arch,
    variant: arm ? `v${arm}` : '',
    platformName,
    file: 'hello',
    abs: out,
    sha256: '',
    size: 0,
  };
});

// The driver, bundled the way the actions are (three levels below the root, removed afterwards).
const build = path.join(root, 'bench', 'packages', '.build');
rmSync(build, { recursive: true, force: true });
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const b = spawnSync(
  process.execPath,
  [ncc, 'build', path.join(root, 'bench', 'packages', 'driver.ts'), '-o', build, '--target', 'es2023', '--quiet'],
  {
    cwd: path.join(root, 'actions', 'multiarch-build'),
    stdio: 'inherit',
  },
);
if (b.status !== 0) process.exit(1);
writeFileSync(path.join(build, 'package.json'), '{"type":"module"}\n');

function goship(verify) {
  const dist = path.join(work, 'goship-dist');
  rmSync(dist, { recursive: true, force: true });
  const job = {
    workdir: mod,
    dist,
    tmp: work,
    nfpm: NFPM,
    commit,
    bins,
    verify,
    inputs: {
      packages: 'deb,rpm,apk',
      'package-maintainer': META.maintainer,
      'package-description': META.description,
      'package-license': META.license,
      'package-homepage': META.homepage,
      'package-vendor': META.vendor,
    },
  };
  const s = sample(process.execPath, [path.join(build, 'index.js')], { env: { ...env, GOSHIP_BENCH: JSON.stringify(job) } });
  const names = JSON.parse(s.out.trim().split('\n').pop());
  if (names.length !== 18) throw new Error(`goship made ${names.length} packages, expected 18`);
  return s;
}
function goreleaser(cmd) {
  const s = sample(GORELEASER, [cmd, '--snapshot', '--clean'], { cwd: mod });
  if (cmd === 'release') {
    const made = ['deb', 'rpm', 'apk'].flatMap((f) =>
      sh('find', [path.join(mod, 'dist'), '-maxdepth', '1', '-name', `*.${f}`])
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    if (made.length !== 18) throw new Error(`GoReleaser made ${made.length} packages, expected 18`);
  }
  return s;
}

// Warm-up (tool caches, GOCACHE), not recorded.
goship(false);
goreleaser('release');
const samples = { goship: [], verify: [], release: [], build: [] };
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? ['goship', 'release', 'build', 'verify'] : ['build', 'release', 'goship', 'verify'];
  for (const k of order) {
    const s = k === 'goship' ? goship(false) : k === 'verify' ? goship(true) : goreleaser(k);
    samples[k].push({ round: i + 1, wall: s.wall, cpu: s.cpu, load: s.load });
    console.error(`round ${i + 1} ${k}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU (load ${s.load.toFixed(2)})`);
  }
}
rmSync(build, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = (k, f) => median(samples[k].map((x) => x[f]));
const grPack = (f) => median(samples.release.map((x, i) => x[f] - samples.build[i][f]));
const f2 = (x) => `${x.toFixed(2)} s`;
const rows = [
  ['packaging, wall (median)', f2(med('goship', 'wall')), f2(grPack('wall')), (med('goship', 'wall') / grPack('wall')).toFixed(2)],
  ['packaging, CPU (median)', f2(med('goship', 'cpu')), f2(grPack('cpu')), (med('goship', 'cpu') / grPack('cpu')).toFixed(2)],
];
const raw = Object.entries(samples).flatMap(([k, xs]) =>
  xs.map((x) => `| ${x.round} | ${k} | ${x.wall.toFixed(2)} | ${x.cpu.toFixed(2)} | ${x.load.toFixed(2)} |`),
);
const md = `# Linux packages benchmark

6 linux targets (${TARGETS.map(([a, v]) => a + (v ? `v${v}` : '')).join(', ')}) × deb, rpm, apk = 18 packages of fixtures/go/hello, with the same nFPM settings
(maintainer, description, license, homepage, vendor, section). goship: multiarch-build's packaging modules with nFPM ${pins.nfpm}
on prebuilt binaries, one process per sample (includes Node start-up, goship's Debian copyright/changelog/lintian files;
no SBOMs). GoReleaser ${pins.goreleaser}: \`release --snapshot --clean\` minus \`build --snapshot --clean\` of the same round
(GoReleaser OSS cannot package prebuilt binaries). ${rounds} interleaved rounds after a warm-up; medians; CPU is user + sys
with children (GNU time).

Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other engineers: the load
average before each sample is in the raw table; wall times are noisy, CPU time is the fairer measure. Measured ${new Date().toISOString().slice(0, 10)}.

| measure | goship | GoReleaser | ratio |
| --- | --- | --- | --- |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}
| goship packaging + verification (dpkg-deb, lintian, rpm, .PKGINFO), wall (median) | ${f2(med('verify', 'wall'))} | (GoReleaser does not verify) | |

Raw samples (seconds; load = 1-minute load average before the sample):

| round | sample | wall | CPU | load |
| --- | --- | --- | --- | --- |
${raw.join('\n')}

Run: \`node bench/packages/run.mjs\` (\`BENCH_RUNS=5\` for more rounds).
`;
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'packages.md'), md);
console.log(md);
