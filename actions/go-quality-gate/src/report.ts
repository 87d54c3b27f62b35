/** The JSON report: every finding (and every pre-existing one), coverage, tests, vulnerabilities, benchmarks, tools. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './findings.js';
import type { GateContext } from './gate.js';
import type { Verdict } from './verdict.js';

const round1 = (n: number): number => Math.round(n * 10) / 10;

function findingJson(f: Finding): Record<string, unknown> {
  return {
    check: f.check,
    class: f.class,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    column: f.column ?? null,
    message: f.message,
    hint: f.hint,
    rule: f.rule ?? null,
  };
}

export type VulnJson = {
  id: string;
  aliases: string[];
  module: string;
  found: string;
  fixed: string;
  reachability: string;
  symbol?: string;
};

export function vulnsJson(g: GateContext): VulnJson[] {
  return (g.vulns ?? []).map((v) => ({
    id: v.id,
    aliases: v.aliases,
    module: v.module,
    found: v.found,
    fixed: v.fixed,
    reachability: v.reach,
    ...(v.symbol ? { symbol: v.symbol } : {}),
  }));
}

function coverageJson(g: GateContext): Record<string, unknown> | null {
  const cov = g.test?.coverage;
  if (!cov) return null;
  const diff = g.coverage?.diff;
  return {
    total: round1(cov.total.percent),
    statements: cov.total.statements,
    covered: cov.total.covered,
    packages: cov.packages.map((p) => ({ package: p.name, percent: round1(p.percent), statements: p.statements, covered: p.covered })),
    files: cov.files.map((f) => ({
      file: g.paths.profileFile(f.name),
      percent: round1(f.percent),
      statements: f.statements,
      covered: f.covered,
    })),
    thresholds: (g.coverage?.thresholds ?? []).map((t) => ({ ...t, actual: round1(t.actual) })),
    diff: diff
      ? {
          base: diff.base,
          lines: diff.lines,
          covered: diff.covered,
          percent: round1(diff.percent),
          threshold: diff.threshold ?? null,
          ok: diff.ok,
          files: diff.files,
        }
      : null,
    profile: g.test!.profilePath,
  };
}

function testsJson(g: GateContext): Record<string, unknown> | null {
  if (!g.test) return null;
  const { report } = g.test;
  return {
    ...report.counts,
    junit: g.test.junit,
    failed: report.tests.filter((t) => t.status === 'fail').map((t) => ({ package: t.package, test: t.name, elapsed: t.elapsed })),
    packages: report.packages.map((p) => ({ package: p.package, status: p.status, elapsed: p.elapsed, coverage: p.coverage ?? null })),
  };
}

export function buildReport(g: GateContext, v: Verdict, ms: number): Record<string, unknown> {
  return {
    schemaVersion: 1,
    module: g.modulePath,
    goDirective: g.moduleGo ?? null,
    goVersion: g.goVersion,
    passed: v.passed,
    durationMs: Math.round(ms),
    checks: v.checks.map((c) => ({
      name: c.name,
      status: c.status,
      ms: Math.round(c.ms),
      findings: c.findings.length,
      errors: c.findings.filter((f) => f.severity === 'error').length,
      preExisting: c.preExisting.length,
      note: c.note,
    })),
    findings: v.findings.map(findingJson),
    newOnly: { mode: v.judgement.mode, against: v.judgement.against ?? null, checks: v.judgement.checks, notes: v.judgement.notes },
    preExisting: v.preExisting.map(findingJson),
    coverage: coverageJson(g),
    tests: testsJson(g),
    vulns: vulnsJson(g),
    bench: g.bench
      ? { results: g.bench.resultsPath, baseline: g.bench.baseline, threshold: g.cfg.benchThreshold, comparisons: g.bench.comparisons }
      : null,
    tools: Object.values(g.tools).map((t) => ({ name: t.name, version: t.version, builtWith: t.builtWith ?? null })),
  };
}

/** Writes the report to `<outDir>/report.json` and returns its path. */
export async function writeReport(g: GateContext, v: Verdict, ms: number): Promise<string> {
  const reportPath = path.join(g.outDir, 'report.json');
  await writeFile(reportPath, `${JSON.stringify(buildReport(g, v, ms), null, 2)}\n`);
  return reportPath;
}
