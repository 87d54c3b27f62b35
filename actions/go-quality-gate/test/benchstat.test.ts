import { describe, expect, it } from 'vitest';
import { compareBench, mannWhitneyU, median, parseBench } from '../src/benchstat.js';

const OUT = (ns: number[]): string =>
  [
    'goos: linux',
    'goarch: amd64',
    'pkg: example.com/hello',
    'cpu: AMD EPYC',
    ...ns.map((n) => `BenchmarkGreeting-2   \t 20000\t        ${n} ns/op`),
    'PASS',
    'ok  \texample.com/hello\t0.123s',
  ].join('\n');

describe('parseBench', () => {
  it('collects samples per package and benchmark, without the GOMAXPROCS suffix', () => {
    const b = parseBench(`${OUT([10.5, 11])}\npkg: example.com/other\nBenchmarkX/sub=1-8  100  2.5e+03 ns/op  16 B/op  1 allocs/op\n`);
    expect([...b.keys()]).toEqual(['example.com/hello.BenchmarkGreeting', 'example.com/other.BenchmarkX/sub=1']);
    expect(b.get('example.com/hello.BenchmarkGreeting')!.nsPerOp).toEqual([10.5, 11]);
    expect(b.get('example.com/other.BenchmarkX/sub=1')!.nsPerOp).toEqual([2500]);
  });
});

describe('Mann–Whitney U', () => {
  it('gives the exact two-sided p-value for fully separated samples (2 / C(12,6))', () => {
    const { u, p } = mannWhitneyU([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]);
    expect(u).toBe(0);
    expect(p).toBeCloseTo(2 / 924, 6);
  });

  it('matches the exact distribution for a partial overlap (n=3, m=3, U=1 → p=0.2)', () => {
    // P(U <= 1) = 2/20 for n=m=3; two-sided 0.2
    expect(mannWhitneyU([1, 2, 4], [3, 5, 6]).p).toBeCloseTo(0.2, 6);
  });

  it('is not significant for identical samples (ties use the normal approximation)', () => {
    expect(mannWhitneyU([5, 5, 5, 6, 6, 6], [5, 5, 5, 6, 6, 6]).p).toBe(1);
    expect(mannWhitneyU([], [1]).p).toBe(1);
  });

  it('medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('compareBench', () => {
  const base = parseBench(OUT([100, 101, 99, 100.5, 99.5, 100.2]));
  it('flags a significant slowdown above the threshold', () => {
    const [c] = compareBench(base, parseBench(OUT([130, 131, 129, 130.5, 129.5, 130.2])), 15);
    expect(c).toMatchObject({ significant: true, regression: true });
    expect(c!.delta).toBeCloseTo(30, 0);
  });
  it('does not flag a significant slowdown within the threshold, nor noise', () => {
    expect(compareBench(base, parseBench(OUT([105, 106, 104, 105.5, 104.5, 105.2])), 15)[0]).toMatchObject({
      significant: true,
      regression: false,
    });
    expect(compareBench(base, parseBench(OUT([100.1, 99, 101, 100, 99.9, 100.6])), 15)[0]).toMatchObject({
      significant: false,
      regression: false,
    });
  });
  it('does not flag a large but insignificant change (too few samples)', () => {
    const few = parseBench(OUT([100, 101]));
    expect(compareBench(few, parseBench(OUT([200, 201])), 15)[0]).toMatchObject({ regression: false, significant: false });
  });
  it('records benchmarks without a baseline', () => {
    expect(compareBench(undefined, base, 15)[0]).toMatchObject({ note: 'no baseline', regression: false });
  });
});
