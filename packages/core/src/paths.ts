/**
 * The one path policy. Every path an input, a config file or a manifest names — to read or to
 * write — is resolved with symlinks followed and must stay inside the workspace
 * (`GITHUB_WORKSPACE`, else the current folder) or the runner's temp folder (`RUNNER_TEMP`).
 * Anything else is an InputError naming the input, the path it resolved to and the rule, before
 * any side effect. Messages never quote a refused file's content.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

export interface PathRoots {
  /** The checkout: GITHUB_WORKSPACE, or the current folder outside a runner. */
  workspace: string;
  /** RUNNER_TEMP, when set. */
  temp?: string;
}

export function pathRoots(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PathRoots {
  const workspace = realOrResolved(env.GITHUB_WORKSPACE || cwd);
  const temp = env.RUNNER_TEMP ? realOrResolved(env.RUNNER_TEMP) : undefined;
  return { workspace, ...(temp ? { temp } : {}) };
}

/** The real path of `p`, or — for a path that does not exist yet — of its nearest existing ancestor joined with the rest. */
export function realOrResolved(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    if (existsSync(head)) {
      try {
        return path.join(realpathSync.native(head), ...tail.reverse());
      } catch {
        return abs;
      }
    }
    const parent = path.dirname(head);
    if (parent === head) return abs;
    tail.push(path.basename(head));
    head = parent;
  }
}

/** True when `child` is `parent` or inside it (both absolute, already real). */
export function isInside(child: string, parent: string): boolean {
  const r = path.relative(parent, child);
  return r === '' || (!r.startsWith(`..${path.sep}`) && r !== '..' && !path.isAbsolute(r));
}

export function isConfined(realPath: string, roots: PathRoots): boolean {
  return isInside(realPath, roots.workspace) || (roots.temp !== undefined && isInside(realPath, roots.temp));
}

export function describeRoots(roots: PathRoots): string {
  return `a path inside the workspace (${roots.workspace})${roots.temp ? ` or RUNNER_TEMP (${roots.temp})` : ''}`;
}

export interface ConfineOptions {
  /** Relative paths are resolved against this folder (default: the current folder). */
  base?: string;
  roots?: PathRoots;
  /** What the path is, for the message: `the manifest`, `an archive file`. */
  what?: string;
}

/**
 * Resolves `given` (relative to `base`) with symlinks followed and returns the real absolute path,
 * or throws an InputError when it leaves the workspace and RUNNER_TEMP.
 */
export function confinePath(input: string, given: string, opts: ConfineOptions = {}): string {
  const roots = opts.roots ?? pathRoots();
  const { real, ok } = resolveConfined(given, { ...opts, roots });
  if (!ok) {
    throw new InputError(
      input,
      given,
      describeRoots(roots),
      `It resolves to ${real}${opts.what ? ` (${opts.what})` : ''}, outside both. Use a path relative to the module, or copy the file into the workspace first`,
    );
  }
  return real;
}

/** Resolves without throwing: for paths read from a file (manifest entries) and files being collected. */
export function resolveConfined(given: string, opts: ConfineOptions = {}): { real: string; ok: boolean } {
  const roots = opts.roots ?? pathRoots();
  if (given.includes('\0')) return { real: given, ok: false };
  const real = realOrResolved(path.resolve(opts.base ?? process.cwd(), given));
  return { real, ok: isConfined(real, roots) };
}
