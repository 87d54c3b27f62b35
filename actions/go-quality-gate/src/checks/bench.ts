/**
 * bench: `go test -bench` samples compared with a baseline the way benchstat does; enabled by the
 * `bench` input. Runs last and alone, so other checks don't disturb the timings.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareBench, parseBench } from '../benchstat.js';
import { commandFailure, compileFindings, runTool, tagsArgs } from '../command.js';
import { type Finding, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { defineCheck } from './check.js';

/** Packages before test-args, as in the test run; the regex is one `-bench=` value, never a flag of its own. */
export function benchArgv(g: GateContext): string[] {
  return [
    'test',
    '-run=^$',
    `-bench=${g.cfg.bench}`,
    `-count=${g.cfg.benchCount}`,
    ...tagsArgs(g.cfg.buildTags),
    ...g.cfg.packages,
    ...g.cfg.testArgs,
  ];
}

async function runBench(g: GateContext): Promise<Finding[]> {
  const r = await runTool('go', benchArgv(g), { cwd: g.cfg.workdir });
  const resultsPath = path.join(g.outDir, 'bench.txt');
  await writeFile(resultsPath, r.stdout);
  if (r.code !== 0)
    return [...compileFindings('bench', r.stderr + r.stdout, g.paths), commandFailure('bench', r.stdout + r.stderr)].slice(0, 20);
  const hasBaseline = !!g.cfg.benchBaseline && existsSync(g.cfg.benchBaseline);
  const baseline = hasBaseline ? parseBench(await readFile(g.cfg.benchBaseline, 'utf8')) : undefined;
  const comparisons = compareBench(baseline, parseBench(r.stdout), g.cfg.benchThreshold);
  g.bench = { comparisons, resultsPath, baseline: hasBaseline };
  return comparisons
    .filter((c) => c.regression)
    .map((c) => ({
      check: 'bench',
      class: 'bench-regression' as const,
      severity: 'error' as const,
      rule: c.key,
      message: `${c.key}: ${c.delta!.toFixed(1)}% slower (median ${c.oldMedian!.toFixed(2)} → ${c.newMedian.toFixed(2)} ns/op, p=${c.p!.toFixed(3)}, n=${c.n}), above the ${g.cfg.benchThreshold}% threshold`,
      hint: hintFor('bench-regression'),
    }));
}

export const bench = defineCheck({
  name: 'bench',
  cost: 'alone',
  autoEnable: (g) => (g.cfg.bench ? '`bench` is set: the benchmark gate added to the checks' : undefined),
  run: runBench,
  note: (g) => (g.bench ? `${g.bench.comparisons.length} benchmarks${g.bench.baseline ? '' : ', no baseline'}` : ''),
});
