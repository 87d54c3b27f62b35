/**
 * coverage: the go test run's profile against `coverage-threshold`, the branch and package rules,
 * and on pull requests the coverage of the changed lines (`diff-coverage-threshold`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { changedLines, repoPath } from '../changes.js';
import { type CoverageSummary, type ThresholdResult, diffCoverage, evaluateThresholds, pct } from '../coverage.js';
import { currentBranch, readEvent } from '../event.js';
import { type Finding, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { defineCheck } from './check.js';

type Diff = NonNullable<NonNullable<GateContext['coverage']>['diff']>;

/** A package below its rule is annotated on its least-covered file. */
function thresholdFinding(g: GateContext, cov: CoverageSummary, t: ThresholdResult): Finding {
  const lowest = cov.files
    .filter((f) => f.name.slice(0, f.name.lastIndexOf('/')) === t.subject)
    .sort((a, b) => a.percent - b.percent || a.name.localeCompare(b.name))[0];
  return {
    check: 'coverage',
    class: 'coverage',
    severity: 'error',
    rule: t.rule,
    file: lowest ? g.paths.profileFile(lowest.name) : undefined,
    message: `Coverage of ${t.subject} is ${pct(t.actual)}%, below ${t.min}% (${t.rule})${lowest ? `; lowest file ${pct(lowest.percent)}%` : ''}`,
    hint: hintFor('coverage'),
  };
}

function uncoveredFindings(g: GateContext, d: Diff, top: string): Finding[] {
  if (d.ok) return [];
  return d.files
    .filter((x) => x.uncovered.length)
    .map((f) => ({
      check: 'coverage',
      class: 'coverage' as const,
      severity: 'error' as const,
      rule: 'diff-coverage-threshold',
      file: g.paths.rel(path.join(top, f.file)),
      line: f.uncovered[0],
      message: `Changed lines not covered by tests: ${f.uncovered.length} of ${f.lines} in this file (diff coverage ${pct(d.percent)}%, below ${d.threshold}%)`,
      hint: 'Add tests that run the changed lines.',
    }));
}

/** Coverage of the lines a pull request changes; a warning when the base is not in the clone. */
async function pullRequestDiff(g: GateContext): Promise<{ diff?: Diff; findings: Finding[] }> {
  const event = await readEvent();
  const profile = g.test?.profile;
  if (event.kind !== 'pull-request' || !event.base || !profile) return { findings: [] };
  const changes = await changedLines(g.cfg.workdir, event.base, ['*.go', ':(exclude)*_test.go']);
  if (!changes) {
    const skipped: Finding = {
      check: 'coverage',
      class: 'coverage',
      severity: 'warning',
      message: `Diff coverage skipped: the pull request base ${event.base.slice(0, 12)} is not in the clone.`,
      hint: 'Check out with `fetch-depth: 0` (actions/checkout) so the base commit is available.',
    };
    return { findings: [skipped] };
  }
  const toRepo = (profileFile: string): string => repoPath(changes, path.resolve(g.paths.workspace, g.paths.profileFile(profileFile)));
  const sources = new Map<string, string[] | undefined>();
  for (const file of changes.lines.keys()) {
    const abs = path.join(changes.top, file);
    sources.set(file, existsSync(abs) ? (await readFile(abs, 'utf8')).split('\n') : undefined);
  }
  const d = diffCoverage(profile, changes.lines, toRepo, (f) => sources.get(f));
  const threshold = g.cfg.diffCoverageThreshold;
  const diff = { ...d, base: changes.from, threshold, ok: threshold === undefined || d.lines === 0 || Number(pct(d.percent)) >= threshold };
  return { diff, findings: uncoveredFindings(g, diff, changes.top) };
}

async function runCoverage(g: GateContext): Promise<Finding[]> {
  const cov = g.test?.coverage;
  if (!cov) {
    return [
      {
        check: 'coverage',
        class: 'coverage',
        severity: g.test?.failed ? 'warning' : 'error',
        message: 'No coverage profile was written (the tests did not build or run).',
        hint: 'Fix the test failures first.',
      },
    ];
  }
  const thresholds = evaluateThresholds(cov, {
    threshold: g.cfg.coverageThreshold,
    rules: g.cfg.coverageRules,
    branch: currentBranch(),
    modulePath: g.modulePath,
  });
  const findings = thresholds.filter((t) => !t.ok).map((t) => thresholdFinding(g, cov, t));
  const pr = await pullRequestDiff(g);
  g.coverage = { thresholds, diff: pr.diff };
  return [...findings, ...pr.findings];
}

export const coverage = defineCheck({
  name: 'coverage',
  cost: 'derived',
  byDefault: true,
  needsTestRun: true,
  run: runCoverage,
  note: (g) => {
    const cov = g.test?.coverage;
    const diff = g.coverage?.diff;
    return cov
      ? `${pct(cov.total.percent)}% of ${cov.total.statements} statements${diff ? `; changed lines ${pct(diff.percent)}%` : ''}`
      : 'no profile';
  },
});
