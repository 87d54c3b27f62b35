/**
 * The job summary: the checks, how lint findings were judged (and the pre-existing ones,
 * collapsed), which linters goship chose when the module has no lint configuration, the findings
 * beyond the annotation cap, coverage, tests, vulnerabilities and benchmark deltas.
 */
import { Summary, formatMs } from '@goship/core/summary';
import { formatNs } from './benchstat.js';
import type { CheckResult } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import { lineRanges, pct } from './coverage.js';
import type { Finding } from './findings.js';
import type { GateContext } from './gate.js';
import type { Verdict } from './verdict.js';

const ICON: Record<CheckResult['status'], string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' };

const where = (f: Finding): string => (f.file ? `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}` : '—');

const FINDING_COLUMNS = ['severity', 'check', 'class', 'location', 'message', 'hint'];

const findingRows = (fs: readonly Finding[]): string[][] => fs.map((f) => [f.severity, f.check, f.class, where(f), f.message, f.hint]);

function newOnlySection(s: Summary, v: Verdict): void {
  const { judgement, preExisting } = v;
  if (judgement.notes.length === 0 && preExisting.length === 0) return;
  const count = `${preExisting.length} pre-existing`;
  s.heading(`New or pre-existing lint findings: ${count}`, 3);
  s.text(judgement.notes.join(' '));
  if (preExisting.length) {
    s.text(
      `**${count}** lint finding${preExisting.length === 1 ? '' : 's'} (${[...new Set(preExisting.map((f) => f.check))].join(', ')}) ${judgement.mode === 'changes' ? 'on lines this pull request does not change' : `already in ${judgement.against}`}: reported here, not failing. Set \`new-only: false\` to fail on them too.`,
    );
    s.details(`Pre-existing findings (${preExisting.length})`, new Summary().table(FINDING_COLUMNS, findingRows(preExisting)).toString());
  }
}

/** When the module has no lint configuration of its own, says which linters goship chose, at which versions, and how to change that. */
function lintersSection(s: Summary, g: GateContext): void {
  const lint = g.cfg.lint;
  if (lint.golangci || lint.staticcheck.length) return;
  const ran = CHECKS.filter((c) => c.linter && c.tool && g.enabled.has(c.name) && g.tools[c.tool]);
  if (ran.length === 0) return;
  const tools = ran.map((c) => {
    const t = g.tools[c.tool!]!;
    return `${t.name} ${t.version}${t.builtWith ? ` (built with Go ${t.builtWith})` : ''}`;
  });
  const others = [...g.enabled].filter((n) => !ran.some((c) => c.name === n));
  s.heading('Linters', 3);
  s.text(
    `This module has no lint configuration of its own (no \`.golangci.yml\`, no \`staticcheck.conf\`), so goship ran ${tools.join(' and ')} with ${ran.length === 1 ? 'its' : 'their'} default checks. ` +
      'To choose the checks, add a [`staticcheck.conf`](https://staticcheck.dev/docs/configuration/) or a [`.golangci.yml`](https://golangci-lint.run/docs/configuration/) (golangci-lint then runs too, with it). ' +
      `To turn a linter off, leave it out of \`checks:\`${others.length ? ` (for example \`checks: ${others.join(',')}\`)` : ''}.`,
  );
}

function coverageSection(s: Summary, g: GateContext): void {
  const cov = g.test?.coverage;
  if (!cov) return;
  s.heading(`Coverage: ${pct(cov.total.percent)}%`, 3);
  const thresholds = g.coverage?.thresholds ?? [];
  if (thresholds.length) {
    s.table(
      ['subject', 'rule', 'coverage', 'minimum', 'result'],
      thresholds.map((t) => [t.subject, t.rule, `${pct(t.actual)}%`, `${t.min}%`, t.ok ? '✅' : '❌']),
    );
  }
  const lowest = [...cov.packages].sort((a, b) => a.percent - b.percent || a.name.localeCompare(b.name));
  s.table(
    ['package (lowest first)', 'coverage', 'statements'],
    lowest.slice(0, 10).map((p) => [p.name, `${pct(p.percent)}%`, p.statements]),
  );
  const files = new Summary().table(
    ['file', 'coverage', 'statements'],
    cov.files.map((f) => [g.paths.profileFile(f.name), `${pct(f.percent)}%`, f.statements]),
  );
  s.details(`Coverage per file (${cov.files.length})`, files.toString());
  const diff = g.coverage?.diff;
  if (!diff) return;
  const min = diff.threshold !== undefined ? ` (minimum ${diff.threshold}%: ${diff.ok ? '✅' : '❌'})` : '';
  s.text(`**Changed lines** (against ${diff.base.slice(0, 12)}): ${diff.covered} of ${diff.lines} covered, ${pct(diff.percent)}%${min}.`);
  const un = diff.files.filter((f) => f.uncovered.length);
  if (un.length) {
    s.table(
      ['file', 'changed lines', 'uncovered lines'],
      un.map((f) => [f.file, f.lines, lineRanges(f.uncovered)]),
    );
  }
}

function testsSection(s: Summary, g: GateContext): void {
  if (!g.test) return;
  const { counts, tests } = g.test.report;
  s.heading(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`, 3);
  const failed = tests.filter((t) => t.status === 'fail');
  if (failed.length) {
    s.table(
      ['failed test', 'package', 'time'],
      failed.map((t) => [t.name, t.package, `${t.elapsed.toFixed(2)} s`]),
    );
  }
  const slowest = [...tests].sort((a, b) => b.elapsed - a.elapsed || a.name.localeCompare(b.name)).slice(0, 5);
  if (slowest.length) {
    const table = new Summary().table(
      ['test', 'package', 'time'],
      slowest.map((t) => [t.name, t.package, `${t.elapsed.toFixed(2)} s`]),
    );
    s.details('Slowest tests', table.toString());
  }
}

function vulnsSection(s: Summary, g: GateContext): void {
  if (!g.vulns) return;
  s.heading(`Vulnerabilities: ${g.vulns.length}`, 3);
  if (g.vulns.length === 0) return;
  s.table(
    ['OSV', 'module', 'found', 'fixed', 'reachability', 'symbol'],
    g.vulns.map((v) => [`[${v.id}](https://pkg.go.dev/vuln/${v.id})`, v.module, v.found, v.fixed || 'no fix', v.reach, v.symbol ?? '—']),
  );
}

function benchSection(s: Summary, g: GateContext): void {
  if (!g.bench) return;
  s.heading(`Benchmarks${g.bench.baseline ? '' : ' (no baseline: recorded for next time)'}`, 3);
  s.table(
    ['benchmark', 'baseline', 'now', 'delta', 'p', 'verdict'],
    g.bench.comparisons.map((c) => [
      c.key,
      c.oldMedian !== undefined ? formatNs(c.oldMedian) : '—',
      formatNs(c.newMedian),
      c.delta !== undefined ? `${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(1)}%` : '—',
      c.p !== undefined ? c.p.toFixed(3) : '—',
      c.regression ? `❌ ${c.note}` : c.note,
    ]),
  );
}

export function buildSummary(g: GateContext, v: Verdict, annotatedCount: number): Summary {
  const s = new Summary().heading(`go-quality-gate: ${v.passed ? '✅ passed' : '❌ failed'}`);
  s.text(`Module \`${g.modulePath}\` (go ${g.moduleGo ?? '?'}) checked with Go ${g.goVersion}.`);
  s.table(
    ['check', 'status', 'time', 'findings', 'details'],
    v.checks.map((c) => [c.name, ICON[c.status], c.ms ? formatMs(c.ms) : '—', c.findings.length, c.note]),
  );
  newOnlySection(s, v);
  lintersSection(s, g);
  if (v.findings.length) {
    s.heading(`Findings (${v.findings.length}; ${annotatedCount} annotated)`, 3);
    s.table(FINDING_COLUMNS, findingRows(v.findings));
  }
  coverageSection(s, g);
  testsSection(s, g);
  vulnsSection(s, g);
  benchSection(s, g);
  return s;
}
