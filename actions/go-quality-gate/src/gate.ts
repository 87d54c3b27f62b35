/**
 * The gate's shared state: the validated configuration, the module and the Go that checks it,
 * where results go, the tools installed so far, and the results one check leaves for another
 * (the go test run for race and coverage, vulnerabilities for the report).
 */
import { GoshipError } from '@goship/core/errors';
import { output } from '@goship/core/exec';
import { compareGoVersions, parseGoMod, parseGoVersion } from '@goship/core/go';
import { pathRoots } from '@goship/core/paths';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchComparison } from './benchstat.js';
import type { Config } from './config.js';
import type { CoverageSummary, DiffCoverage, Profile, ThresholdResult } from './coverage.js';
import { type Finding, PathMapper } from './findings.js';
import type { TestReport } from './gotest.js';
import type { Vuln } from './govulncheck.js';
import type { InstalledTool, ToolName } from './tools.js';

/** What the gate says while it works; `group` writes a finished check's transcript at once. */
export interface GateLog {
  info(message: string): void;
  debug(message: string): void;
  group(title: string, text: string): void;
}

export interface TestRun {
  report: TestReport;
  profile?: Profile;
  coverage?: CoverageSummary;
  junit: string;
  profilePath: string;
  /** Race findings, split off for the race check when it is enabled. */
  races: Finding[];
  /** Whether the run had failing tests or packages (then a missing profile is no surprise). */
  failed: boolean;
}

export interface GateContext {
  cfg: Config;
  log: GateLog;
  paths: PathMapper;
  modulePath: string;
  moduleGo?: string;
  goVersion: string;
  gofmt: string;
  outDir: string;
  /** The checks that run: those asked for, plus those the scheduler enables automatically. */
  enabled: Set<string>;
  tools: Partial<Record<ToolName, InstalledTool>>;
  /** One install per tool per run, shared with the baseline run of the previous release. */
  installs: Map<ToolName, Promise<InstalledTool>>;
  test?: TestRun;
  vulns?: Vuln[];
  bench?: { comparisons: BenchComparison[]; resultsPath: string; baseline: boolean };
  coverage?: { thresholds: ThresholdResult[]; diff?: DiffCoverage & { base: string; threshold?: number; ok: boolean } };
}

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

/** Where the report, profile and JUnit file go: one folder per step under RUNNER_TEMP. */
export function outputDir(env: NodeJS.ProcessEnv = process.env): string {
  const step = (env.GITHUB_ACTION ?? '').replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '');
  return path.join(env.RUNNER_TEMP ?? os.tmpdir(), `go-quality-gate${step ? `-${step}` : ''}`);
}

/** Reads go.mod and the Go on PATH, and fails before any check when that Go cannot build the module. */
export async function prepareGate(cfg: Config, log: GateLog): Promise<GateContext> {
  const gomod = parseGoMod(await readFile(path.join(cfg.workdir, 'go.mod'), 'utf8'));
  const facts = await goFacts(cfg.workdir);
  log.info(`go ${facts.goVersion}; module ${gomod.module} (go ${gomod.go ?? '?'})`);
  if (gomod.go && parseGoVersion(gomod.go) && parseGoVersion(facts.goVersion) && compareGoVersions(facts.goVersion, gomod.go) < 0) {
    throw new GoshipError(
      `The Go on PATH (${facts.goVersion}) is older than go.mod's \`go ${gomod.go}\` line, and GOTOOLCHAIN=${facts.toolchain || 'local'} does not let it switch: no check could build the module.`,
      `Set up Go ${gomod.go} or newer before this step (setup-go-matrix with \`go-version: go.mod\`), or allow GOTOOLCHAIN=auto`,
    );
  }
  const outDir = outputDir();
  await mkdir(outDir, { recursive: true });
  return {
    cfg,
    log,
    paths: new PathMapper(pathRoots().workspace, cfg.workdir, gomod.module),
    modulePath: gomod.module,
    moduleGo: gomod.go,
    goVersion: facts.goVersion,
    gofmt: facts.gofmt,
    outDir,
    enabled: new Set(cfg.checks),
    tools: {},
    installs: new Map(),
  };
}
