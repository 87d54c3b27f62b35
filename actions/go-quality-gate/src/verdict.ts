/**
 * The gate's verdict once every check has run and new-only has judged: the checks with their
 * one-line notes, the findings that count (one copy of a problem several checks saw, in a stable
 * order), the pre-existing ones, and whether the gate passed.
 */
import type { CheckResult } from './checks/check.js';
import { checkNamed } from './checks/index.js';
import { type Finding, dedupe, sortFindings } from './findings.js';
import type { GateContext } from './gate.js';
import type { Judgement } from './judge.js';

export interface Verdict {
  checks: CheckResult[];
  findings: Finding[];
  preExisting: Finding[];
  judgement: Judgement;
  passed: boolean;
}

export function settle(g: GateContext, checks: CheckResult[], judgement: Judgement): Verdict {
  for (const r of checks) {
    if (r.note === '') r.note = checkNamed(r.name).note?.(g, r) ?? '';
    if (r.preExisting.length) r.note = [r.note, `${r.preExisting.length} pre-existing`].filter(Boolean).join('; ');
  }
  return {
    checks,
    findings: sortFindings(dedupe(checks.flatMap((r) => r.findings))),
    preExisting: sortFindings(checks.flatMap((r) => r.preExisting)),
    judgement,
    passed: checks.every((r) => r.status !== 'failed'),
  };
}

/** The step's failure message: which checks failed, with how many error findings each. */
export function failureText(v: Verdict, reportPath: string): string {
  const failed = v.checks
    .filter((r) => r.status === 'failed')
    .map((r) => `${r.name} (${r.findings.filter((f) => f.severity === 'error').length})`);
  const errors = v.findings.filter((f) => f.severity === 'error').length;
  return `${failed.join(', ')} failed — ${errors} error finding(s); see the annotations, the job summary and ${reportPath}.`;
}
