/**
 * go-quality-gate: validate every input, check the toolchain, run the checks, judge lint findings
 * against what already existed (new-only), then annotate, write the report, the outputs and the
 * summary — each in one place — and fail the step when a check failed.
 */
import type { ActionContext, SecretSpec } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { annotate } from '@goship/core/summary';
import { readConfig } from './config.js';
import { toCoreFinding } from './findings.js';
import { type GateLog, prepareGate } from './gate.js';
import { judgeNewOnly } from './judge.js';
import { writeOutputs } from './outputs.js';
import { writeReport } from './report.js';
import { runChecks } from './schedule.js';
import { buildSummary } from './summary.js';
import { failureText, settle } from './verdict.js';

/** The gate's log on the runner: a finished check's transcript is written as one group at once. */
function gateLog(ctx: ActionContext): GateLog {
  return {
    info: (m) => ctx.log.info(m),
    debug: (m) => ctx.log.debug(m),
    group: (title, text) => {
      ctx.port.startGroup(ctx.scrub(title));
      ctx.log.info(text);
      ctx.port.endGroup();
    },
  };
}

/** The secret inputs, read and masked before any other input (also by the one-step chain). */
export const SECRETS: readonly SecretSpec[] = [];

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = readConfig(ctx.inputs);
  const started = performance.now();
  const g = await ctx.phase('Go toolchain', () => prepareGate(cfg, gateLog(ctx)));
  // Not a phase: each check writes its own log group when it ends (groups cannot nest).
  const results = await runChecks(g, ctx.phases);
  const judgement = await ctx.phase('New lint findings (new-only)', () => judgeNewOnly(g, results));
  const verdict = settle(g, results, judgement);
  const { annotated, overflow } = annotate(ctx, verdict.findings.map(toCoreFinding), cfg.maxAnnotations);
  ctx.log.info(`${annotated.length} annotation(s); ${overflow.length} more finding(s) in the summary and the report`);
  const reportPath = await writeReport(g, verdict, performance.now() - started);
  writeOutputs(ctx, g, verdict, reportPath);
  await ctx.summary(buildSummary(g, verdict, annotated.length));
  if (!verdict.passed) throw new GoshipError(failureText(verdict, reportPath));
}
