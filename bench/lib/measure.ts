/**
 * The measuring discipline every benchmark here shares. A sample is one step — one command, a
 * set of commands started together, or a series run one after another — and records:
 *   - wall seconds of the whole step;
 *   - CPU seconds of every process in it (user + sys, children included: GNU time reports the
 *     rusage of what it waited for, and go, node and goreleaser wait for their children);
 *   - the largest single process's peak RSS (GNU time's %M) and the peak of the step's summed
 *     RSS, sampled from /proc every BENCH_RSS_MS ms (default 250; Linux only, a lower bound);
 *   - the 1-minute load average just before the step started, and the share of the CPUs that was
 *     busy in the second before it (from /proc/stat), so a reader can tell a sample taken on a
 *     quiet machine from one taken while others were busy: the load average still counts the
 *     previous sample's own processes for minutes, the busy share does not.
 * Imported by the benchmarks' run.mjs files as TypeScript (Node strips the types) and bundled
 * into bench/multiarch-image's driver. Reported, never asserted: nothing here judges a number.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Command {
  argv: string[];
  cwd?: string;
  /** The whole environment of the command (nothing is inherited unless you pass it). */
  env?: NodeJS.ProcessEnv;
}

export interface Sample {
  /** Seconds. */
  wall: number;
  /** user + sys seconds. */
  cpu: number;
  user: number;
  sys: number;
  /** Peak RSS of the largest single process, KiB. */
  maxRssKiB: number;
  /** Peak of the summed RSS of every process of the step, KiB (sampled; 0 where /proc is absent). */
  peakRssKiB: number;
  /** 1-minute load average just before the step. */
  load: number;
  /** Share of all CPUs busy in the second before the step (0…1); undefined without /proc/stat. */
  busy?: number;
  /** stdout and stderr of every command, in order. */
  output: string;
}

const TIME = '/usr/bin/time';
const FORMAT = 'GOSHIP_TIME %e %U %S %M';
const RSS_MS = Number(process.env.BENCH_RSS_MS ?? 250);

let pageBytes: number | undefined;
function pageSize(): number {
  if (pageBytes === undefined) {
    const r = spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' });
    pageBytes = Number(r.stdout?.trim()) || 4096;
  }
  return pageBytes;
}

/**
 * Sums the RSS of a process tree from /proc. A pid seen once outside the tree stays outside (a
 * process only ever leaves a tree, by reparenting), so after the first scan only new pids and the
 * tree's own are read again: sampling costs little on a busy machine.
 */
export class TreeRss {
  readonly roots: number[] = [];
  private readonly outside = new Set<number>();
  peakKiB = 0;

  /** One scan: the tree's summed RSS now, KiB (0 where /proc is absent); keeps the peak. */
  scan(): number {
    let pids: number[];
    try {
      pids = readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
    } catch {
      return 0;
    }
    // forget pids that exited, so that a reused number is looked at again
    const listed = new Set(pids);
    for (const pid of this.outside) if (!listed.has(pid)) this.outside.delete(pid);
    const parent = new Map<number, number>();
    const rss = new Map<number, number>();
    for (const pid of pids) {
      if (this.outside.has(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      } catch {
        continue; // exited between the listing and the read
      }
      // fields after the command name, which is in parentheses and may hold spaces: state ppid … rss is field 24
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(f[1]));
      rss.set(pid, Number(f[21]) || 0);
    }
    const roots = new Set(this.roots);
    const inTree = new Map<number, boolean>();
    const member = (pid: number): boolean => {
      const known = inTree.get(pid);
      if (known !== undefined) return known;
      inTree.set(pid, false); // a cycle guard while walking up
      const ppid = parent.get(pid);
      const yes = roots.has(pid) || (ppid !== undefined && member(ppid));
      inTree.set(pid, yes);
      return yes;
    };
    let pages = 0;
    for (const pid of parent.keys()) {
      if (member(pid)) pages += rss.get(pid) ?? 0;
      else this.outside.add(pid);
    }
    const kib = Math.round((pages * pageSize()) / 1024);
    this.peakKiB = Math.max(this.peakKiB, kib);
    return kib;
  }
}

interface Timed {
  code: number | null;
  output: string;
  wall: number;
  user: number;
  sys: number;
  maxRssKiB: number;
}

async function runTimed(c: Command, dir: string, i: number, pids: number[]): Promise<Timed> {
  const file = path.join(dir, `time-${i}`);
  const child = spawn(TIME, ['-f', FORMAT, '-o', file, ...c.argv], {
    cwd: c.cwd,
    env: c.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) pids.push(child.pid);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => chunks.push(d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const output = Buffer.concat(chunks).toString('utf8');
  const text = await readFile(file, 'utf8').catch(() => '');
  const m = /GOSHIP_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(text);
  if (!m) throw new Error(`${TIME} wrote no timing for ${c.argv.join(' ')} (is GNU time installed?):\n${text}${output.slice(-2000)}`);
  return { code, output, wall: Number(m[1]), user: Number(m[2]), sys: Number(m[3]), maxRssKiB: Number(m[4]) };
}

/** user+nice+system+… and idle+iowait jiffies of all CPUs, from /proc/stat's first line. */
function cpuTimes(): { total: number; idle: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), idle: f[3]! + (f[4] ?? 0) };
  } catch {
    return undefined;
  }
}

/** The share of all CPUs busy over the next `ms` (0…1), from /proc/stat; undefined where it is absent. */
export async function cpuBusy(ms = 1000): Promise<number | undefined> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  if (!a || !b || b.total <= a.total) return undefined;
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}

/**
 * Runs `commands` at once as one step and measures it. A command that fails fails the sample
 * (with its output): a benchmark that measured a failure would report a lie.
 */
export async function sample(commands: readonly Command[], o: { busy?: boolean } = {}): Promise<Sample> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-bench-time-'));
  const busy = o.busy === false ? undefined : await cpuBusy();
  const load = os.loadavg()[0]!;
  const tree = new TreeRss();
  const timer = setInterval(() => {
    if (tree.roots.length) tree.scan();
  }, RSS_MS);
  const started = performance.now();
  try {
    const results = await Promise.all(commands.map((c, i) => runTimed(c, dir, i, tree.roots)));
    const wall = (performance.now() - started) / 1000;
    const failed = results.findIndex((r) => r.code !== 0);
    if (failed >= 0) {
      const r = results[failed]!;
      throw new Error(`${commands[failed]!.argv.join(' ')} exited ${r.code}:\n${r.output.slice(-3000)}`);
    }
    const user = results.reduce((s, r) => s + r.user, 0);
    const sys = results.reduce((s, r) => s + r.sys, 0);
    return {
      wall,
      cpu: user + sys,
      user,
      sys,
      maxRssKiB: Math.max(...results.map((r) => r.maxRssKiB)),
      peakRssKiB: tree.peakKiB,
      load,
      busy,
      output: results.map((r) => r.output).join(''),
    };
  } finally {
    clearInterval(timer);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `commands` one after another as one step: wall is the whole series, CPU is summed. */
export async function sampleSeries(commands: readonly Command[]): Promise<Sample> {
  const busy = await cpuBusy();
  const load = os.loadavg()[0]!;
  const started = performance.now();
  const parts: Sample[] = [];
  for (const c of commands) parts.push(await sample([c], { busy: false }));
  return {
    wall: (performance.now() - started) / 1000,
    cpu: parts.reduce((s, p) => s + p.cpu, 0),
    user: parts.reduce((s, p) => s + p.user, 0),
    sys: parts.reduce((s, p) => s + p.sys, 0),
    maxRssKiB: Math.max(0, ...parts.map((p) => p.maxRssKiB)),
    peakRssKiB: Math.max(0, ...parts.map((p) => p.peakRssKiB)),
    load,
    busy,
    output: parts.map((p) => p.output).join(''),
  };
}

/** The median (the mean of the two middle values for an even count); undefined for none. */
export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

export const seconds = (x: number | undefined, digits = 1): string =>
  x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(digits)} s`;
export const mebibytes = (kib: number | undefined): string => (kib === undefined || !kib ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);
export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b || Number.isNaN(a) ? 'n/a' : `${(a / b).toFixed(2)}×`;

/** One line about the machine and the moment, for the head of a results file. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average now ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${new Date().toISOString().slice(0, 16)}Z`;
}

export interface RawRow {
  phase: string;
  round: number;
  contender: string;
  sample: Sample;
}

/** The raw samples as a Markdown table, in the order they were taken. */
export function rawTable(rows: readonly RawRow[], digits = 2): string {
  const lines = [
    '| # | phase | round | contender | load before | CPUs busy before | wall | CPU (user + sys) | peak RSS, whole step | peak RSS, largest process |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  rows.forEach((r, i) => {
    const s = r.sample;
    lines.push(
      `| ${i + 1} | ${r.phase} | ${r.round} | ${r.contender} | ${s.load.toFixed(2)} | ${s.busy === undefined ? 'n/a' : `${(s.busy * 100).toFixed(0)} %`} | ${seconds(s.wall, digits)} | ${seconds(s.cpu, digits)} (${s.user.toFixed(digits)} + ${s.sys.toFixed(digits)}) | ${mebibytes(s.peakRssKiB)} | ${mebibytes(s.maxRssKiB)} |`,
    );
  });
  return lines.join('\n');
}

/**
 * A banner for results that must not be read as figures: fewer rounds than asked of a real run, or
 * a busy machine — judged by the CPUs' busy share in the second before each sample where every
 * sample has one (more than a quarter of the machine: other work), else by the load average.
 */
export function smokeBanner(rounds: number, minRounds: number, samples: readonly Pick<Sample, 'load' | 'busy'>[]): string {
  const loads = samples.map((x) => x.load);
  const shares = samples.length && samples.every((x) => x.busy !== undefined) ? samples.map((x) => x.busy!) : undefined;
  const busy = shares ? shares.some((b) => b > 0.25) : loads.some((l) => l > os.availableParallelism() * 0.5);
  if (rounds >= minRounds && !busy && process.env.BENCH_SMOKE === undefined) return '';
  const why = [
    rounds < minRounds ? `${rounds} round(s), fewer than the ${minRounds} a real measurement takes` : '',
    busy && shares
      ? `other work kept more than a quarter of the CPUs busy before some samples (max ${(Math.max(...shares) * 100).toFixed(0)} %)`
      : '',
    busy && !shares ? `a load average above half the cores before some samples (max ${Math.max(...loads).toFixed(1)})` : '',
    process.env.BENCH_SMOKE !== undefined ? 'BENCH_SMOKE set' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `> **Smoke run — not figures.** ${why}. This run only shows that the benchmark works end to end; measure on an idle machine with the default rounds before quoting any number.\n\n`;
}
