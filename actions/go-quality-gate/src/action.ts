/**
 * go-quality-gate: validate inputs, run the checks (cheap first, concurrently within the cores),
 * evaluate coverage, vulnerabilities and benchmarks, then annotate, summarise and write the report.
 */
import * as core from '@actions/core';
import type { ActionContext } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { output } from '@goship/core/exec';
import { compareGoVersions, parseGoMod, parseGoVersion } from '@goship/core/go';
import { mapLimit } from '@goship/core/retry';
import { annotate, formatMs } from '@goship/core/summary';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CHEAP,
  type CheckResult,
  type GateContext,
  checkBench,
  checkFmt,
  checkGolangci,
  checkMod,
  checkStaticcheck,
  checkTest,
  checkVet,
  checkVuln,
  goFacts,
  transcript,
  vulnFails,
} from './checks.js';
import { type CheckName, readConfig } from './config.js';
import { type DiffCoverage, type ThresholdResult, currentBranch, diffCoverage, evaluateThresholds, parseDiff, pct } from './coverage.js';
import { type Finding, PathMapper, dedupe, hintFor, sortFindings, toCoreFinding } from './findings.js';
import { buildReport, buildSummary } from './report.js';

/** Order in which checks start: cheap ones first, benchmarks last (they run alone). */
const ORDER: CheckName[] = ['fmt', 'mod', 'vet', 'test', 'staticcheck', 'golangci-lint', 'vuln', 'race', 'coverage', 'bench'];

/**
 * The order checks start in. Cheap checks first; but with two or more cores govulncheck — the
 * longest single step on most modules (it type-checks and builds SSA for every dependency, and
 * nothing caches it) — starts at once in its own slot, while the other slots work through the
 * cheap checks and then the rest. With fail-fast, the cheap checks run alone first anyway.
 */
export function startOrder(names: readonly CheckName[], cores: number): CheckName[] {
  if (cores < 2 || !names.includes('vuln')) return [...names];
  return ['vuln', ...names.filter((n) => n !== 'vuln')];
}

export function golangciConfig(dir: string): string | undefined {
  return ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

export interface GateResult {
  checks: CheckResult[];
  findings: Finding[];
  thresholds: ThresholdResult[];
  diff?: DiffCoverage & { base: string; threshold?: number; ok: boolean };
  passed: boolean;
}

async function pullRequestBase(): Promise<string | undefined> {
  const ev = process.env.GITHUB_EVENT_NAME ?? '';
  if (!['pull_request', 'pull_request_target', 'merge_group'].includes(ev) || !process.env.GITHUB_EVENT_PATH) return undefined;
  try {
    const payload = JSON.parse(await readFile(process.env.GITHUB_EVENT_PATH, 'utf8')) as {
      pull_request?: { base?: { sha?: string } };
      merge_group?: { base_sha?: string };
    };
    return payload.pull_request?.base?.sha ?? payload.merge_group?.base_sha;
  } catch {
    return undefined;
  }
}

async function computeDiffCoverage(g: GateContext, threshold: number | undefined): Promise<GateResult['diff'] | Finding | undefined> {
  const base = await pullRequestBase();
  if (!base || !g.test?.profile) return undefined;
  const git = (args: string[]): Promise<string> => output('git', args, { cwd: g.cfg.workdir });
  let top: string;
  let from: string;
  try {
    top = await git(['rev-parse', '--show-toplevel']);
    from = await git(['merge-base', base, 'HEAD']).catch(() => base);
    await git(['cat-file', '-e', `${from}^{commit}`]);
  } catch {
    return {
      check: 'coverage',
      class: 'coverage',
      severity: 'warning',
      message: `Diff coverage skipped: the pull request base ${base.slice(0, 12)} is not in the clone.`,
      hint: 'Check out with `fetch-depth: 0` (actions/checkout) so the base commit is available.',
    };
  }
  const diff = await git(['diff', '--unified=0', '--no-color', '--no-ext-diff', from, '--', '*.go', ':(exclude)*_test.go']);
  const changed = parseDiff(diff);
  const toRepo = (profileFile: string): string => {
    const rel = g.paths.profileFile(profileFile);
    const abs = path.resolve(g.paths.workspace, rel);
    return path.relative(top, abs).split(path.sep).join('/');
  };
  const sources = new Map<string, string[] | undefined>();
  for (const file of changed.keys()) {
    const abs = path.join(top, file);
    sources.set(file, existsSync(abs) ? (await readFile(abs, 'utf8')).split('\n') : undefined);
  }
  const d = diffCoverage(g.test.profile, changed, toRepo, (f) => sources.get(f));
  const ok = threshold === undefined || d.lines === 0 || Number(pct(d.percent)) >= threshold;
  return { ...d, base: from, threshold, ok };
}

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = readConfig(ctx.inputs);
  const started = performance.now();
  const gomod = parseGoMod(await readFile(path.join(cfg.workdir, 'go.mod'), 'utf8'));
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const paths = new PathMapper(workspace, cfg.workdir, gomod.module);
  const outDir = path.join(
    process.env.RUNNER_TEMP ?? os.tmpdir(),
    `go-quality-gate${process.env.GITHUB_ACTION ? `-${process.env.GITHUB_ACTION}` : ''}`,
  );
  await mkdir(outDir, { recursive: true });

  const facts = await ctx.phase('Go toolchain', async () => {
    const f = await goFacts(cfg.workdir);
    core.info(`go ${f.goVersion}; module ${gomod.module} (go ${gomod.go ?? '?'})`);
    if (gomod.go && parseGoVersion(gomod.go) && parseGoVersion(f.goVersion) && compareGoVersions(f.goVersion, gomod.go) < 0) {
      throw new GoshipError(
        `The Go on PATH (${f.goVersion}) is older than go.mod's \`go ${gomod.go}\` line, and GOTOOLCHAIN=${f.toolchain || 'local'} does not let it switch: no check could build the module.`,
        `Set up Go ${gomod.go} or newer before this step (setup-go-matrix with \`go-version: go.mod\`), or allow GOTOOLCHAIN=auto`,
      );
    }
    return f;
  });
  const checks = new Set(cfg.checks);
  const lintConfig = golangciConfig(cfg.workdir);
  const lintConfigText = lintConfig ? await readFile(lintConfig, 'utf8') : undefined;
  if (lintConfig && !checks.has('golangci-lint')) {
    checks.add('golangci-lint');
    core.info(`${path.basename(lintConfig)} found: golangci-lint added to the checks`);
  }
  const g: GateContext = {
    cfg,
    paths,
    modulePath: gomod.module,
    moduleGo: gomod.go,
    goVersion: facts.goVersion,
    gofmt: facts.gofmt,
    outDir,
    tools: {},
  };

  const runners: Partial<Record<CheckName, () => Promise<Finding[]>>> = {
    fmt: () => checkFmt(g, lintConfigText),
    vet: () => checkVet(g),
    mod: () => checkMod(g),
    staticcheck: () => checkStaticcheck(g),
    'golangci-lint': () => checkGolangci(g),
    vuln: () => checkVuln(g),
  };
  const testWanted = checks.has('test') || checks.has('race') || checks.has('coverage');
  const results = new Map<CheckName, CheckResult>();
  const timed = async (name: CheckName, fn: () => Promise<Finding[]>): Promise<CheckResult> => {
    const t0 = performance.now();
    core.info(`▶ ${name}`);
    const lines: string[] = [];
    const findings = await transcript.run(lines, fn);
    const ms = performance.now() - t0;
    if (lines.length) {
      // One group per check, written at once so concurrent checks don't interleave.
      core.startGroup(`${name}: commands and output`);
      core.info(lines.filter(Boolean).join('\n'));
      core.endGroup();
    }
    const failing = findings.filter((f) => f.severity === 'error');
    const r: CheckResult = { name, status: failing.length ? 'failed' : 'passed', ms, findings, note: '' };
    core.info(`${failing.length ? '✗' : '✓'} ${name} (${formatMs(ms)}, ${findings.length} finding${findings.length === 1 ? '' : 's'})`);
    results.set(name, r);
    return r;
  };
  const testRun = async (): Promise<Finding[]> => checkTest(g, { race: checks.has('race') && cfg.race });

  const cores = Math.max(1, os.availableParallelism());
  const queue = startOrder(
    ORDER.filter((c) => (c === 'test' ? testWanted : checks.has(c) && runners[c])),
    cores,
  );
  const runQueue = async (names: CheckName[]): Promise<void> => {
    await mapLimit(names, Math.min(cores, names.length || 1), (name) => timed(name, name === 'test' ? testRun : runners[name]!));
  };

  // Not a ctx.phase: each check writes its own log group when it ends (groups cannot nest).
  const checksStarted = performance.now();
  core.info(
    `Running ${queue.join(', ')}: ${Math.min(cores, queue.length)} at a time${cfg.failFast ? ' (fail-fast: cheap checks first)' : ''}`,
  );
  if (cfg.failFast) {
    await runQueue(queue.filter((c) => CHEAP.includes(c)));
    const cheapFailed = [...results.values()].some((r) => r.status === 'failed');
    const rest = queue.filter((c) => !CHEAP.includes(c));
    if (cheapFailed) {
      for (const c of [...rest, ...(['race', 'coverage', 'bench'] as CheckName[]).filter((x) => checks.has(x))]) {
        results.set(c, { name: c, status: 'skipped', ms: 0, findings: [], note: 'fail-fast: a cheap check failed' });
      }
    } else await runQueue(rest);
  } else await runQueue(queue);
  ctx.phases.push({ name: 'Checks', ms: performance.now() - checksStarted, ok: true });

  // Split the go test run's findings into the test, race and coverage checks.
  const testResult = results.get('test');
  if (testResult && testResult.status !== 'skipped') {
    const race = testResult.findings.filter((f) => f.class === 'race').map((f) => ({ ...f, check: 'race' }));
    testResult.findings = testResult.findings.filter((f) => f.class !== 'race');
    testResult.status = testResult.findings.some((f) => f.severity === 'error') ? 'failed' : 'passed';
    const counts = g.test?.report.counts;
    testResult.note = counts ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` : '';
    if (checks.has('race')) {
      results.set('race', {
        name: 'race',
        status: race.length ? 'failed' : 'passed',
        ms: 0,
        findings: race,
        note: cfg.race ? `${race.length} data race${race.length === 1 ? '' : 's'}` : 'race: false — tests ran without -race',
      });
      if (!cfg.race) results.get('race')!.status = 'skipped';
    } else testResult.findings.push(...race);
    // Not requested but run for race/coverage: a failing test still counts.
    if (!checks.has('test')) testResult.note += ' (run for race/coverage)';
  }

  let thresholds: ThresholdResult[] = [];
  let diff: GateResult['diff'];
  if (checks.has('coverage') && results.get('coverage')?.status !== 'skipped') {
    const t0 = performance.now();
    const findings: Finding[] = [];
    const cov = g.test?.coverage;
    if (cov) {
      thresholds = evaluateThresholds(cov, {
        threshold: cfg.coverageThreshold,
        rules: cfg.coverageRules,
        branch: currentBranch(),
        modulePath: gomod.module,
      });
      for (const t of thresholds.filter((x) => !x.ok)) {
        // A package below its rule is annotated on its least-covered file.
        const lowest = cov.files
          .filter((f) => f.name.slice(0, f.name.lastIndexOf('/')) === t.subject)
          .sort((a, b) => a.percent - b.percent || a.name.localeCompare(b.name))[0];
        findings.push({
          check: 'coverage',
          class: 'coverage',
          severity: 'error',
          rule: t.rule,
          file: lowest ? paths.profileFile(lowest.name) : undefined,
          message: `Coverage of ${t.subject} is ${pct(t.actual)}%, below ${t.min}% (${t.rule})${lowest ? `; lowest file ${pct(lowest.percent)}%` : ''}`,
          hint: hintFor('coverage'),
        });
      }
      const d = await computeDiffCoverage(g, cfg.diffCoverageThreshold);
      if (d && 'check' in d) findings.push(d);
      else if (d) {
        diff = d;
        if (!d.ok) {
          for (const f of d.files.filter((x) => x.uncovered.length)) {
            findings.push({
              check: 'coverage',
              class: 'coverage',
              severity: 'error',
              rule: 'diff-coverage-threshold',
              file: paths.rel(path.join(await output('git', ['rev-parse', '--show-toplevel'], { cwd: cfg.workdir }), f.file), workspace),
              line: f.uncovered[0],
              message: `Changed lines not covered by tests: ${f.uncovered.length} of ${f.lines} in this file (diff coverage ${pct(d.percent)}%, below ${d.threshold}%)`,
              hint: 'Add tests that run the changed lines.',
            });
          }
        }
      }
    } else {
      findings.push({
        check: 'coverage',
        class: 'coverage',
        severity: testResult?.status === 'failed' ? 'warning' : 'error',
        message: 'No coverage profile was written (the tests did not build or run).',
        hint: 'Fix the test failures first.',
      });
    }
    results.set('coverage', {
      name: 'coverage',
      status: findings.some((f) => f.severity === 'error') ? 'failed' : 'passed',
      ms: performance.now() - t0,
      findings,
      note: cov
        ? `${pct(cov.total.percent)}% of ${cov.total.statements} statements${diff ? `; changed lines ${pct(diff.percent)}%` : ''}`
        : 'no profile',
    });
  }

  const vulnResult = results.get('vuln');
  if (vulnResult && vulnResult.status !== 'skipped') {
    vulnResult.status = vulnFails(g) || vulnResult.findings.some((f) => f.class !== 'vuln' && f.severity === 'error') ? 'failed' : 'passed';
    const v = g.vulns ?? [];
    vulnResult.note = `${v.filter((x) => x.reach === 'called').length} called, ${v.filter((x) => x.reach !== 'called').length} imported/required (fail-on-vuln: ${cfg.failOnVuln})`;
  }

  // Benchmarks run alone, after everything else, so other checks don't disturb the timings.
  if (checks.has('bench') && !results.has('bench')) {
    const r = await timed('bench', () => checkBench(g));
    r.note = g.bench ? `${g.bench.comparisons.length} benchmarks${g.bench.baseline ? '' : ', no baseline'}` : '';
  }

  const ordered = ORDER.filter((c) => results.has(c)).map((c) => results.get(c)!);
  const all = sortFindings(dedupe(ordered.flatMap((r) => r.findings)));
  const passed = ordered.every((r) => r.status !== 'failed');

  const { annotated, overflow } = annotate(ctx, all.map(toCoreFinding), cfg.maxAnnotations);
  core.info(`${annotated.length} annotation(s); ${overflow.length} more finding(s) in the summary and the report`);

  const reportPath = path.join(outDir, 'report.json');
  const report = buildReport({ g, checks: ordered, findings: all, thresholds, diff, passed, ms: performance.now() - started });
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);

  core.setOutput('passed', String(passed));
  core.setOutput('report', reportPath);
  core.setOutput('failed-checks', JSON.stringify(ordered.filter((r) => r.status === 'failed').map((r) => r.name)));
  core.setOutput('coverage', g.test?.coverage ? pct(g.test.coverage.total.percent) : '');
  core.setOutput('coverage-profile', g.test?.profile ? g.test.profilePath : '');
  core.setOutput('tests', JSON.stringify(g.test?.report.counts ?? { passed: 0, failed: 0, skipped: 0 }));
  core.setOutput('junit', g.test ? g.test.junit : '');
  core.setOutput('vulns', JSON.stringify(report.vulns));
  core.setOutput('bench-results', g.bench?.resultsPath ?? '');

  await ctx.summary(buildSummary({ g, checks: ordered, findings: all, annotatedCount: annotated.length, thresholds, diff, passed }));
  if (!passed) {
    core.setFailed(
      `go-quality-gate: ${ordered
        .filter((r) => r.status === 'failed')
        .map((r) => `${r.name} (${r.findings.filter((f) => f.severity === 'error').length})`)
        .join(
          ', ',
        )} failed — ${all.filter((f) => f.severity === 'error').length} error finding(s); see the annotations, the job summary and ${reportPath}.`,
    );
  }
}
