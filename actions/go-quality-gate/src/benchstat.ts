/**
 * Benchmark gate: parse Go benchmark output (the format benchstat reads), compare each benchmark's
 * sec/op samples with the baseline's the way benchstat does — medians, a two-sided Mann–Whitney U
 * test at α = 0.05 — and flag significant slowdowns above a threshold.
 */

export interface BenchSamples {
  /** `pkg.BenchmarkName` without the -GOMAXPROCS suffix. */
  key: string;
  pkg: string;
  name: string;
  nsPerOp: number[];
}

/** Parses `go test -bench` output; samples of the same benchmark are collected across runs. */
export function parseBench(text: string): Map<string, BenchSamples> {
  const out = new Map<string, BenchSamples>();
  let pkg = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const p = /^pkg: (\S+)$/.exec(line);
    if (p) {
      pkg = p[1]!;
      continue;
    }
    const m = /^(Benchmark\S*?)(?:-\d+)?\s+\d+\s+([\d.e+]+) ns\/op/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const key = pkg ? `${pkg}.${name}` : name;
    let s = out.get(key);
    if (!s) {
      s = { key, pkg, name, nsPerOp: [] };
      out.set(key, s);
    }
    s.nsPerOp.push(Number(m[2]));
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Number of ways to get each value of U for sample sizes n and m (no ties): the exact null distribution. */
function uDistribution(n: number, m: number): number[] {
  // f(n, m, u) = f(n-1, m, u-m) + f(n, m-1, u)
  const memo = new Map<string, number[]>();
  const rec = (a: number, b: number): number[] => {
    const key = `${a},${b}`;
    const hit = memo.get(key);
    if (hit) return hit;
    let res: number[];
    if (a === 0 || b === 0) res = [1];
    else {
      const x = rec(a - 1, b);
      const y = rec(a, b - 1);
      res = new Array<number>(a * b + 1).fill(0);
      for (let u = 0; u < x.length; u++) res[u + b]! += x[u]!;
      for (let u = 0; u < y.length; u++) res[u]! += y[u]!;
    }
    memo.set(key, res);
    return res;
  };
  return rec(n, m);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erf
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-((z / Math.SQRT2) ** 2));
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * Two-sided Mann–Whitney U test. Exact p-value when there are no ties and the samples are small
 * (as benchstat does); otherwise the normal approximation with tie correction.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): { u: number; p: number } {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { u: 0, p: 1 };
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(all.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = r;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((e, i) => {
    if (e.g === 0) r1 += ranks[i]!;
  });
  const u1 = r1 - (n * (n + 1)) / 2;
  const u = Math.min(u1, n * m - u1);
  if (tieSizes.length === 0 && n * m <= 400) {
    const dist = uDistribution(n, m);
    const total = dist.reduce((s, c) => s + c, 0);
    let tail = 0;
    for (let k = 0; k <= Math.floor(u); k++) tail += dist[k]!;
    return { u, p: Math.min(1, (2 * tail) / total) };
  }
  const N = n + m;
  const tieTerm = tieSizes.reduce((s, t) => s + (t ** 3 - t), 0);
  const sigma = Math.sqrt(((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  if (sigma === 0) return { u, p: 1 };
  const z = (u - (n * m) / 2 + 0.5) / sigma;
  return { u, p: Math.min(1, 2 * normalCdf(z)) };
}

export interface BenchComparison {
  key: string;
  oldMedian?: number;
  newMedian: number;
  /** Percent change of the median (positive = slower). */
  delta?: number;
  p?: number;
  n: number;
  significant: boolean;
  regression: boolean;
  note: string;
}

export const ALPHA = 0.05;

export function compareBench(
  baseline: Map<string, BenchSamples> | undefined,
  current: Map<string, BenchSamples>,
  thresholdPct: number,
  alpha = ALPHA,
): BenchComparison[] {
  const out: BenchComparison[] = [];
  for (const cur of [...current.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    const newMedian = median(cur.nsPerOp);
    const old = baseline?.get(cur.key);
    if (!old) {
      out.push({ key: cur.key, newMedian, n: cur.nsPerOp.length, significant: false, regression: false, note: 'no baseline' });
      continue;
    }
    const oldMedian = median(old.nsPerOp);
    const delta = (100 * (newMedian - oldMedian)) / oldMedian;
    const { p } = mannWhitneyU(old.nsPerOp, cur.nsPerOp);
    const significant = p < alpha;
    const regression = significant && delta > thresholdPct;
    out.push({
      key: cur.key,
      oldMedian,
      newMedian,
      delta,
      p,
      n: cur.nsPerOp.length,
      significant,
      regression,
      note: !significant
        ? '~ (not significant)'
        : regression
          ? `slower than +${thresholdPct}%`
          : delta > 0
            ? 'slower, within threshold'
            : 'faster',
    });
  }
  return out;
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${ns.toFixed(2)} ns`;
}
