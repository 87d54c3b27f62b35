/**
 * Reads and validates every input before anything runs. Paths are confined to the workspace or
 * RUNNER_TEMP (symlinks followed), package patterns and build tags follow the go command's
 * grammar, `test-args` is the one input passed as flags (split with Go's quoting), and a value
 * that selects nothing is refused: each problem is an InputError naming the input.
 */
import type { Inputs } from '@goship/core/action';
import { checkBuildTags, checkPackagePattern, splitArgs } from '@goship/core/args';
import { GoshipError, InputError } from '@goship/core/errors';
import { confinePath, resolveConfined } from '@goship/core/paths';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHECKS } from './checks/index.js';
import { TOOL_MODULES, type ToolName } from './tools.js';

export type VulnPolicy = 'called' | 'any' | 'none';

export interface CoverageRule {
  kind: 'branch' | 'package';
  pattern: string;
  min: number;
  /** The rule's line as written, for messages. */
  text: string;
}

/** The module's own lint configuration, found beside go.mod (and staticcheck.conf in any package folder). */
export interface LintConfig {
  golangci?: string;
  golangciText?: string;
  staticcheck: string[];
}

export interface Config {
  workdir: string;
  packages: string[];
  /** The checks asked for (validated names, registry order not implied). */
  checks: string[];
  coverageThreshold?: number;
  coverageRules: CoverageRule[];
  diffCoverageThreshold?: number;
  failOnVuln: VulnPolicy;
  /** Value for govulncheck -db, or undefined for its default. */
  vulnDb?: string;
  versions: Record<ToolName, string>;
  testArgs: string[];
  /** Comma separated, as -tags takes them; empty for none. */
  buildTags: string;
  race: boolean;
  failFast: boolean;
  maxAnnotations: number;
  bench: string;
  /** Confined absolute path, or empty. */
  benchBaseline: string;
  benchThreshold: number;
  benchCount: number;
  newOnly: boolean;
  lint: LintConfig;
}

export const DEFAULT_VERSIONS: Record<ToolName, string> = { staticcheck: 'v0.8.2', 'golangci-lint': 'v2.15.0', govulncheck: 'v1.8.0' };

const RULE_RE = /^(branch|package):\s*(\S.*?)\s*:\s*([^:]+?)\s*%?$/;

export function parseRules(lines: readonly string[], moduleDir?: string): CoverageRule[] {
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
    if (m[1] === 'package') checkPackagePattern('coverage-rules', m[2]!, moduleDir);
    return { kind: m[1] as CoverageRule['kind'], pattern: m[2]!, min, text: line };
  });
}

function versionInput(inputs: Inputs, tool: ToolName): string {
  const name = `${tool}-version`;
  const v = inputs.string(name, { default: DEFAULT_VERSIONS[tool] });
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v)) {
    throw new InputError(
      name,
      v,
      `an exact version of ${TOOL_MODULES[tool]} such as \`${DEFAULT_VERSIONS[tool]}\``,
      'Pinned versions only; `latest` is not accepted',
    );
  }
  return v;
}

/** An https URL, or a folder (path or file:// URL) inside the workspace holding an offline database. */
export function resolveVulnDb(raw: string, workdir: string): string | undefined {
  if (raw === '') return undefined;
  const expected = 'an https URL, a file:// URL or a folder path inside the workspace';
  if (/^https?:\/\/[^\s]+$/.test(raw)) return raw.replace(/\/+$/, '');
  let given = raw;
  if (raw.startsWith('file://')) {
    try {
      given = fileURLToPath(raw);
    } catch {
      throw new InputError('vuln-db', raw, expected, 'Write file:///absolute/path');
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    throw new InputError('vuln-db', raw, expected, 'Only http(s) and file URLs are supported');
  }
  const dir = confinePath('vuln-db', given, { base: workdir, what: 'the vulnerability database' });
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

function readWorkdir(inputs: Inputs): string {
  const given = inputs.string('working-directory', { default: '.' });
  const workdir = confinePath('working-directory', given, { what: 'the module folder' });
  if (!existsSync(path.join(workdir, 'go.mod'))) {
    throw new InputError(
      'working-directory',
      given,
      'the folder of a Go module (with a go.mod)',
      `${workdir} has no go.mod: check out the repository first or fix the path`,
    );
  }
  return workdir;
}

/** Package patterns in the go command's grammar; a folder pattern names a folder of the module. */
export function readPackages(inputs: Inputs, workdir: string): string[] {
  const raw = inputs.string('packages');
  const packages = raw === '' ? ['./...'] : inputs.list('packages');
  if (packages.length === 0) {
    throw new InputError('packages', raw, 'one or more package patterns, comma or newline separated', 'Leave it out for `./...`');
  }
  for (const p of packages) {
    checkPackagePattern('packages', p, workdir);
    const folder = p.startsWith('./') ? p.replace(/\/\.\.\.$/, '') : undefined;
    if (folder && folder !== '.' && !existsSync(path.join(workdir, folder))) {
      throw new InputError('packages', p, 'a folder of the module', `${path.join(workdir, folder)} does not exist`);
    }
  }
  return packages;
}

export function readChecks(inputs: Inputs): string[] {
  const names = CHECKS.map((c) => c.name);
  const raw = inputs.string('checks');
  const requested = raw === '' ? CHECKS.filter((c) => c.byDefault).map((c) => c.name) : inputs.list('checks');
  if (requested.length === 0) {
    throw new InputError(
      'checks',
      raw,
      `a list of ${names.map((a) => `\`${a}\``).join(', ')}`,
      'It selects no check; leave it out for the default set',
    );
  }
  for (const c of requested) {
    if (!names.includes(c)) {
      const close = names.find((a) => a === c.toLowerCase() || a.replace('-', '') === c.toLowerCase().replace(/[-_]/g, ''));
      throw new InputError(
        'checks',
        c,
        `a list of ${names.map((a) => `\`${a}\``).join(', ')}`,
        close ? `Did you mean \`${close}\`?` : undefined,
      );
    }
  }
  return [...new Set(requested)];
}

export const GOLANGCI_CONFIGS = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'];

/** staticcheck.conf files of the module's packages (vendor, testdata, hidden folders and nested modules skipped). */
export function staticcheckConfs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.name === 'staticcheck.conf' && !e.isDirectory()) out.push(p);
    else if (
      e.isDirectory() &&
      !/^[._]/.test(e.name) &&
      e.name !== 'vendor' &&
      e.name !== 'testdata' &&
      !existsSync(path.join(p, 'go.mod'))
    ) {
      out.push(...staticcheckConfs(p));
    }
  }
  return out.sort();
}

/** The module's lint configuration; a config file that links outside the workspace is refused, unread. */
export function findLintConfig(workdir: string): LintConfig {
  const golangci = GOLANGCI_CONFIGS.map((f) => path.join(workdir, f)).find((f) => existsSync(f));
  const staticcheck = staticcheckConfs(workdir);
  for (const f of golangci ? [golangci, ...staticcheck] : staticcheck) {
    const { real, ok } = resolveConfined(f);
    if (!ok) {
      throw new GoshipError(
        `${path.relative(workdir, f)} in the module links to ${real}, outside the workspace and RUNNER_TEMP: goship reads no configuration from there.`,
        'Commit the configuration file itself instead of a link',
      );
    }
  }
  return { golangci, golangciText: golangci ? readFileSync(golangci, 'utf8') : undefined, staticcheck };
}

function readBench(inputs: Inputs, workdir: string): Pick<Config, 'bench' | 'benchBaseline' | 'benchThreshold' | 'benchCount'> {
  const bench = inputs.string('bench');
  if (/[\r\n\0]/.test(bench))
    throw new InputError('bench', bench, 'a benchmark regular expression on one line', 'For example `bench: .` or `bench: BenchmarkParse`');
  const baseline = inputs.string('bench-baseline');
  return {
    bench,
    benchBaseline: baseline ? confinePath('bench-baseline', baseline, { base: workdir, what: 'the benchmark baseline' }) : '',
    benchThreshold: inputs.number('bench-threshold', 15, { min: 0, max: 1000 })!,
    benchCount: inputs.int('bench-count', 6, { min: 2, max: 100 }),
  };
}

export function readConfig(inputs: Inputs): Config {
  const workdir = readWorkdir(inputs);
  return {
    workdir,
    packages: readPackages(inputs, workdir),
    checks: readChecks(inputs),
    coverageThreshold: inputs.number('coverage-threshold', undefined, { min: 0, max: 100 }),
    coverageRules: parseRules(inputs.lines('coverage-rules'), workdir),
    diffCoverageThreshold: inputs.number('diff-coverage-threshold', undefined, { min: 0, max: 100 }),
    failOnVuln: inputs.oneOf<VulnPolicy>('fail-on-vuln', ['called', 'any', 'none'], 'called'),
    vulnDb: resolveVulnDb(inputs.string('vuln-db'), workdir),
    versions: {
      staticcheck: versionInput(inputs, 'staticcheck'),
      'golangci-lint': versionInput(inputs, 'golangci-lint'),
      govulncheck: versionInput(inputs, 'govulncheck'),
    },
    testArgs: splitArgs(inputs.string('test-args'), 'test-args'),
    buildTags: checkBuildTags('build-tags', inputs.list('build-tags')).join(','),
    race: inputs.bool('race', true),
    failFast: inputs.bool('fail-fast', false),
    maxAnnotations: inputs.int('max-annotations', 10, { min: 0, max: 50 }),
    ...readBench(inputs, workdir),
    newOnly: inputs.bool('new-only', true),
    lint: findLintConfig(workdir),
  };
}
