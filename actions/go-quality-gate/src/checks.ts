/**
 * One function per check. Each runs the real tool with argv arrays in the module folder, parses
 * its output into findings and returns; none of them throws for a finding, only for a broken
 * environment.
 */
import * as core from '@actions/core';
import { type RunOptions, type RunResult, output, run as runCommand } from '@goship/core/exec';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareBench, parseBench, type BenchComparison } from './bench.js';
import type { CheckName, Config } from './config.js';
import { type CoverageSummary, type Profile, parseProfile, summarize } from './coverage.js';
import { type Finding, type FindingClass, type PathMapper, classifyCompileMessage, hintFor, parsePositionedLines } from './findings.js';
import { type TestReport, collectTests, junitXml, parseTestEvents, testFindings } from './gotest.js';
import { type InstalledTool, type ToolName, installTool, toolGoMismatch } from './tools.js';
import { type Vuln, failsPolicy, parseGovulncheck, vulnFindings } from './vuln.js';
import { cacheDir, cacheKey, dbModified, hasLocalReplace, readCached, writeCached } from './vulncache.js';

/** Each check's commands and their output, shown in the log as one group when the check ends. */
export const transcript = new AsyncLocalStorage<string[]>();
const TRANSCRIPT_LIMIT = 64 * 1024;

/** Runs a tool quietly (checks run concurrently) and records the command and its output for the log. */
async function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const r = await runCommand(cmd, args, opts);
  const t = transcript.getStore();
  if (t) {
    const out = `${r.stdout}${r.stderr}`;
    t.push(
      `[command]${[cmd, ...args].join(' ')}  (exit ${r.code}, ${Math.round(r.ms)} ms)`,
      out.length > TRANSCRIPT_LIMIT
        ? `${out.slice(0, TRANSCRIPT_LIMIT)}\n… (${out.length - TRANSCRIPT_LIMIT} more bytes; see the report)`
        : out.trimEnd(),
    );
  }
  return r;
}

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  ms: number;
  findings: Finding[];
  /** One line for the summary table. */
  note: string;
}

export interface GateContext {
  cfg: Config;
  paths: PathMapper;
  modulePath: string;
  moduleGo?: string;
  goVersion: string;
  gofmt: string;
  outDir: string;
  /** Results shared between checks (test → race, coverage). */
  test?: { report: TestReport; profile?: Profile; coverage?: CoverageSummary; junit: string; profilePath: string; raw: string };
  vulns?: Vuln[];
  bench?: { comparisons: BenchComparison[]; resultsPath: string; baseline: boolean };
  tools: Partial<Record<ToolName, InstalledTool>>;
}

function tagsArgs(cfg: Config, flag = '-tags'): string[] {
  return cfg.buildTags ? [flag, cfg.buildTags] : [];
}

function compileFindings(check: string, text: string, paths: PathMapper, cwd?: string): Finding[] {
  return parsePositionedLines(text).map((l) => {
    const cls = classifyCompileMessage(l.message);
    return {
      check,
      class: cls,
      severity: 'error',
      file: paths.rel(l.file, cwd),
      line: l.line,
      column: l.column,
      message: l.message,
      hint: hintFor(cls),
    };
  });
}

/** Go files of the module, skipping vendor, testdata, hidden and `_` folders and nested modules. */
export async function goFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (/^[._]/.test(e.name) || e.name === 'vendor' || e.name === 'testdata') continue;
      const sub = path.join(dir, e.name);
      if (existsSync(path.join(sub, 'go.mod'))) continue;
      out.push(...(await goFiles(sub, root)));
    } else if (e.isFile() && e.name.endsWith('.go')) out.push(path.join(dir, e.name));
  }
  return out.sort();
}

/** The formatter a golangci-lint config enables beyond gofmt (gofumpt), if any. */
export function configuredFormatter(configText: string | undefined): 'gofumpt' | undefined {
  return configText && /\bgofumpt\b/.test(configText) ? 'gofumpt' : undefined;
}

function formatFinding(g: GateContext, file: string, diff: string, tool: string, fix: string): Finding {
  const changed = diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;
  return {
    check: 'fmt',
    class: 'format',
    severity: 'error',
    file: g.paths.rel(file),
    line: firstChangedLine(diff),
    message: `${path.basename(file)} is not ${tool}-formatted (${changed} line${changed === 1 ? '' : 's'} differ)`,
    hint: `Run \`${fix} ${g.paths.rel(file)}\` and commit the result.`,
  };
}

export async function checkFmt(g: GateContext, golangciConfigText?: string): Promise<Finding[]> {
  if (configuredFormatter(golangciConfigText)) {
    // The module configures gofumpt (in .golangci.*): golangci-lint's own formatters, at its pinned version.
    const t = await tool(g, 'golangci-lint', 'fmt');
    if (!('path' in t)) return [t];
    const r = await run(t.path, ['fmt', '--diff'], { cwd: g.cfg.workdir, silent: true, allowFailure: true });
    const parts = r.stdout.split(/^diff (\S+)\.orig \S+$/m);
    const findings: Finding[] = [];
    for (let i = 1; i + 1 < parts.length; i += 2) findings.push(formatFinding(g, parts[i]!, parts[i + 1]!, 'gofumpt', 'golangci-lint fmt'));
    if (r.code !== 0 && findings.length === 0) findings.push(goCommandFailure('fmt', r.stderr || r.stdout));
    return findings;
  }
  const files = await goFiles(g.cfg.workdir);
  if (files.length === 0) return [];
  const r = await run(g.gofmt, ['-l', ...files.map((f) => path.relative(g.cfg.workdir, f))], {
    cwd: g.cfg.workdir,
    silent: true,
    allowFailure: true,
  });
  const findings: Finding[] = compileFindings('fmt', r.stderr, g.paths).map((f) => ({
    ...f,
    class: 'compile',
    hint: hintFor('compile'),
  }));
  for (const f of r.stdout.split('\n').filter(Boolean)) {
    const d = await run(g.gofmt, ['-d', f], { cwd: g.cfg.workdir, silent: true, allowFailure: true });
    findings.push(formatFinding(g, f, d.stdout, 'gofmt', 'gofmt -w'));
  }
  return findings;
}

/** The first line of the original file that a unified diff changes (blank-line changes only if nothing else changes). */
function firstChangedLine(diff: string): number | undefined {
  let line = 0;
  let blank: number | undefined;
  for (const l of diff.split('\n')) {
    const h = /^@@ -(\d+)/.exec(l);
    if (h) {
      line = Number(h[1]);
      continue;
    }
    if (line === 0 || l.startsWith('---') || l.startsWith('+++')) continue;
    if (l.startsWith('-') || l.startsWith('+')) {
      if (l.slice(1).trim() !== '') return line;
      blank ??= line;
      if (l.startsWith('-')) line++;
      continue;
    }
    line++;
  }
  return blank;
}

interface VetDiag {
  posn: string;
  message: string;
}

/** go vet -json writes one JSON object per package to stderr, between compiler text lines. */
export function parseVetJson(stderr: string): { analyzer: string; diag: VetDiag }[] {
  const out: { analyzer: string; diag: VetDiag }[] = [];
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    let j = i;
    while (j < lines.length && lines[j] !== '}') j++;
    try {
      const obj = JSON.parse(lines.slice(i, j + 1).join('\n')) as Record<string, Record<string, unknown>>;
      for (const analyzers of Object.values(obj)) {
        for (const [analyzer, diags] of Object.entries(analyzers)) {
          if (Array.isArray(diags)) for (const d of diags as VetDiag[]) out.push({ analyzer, diag: d });
        }
      }
    } catch {
      // not a JSON block
    }
    i = j;
  }
  return out;
}

export async function checkVet(g: GateContext): Promise<Finding[]> {
  const r = await run('go', ['vet', '-json', ...tagsArgs(g.cfg), ...g.cfg.packages], {
    cwd: g.cfg.workdir,
    silent: true,
    allowFailure: true,
  });
  const findings: Finding[] = [];
  // go vet -json prints the diagnostics to stdout (older Go: stderr); compiler errors go to stderr.
  for (const { analyzer, diag } of parseVetJson(`${r.stdout}\n${r.stderr}`)) {
    const m = /^(.*\.go):(\d+)(?::(\d+))?$/.exec(diag.posn);
    findings.push({
      check: 'vet',
      class: 'vet',
      severity: 'error',
      rule: analyzer,
      file: m ? g.paths.rel(m[1]!) : undefined,
      line: m ? Number(m[2]) : undefined,
      column: m?.[3] ? Number(m[3]) : undefined,
      message: `${analyzer}: ${diag.message}`,
      hint: hintFor('vet'),
    });
  }
  const textPart = r.stderr
    .split('\n')
    .filter((l) => /^(vet: )?\S+\.go:\d+/.test(l))
    .join('\n');
  findings.push(...compileFindings('vet', textPart, g.paths));
  if (r.code !== 0 && findings.length === 0) findings.push(goCommandFailure('vet', r.stderr || r.stdout));
  return findings;
}

/** A tool or go command that failed without positioned findings: a compile-like error, else the tool itself. */
function goCommandFailure(check: string, text: string): Finding {
  const msg = text.trim().split('\n').slice(-5).join('\n') || 'failed without output';
  let cls = classifyCompileMessage(msg);
  if (cls === 'compile' && !/\.go:\d+/.test(msg)) cls = 'tool';
  return { check, class: cls, severity: 'error', file: cls === 'missing-module' ? 'go.mod' : undefined, message: msg, hint: hintFor(cls) };
}

export async function checkMod(g: GateContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const verify = await run('go', ['mod', 'verify'], { cwd: g.cfg.workdir, silent: true, allowFailure: true });
  if (verify.code !== 0) {
    const text = `${verify.stdout}\n${verify.stderr}`.trim();
    for (const line of text.split('\n').filter((l) => l && !/all modules verified/.test(l))) {
      const cls: FindingClass =
        /go: |cannot find|missing/.test(line) && !/has been modified|dir has been/.test(line) ? classifyCompileMessage(line) : 'module';
      findings.push({
        check: 'mod',
        class: cls === 'compile' ? 'module' : cls,
        severity: 'error',
        file: g.paths.rel('go.sum'),
        message: `go mod verify: ${line}`,
        hint: hintFor(cls === 'compile' ? 'module' : cls),
      });
    }
  }
  const tidy = await run('go', ['mod', 'tidy', '-diff'], { cwd: g.cfg.workdir, silent: true, allowFailure: true });
  if (tidy.code !== 0) {
    if (tidy.stdout.trim()) {
      // One finding per file the diff touches, at its first changed line.
      for (const part of tidy.stdout.split(/^diff /m).filter((p) => p.trim())) {
        const file = /^\+\+\+ (?:b\/)?(\S+)/m.exec(part)?.[1] ?? /^--- (?:a\/)?(\S+)/m.exec(part)?.[1] ?? 'go.mod';
        const base = path.basename(file);
        const added = part
          .split('\n')
          .filter((l) => /^\+[^+]/.test(l))
          .map((l) => l.slice(1).trim());
        const removed = part
          .split('\n')
          .filter((l) => /^-[^-]/.test(l))
          .map((l) => l.slice(1).trim());
        const what = [
          added.length ? `add ${added.slice(0, 3).join('; ')}${added.length > 3 ? '…' : ''}` : '',
          removed.length ? `remove ${removed.slice(0, 3).join('; ')}${removed.length > 3 ? '…' : ''}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        findings.push({
          check: 'mod',
          class: 'tidy',
          severity: 'error',
          file: g.paths.rel(base),
          line: firstChangedLine(part),
          message: `${base} is not tidy: go mod tidy would ${what || 'change it'}`,
          hint: hintFor('tidy'),
        });
      }
    } else findings.push(goCommandFailure('mod', tidy.stderr));
  }
  return findings;
}

export async function checkTest(g: GateContext, opts: { race: boolean }): Promise<Finding[]> {
  const profilePath = path.join(g.outDir, 'coverage.out');
  const args = [
    'test',
    '-json',
    ...(opts.race ? ['-race'] : []),
    '-covermode=atomic',
    `-coverprofile=${profilePath}`,
    ...tagsArgs(g.cfg),
    ...g.cfg.testArgs,
    ...g.cfg.packages,
  ];
  const r = await run('go', args, { cwd: g.cfg.workdir, silent: true, allowFailure: true });
  const { events, stray } = parseTestEvents(r.stdout);
  const report = collectTests(events);
  const junit = path.join(g.outDir, 'junit.xml');
  await writeFile(junit, junitXml(report));
  let profile: Profile | undefined;
  let coverage: CoverageSummary | undefined;
  if (existsSync(profilePath)) {
    profile = parseProfile(await readFile(profilePath, 'utf8'));
    coverage = summarize(profile);
  }
  g.test = { report, profile, coverage, junit, profilePath, raw: r.stdout };
  const findings = testFindings(report, g.paths);
  // The go command's own errors (bad flags, missing modules) arrive as stray text on stderr.
  const strayText = `${stray}${r.stderr}`.trim();
  if (r.code !== 0 && findings.length === 0 && report.counts.failed === 0)
    findings.push(goCommandFailure('test', strayText || 'go test failed'));
  return findings;
}

const installs = new WeakMap<GateContext, Map<ToolName, Promise<InstalledTool>>>();

/** Installs a tool once per run (two checks may want it at the same time) and checks its Go version. */
async function tool(g: GateContext, name: ToolName, check?: string): Promise<InstalledTool | Finding> {
  let m = installs.get(g);
  if (!m) installs.set(g, (m = new Map<ToolName, Promise<InstalledTool>>()));
  let p = m.get(name);
  if (!p) m.set(name, (p = installTool(name, g.cfg.versions[name])));
  const t = await p;
  g.tools[name] = t;
  const mismatch = toolGoMismatch(t, g.moduleGo, g.goVersion);
  if (mismatch)
    return {
      check: check ?? (name === 'govulncheck' ? 'vuln' : name),
      class: 'tool',
      severity: 'error',
      file: g.paths.rel('go.mod'),
      line: goLine(g),
      message: mismatch,
      hint: hintFor('tool'),
    };
  return t;
}

function goLine(g: GateContext): number | undefined {
  try {
    const idx = readFileSync(path.join(g.cfg.workdir, 'go.mod'), 'utf8')
      .split('\n')
      .findIndex((l) => /^go\s+\d/.test(l));
    return idx >= 0 ? idx + 1 : undefined;
  } catch {
    return undefined;
  }
}

interface StaticcheckDiag {
  code: string;
  severity: string;
  location: { file: string; line: number; column: number };
  message: string;
}

export async function checkStaticcheck(g: GateContext): Promise<Finding[]> {
  const t = await tool(g, 'staticcheck');
  if (!('path' in t)) return [t];
  const r = await run(t.path, ['-f', 'json', ...tagsArgs(g.cfg), ...g.cfg.packages], {
    cwd: g.cfg.workdir,
    silent: true,
    allowFailure: true,
  });
  const findings: Finding[] = [];
  for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const d = JSON.parse(line) as StaticcheckDiag;
    if (d.code === 'compile' || !d.location.file) {
      const compiled = compileFindings('staticcheck', d.message, g.paths);
      findings.push(...(compiled.length ? compiled : [goCommandFailure('staticcheck', d.message)]));
      continue;
    }
    findings.push({
      check: 'staticcheck',
      class: 'lint',
      severity: d.severity === 'warning' ? 'warning' : 'error',
      rule: d.code,
      file: g.paths.rel(d.location.file),
      line: d.location.line,
      column: d.location.column,
      message: `${d.code}: ${d.message}`,
      hint: `See https://staticcheck.dev/docs/checks/#${d.code}. ${hintFor('lint')}`,
    });
  }
  if (r.code !== 0 && findings.length === 0) findings.push(goCommandFailure('staticcheck', r.stderr || r.stdout));
  return findings;
}

interface GolangciIssue {
  FromLinter: string;
  Text: string;
  Severity?: string;
  Pos: { Filename: string; Line: number; Column: number };
}

export async function checkGolangci(g: GateContext): Promise<Finding[]> {
  const t = await tool(g, 'golangci-lint');
  if (!('path' in t)) return [t];
  const r = await run(
    t.path,
    ['run', '--output.json.path=stdout', '--show-stats=false', ...tagsArgs(g.cfg, '--build-tags'), ...g.cfg.packages],
    {
      cwd: g.cfg.workdir,
      silent: true,
      allowFailure: true,
    },
  );
  const findings: Finding[] = [];
  const jsonLine = r.stdout.split('\n').find((l) => l.startsWith('{"Issues"'));
  if (jsonLine) {
    const { Issues } = JSON.parse(jsonLine) as { Issues: GolangciIssue[] | null };
    for (const i of Issues ?? []) {
      const isCompile = i.FromLinter === 'typecheck';
      const cls: FindingClass = isCompile ? classifyCompileMessage(i.Text) : 'lint';
      findings.push({
        check: 'golangci-lint',
        class: cls,
        severity: i.Severity === 'warning' || i.Severity === 'info' ? 'warning' : 'error',
        rule: i.FromLinter,
        file: g.paths.rel(i.Pos.Filename),
        line: i.Pos.Line,
        column: i.Pos.Column || undefined,
        message: `${i.FromLinter}: ${i.Text}`,
        hint: isCompile ? hintFor(cls) : hintFor('lint'),
      });
    }
  }
  if (r.code !== 0 && findings.length === 0) findings.push(goCommandFailure('golangci-lint', r.stderr || r.stdout));
  return findings;
}

export async function checkVuln(g: GateContext): Promise<Finding[]> {
  const t = await tool(g, 'govulncheck');
  if (!('path' in t)) return [t];
  const args = ['-json', ...(g.cfg.vulnDb ? ['-db', g.cfg.vulnDb] : []), ...tagsArgs(g.cfg), ...g.cfg.packages];
  const key = await vulnCacheKey(g, t, args);
  let out = key ? await readCached(key) : undefined;
  if (out !== undefined) {
    core.info(
      `govulncheck: result from the cache (${cacheDir()}, key ${key!.slice(0, 12)}): sources, go.sum, Go, tool and database unchanged`,
    );
  } else {
    const r = await run(t.path, args, { cwd: g.cfg.workdir, silent: true, allowFailure: true });
    if (r.code !== 0) {
      const compiled = compileFindings('vuln', r.stderr, g.paths);
      if (compiled.length) return compiled;
      const f = goCommandFailure('vuln', r.stderr || r.stdout);
      if (
        f.class === 'tool' &&
        /vulndb|vuln\.go\.dev|fetching vulnerabilities|dial tcp|no such host|connection refused|TLS handshake|i\/o timeout/i.test(f.message)
      ) {
        f.hint = `The vulnerability database ${g.cfg.vulnDb ?? 'https://vuln.go.dev'} could not be read: set \`vuln-db\` to a reachable mirror, a file:// URL or a folder with an offline copy.`;
      }
      return [f];
    }
    out = r.stdout;
    if (key) await writeCached(key, out);
  }
  const { vulns } = parseGovulncheck(out, g.modulePath);
  g.vulns = vulns;
  return vulnFindings(vulns, g.cfg.failOnVuln, g.paths);
}

async function vulnCacheKey(g: GateContext, t: InstalledTool, args: string[]): Promise<string | undefined> {
  const goMod = await readFile(path.join(g.cfg.workdir, 'go.mod'), 'utf8');
  if (hasLocalReplace(goMod)) return undefined;
  const env = JSON.parse(
    await output('go', ['env', '-json', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOFLAGS', 'GOWORK', 'GOEXPERIMENT'], { cwd: g.cfg.workdir }),
  ) as Record<string, string>;
  if (env.GOWORK && env.GOWORK !== 'off') return undefined;
  const db = await dbModified(g.cfg.vulnDb);
  if (!db) return undefined;
  return cacheKey({ moduleDir: g.cfg.workdir, toolVersion: t.version, toolGo: t.builtWith, goVersion: g.goVersion, goEnv: env, args, db });
}

export function vulnFails(g: GateContext): boolean {
  return (g.vulns ?? []).some((v) => failsPolicy(v, g.cfg.failOnVuln));
}

export async function checkBench(g: GateContext): Promise<Finding[]> {
  const r = await run(
    'go',
    [
      'test',
      '-run',
      '^$',
      '-bench',
      g.cfg.bench,
      '-count',
      String(g.cfg.benchCount),
      ...tagsArgs(g.cfg),
      ...g.cfg.testArgs,
      ...g.cfg.packages,
    ],
    {
      cwd: g.cfg.workdir,
      silent: true,
      allowFailure: true,
    },
  );
  const resultsPath = path.join(g.outDir, 'bench.txt');
  await writeFile(resultsPath, r.stdout);
  if (r.code !== 0)
    return [...compileFindings('bench', r.stderr + r.stdout, g.paths), goCommandFailure('bench', r.stdout + r.stderr)].slice(0, 20);
  const current = parseBench(r.stdout);
  const hasBaseline = !!g.cfg.benchBaseline && existsSync(g.cfg.benchBaseline);
  const baseline = hasBaseline ? parseBench(await readFile(g.cfg.benchBaseline, 'utf8')) : undefined;
  const comparisons = compareBench(baseline, current, g.cfg.benchThreshold);
  g.bench = { comparisons, resultsPath, baseline: hasBaseline };
  return comparisons
    .filter((c) => c.regression)
    .map((c) => ({
      check: 'bench',
      class: 'bench-regression' as const,
      severity: 'error' as const,
      rule: c.key,
      message: `${c.key}: ${c.delta!.toFixed(1)}% slower (median ${c.oldMedian!.toFixed(2)} → ${c.newMedian.toFixed(2)} ns/op, p=${c.p!.toFixed(3)}, n=${c.n}), above the ${g.cfg.benchThreshold}% threshold`,
      hint: hintFor('bench-regression'),
    }));
}

export const CHEAP: readonly CheckName[] = ['fmt', 'mod', 'vet'];

/** The Go the go command uses in the module folder (after any GOTOOLCHAIN switch), and its gofmt. */
export async function goFacts(workdir: string): Promise<{ goVersion: string; gofmt: string; toolchain: string }> {
  const env = JSON.parse(await output('go', ['env', '-json', 'GOROOT', 'GOVERSION', 'GOTOOLCHAIN'], { cwd: workdir })) as Record<
    string,
    string
  >;
  const gofmt = path.join(env.GOROOT ?? '', 'bin', process.platform === 'win32' ? 'gofmt.exe' : 'gofmt');
  return {
    goVersion: (env.GOVERSION ?? '').replace(/^go/, ''),
    gofmt: existsSync(gofmt) ? gofmt : 'gofmt',
    toolchain: env.GOTOOLCHAIN ?? '',
  };
}
