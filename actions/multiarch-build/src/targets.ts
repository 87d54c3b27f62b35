/**
 * Build targets: every (main package, platform) pair, with the binary's name and path in `dist`.
 * A split part builds whole platforms: `partition` (core's one split rule) over the platform list.
 */
import { InputError } from '@goship/core/errors';
import { type GoPackage, goList } from '@goship/core/go';
import { partition } from '@goship/core/partition';
import { isInside, realOrResolved } from '@goship/core/paths';
import { type Platform, formatPlatform, platformId } from '@goship/core/platform';
import path from 'node:path';
import type { Split } from './config.js';
import { posixRel } from './dist.js';
import { moduleBase } from './project.js';

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
  const pkgs = await goList(input, opts);
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
  const root = (await goList(['.'], opts))[0];
  if (root && !root.Error && root.Name === 'main') return [root];
  const pkgs = (await goList(['./cmd/...'], opts)).filter((p) => p.Name === 'main' && !p.Error);
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

export function binaryDir(dist: string, t: { main: MainPkg; platform: Platform }): string {
  return path.join(dist, `${t.main.binary}_${platformId(t.platform)}`);
}

/** All (main, platform) pairs, platform-major. */
export function allTargets(mains: readonly MainPkg[], platforms: readonly Platform[], dist: string): Target[] {
  const out: Target[] = [];
  for (const platform of platforms) {
    for (const main of mains) {
      const file = platform.os === 'windows' ? `${main.binary}.exe` : main.binary;
      out.push({ main, platform, platformName: formatPlatform(platform), file, out: path.join(binaryDir(dist, { main, platform }), file) });
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

/** The platforms part `split` builds (all of them without a split): core's one split rule. */
export function partPlatforms(platforms: readonly Platform[], split?: Split): Platform[] {
  return split ? partition(platforms, split.index, split.total) : [...platforms];
}

/** Every target of the whole build, and those of this job: every main on the part's platforms. */
export function jobTargets(
  mains: readonly MainPkg[],
  platforms: readonly Platform[],
  dist: string,
  split?: Split,
): { all: Target[]; part: Target[] } {
  return { all: allTargets(mains, platforms, dist), part: allTargets(mains, partPlatforms(platforms, split), dist) };
}
