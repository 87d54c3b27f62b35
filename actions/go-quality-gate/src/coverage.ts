/**
 * Coverage from a Go cover profile: total, per package and per file, weighted by statements the
 * way `go tool cover -func` computes its total; thresholds by branch (core's glob engine) and by
 * package; coverage of the lines a pull request changes.
 */
import { matchGlob } from '@goship/core/manifest';
import type { CoverageRule } from './config.js';

export interface Block {
  file: string;
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
  stmts: number;
  count: number;
}

export interface Profile {
  mode: string;
  blocks: Block[];
}

/** Parses a profile; blocks listed more than once (several test binaries) are merged, as cover does. */
export function parseProfile(text: string): Profile {
  let mode = 'set';
  const merged = new Map<string, Block>();
  for (const line of text.split('\n')) {
    if (line.startsWith('mode: ')) {
      mode = line.slice(6).trim();
      continue;
    }
    const m = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const b: Block = {
      file: m[1]!,
      startLine: Number(m[2]),
      startCol: Number(m[3]),
      endLine: Number(m[4]),
      endCol: Number(m[5]),
      stmts: Number(m[6]),
      count: Number(m[7]),
    };
    const key = `${b.file}:${b.startLine}.${b.startCol},${b.endLine}.${b.endCol}`;
    const prev = merged.get(key);
    if (!prev) merged.set(key, b);
    else prev.count = mode === 'set' ? Math.max(prev.count, b.count) : prev.count + b.count;
  }
  const blocks = [...merged.values()].sort((a, b) => a.file.localeCompare(b.file) || a.startLine - b.startLine || a.startCol - b.startCol);
  return { mode, blocks };
}

export interface CoverageStat {
  name: string;
  statements: number;
  covered: number;
  percent: number;
}

function stat(name: string, blocks: readonly Block[]): CoverageStat {
  const statements = blocks.reduce((s, b) => s + b.stmts, 0);
  const covered = blocks.reduce((s, b) => s + (b.count > 0 ? b.stmts : 0), 0);
  return { name, statements, covered, percent: statements === 0 ? 100 : (100 * covered) / statements };
}

function groupBy(blocks: readonly Block[], key: (b: Block) => string): CoverageStat[] {
  const groups = new Map<string, Block[]>();
  for (const b of blocks) {
    const k = key(b);
    groups.set(k, [...(groups.get(k) ?? []), b]);
  }
  return [...groups.entries()].map(([k, bs]) => stat(k, bs)).sort((a, b) => a.name.localeCompare(b.name));
}

export interface CoverageSummary {
  total: CoverageStat;
  packages: CoverageStat[];
  files: CoverageStat[];
}

export function summarize(profile: Profile): CoverageSummary {
  return {
    total: stat('total', profile.blocks),
    packages: groupBy(profile.blocks, (b) => b.file.slice(0, b.file.lastIndexOf('/'))),
    files: groupBy(profile.blocks, (b) => b.file),
  };
}

/** One decimal, as `go tool cover -func` prints it. */
export function pct(n: number): string {
  return n.toFixed(1);
}

/** Go package pattern (`./internal/...`, `example.com/m/pkg`) → matcher on import paths. */
export function packageMatcher(pattern: string, modulePath: string): (importPath: string) => boolean {
  let p = pattern;
  if (p === '.' || p === './...' || p.startsWith('./')) p = p === '.' ? modulePath : `${modulePath}/${p.slice(2)}`.replace(/\/$/, '');
  if (p === `${modulePath}/...`) return (ip) => ip === modulePath || ip.startsWith(`${modulePath}/`);
  if (p.endsWith('/...')) {
    const base = p.slice(0, -4);
    return (ip) => ip === base || ip.startsWith(`${base}/`);
  }
  return (ip) => ip === p;
}

export interface ThresholdResult {
  /** What was checked, e.g. `total (branch:release/*)` or a package path. */
  subject: string;
  rule: string;
  min: number;
  actual: number;
  ok: boolean;
}

export function evaluateThresholds(
  cov: CoverageSummary,
  opts: { threshold?: number; rules: readonly CoverageRule[]; branch?: string; modulePath: string },
): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  const branchRule = opts.branch ? opts.rules.find((r) => r.kind === 'branch' && matchGlob(r.pattern, opts.branch!)) : undefined;
  const total = cov.total.percent;
  // Compare at the reported precision so that "80.0 < 80" never fails.
  const meets = (actual: number, min: number): boolean => Number(pct(actual)) >= min;
  if (branchRule) {
    out.push({
      subject: `total on ${opts.branch}`,
      rule: branchRule.text,
      min: branchRule.min,
      actual: total,
      ok: meets(total, branchRule.min),
    });
  } else if (opts.threshold !== undefined) {
    out.push({
      subject: 'total',
      rule: `coverage-threshold: ${opts.threshold}`,
      min: opts.threshold,
      actual: total,
      ok: meets(total, opts.threshold),
    });
  }
  for (const r of opts.rules.filter((x) => x.kind === 'package')) {
    const match = packageMatcher(r.pattern, opts.modulePath);
    for (const p of cov.packages.filter((x) => match(x.name))) {
      out.push({ subject: p.name, rule: r.text, min: r.min, actual: p.percent, ok: meets(p.percent, r.min) });
    }
  }
  return out;
}

export interface DiffCoverage {
  /** Changed lines that hold statements. */
  lines: number;
  covered: number;
  percent: number;
  files: { file: string; lines: number; covered: number; uncovered: number[] }[];
}

/** Whether the part of `text` a block covers holds code (not only braces, blanks or a comment). */
function hasCode(text: string): boolean {
  return text.replace(/\/\/.*$/, '').replace(/[{}()\s;]/g, '') !== '';
}

/** Does block `b` hold code on `line`? Needs the source line; without it, any spanned line counts. */
export function blockCodeOnLine(b: Block, line: number, source?: string): boolean {
  if (line < b.startLine || line > b.endLine || b.stmts === 0) return false;
  if (source === undefined) return true;
  const bytes = Buffer.from(source, 'utf8');
  const from = line === b.startLine ? b.startCol - 1 : 0;
  const to = line === b.endLine ? b.endCol - 1 : bytes.length;
  return hasCode(bytes.subarray(from, Math.max(from, to)).toString('utf8'));
}

/**
 * Coverage of changed lines: a changed line counts when a profile block holds code on it; it is
 * covered when any such block ran. `fileOf` maps a profile file name to the diff's path;
 * `sourceOf` returns a file's lines (by the diff's path) so braces-only lines are not counted.
 */
export function diffCoverage(
  profile: Profile,
  changed: Map<string, Set<number>>,
  fileOf: (profileFile: string) => string,
  sourceOf: (file: string) => string[] | undefined = () => undefined,
): DiffCoverage {
  const byFile = new Map<string, Block[]>();
  for (const b of profile.blocks) {
    const f = fileOf(b.file);
    byFile.set(f, [...(byFile.get(f) ?? []), b]);
  }
  const files: DiffCoverage['files'] = [];
  for (const [file, lines] of [...changed.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const blocks = byFile.get(file);
    if (!blocks) continue;
    const src = sourceOf(file);
    let n = 0;
    let c = 0;
    const uncovered: number[] = [];
    for (const line of [...lines].sort((a, b) => a - b)) {
      const spanning = blocks.filter((b) => blockCodeOnLine(b, line, src?.[line - 1]));
      if (spanning.length === 0) continue;
      n++;
      if (spanning.some((b) => b.count > 0)) c++;
      else uncovered.push(line);
    }
    if (n > 0) files.push({ file, lines: n, covered: c, uncovered });
  }
  const lines = files.reduce((s, f) => s + f.lines, 0);
  const covered = files.reduce((s, f) => s + f.covered, 0);
  return { lines, covered, percent: lines === 0 ? 100 : (100 * covered) / lines, files };
}

/** Collapses sorted line numbers into ranges: 3,4,5,9 → "3-5, 9". */
export function lineRanges(lines: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
