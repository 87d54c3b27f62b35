/**
 * The JSON report (every finding, coverage, tests, vulnerabilities, benchmarks) and the job
 * summary (checks, findings beyond the annotation cap, coverage, tests, vulnerabilities, benchmark
 * deltas).
 */
import { Summary, formatMs } from '@goship/core/summary';
import { formatNs } from './bench.js';
import type { CheckResult, GateContext } from './checks.js';
import { type DiffCoverage, type ThresholdResult, lineRanges, pct } from './coverage.js';
import type { Finding } from './findings.js';

interface ReportInput {
  g: GateContext;
  checks: CheckResult[];
  findings: Finding[];
  thresholds: ThresholdResult[];
  diff?: DiffCoverage & { base: string; threshold?: number; ok: boolean };
  passed: boolean;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function buildReport(r: ReportInput & { ms: number }): {
  vulns: { id: string; aliases: string[]; module: string; found: string; fixed: string; reachability: string; symbol?: string }[];
  [k: string]: unknown;
} {
  const { g } = r;
  const cov = g.test?.coverage;
  return {
    schemaVersion: 1,
    module: g.modulePath,
    goDirective: g.moduleGo ?? null,
    goVersion: g.goVersion,
    passed: r.passed,
    durationMs: Math.round(r.ms),
    checks: r.checks.map((c) => ({
      name: c.name,
      status: c.status,
      ms: Math.round(c.ms),
      findings: c.findings.length,
      errors: c.findings.filter((f) => f.severity === 'error').length,
      note: c.note,
    })),
    findings: r.findings.map((f) => ({
      check: f.check,
      class: f.class,
      severity: f.severity,
      file: f.file ?? null,
      line: f.line ?? null,
      column: f.column ?? null,
      message: f.message,
      hint: f.hint,
      rule: f.rule ?? null,
    })),
    coverage: cov
      ? {
          total: round1(cov.total.percent),
          statements: cov.total.statements,
          covered: cov.total.covered,
          packages: cov.packages.map((p) => ({
            package: p.name,
            percent: round1(p.percent),
            statements: p.statements,
            covered: p.covered,
          })),
          files: cov.files.map((f) => ({
            file: g.paths.profileFile(f.name),
            percent: round1(f.percent),
            statements: f.statements,
            covered: f.covered,
          })),
          thresholds: r.thresholds.map((t) => ({ ...t, actual: round1(t.actual) })),
          diff: r.diff
            ? {
                base: r.diff.base,
                lines: r.diff.lines,
                covered: r.diff.covered,
                percent: round1(r.diff.percent),
                threshold: r.diff.threshold ?? null,
                ok: r.diff.ok,
                files: r.diff.files,
              }
            : null,
          profile: g.test!.profilePath,
        }
      : null,
    tests: g.test
      ? {
          ...g.test.report.counts,
          junit: g.test.junit,
          failed: g.test.report.tests
            .filter((t) => t.status === 'fail')
            .map((t) => ({ package: t.package, test: t.name, elapsed: t.elapsed })),
          packages: g.test.report.packages.map((p) => ({
            package: p.package,
            status: p.status,
            elapsed: p.elapsed,
            coverage: p.coverage ?? null,
          })),
        }
      : null,
    vulns: (g.vulns ?? []).map((v) => ({
      id: v.id,
      aliases: v.aliases,
      module: v.module,
      found: v.found,
      fixed: v.fixed,
      reachability: v.reach,
      ...(v.symbol ? { symbol: v.symbol } : {}),
    })),
    bench: g.bench
      ? {
          results: g.bench.resultsPath,
          baseline: g.bench.baseline,
          threshold: g.cfg.benchThreshold,
          comparisons: g.bench.comparisons,
        }
      : null,
    tools: Object.values(g.tools).map((t) => ({ name: t.name, version: t.version, builtWith: t.builtWith ?? null })),
  };
}

const ICON: Record<CheckResult['status'], string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' };

export function buildSummary(r: ReportInput & { annotatedCount: number }): Summary {
  const { g } = r;
  const s = new Summary().heading(`go-quality-gate: ${r.passed ? '✅ passed' : '❌ failed'}`);
  s.text(`Module \`${g.modulePath}\` (go ${g.moduleGo ?? '?'}) checked with Go ${g.goVersion}.`);
  s.table(
    ['check', 'status', 'time', 'findings', 'details'],
    r.checks.map((c) => [c.name, ICON[c.status], c.ms ? formatMs(c.ms) : '—', c.findings.length, c.note]),
  );
  if (r.findings.length) {
    s.heading(`Findings (${r.findings.length}; ${r.annotatedCount} annotated)`, 3);
    s.table(
      ['severity', 'check', 'class', 'location', 'message', 'hint'],
      r.findings.map((f) => [
        f.severity,
        f.check,
        f.class,
        f.file ? `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}` : '—',
        f.message,
        f.hint,
      ]),
    );
  }
  const cov = g.test?.coverage;
  if (cov) {
    s.heading(`Coverage: ${pct(cov.total.percent)}%`, 3);
    if (r.thresholds.length) {
      s.table(
        ['subject', 'rule', 'coverage', 'minimum', 'result'],
        r.thresholds.map((t) => [t.subject, t.rule, `${pct(t.actual)}%`, `${t.min}%`, t.ok ? '✅' : '❌']),
      );
    }
    const lowest = [...cov.packages].sort((a, b) => a.percent - b.percent || a.name.localeCompare(b.name));
    s.table(
      ['package (lowest first)', 'coverage', 'statements'],
      lowest.slice(0, 10).map((p) => [p.name, `${pct(p.percent)}%`, p.statements]),
    );
    s.details(
      `Coverage per file (${cov.files.length})`,
      new Summary()
        .table(
          ['file', 'coverage', 'statements'],
          cov.files.map((f) => [g.paths.profileFile(f.name), `${pct(f.percent)}%`, f.statements]),
        )
        .toString(),
    );
    if (r.diff) {
      s.text(
        `**Changed lines** (against ${r.diff.base.slice(0, 12)}): ${r.diff.covered} of ${r.diff.lines} covered, ${pct(r.diff.percent)}%${r.diff.threshold !== undefined ? ` (minimum ${r.diff.threshold}%: ${r.diff.ok ? '✅' : '❌'})` : ''}.`,
      );
      const un = r.diff.files.filter((f) => f.uncovered.length);
      if (un.length)
        s.table(
          ['file', 'changed lines', 'uncovered lines'],
          un.map((f) => [f.file, f.lines, lineRanges(f.uncovered)]),
        );
    }
  }
  if (g.test) {
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
    if (slowest.length)
      s.details(
        'Slowest tests',
        new Summary()
          .table(
            ['test', 'package', 'time'],
            slowest.map((t) => [t.name, t.package, `${t.elapsed.toFixed(2)} s`]),
          )
          .toString(),
      );
  }
  if (g.vulns) {
    s.heading(`Vulnerabilities: ${g.vulns.length}`, 3);
    if (g.vulns.length) {
      s.table(
        ['OSV', 'module', 'found', 'fixed', 'reachability', 'symbol'],
        g.vulns.map((v) => [
          `[${v.id}](https://pkg.go.dev/vuln/${v.id})`,
          v.module,
          v.found,
          v.fixed || 'no fix',
          v.reach,
          v.symbol ?? '—',
        ]),
      );
    }
  }
  if (g.bench) {
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
  return s;
}
