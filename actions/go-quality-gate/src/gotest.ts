/**
 * `go test -json` (test2json events) into test results, findings (failures, races, timeouts,
 * panics, build errors) and a JUnit XML report.
 */
import { type Finding, type PathMapper, classifyCompileMessage, hintFor, parsePositionedLines } from './findings.js';

export interface TestEvent {
  Time?: string;
  Action: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
  FailedBuild?: string;
}

export interface TestCase {
  package: string;
  name: string;
  status: 'pass' | 'fail' | 'skip' | 'running';
  elapsed: number;
  output: string;
}

export interface PackageResult {
  package: string;
  status: 'pass' | 'fail' | 'skip' | 'build-fail';
  elapsed: number;
  output: string;
  coverage?: number;
  /** The ImportPath of the build-output events that explain a build failure. */
  failedBuild?: string;
}

export interface TestReport {
  tests: TestCase[];
  packages: PackageResult[];
  /** Build output keyed by the ImportPath of build-output events. */
  buildOutput: Map<string, string>;
  counts: { passed: number; failed: number; skipped: number };
}

/** Parses test2json lines; non-JSON lines (e.g. go command errors) are kept as package-less output. */
export function parseTestEvents(text: string): { events: TestEvent[]; stray: string } {
  const events: TestEvent[] = [];
  let stray = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('{')) {
      try {
        events.push(JSON.parse(line) as TestEvent);
        continue;
      } catch {
        // fall through: not an event
      }
    }
    stray += `${line}\n`;
  }
  return { events, stray };
}

export function collectTests(events: readonly TestEvent[]): TestReport {
  const tests = new Map<string, TestCase>();
  const packages = new Map<string, PackageResult>();
  const buildOutput = new Map<string, string>();
  for (const e of events) {
    if (e.Action === 'build-output' && e.ImportPath) {
      buildOutput.set(e.ImportPath, (buildOutput.get(e.ImportPath) ?? '') + (e.Output ?? ''));
      continue;
    }
    if (!e.Package) continue;
    if (e.Test) {
      const key = `${e.Package}\u0000${e.Test}`;
      let t = tests.get(key);
      if (!t) {
        t = { package: e.Package, name: e.Test, status: 'running', elapsed: 0, output: '' };
        tests.set(key, t);
      }
      if (e.Action === 'output') t.output += e.Output ?? '';
      else if (e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip') {
        t.status = e.Action;
        t.elapsed = e.Elapsed ?? 0;
      }
      continue;
    }
    let p = packages.get(e.Package);
    if (!p) {
      p = { package: e.Package, status: 'pass', elapsed: 0, output: '' };
      packages.set(e.Package, p);
    }
    if (e.Action === 'output') {
      p.output += e.Output ?? '';
      const cov = /coverage: ([\d.]+)% of statements/.exec(e.Output ?? '');
      if (cov) p.coverage = Number(cov[1]);
    } else if (e.Action === 'pass' || e.Action === 'skip') {
      p.status = e.Action;
      p.elapsed = e.Elapsed ?? 0;
    } else if (e.Action === 'fail') {
      p.status = e.FailedBuild ? 'build-fail' : 'fail';
      if (e.FailedBuild) p.failedBuild = e.FailedBuild;
      p.elapsed = e.Elapsed ?? 0;
    }
  }
  const list = [...tests.values()].sort((a, b) => a.package.localeCompare(b.package) || a.name.localeCompare(b.name));
  // A test still "running" when its package failed was cut off (timeout or panic): it failed.
  for (const t of list) if (t.status === 'running') t.status = 'fail';
  return {
    tests: list,
    packages: [...packages.values()].sort((a, b) => a.package.localeCompare(b.package)),
    buildOutput,
    counts: {
      passed: list.filter((t) => t.status === 'pass').length,
      failed: list.filter((t) => t.status === 'fail').length,
      skipped: list.filter((t) => t.status === 'skip').length,
    },
  };
}

/** The first stack frame (`\t/abs/path/file.go:12 +0x…`) inside the module, skipping the testing package. */
function firstModuleFrame(text: string, moduleDir: string): { file: string; line: number } | undefined {
  for (const m of text.matchAll(/^\s+(\/[^\s:]+\.go|[A-Za-z]:[\\/][^\s:]+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/gm)) {
    if (m[1]!.startsWith(moduleDir)) return { file: m[1]!, line: Number(m[2]) };
  }
  return undefined;
}

/** `    file_test.go:12: message` lines printed by t.Error/t.Fatal for this test. */
function testLogLines(output: string): { file: string; line: number; message: string }[] {
  const out: { file: string; line: number; message: string }[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s{4,}([\w.-]+\.go):(\d+): (.*)$/.exec(lines[i]!);
    if (!m) continue;
    let msg = m[3]!;
    // continuation lines are indented further
    while (i + 1 < lines.length && /^\s{8,}\S/.test(lines[i + 1]!) && !/^\s+[\w.-]+\.go:\d+: /.test(lines[i + 1]!))
      msg += `\n${lines[++i]!.trim()}`;
    out.push({ file: m[1]!, line: Number(m[2]), message: msg });
  }
  return out;
}

const BASE = { check: 'test', severity: 'error' as const };

/** Where a stack frame points, workspace-relative. */
function frameAt(paths: PathMapper, frame: { file: string; line: number } | undefined): Pick<Finding, 'file' | 'line'> {
  return frame ? { file: paths.rel(frame.file), line: frame.line } : {};
}

/** Build failures: compiler errors from build-output events. */
function buildFindings(report: TestReport, paths: PathMapper): Finding[] {
  const out: Finding[] = [];
  for (const [ip, text] of report.buildOutput) {
    const lines = parsePositionedLines(text);
    for (const l of lines) {
      const cls = classifyCompileMessage(l.message);
      out.push({
        ...BASE,
        class: cls,
        file: paths.rel(l.file, paths.moduleDir),
        line: l.line,
        column: l.column,
        message: l.message,
        hint: hintFor(cls),
      });
    }
    if (lines.length === 0 && text.trim()) {
      const cls = classifyCompileMessage(text);
      out.push({
        ...BASE,
        class: cls,
        message: `${ip.replace(/ \[.*\]$/, '')}: ${text.trim().split('\n').slice(-3).join(' ')}`,
        hint: hintFor(cls),
      });
    }
  }
  return out;
}

/** A race, timeout or panic in a failed test, or undefined when it failed otherwise. */
function crashFinding(t: TestCase, paths: PathMapper): Finding | undefined {
  if (/WARNING: DATA RACE/.test(t.output)) {
    const dir = paths.packageDir(t.package) ?? paths.moduleDir;
    const frame =
      firstModuleFrame(t.output.slice(t.output.indexOf('WARNING: DATA RACE')), dir) ?? firstModuleFrame(t.output, paths.moduleDir);
    const access = /^(Read|Write|Previous write|Previous read) at \S+ by goroutine \d+:\n\s+(\S+)/m.exec(t.output);
    const what = access ? ` (${access[1]!.toLowerCase()} in ${access[2]})` : '';
    return {
      ...BASE,
      class: 'race',
      rule: t.name,
      ...frameAt(paths, frame),
      message: `${t.name}: data race${what}`,
      hint: hintFor('race'),
    };
  }
  const timeout = /panic: test timed out after (\S+)/.exec(t.output);
  if (timeout) {
    const frame = firstModuleFrame(t.output, paths.moduleDir);
    return {
      ...BASE,
      class: 'timeout',
      rule: t.name,
      ...frameAt(paths, frame),
      message: `${t.name}: test timed out after ${timeout[1]}`,
      hint: hintFor('timeout'),
    };
  }
  const panic = /^panic: (.*)$/m.exec(t.output);
  if (panic) {
    const frame = firstModuleFrame(t.output.slice(panic.index), paths.moduleDir);
    return {
      ...BASE,
      class: 'panic',
      rule: t.name,
      ...frameAt(paths, frame),
      message: `${t.name}: panic: ${panic[1]}`,
      hint: hintFor('panic'),
    };
  }
  return undefined;
}

/** The findings of one failed test: a crash, its t.Error lines, or that it failed. */
function failedTestFindings(t: TestCase, report: TestReport, paths: PathMapper): Finding[] {
  const crash = crashFinding(t, paths);
  if (crash) return [crash];
  const logs = testLogLines(t.output);
  if (logs.length === 0) {
    // A parent test fails because a subtest failed; the subtest carries the finding.
    if (report.tests.some((s) => s.package === t.package && s.name.startsWith(`${t.name}/`) && s.status === 'fail')) return [];
    return [{ ...BASE, class: 'test-failure', rule: t.name, message: `${t.name} failed`, hint: hintFor('test-failure') }];
  }
  const dir = paths.packageDir(t.package) ?? paths.moduleDir;
  return logs.map((l) => ({
    ...BASE,
    class: 'test-failure' as const,
    rule: t.name,
    file: paths.rel(l.file, dir),
    line: l.line,
    message: `${t.name}: ${l.message}`,
    hint: hintFor('test-failure'),
  }));
}

/** Package-level failures without a failing test: a panic or timeout in TestMain/init, or a race after the tests. */
function packageFindings(report: TestReport, paths: PathMapper, explained: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const p of report.packages) {
    if (p.status !== 'fail' || explained.has(p.package)) continue;
    if (report.tests.some((t) => t.package === p.package && t.status === 'fail')) continue;
    const timeout = /panic: test timed out after (\S+)/.exec(p.output);
    const panic = /^panic: (.*)$/m.exec(p.output);
    const race = /WARNING: DATA RACE/.test(p.output);
    const cls = timeout ? 'timeout' : race ? 'race' : panic ? 'panic' : 'test-failure';
    const what = timeout
      ? `timed out after ${timeout[1]}`
      : race
        ? 'data race'
        : panic
          ? `panic: ${panic[1]}`
          : p.output.trim().split('\n').slice(-2).join(' ');
    out.push({
      ...BASE,
      class: cls,
      rule: p.package,
      ...frameAt(paths, firstModuleFrame(p.output, paths.moduleDir)),
      message: `${p.package}: ${what}`,
      hint: hintFor(cls),
    });
  }
  return out;
}

export function testFindings(report: TestReport, paths: PathMapper): Finding[] {
  const out = buildFindings(report, paths);
  // A timeout or panic explains its package's failure; a race does not (the package may fail for more).
  const explained = new Set<string>();
  for (const t of report.tests.filter((x) => x.status === 'fail')) {
    const fs = failedTestFindings(t, report, paths);
    if (fs.some((f) => f.class === 'timeout' || f.class === 'panic')) explained.add(t.package);
    out.push(...fs);
  }
  return [...out, ...packageFindings(report, paths, explained)];
}

function xml(s: string): string {
  return (
    s
      // XML 1.0 cannot carry these control characters at all
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** JUnit XML in the shape go-junit-report and gotestsum write: one testsuite per package. */
export function junitXml(report: TestReport): string {
  const byPkg = new Map<string, TestCase[]>();
  for (const p of report.packages) byPkg.set(p.package, []);
  for (const t of report.tests) byPkg.set(t.package, [...(byPkg.get(t.package) ?? []), t]);
  let total = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const [pkg, tests] of [...byPkg.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const pr = report.packages.find((p) => p.package === pkg);
    const cases = tests.map((t) => {
      const head = `    <testcase classname="${xml(pkg)}" name="${xml(t.name)}" time="${t.elapsed.toFixed(3)}"`;
      if (t.status === 'fail') return `${head}>\n      <failure message="Failed">${xml(t.output)}</failure>\n    </testcase>`;
      if (t.status === 'skip') return `${head}>\n      <skipped message="Skipped">${xml(t.output)}</skipped>\n    </testcase>`;
      return `${head}></testcase>`;
    });
    let f = tests.filter((t) => t.status === 'fail').length;
    let n = tests.length;
    if (pr && (pr.status === 'build-fail' || (pr.status === 'fail' && f === 0))) {
      // A package that failed without a failing test (build error, TestMain) is reported as a failing case.
      const out =
        pr.status === 'build-fail'
          ? [...report.buildOutput.entries()]
              .filter(([k]) => k === pr.failedBuild || k.startsWith(`${pkg} `) || k === pkg)
              .map(([, v]) => v)
              .join('')
          : pr.output;
      cases.push(
        `    <testcase classname="${xml(pkg)}" name="${pr.status === 'build-fail' ? '[build failed]' : '[package failed]'}" time="0.000">\n      <failure message="Failed">${xml(out)}</failure>\n    </testcase>`,
      );
      f++;
      n++;
    }
    const s = tests.filter((t) => t.status === 'skip').length;
    total += n;
    failures += f;
    skipped += s;
    suites.push(
      `  <testsuite name="${xml(pkg)}" tests="${n}" failures="${f}" errors="0" skipped="${s}" time="${(pr?.elapsed ?? 0).toFixed(3)}">\n${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}
