/** The step's outputs, written in one place. */
import type { ActionContext } from '@goship/core/action';
import { pct } from './coverage.js';
import type { GateContext } from './gate.js';
import { vulnsJson } from './report.js';
import type { Verdict } from './verdict.js';

export function gateOutputs(g: GateContext, v: Verdict, reportPath: string): Record<string, string> {
  return {
    passed: String(v.passed),
    report: reportPath,
    'failed-checks': JSON.stringify(v.checks.filter((r) => r.status === 'failed').map((r) => r.name)),
    coverage: g.test?.coverage ? pct(g.test.coverage.total.percent) : '',
    'coverage-profile': g.test?.profile ? g.test.profilePath : '',
    tests: JSON.stringify(g.test?.report.counts ?? { passed: 0, failed: 0, skipped: 0 }),
    junit: g.test ? g.test.junit : '',
    vulns: JSON.stringify(vulnsJson(g)),
    'bench-results': g.bench?.resultsPath ?? '',
    'pre-existing': String(v.preExisting.length),
  };
}

export function writeOutputs(ctx: ActionContext, g: GateContext, v: Verdict, reportPath: string): void {
  ctx.outputs(gateOutputs(g, v, reportPath));
}
