/**
 * What a check is to the gate. A check runs one tool (or reads the shared `go test` run), returns
 * findings and never throws for a finding, only for a broken environment. Everything the
 * scheduler, the new-only judge and the summary need to know about a check is declared here, so
 * adding a check is one file plus one line in the registry (checks/index.ts).
 */
import type { Finding } from '../findings.js';
import type { GateContext } from '../gate.js';
import type { ToolName } from '../tools.js';

/**
 * When a check runs. `cheap` checks start first (and run alone first under fail-fast); `costly`
 * ones run concurrently with them; the `longest` one starts first when there are two or more
 * cores; `derived` checks read the results of the go test run once it has finished; `alone`
 * checks run last, by themselves, so nothing disturbs their timings.
 */
export type Cost = 'cheap' | 'costly' | 'longest' | 'derived' | 'alone';

/**
 * `lint`: a finding of a linter the team may never have chosen — under `new-only` it fails only
 * when it is new (not present at the previous release, or on a changed line of a pull request).
 * `gate`: fails whenever it is found (compile errors, vet, tests, races, tidy drift, formatting,
 * vulnerabilities).
 */
export type Judged = 'lint' | 'gate';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  ms: number;
  /** Findings that count (pre-existing lint findings moved out by the judge). */
  findings: Finding[];
  /** Lint findings that already existed (new-only): reported, not failing. */
  preExisting: Finding[];
  /** One line for the summary table. */
  note: string;
}

export interface Check {
  readonly name: string;
  readonly cost: Cost;
  /** In the default `checks` list. */
  readonly byDefault: boolean;
  /** Reads the go test run (which then runs even when `test` itself is not asked for). */
  readonly needsTestRun: boolean;
  /** A linter: goship's choice when a module has no lint configuration, so the summary names it. */
  readonly linter: boolean;
  /** The pinned tool it runs, for the summary and the baseline cache. */
  readonly tool?: ToolName;
  /** Why the check runs although `checks` does not name it, or undefined. */
  autoEnable?(g: GateContext): string | undefined;
  run(g: GateContext): Promise<Finding[]>;
  classify(f: Finding): Judged;
  /** The status, when it is not simply "failed when an error finding remains". */
  status?(g: GateContext, findings: readonly Finding[]): CheckStatus;
  /** One line for the summary table, once every check has run. */
  note?(g: GateContext, r: CheckResult): string;
}

/** The default rule: failed when an error-severity finding remains. */
export function statusOf(c: Check, g: GateContext, findings: readonly Finding[]): CheckStatus {
  return c.status?.(g, findings) ?? (findings.some((f) => f.severity === 'error') ? 'failed' : 'passed');
}

/** A judge for linters: their own diagnostics are lint-type, a package that does not build is not. */
export function lintClass(f: Finding): Judged {
  return f.class === 'lint' ? 'lint' : 'gate';
}

/** A judge for checks whose every finding fails. */
export function alwaysGate(): Judged {
  return 'gate';
}

/** A check with the common defaults: not in the default list, no test run, not a linter, every finding fails. */
export function defineCheck(c: Pick<Check, 'name' | 'cost' | 'run'> & Partial<Check>): Check {
  return { byDefault: false, needsTestRun: false, linter: false, classify: alwaysGate, ...c };
}
