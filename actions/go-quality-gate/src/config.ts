/**
 * Reads and validates every input before anything runs: unknown checks, thresholds outside 0–100,
 * malformed coverage rules, a vuln-db folder that does not exist or an unknown fail-on-vuln value
 * are InputErrors naming the input.
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ALL_CHECKS = ['fmt', 'vet', 'mod', 'test', 'race', 'coverage', 'vuln', 'staticcheck', 'golangci-lint', 'bench'] as const;
export type CheckName = (typeof ALL_CHECKS)[number];
export const DEFAULT_CHECKS: CheckName[] = ['fmt', 'vet', 'mod', 'test', 'race', 'coverage', 'vuln', 'staticcheck'];

export type VulnPolicy = 'called' | 'any' | 'none';

export interface CoverageRule {
  kind: 'branch' | 'package';
  pattern: string;
  min: number;
  /** The rule's line as written, for messages. */
  text: string;
}

export interface Config {
  workdir: string;
  packages: string[];
  checks: Set<CheckName>;
  /** Whether `checks` was given explicitly (golangci-lint/bench are then not added implicitly). */
  coverageThreshold?: number;
  coverageRules: CoverageRule[];
  diffCoverageThreshold?: number;
  failOnVuln: VulnPolicy;
  /** Value for govulncheck -db, or undefined for its default. */
  vulnDb?: string;
  versions: { staticcheck: string; 'golangci-lint': string; govulncheck: string };
  testArgs: string[];
  buildTags: string;
  race: boolean;
  failFast: boolean;
  maxAnnotations: number;
  bench: string;
  benchBaseline: string;
  benchThreshold: number;
  benchCount: number;
}

const RULE_RE = /^(branch|package):\s*(\S.*?)\s*:\s*([^:]+?)\s*%?$/;

export function parseRules(lines: readonly string[]): CoverageRule[] {
  return lines.map((line) => {
    const m = RULE_RE.exec(line);
    const min = m ? Number(m[3]) : NaN;
    if (!m || !/^\d+(\.\d+)?$/.test(m[3]!) || min < 0 || min > 100) {
      throw new InputError(
        'coverage-rules',
        line,
        '`branch:<glob>: <percent>` or `package:<pattern>: <percent>` lines with a percent from 0 to 100',
        'For example `branch:release/*: 85` or `package:./internal/...: 70`',
      );
    }
    return { kind: m[1] as CoverageRule['kind'], pattern: m[2]!, min, text: line };
  });
}

/** Splits test-args: one argument per line, or space separated within a line (no shell quoting). */
export function splitArgs(raw: string): string[] {
  return raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => l.split(/\s+/));
}

function versionInput(inputs: Inputs, name: string, def: string): string {
  const v = inputs.string(name, { default: def });
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v)) {
    throw new InputError(name, v, 'an exact version such as `' + def + '`', 'Pinned versions only; `latest` is not accepted');
  }
  return v;
}

export function resolveVulnDb(raw: string, workdir: string): string | undefined {
  if (raw === '') return undefined;
  if (/^https?:\/\//.test(raw)) return raw.replace(/\/+$/, '');
  let dir: string;
  if (raw.startsWith('file://')) {
    try {
      dir = fileURLToPath(raw);
    } catch {
      throw new InputError('vuln-db', raw, 'an https URL, a file:// URL or a folder path', 'Write file:///absolute/path');
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new InputError('vuln-db', raw, 'an https URL, a file:// URL or a folder path', 'Only http(s) and file URLs are supported');
  } else dir = path.resolve(workdir, raw);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('vuln-db', raw, 'an existing folder holding a Go vulnerability database', `${dir} does not exist`);
  }
  if (!existsSync(path.join(dir, 'index', 'modules.json')) && !existsSync(path.join(dir, 'index', 'modules.json.gz'))) {
    throw new InputError(
      'vuln-db',
      raw,
      'a folder in the Go vulnerability database layout (index/db.json, index/modules.json, ID/<id>.json)',
      `${path.join(dir, 'index', 'modules.json')} is missing`,
    );
  }
  return pathToFileURL(dir).href;
}

export function readConfig(inputs: Inputs): Config {
  const workdir = path.resolve(inputs.string('working-directory', { default: '.' }));
  if (!existsSync(path.join(workdir, 'go.mod'))) {
    throw new InputError(
      'working-directory',
      workdir,
      'the folder of a Go module (with a go.mod)',
      'Check out the repository first or fix the path',
    );
  }
  const packages = inputs.list('packages', { default: ['./...'] });
  const requested = inputs.list('checks', { default: DEFAULT_CHECKS });
  const checks = new Set<CheckName>();
  for (const c of requested) {
    if (!(ALL_CHECKS as readonly string[]).includes(c)) {
      const close = ALL_CHECKS.find((a) => a === c.toLowerCase() || a.replace('-', '') === c.toLowerCase().replace(/[-_]/g, ''));
      throw new InputError(
        'checks',
        c,
        `a list of ${ALL_CHECKS.map((a) => `\`${a}\``).join(', ')}`,
        close ? `Did you mean \`${close}\`?` : undefined,
      );
    }
    checks.add(c as CheckName);
  }
  const bench = inputs.string('bench');
  if (bench) checks.add('bench');
  const coverageThreshold = inputs.number('coverage-threshold', undefined, { min: 0, max: 100 });
  const coverageRules = parseRules(inputs.lines('coverage-rules'));
  const diffCoverageThreshold = inputs.number('diff-coverage-threshold', undefined, { min: 0, max: 100 });
  const failOnVuln = inputs.oneOf<VulnPolicy>('fail-on-vuln', ['called', 'any', 'none'], 'called');
  const vulnDb = resolveVulnDb(inputs.string('vuln-db'), workdir);
  const benchThreshold = inputs.number('bench-threshold', 15, { min: 0, max: 1000 })!;
  const benchCount = inputs.int('bench-count', 6, { min: 2, max: 100 });
  const benchBaseline = inputs.string('bench-baseline');
  return {
    workdir,
    packages,
    checks,
    coverageThreshold,
    coverageRules,
    diffCoverageThreshold,
    failOnVuln,
    vulnDb,
    versions: {
      staticcheck: versionInput(inputs, 'staticcheck-version', 'v0.8.2'),
      'golangci-lint': versionInput(inputs, 'golangci-lint-version', 'v2.15.0'),
      govulncheck: versionInput(inputs, 'govulncheck-version', 'v1.8.0'),
    },
    testArgs: splitArgs(inputs.string('test-args', { raw: true })),
    buildTags: inputs.list('build-tags').join(','),
    race: inputs.bool('race', true),
    failFast: inputs.bool('fail-fast', false),
    maxAnnotations: inputs.int('max-annotations', 10, { min: 0, max: 50 }),
    bench,
    benchBaseline: benchBaseline ? path.resolve(workdir, benchBaseline) : '',
    benchThreshold,
    benchCount,
  };
}
