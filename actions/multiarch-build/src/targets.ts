/**
 * Build targets: every (main package, platform) pair, with the binary's name and path in `dist`.
 * A split part builds whole platforms: `partition` (core's one split rule) over the platform list.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { type GoPackage, goList } from '@goship/core/go';
import { partition } from '@goship/core/partition';
import { confinePath, isInside, realOrResolved } from '@goship/core/paths';
import { type Platform, formatPlatform, platformId } from '@goship/core/platform';
import { allInOrder } from '@goship/core/retry';
import path from 'node:path';
import type { Split } from './config.js';
import { posixRel } from './dist.js';
import { moduleBase } from './project.js';
import type { PlanBuild, PlanTarget } from './release-plan.js';

export interface MainPkg {
  /** As given or found, e.g. `./cmd/api` or `.`. */
  arg: string;
  importPath: string;
  binary: string;
}

export interface Target {
  main: MainPkg;
  platform: Platform;
  /** `linux/arm/v7` */
  platformName: string;
  /** File name of the binary (with `.exe` on Windows). */
  file: string;
  /** Absolute path of the binary. */
  out: string;
}

/** The packages `input` names, each a main package of this module (wildcards may also match others, which are left out). */
async function listGiven(input: readonly string[], opts: { cwd: string; env: Record<string, string> }): Promise<GoPackage[]> {
  const pkgs = await goList(input, { ...opts, find: true });
  const wild = input.some((m) => m.includes('...'));
  for (const [i, p] of pkgs.entries()) {
    const given = wild ? p.ImportPath : (input[i] ?? p.ImportPath);
    if (p.Error) throw new InputError('main', given, 'a main package of this module', p.Error.Err.split('\n')[0]);
    if (p.Name !== 'main' && !wild) {
      throw new InputError('main', given, 'a main package (`package main` with a `func main`)', `${p.ImportPath} is package ${p.Name}`);
    }
  }
  if (pkgs.length !== input.length && !wild) {
    throw new InputError('main', input.join(','), 'package paths that each name one main package', 'Check the paths with `go list`');
  }
  const mains = pkgs.filter((p) => p.Name === 'main');
  if (mains.length === 0)
    throw new InputError('main', input.join(','), 'patterns that match main packages', 'Check the paths with `go list`');
  return mains;
}

/** The module root when it is `package main`, else every main package under ./cmd/. */
async function findMains(opts: { cwd: string; env: Record<string, string> }): Promise<GoPackage[]> {
  // both listings at once: the second is only used when the root is not a main package
  const [rootList, cmdList] = await allInOrder([
    goList(['.'], { ...opts, find: true }),
    goList(['./cmd/...'], { ...opts, find: true }),
  ] as const);
  const root = rootList[0];
  if (root && !root.Error && root.Name === 'main') return [root];
  const pkgs = cmdList.filter((p) => p.Name === 'main' && !p.Error);
  if (pkgs.length === 0) {
    throw new InputError(
      'main',
      '',
      'main packages to build',
      'The module root is not `package main` and ./cmd/ has no main packages; set `main:` (e.g. `./tools/foo`)',
    );
  }
  return pkgs;
}

/** The main packages to build: the input, else the module root, else ./cmd/... */
export async function resolveMains(
  workdir: string,
  input: readonly string[],
  binaryName: string,
  env: Record<string, string>,
): Promise<MainPkg[]> {
  const opts = { cwd: workdir, env };
  const pkgs = input.length ? await listGiven(input, opts) : await findMains(opts);
  for (const p of pkgs) {
    // an import path can name a package of another module (a dependency): only this module's mains are built
    if (!isInside(realOrResolved(p.Dir), workdir)) {
      throw new InputError('main', p.ImportPath, 'a main package of this module', `It is in ${p.Dir}, outside ${workdir}`);
    }
  }
  const mains = pkgs
    .map((p) => ({
      arg: `./${posixRel(workdir, realOrResolved(p.Dir))}`.replace(/^\.\/$/, '.'),
      importPath: p.ImportPath,
      binary: binaryName || moduleBase(p.ImportPath),
    }))
    .sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0));
  const seen = new Map<string, string>();
  for (const m of mains) {
    const prev = seen.get(m.binary);
    if (prev) {
      throw new InputError(
        'main',
        `${prev}, ${m.importPath}`,
        'main packages with distinct last path elements',
        `Both would be named ${m.binary}`,
      );
    }
    seen.set(m.binary, m.importPath);
  }
  return mains;
}

/** A build of the plan with its main packages found (one, or several for a `/...` pattern). */
export interface ResolvedBuild {
  build: PlanBuild;
  mains: MainPkg[];
}

/**
 * The main packages of a build of the GoReleaser file: `main` as `go list` finds it in the build's
 * `dir`, each a main package of this module (a `/...` pattern: every main below, named after it).
 */
export async function resolveBuildMains(workdir: string, b: PlanBuild, env: Record<string, string>): Promise<MainPkg[]> {
  const cwd = confinePath('config', b.dir, { base: workdir, what: `the folder of ${b.where}` });
  const wild = b.main.endsWith('/...');
  const pkgs = await goList([b.main], { cwd, env, find: true });
  const where = `${b.where}: main ${b.main}`;
  for (const p of pkgs) {
    if (p.Error) throw new GoshipError(`${where}: ${p.Error.Err.split('\n')[0]}`, 'Point `main` at a main package of the module');
    if (!wild && p.Name !== 'main') {
      throw new GoshipError(`${where}: ${p.ImportPath} is package ${p.Name}, not a main package.`, 'Point `main` at a `package main`');
    }
    if (!isInside(realOrResolved(p.Dir), workdir)) {
      throw new GoshipError(
        `${where}: ${p.ImportPath} is in ${p.Dir}, outside the module ${workdir}.`,
        "Build this module's packages only",
      );
    }
  }
  const mains = pkgs.filter((p) => p.Name === 'main');
  if (mains.length === 0) throw new GoshipError(`${where}: no main package matches.`, 'Check the pattern with `go list`');
  return mains.map((p) => ({
    arg: wild ? `./${posixRel(cwd, realOrResolved(p.Dir))}`.replace(/^\.\/$/, '.') : b.main,
    importPath: p.ImportPath,
    binary: wild ? moduleBase(p.ImportPath) : '',
  }));
}

export function binaryDir(dist: string, t: { main: MainPkg; platform: Platform }): string {
  return path.join(dist, `${t.main.binary}_${platformId(t.platform)}`);
}

export interface Target {
  build: PlanBuild;
  main: MainPkg;
  target: PlanTarget;
  platform: Platform;
  /** `linux/arm/v7` */
  platformName: string;
  /** File name of the binary inside its folder (with `.exe` on Windows); may hold a `/` (a sub-folder). */
  file: string;
  /** Absolute path of the binary. */
  out: string;
  /** Where `go build` runs. */
  cwd: string;
}

export interface TargetPlace {
  workdir: string;
  dist: string;
  /** Renders a build's binary-name template and its `no_unique_dist_dir` for a target. */
  binaryName: (b: PlanBuild, m: MainPkg, t: PlanTarget) => { name: string; flat: boolean };
}

/**
 * Every (build, main, target) of the plan, or of the targets `only` names: the binary's name and
 * path, GoReleaser's layout `dist/<build id>_<target>/<binary>` (goship's inputs: the id is the
 * binary and the target the platform, `dist/hello_linux_amd64/hello`, as before).
 */
export function planBuildTargets(builds: readonly ResolvedBuild[], place: TargetPlace, only?: ReadonlySet<string>): Target[] {
  const out: Target[] = [];
  for (const { build, mains } of builds) {
    for (const target of build.targets) {
      if (only && !only.has(target.id)) continue;
      for (const main of mains) {
        const { name, flat } = place.binaryName(build, main, target);
        const ext = target.go.goos === 'windows' ? '.exe' : target.go.goarch === 'wasm' ? '.wasm' : '';
        const file = name + ext;
        const folder = flat ? place.dist : path.join(place.dist, `${build.id}_${target.id}`);
        const outPath = path.join(folder, ...file.split('/'));
        if (!isInside(outPath, place.dist)) {
          throw new GoshipError(`${build.where}: the binary name ${JSON.stringify(file)} leads out of dist.`, 'Name binaries without `..`');
        }
        out.push({
          build,
          main,
          target,
          platform: target.platform,
          platformName: formatPlatform(target.platform),
          file,
          out: outPath,
          cwd: path.join(place.workdir, build.dir),
        });
      }
    }
  }
  return out;
}

/** An artifact's platform as a name: `linux/arm/v7`. */
export function platformOf(a: { os?: string; arch?: string; variant?: string }): string {
  return [a.os, a.arch, a.variant].filter(Boolean).join('/');
}

export function targetKey(t: { main: MainPkg | string; platformName: string }): string {
  return `${typeof t.main === 'string' ? t.main : t.main.importPath}@${t.platformName}`;
}

/** The target ids part `split` builds (all of them without a split): core's one split rule over the plan's targets. */
export function partTargetIds(targets: readonly PlanTarget[], split?: Split): Set<string> {
  return new Set((split ? partition(targets, split.index, split.total) : [...targets]).map((t) => t.id));
}
