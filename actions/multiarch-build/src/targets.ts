/**
 * Build targets: every (main package, platform) pair, with the binary's name and path in `dist`,
 * and the deterministic split of those pairs into parts.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { goList } from '@goship/core/go';
import { type Platform, formatPlatform, platformId } from '@goship/core/platform';
import path from 'node:path';
import type { Split } from './config.js';
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

/** The main packages to build: the input, else the module root, else ./cmd/... */
export async function resolveMains(
  workdir: string,
  input: readonly string[],
  binaryName: string,
  env: Record<string, string>,
): Promise<MainPkg[]> {
  const opts = { cwd: workdir, env };
  let pkgs;
  if (input.length) {
    pkgs = await goList(input, opts);
    for (const p of pkgs) {
      const given = input[pkgs.indexOf(p)] ?? p.ImportPath;
      if (p.Error) throw new InputError('main', given, 'a main package of this module', p.Error.Err.split('\n')[0]);
      if (p.Name !== 'main') {
        throw new InputError('main', given, 'a main package (`package main` with a `func main`)', `${p.ImportPath} is package ${p.Name}`);
      }
    }
    if (pkgs.length !== input.length && input.every((m) => !m.includes('...'))) {
      throw new InputError('main', input.join(','), 'package paths that each name one main package', 'Check the paths with `go list`');
    }
    pkgs = pkgs.filter((p) => p.Name === 'main');
  } else {
    const root = (await goList(['.'], opts))[0];
    if (root && !root.Error && root.Name === 'main') pkgs = [root];
    else {
      pkgs = (await goList(['./cmd/...'], opts)).filter((p) => p.Name === 'main' && !p.Error);
      if (pkgs.length === 0) {
        throw new InputError(
          'main',
          '',
          'main packages to build',
          'The module root is not `package main` and ./cmd/ has no main packages; set `main:` (e.g. `./tools/foo`)',
        );
      }
    }
  }
  const mains = pkgs
    .map((p) => ({
      arg: `./${path.relative(workdir, p.Dir).split(path.sep).join('/')}`.replace(/^\.\/$/, '.'),
      importPath: p.ImportPath,
      binary: binaryName || moduleBase(p.ImportPath),
    }))
    .sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0));
  const seen = new Map<string, string>();
  for (const m of mains) {
    const prev = seen.get(m.binary);
    if (prev)
      throw new InputError(
        'main',
        `${prev}, ${m.importPath}`,
        'main packages with distinct last path elements',
        `Both would be named ${m.binary}`,
      );
    seen.set(m.binary, m.importPath);
  }
  return mains;
}

export function binaryDir(dist: string, t: { main: MainPkg; platform: Platform }): string {
  return path.join(dist, `${t.main.binary}_${platformId(t.platform)}`);
}

/** All (main, platform) pairs, platform-major so a split cuts as few platforms as possible. */
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

export function targetKey(t: { main: MainPkg | string; platformName: string }): string {
  return `${typeof t.main === 'string' ? t.main : t.main.importPath}@${t.platformName}`;
}

/** Part `index` of `total`: a contiguous slice of the platform-major order. */
export function splitTargets<T>(all: readonly T[], split: Split): T[] {
  const n = all.length;
  if (split.total > n) {
    throw new InputError(
      'split',
      `${split.index}/${split.total}`,
      `at most ${n} parts (there are ${n} main/platform pairs)`,
      'Use fewer parts',
    );
  }
  const from = Math.floor(((split.index - 1) * n) / split.total);
  const to = Math.floor((split.index * n) / split.total);
  const part = all.slice(from, to);
  if (part.length === 0) throw new GoshipError(`Part ${split.index}/${split.total} has no targets.`);
  return part;
}
