/**
 * Runs the checks: cheap ones first, concurrently within the cores (the longest starts at once in
 * its own slot), the checks that read the go test run once it has finished, and the benchmark
 * gate last and alone. Under fail-fast the cheap checks run first by themselves and a failure
 * skips the rest. Each check's commands and output are written as one log group when it ends, so
 * concurrent checks don't interleave.
 */
import type { PhaseTiming } from '@goship/core/action';
import { mapLimit } from '@goship/core/retry';
import { formatMs } from '@goship/core/summary';
import os from 'node:os';
import { type Check, type CheckResult, statusOf } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import { captured } from './command.js';
import type { GateContext } from './gate.js';

/** The order checks start in: with two or more cores the longest first, then the registry order (cheap first). */
export function startOrder(checks: readonly Check[], cores: number): Check[] {
  if (cores < 2) return [...checks];
  return [...checks.filter((c) => c.cost === 'longest'), ...checks.filter((c) => c.cost !== 'longest')];
}

/** The checks to run, in registry order: those enabled (plus automatic ones, logged), and the test run when one needs it. */
export function selectChecks(g: GateContext): Check[] {
  for (const c of CHECKS) {
    const why = !g.enabled.has(c.name) && c.autoEnable?.(g);
    if (why) {
      g.enabled.add(c.name);
      g.log.info(why);
    }
  }
  const testRun = CHECKS.some((c) => c.needsTestRun && g.enabled.has(c.name));
  return CHECKS.filter((c) => g.enabled.has(c.name) || (c.name === 'test' && testRun));
}

async function runOne(g: GateContext, c: Check): Promise<CheckResult> {
  const t0 = performance.now();
  g.log.info(`▶ ${c.name}`);
  const { value: findings, lines } = await captured(() => c.run(g));
  const ms = performance.now() - t0;
  if (lines.length) g.log.group(`${c.name}: commands and output`, lines.join('\n'));
  const status = statusOf(c, g, findings);
  g.log.info(
    `${status === 'failed' ? '✗' : '✓'} ${c.name} (${formatMs(ms)}, ${findings.length} finding${findings.length === 1 ? '' : 's'})`,
  );
  return { name: c.name, status, ms, findings, preExisting: [], note: '' };
}

function skipped(c: Check): CheckResult {
  return { name: c.name, status: 'skipped', ms: 0, findings: [], preExisting: [], note: 'fail-fast: a cheap check failed' };
}

/** Runs the selected checks; results in registry order. */
export async function runChecks(g: GateContext, phases: PhaseTiming[]): Promise<CheckResult[]> {
  const selected = selectChecks(g);
  const cores = Math.max(1, os.availableParallelism());
  const concurrent = startOrder(
    selected.filter((c) => c.cost !== 'derived' && c.cost !== 'alone'),
    cores,
  );
  const results = new Map<string, CheckResult>();
  const runAll = async (cs: readonly Check[], limit: number): Promise<void> => {
    for (const r of await mapLimit(cs, Math.max(1, Math.min(limit, cs.length)), (c) => runOne(g, c))) results.set(r.name, r);
  };
  const started = performance.now();
  const width = Math.min(cores, concurrent.length);
  g.log.info(
    `Running ${concurrent.map((c) => c.name).join(', ')}: ${width} at a time${g.cfg.failFast ? ' (fail-fast: cheap checks first)' : ''}`,
  );
  let rest = selected.filter((c) => c.cost !== 'cheap' || !g.cfg.failFast);
  if (g.cfg.failFast) {
    await runAll(
      concurrent.filter((c) => c.cost === 'cheap'),
      cores,
    );
    if ([...results.values()].some((r) => r.status === 'failed')) {
      for (const c of rest) results.set(c.name, skipped(c));
      rest = [];
    }
  }
  await runAll(
    concurrent.filter((c) => rest.includes(c)),
    cores,
  );
  // After the test run: the checks that read it, then the benchmarks, alone.
  await runAll(
    rest.filter((c) => c.cost === 'derived'),
    1,
  );
  await runAll(
    rest.filter((c) => c.cost === 'alone'),
    1,
  );
  phases.push({ name: 'Checks', ms: performance.now() - started, ok: true });
  return CHECKS.filter((c) => results.has(c.name)).map((c) => results.get(c.name)!);
}
