/**
 * Findings: one problem found by one check, with a root-cause class, a position where known and a
 * one-line hint. Classes rank the annotations: what breaks the build first, style last.
 */
import type { Finding as CoreFinding, Severity } from '@goship/core/summary';
import path from 'node:path';

export const CLASSES = [
  'undefined-symbol',
  'missing-module',
  'type-mismatch',
  'compile',
  'panic',
  'race',
  'timeout',
  'test-failure',
  'vuln',
  'vet',
  'lint',
  'tidy',
  'module',
  'coverage',
  'bench-regression',
  'format',
  'tool',
] as const;
export type FindingClass = (typeof CLASSES)[number];

export interface Finding {
  check: string;
  class: FindingClass;
  severity: Severity;
  /** Relative to the workspace (repository root) when inside it. */
  file?: string;
  line?: number;
  column?: number;
  message: string;
  hint: string;
  /** The rule or analyzer that produced it (SA5009, printf, errcheck…), or the test name. */
  rule?: string;
  /** Order within the class (lower first), e.g. a called vulnerability before an imported one. */
  order?: number;
}

const HINTS: Record<FindingClass, string> = {
  'undefined-symbol': 'A name is used that is not declared: check spelling, the import and build tags, or add the missing declaration.',
  'missing-module': 'A package cannot be found: run `go get <module>` (or `go mod tidy`) and commit go.mod and go.sum.',
  'type-mismatch': 'A value has the wrong type for where it is used: convert it or change the declaration.',
  compile: 'The package does not compile: fix the error at this position first; the other checks depend on it.',
  panic: 'The test binary panicked: read the stack in the summary; the first frame in your code is annotated.',
  race: 'Two goroutines access the same memory without synchronisation: guard it with a mutex, a channel or sync/atomic.',
  timeout: 'The tests exceeded -timeout: look for a deadlock or a blocking call, or raise -timeout in test-args.',
  'test-failure': 'The test failed: run `go test -run <name>` locally to reproduce.',
  vuln: 'Upgrade the module to the fixed version (`go get module@version`) or stop calling the vulnerable symbol.',
  vet: 'go vet found a likely bug: fix the code (see `go doc cmd/vet` for the analyzer).',
  lint: 'A linter finding: fix it or, if it is a false positive, silence it with a justified //nolint or //lint:ignore comment.',
  tidy: 'go.mod/go.sum differ from what `go mod tidy` writes: run `go mod tidy` and commit the result.',
  module: 'The module cache does not match go.sum: run `go clean -modcache` and `go mod download`, then check go.sum.',
  coverage: 'Coverage is below the threshold: add tests for the uncovered code (the summary lists the lowest files).',
  'bench-regression': 'A benchmark became significantly slower than the baseline: profile it (`go test -bench <name> -cpuprofile`).',
  format: 'The file is not gofmt-formatted: run `gofmt -w` on it (or enable format-on-save).',
  tool: 'A checking tool could not run: see the message for how to fix it.',
};

export function hintFor(cls: FindingClass): string {
  return HINTS[cls];
}

/** Classifies a compiler or type-checker message. */
export function classifyCompileMessage(msg: string): FindingClass {
  if (/\bundefined: |undeclared name|has no field or method|not declared by package/.test(msg)) return 'undefined-symbol';
  if (
    /no required module provides package|cannot find module|missing go\.sum entry|is not in std|cannot find package|package .* is not in/.test(
      msg,
    )
  )
    return 'missing-module';
  if (
    /cannot use .* as .* value|mismatched types|invalid operation|cannot convert|incompatible type|not enough arguments|too many arguments|cannot assign/.test(
      msg,
    )
  )
    return 'type-mismatch';
  return 'compile';
}

/** `file.go:12:3: message` (with optional `vet: ` prefix and column). */
const POS_RE = /^(?:vet: )?((?:[A-Za-z]:)?[^\s:][^:]*\.go):(\d+)(?::(\d+))?: (.*)$/;

export interface PositionedLine {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export function parsePositionedLines(text: string): PositionedLine[] {
  const out: PositionedLine[] = [];
  for (const raw of text.split('\n')) {
    const m = POS_RE.exec(raw.trim());
    if (!m) continue;
    out.push({ file: m[1]!, line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined, message: m[4]! });
  }
  return out;
}

/** Paths: tools print them absolute or relative to where they ran; findings carry them relative to the workspace. */
export class PathMapper {
  constructor(
    readonly workspace: string,
    readonly moduleDir: string,
    readonly modulePath: string,
  ) {}

  /** `file` as printed by a tool that ran in `cwd` (default: the module folder). */
  rel(file: string, cwd = this.moduleDir): string {
    const abs = path.resolve(cwd, file);
    const rel = path.relative(this.workspace, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  }

  /** Folder of a package of the main module from its import path. */
  packageDir(importPath: string): string | undefined {
    const ip = importPath.replace(/ \[.*\]$/, '').replace(/\.test$/, '');
    if (ip === this.modulePath) return this.moduleDir;
    if (ip.startsWith(`${this.modulePath}/`)) return path.join(this.moduleDir, ...ip.slice(this.modulePath.length + 1).split('/'));
    return undefined;
  }

  /** A coverage profile's `import/path/file.go` → workspace-relative path. */
  profileFile(name: string): string {
    if (name === this.modulePath || name.startsWith(`${this.modulePath}/`)) {
      return this.rel(path.join(this.moduleDir, ...name.slice(this.modulePath.length + 1).split('/')));
    }
    return name;
  }
}

const CLASS_RANK = Object.fromEntries(CLASSES.map((c, i) => [c, i])) as Record<FindingClass, number>;

export function toCoreFinding(f: Finding): CoreFinding {
  return {
    severity: f.severity,
    message: `${f.message}\n${f.hint}`,
    title: `${f.check}: ${f.class}${f.rule ? ` (${f.rule})` : ''}`,
    file: f.file,
    line: f.line,
    column: f.column,
    rank: CLASS_RANK[f.class] * 10 + Math.min(9, f.order ?? 0),
  };
}

/** Stable order for the report: severity, class, file, line. */
export function sortFindings(fs: readonly Finding[]): Finding[] {
  const sev = { error: 0, warning: 1, notice: 2 } as const;
  return [...fs].sort(
    (a, b) =>
      sev[a.severity] - sev[b.severity] ||
      CLASS_RANK[a.class] - CLASS_RANK[b.class] ||
      (a.order ?? 0) - (b.order ?? 0) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

/** The same problem reported by several checks (a compile error seen by vet, test and staticcheck) is kept once. */
export function dedupe(fs: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of fs) {
    const compileLike = ['undefined-symbol', 'missing-module', 'type-mismatch', 'compile'].includes(f.class);
    const key = `${compileLike ? 'compile' : f.check}|${f.file}|${f.line}|${compileLike ? '' : f.column}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
