/**
 * Which packages and binaries a change affects: files changed since the merge-base with the base
 * ref → the packages that contain them → every package of the module that depends on one of those
 * (transitively, `Deps` of `go list -deps -json ./...`, plus test imports). A change to go.mod,
 * go.sum, go.work, go.work.sum or vendor/ affects everything.
 */
import type { ActionContext, Log } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { output, run } from '@goship/core/exec';
import { type GoPackage, goList } from '@goship/core/go';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from './env.js';
import type { SetupInputs } from './inputs.js';
import type { GoInstall } from './install.js';
import { GO_RUN_ENV } from './targets.js';

export interface Binary {
  importPath: string;
  /** Relative to the working directory, `.`-prefixed (`./cmd/api`). */
  dir: string;
  name: string;
}

export interface Affected {
  /** The ref compared against and how it was chosen; '' when none could be found. */
  base: string;
  baseFrom: string;
  mergeBase: string;
  changedFiles: string[];
  /** true when everything counts as affected (module files changed, or no base). */
  all: boolean;
  reason: string;
  packages: string[];
}

const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);

/** Source files a package is built from, whatever the build tags (all platforms count). */
function packageFiles(p: GoPackage & Record<string, unknown>): string[] {
  const keys = [
    'GoFiles',
    'CgoFiles',
    'CFiles',
    'CXXFiles',
    'MFiles',
    'HFiles',
    'FFiles',
    'SFiles',
    'SwigFiles',
    'SwigCXXFiles',
    'SysoFiles',
    'EmbedFiles',
    'TestGoFiles',
    'XTestGoFiles',
    'TestEmbedFiles',
    'XTestEmbedFiles',
    'IgnoredGoFiles',
    'IgnoredOtherFiles',
  ];
  return keys.flatMap((k) => (Array.isArray(p[k]) ? (p[k] as string[]) : []));
}

/** Module packages (not the standard library, not dependencies). */
export function modulePackages(all: readonly GoPackage[]): GoPackage[] {
  return all.filter((p) => !p.Standard && p.Module?.Main && !p.DepOnly);
}

/**
 * Pure part: `changed` are paths relative to `moduleDir` (forward slashes); `pkgs` the output of
 * `go list -deps -json ./...` run in `moduleDir`.
 */
export function affectedPackages(
  changed: readonly string[],
  pkgs: readonly GoPackage[],
  moduleDir: string,
): { all: boolean; reason: string; packages: string[] } {
  const mine = modulePackages(pkgs);
  const everything = mine.map((p) => p.ImportPath).sort();
  const moduleChange = changed.find((f) => MODULE_FILES.has(path.posix.basename(f)) || f.startsWith('vendor/'));
  if (moduleChange) return { all: true, reason: `${moduleChange} changed`, packages: everything };

  const byDir = new Map<string, GoPackage>();
  for (const p of mine) byDir.set(toRel(moduleDir, p.Dir), p);
  const direct = new Set<string>();
  for (const f of changed) {
    const dir = path.posix.dirname(f);
    const base = path.posix.basename(f);
    const pkg = byDir.get(dir);
    if (pkg && (base.endsWith('.go') || packageFiles(pkg as GoPackage & Record<string, unknown>).includes(base))) {
      direct.add(pkg.ImportPath);
      continue;
    }
    // testdata and embedded files in folders below belong to the nearest package above them
    const parts = f.split('/');
    for (let d = parts.length - 2; d >= -1; d--) {
      const owner = byDir.get(d >= 0 ? parts.slice(0, d + 1).join('/') : '.');
      if (!owner) continue;
      const rest = parts.slice(d + 1).join('/');
      const embeds = packageFiles(owner as GoPackage & Record<string, unknown>);
      if (rest.startsWith('testdata/') || embeds.includes(rest)) direct.add(owner.ImportPath);
      break;
    }
  }
  const set = new Set<string>(direct);
  for (const p of mine) if ((p.Deps ?? []).some((d) => direct.has(d))) set.add(p.ImportPath);
  for (const p of mine) {
    const tests = [
      ...((p as GoPackage & { TestImports?: string[] }).TestImports ?? []),
      ...((p as GoPackage & { XTestImports?: string[] }).XTestImports ?? []),
    ];
    if (tests.some((t) => set.has(t) || mine.find((q) => q.ImportPath === t)?.Deps?.some((d) => direct.has(d)))) set.add(p.ImportPath);
  }
  const packages = [...set].sort();
  return {
    all: false,
    reason: direct.size ? `${direct.size} package(s) changed directly` : 'no Go input changed',
    packages,
  };
}

function toRel(root: string, dir: string): string {
  const r = path.relative(root, dir).split(path.sep).join('/');
  return r === '' ? '.' : r;
}

export function binariesOf(pkgs: readonly GoPackage[], moduleDir: string): Binary[] {
  return modulePackages(pkgs)
    .filter((p) => p.Name === 'main')
    .map((p) => {
      const rel = toRel(moduleDir, p.Dir);
      return { importPath: p.ImportPath, dir: rel === '.' ? '.' : `./${rel}`, name: path.basename(p.ImportPath) };
    })
    .sort((a, b) => a.importPath.localeCompare(b.importPath));
}

export interface BaseChoice {
  ref: string;
  from: string;
}

/** `changed-since`, else the pull request base, else the push's `before`, else the previous tag. */
export async function chooseBase(
  repoDir: string,
  changedSince: string,
  eventName: string,
  eventPath: string | undefined,
): Promise<BaseChoice | undefined> {
  if (changedSince) return { ref: changedSince, from: 'input changed-since' };
  let event: Record<string, unknown> = {};
  if (eventPath) {
    try {
      event = JSON.parse(await readFile(eventPath, 'utf8')) as Record<string, unknown>;
    } catch {
      event = {};
    }
  }
  const pr = event.pull_request as { base?: { sha?: unknown; ref?: unknown } } | undefined;
  const baseRef = typeof pr?.base?.ref === 'string' ? pr.base.ref : '';
  if (isSha(pr?.base?.sha)) return { ref: pr.base.sha, from: `pull request base ${baseRef}`.trim() };
  const before = event.before;
  if (eventName === 'push' && isSha(before) && !/^0+$/.test(before)) return { ref: before, from: "the push's before" };
  const r = await run('git', ['describe', '--tags', '--abbrev=0', 'HEAD^'], { cwd: repoDir, silent: true, allowFailure: true });
  if (r.code === 0 && r.stdout.trim()) return { ref: r.stdout.trim(), from: 'the previous tag' };
  return undefined;
}

/** Commits named by the event payload are object names, never anything git could read as an option. */
function isSha(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v);
}

/** `changed-since` must name a commit of the checkout: checked before anything is installed. */
export async function checkChangedSince(workdir: string, ref: string): Promise<void> {
  if (!ref) return;
  const r = await run('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: workdir,
    silent: true,
    allowFailure: true,
  });
  if (r.code !== 0) {
    throw new InputError(
      'changed-since',
      ref,
      'a branch, tag or commit present in the checkout',
      'Fetch the history it needs (actions/checkout with `fetch-depth: 0`) or fix the ref',
    );
  }
}

/** Files changed between the merge-base of `base` and HEAD, relative to `moduleDir` (outside it dropped). */
export async function changedFiles(moduleDir: string, base: string): Promise<{ mergeBase: string; files: string[] }> {
  const top = await output('git', ['rev-parse', '--show-toplevel'], { cwd: moduleDir });
  const mergeBase = await output('git', ['merge-base', '--end-of-options', base, 'HEAD'], {
    cwd: moduleDir,
    fix: `Fetch enough history for ${base} (actions/checkout with fetch-depth: 0) or set changed-since`,
  });
  const diff = await output('git', ['diff', '--name-only', '--no-renames', '-z', mergeBase, 'HEAD'], { cwd: moduleDir });
  const rel = path.relative(top, moduleDir).split(path.sep).join('/');
  const prefix = rel === '' ? '' : `${rel}/`;
  const files = diff
    .split('\0')
    .filter(Boolean)
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length))
    .sort();
  return { mergeBase, files };
}

export interface Analysis {
  binaries: Binary[];
  /** undefined without a go.mod or a Go toolchain to list packages with. */
  affected?: Affected;
  affectedBinaries: Binary[];
}

/** The module's main packages and what the change affects, from `go list -deps -json ./...`. */
export async function analyseModule(
  ctx: ActionContext,
  inp: SetupInputs,
  hasGoMod: boolean,
  go: GoInstall,
  env: Environment,
): Promise<Analysis> {
  if (!hasGoMod || !go.goBin) return { binaries: [], affectedBinaries: [] };
  return ctx.phase('Packages, binaries and the affected analysis', async () => {
    const pkgs = await goList(['./...'], { deps: true, goBin: go.goBin, cwd: inp.workdir, env: { ...GO_RUN_ENV, ...env.exported } });
    const binaries = binariesOf(pkgs, inp.workdir);
    const affected = await analyseChange(inp.workdir, inp.changedSince, pkgs, ctx.log);
    ctx.log.info(`binaries: ${binaries.map((b) => b.importPath).join(', ') || 'none'}`);
    ctx.log.info(`affected (${affected.reason}): ${affected.packages.join(', ') || 'none'}`);
    return { binaries, affected, affectedBinaries: binaries.filter((b) => affected.packages.includes(b.importPath)) };
  });
}

/** The affected packages against the chosen base; everything when there is no base to compare with. */
export async function analyseChange(
  workdir: string,
  changedSince: string,
  pkgs: readonly GoPackage[],
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Affected> {
  const all = (reason: string, extra: Partial<Affected> = {}): Affected => ({
    base: '',
    baseFrom: '',
    mergeBase: '',
    changedFiles: [],
    all: true,
    reason,
    packages: affectedPackages(['go.mod'], pkgs, workdir).packages,
    ...extra,
  });
  let base;
  try {
    base = await chooseBase(workdir, changedSince, env.GITHUB_EVENT_NAME ?? '', env.GITHUB_EVENT_PATH);
  } catch (e) {
    return all(`no git history (${(e as Error).message.split('\n')[0]}): everything counts as affected`);
  }
  if (!base) {
    return all('no base to compare with (no changed-since, pull request base, push before or previous tag): everything counts as affected');
  }
  let diff;
  try {
    diff = await changedFiles(workdir, base.ref);
  } catch (e) {
    if (changedSince) {
      throw new InputError(
        'changed-since',
        changedSince,
        'a ref or commit present in the checkout',
        'git could not find a merge-base with it; fetch more history (actions/checkout with fetch-depth: 0)',
      );
    }
    log.warning(`Cannot compare with ${base.ref} (${base.from}): ${(e as Error).message.split('\n')[0]}; everything counts as affected.`);
    return all(`${base.ref} not in the checkout: everything counts as affected`, { base: base.ref, baseFrom: base.from });
  }
  const r = affectedPackages(diff.files, pkgs, workdir);
  return { base: base.ref, baseFrom: base.from, mergeBase: diff.mergeBase, changedFiles: diff.files, ...r };
}
