/**
 * Every input, read and checked before the action does anything: typed, paths confined to the
 * workspace (or RUNNER_TEMP) with symlinks followed, refs and proxy settings held to their
 * grammar. Nothing here writes, downloads or exports; the git token was read and masked by
 * runAction before any of this runs.
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { type PathRoots, confinePath, describeRoots, pathRoots, resolveConfined } from '@goship/core/paths';
import { DEFAULT_PLATFORMS, type Platform } from '@goship/core/platform';
import { type Stats, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Spec, parseSpecs } from './versions.js';

/** The files that can name a Go version, in the order they are looked for. */
export const VERSION_FILES: readonly string[] = ['go.work', 'go.mod', '.go-version', '.tool-versions'];

export type VersionFileInput = 'go-version-file' | 'go-version';

export interface SetupInputs {
  /** The module folder (real path, inside the workspace). */
  workdir: string;
  specs: Spec[];
  /** The version file, given (its real path) or found in workdir. */
  versionFile?: string;
  /** The input a problem with the version file's content is reported on. */
  versionFileInput: VersionFileInput;
  /** go.mod of the module folder, when there is one. */
  goMod?: string;
  oses: string[];
  platforms: Platform[];
  buildGroups: number | 'auto';
  install: boolean;
  cache: boolean;
  /** `cache-dependency-path` as given ([] for the default go.sum and go.work.sum). */
  depPatterns: string[];
  cacheKeySuffix: string;
  goproxy: string;
  goprivate: string;
  gonosumdb: string;
  gitToken: string;
  toolchain: 'local' | 'auto';
  modReadonly: boolean;
  changedSince: string;
}

/** `cwd` is where a relative working-directory starts (the runner's: the workspace). */
export function readInputs(inputs: Inputs, roots: PathRoots = pathRoots(), cwd = process.cwd()): SetupInputs {
  const gitToken = readToken(inputs);
  const workdir = workingDirectory(inputs, roots, cwd);
  const specs = parseSpecs(inputs.list('go-version', { default: ['go.mod'] }));
  const vf = versionFile(inputs, workdir, roots);
  const oses = runnerLabels(inputs);
  const platforms = inputs.platforms('platforms', DEFAULT_PLATFORMS);
  if (platforms.length === 0) throw new InputError('platforms', '', 'at least one `GOOS/GOARCH`', 'Leave it out for the defaults');
  const buildGroups = inputs.intOr('build-groups', ['auto'] as const, 'auto', { min: 1, max: 256 });
  const install = inputs.bool('install', true);
  const cache = inputs.bool('cache', true);
  const depPatterns = inputs.list('cache-dependency-path');
  const cacheKeySuffix = inputs.string('cache-key-suffix');
  if (!/^[A-Za-z0-9._+-]{0,100}$/.test(cacheKeySuffix)) {
    throw new InputError(
      'cache-key-suffix',
      cacheKeySuffix,
      'letters, digits, `.`, `_`, `+` and `-` (at most 100)',
      'Cache keys cannot contain commas or spaces',
    );
  }
  const goproxy = inputs.string('goproxy');
  checkGoproxy(goproxy, roots);
  const goprivate = modulePatterns(inputs, 'goprivate');
  const gonosumdb = modulePatterns(inputs, 'gonosumdb');
  const toolchain = inputs.oneOf('toolchain', ['local', 'auto'] as const, 'local');
  const modReadonly = inputs.bool('mod-readonly', true);
  const changedSince = gitRef(inputs, 'changed-since');
  return {
    workdir,
    specs,
    versionFile: vf.file,
    versionFileInput: vf.input,
    goMod: moduleFile(workdir, 'go.mod', roots),
    oses,
    platforms,
    buildGroups,
    install,
    cache,
    depPatterns,
    cacheKeySuffix,
    goproxy,
    goprivate,
    gonosumdb,
    gitToken,
    toolchain,
    modReadonly,
    changedSince,
  };
}

/** The token is only ever shown as `***`: runAction masked it, and no message quotes it. */
function readToken(inputs: Inputs): string {
  const token = inputs.string('git-token');
  if (/\s/.test(token)) {
    throw new InputError(
      'git-token',
      '***',
      'a token without spaces or line breaks',
      'Pass the secret itself, e.g. `${{ secrets.GO_MODULES_TOKEN }}`',
    );
  }
  return token;
}

function workingDirectory(inputs: Inputs, roots: PathRoots, cwd: string): string {
  const given = inputs.string('working-directory', { default: '.' });
  const dir = confinePath('working-directory', given, { base: cwd, roots, what: 'the module folder' });
  if (!fileStat(dir)?.isDirectory()) {
    throw new InputError(
      'working-directory',
      given,
      'an existing folder inside the workspace',
      'Check out the repository first (actions/checkout) or fix the path',
    );
  }
  return dir;
}

function versionFile(inputs: Inputs, workdir: string, roots: PathRoots): { file?: string; input: VersionFileInput } {
  const given = inputs.string('go-version-file');
  if (given) {
    const file = confinePath('go-version-file', given, { base: workdir, roots, what: 'the Go version file' });
    if (!VERSION_FILES.includes(path.basename(file))) {
      throw new InputError(
        'go-version-file',
        given,
        'a file named go.mod, go.work, .go-version or .tool-versions',
        `It resolves to ${path.basename(file)}; point it at one of those (relative to working-directory)`,
      );
    }
    if (!fileStat(file)?.isFile()) {
      throw new InputError(
        'go-version-file',
        given,
        'an existing go.mod, go.work, .go-version or .tool-versions file',
        `Nothing at ${path.relative(roots.workspace, file) || file}; fix the path (relative to working-directory) or leave it out to search the module folder`,
      );
    }
    return { file, input: 'go-version-file' };
  }
  for (const name of VERSION_FILES) {
    const file = moduleFile(workdir, name, roots);
    if (file) return { file, input: 'go-version' };
  }
  return { input: 'go-version' };
}

/**
 * A file the module folder holds by name (go.mod, …), refused when a symlink leads it outside. The
 * path keeps its name (the name says how to read it); what it leads to was checked.
 */
function moduleFile(workdir: string, name: string, roots: PathRoots): string | undefined {
  const candidate = path.join(workdir, name);
  if (!fileStat(candidate, 'link')) return undefined;
  const { real, ok } = resolveConfined(candidate, { roots });
  if (!ok) {
    throw new InputError(
      'go-version-file',
      name,
      `a version file inside ${describeRoots(roots)}`,
      `${name} in working-directory leads to ${real}, outside both; replace the symlink or set go-version-file to a file inside`,
    );
  }
  return fileStat(real)?.isFile() ? candidate : undefined;
}

/** A path's stat, undefined when there is nothing usable there (missing, too long, not readable). */
function fileStat(p: string, link?: 'link'): Stats | undefined {
  try {
    return (link ? lstatSync : statSync)(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function runnerLabels(inputs: Inputs): string[] {
  const oses = inputs.list('os', { default: ['ubuntu-latest'] });
  for (const o of oses) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(o)) {
      throw new InputError(
        'os',
        o,
        'runner labels such as `ubuntu-latest`, `macos-14`, `windows-latest` (letters, digits, `.`, `_`, `-`)',
        'One label per item, separated by commas or newlines',
      );
    }
  }
  return oses;
}

/** GOPROXY: proxy URLs, `direct` or `off`; a `file://` proxy is a path and stays inside the workspace. */
function checkGoproxy(value: string, roots: PathRoots): void {
  if (value === '') return;
  const accepted = 'proxy URLs (https://…), `direct` or `off`, separated by `,` or `|`, without spaces';
  for (const part of value.split(/[,|]/)) {
    if (part === 'direct' || part === 'off') continue;
    if (!/^(https?|file):\/\/[\x21-\x7e]+$/.test(part)) {
      throw new InputError('goproxy', value, accepted, `${JSON.stringify(part.slice(0, 80))} is none of those`);
    }
    if (part.startsWith('file://')) {
      let dir: string;
      try {
        dir = decodeURIComponent(new URL(part).pathname);
      } catch {
        throw new InputError('goproxy', value, accepted, `${JSON.stringify(part.slice(0, 80))} is not a valid URL`);
      }
      confinePath('goproxy', dir, { roots, what: 'a file:// module proxy' });
    }
  }
}

/** GOPRIVATE/GONOSUMDB: comma-separated module path globs (path.Match syntax, no spaces). */
function modulePatterns(inputs: Inputs, name: 'goprivate' | 'gonosumdb'): string {
  const value = inputs.string(name);
  if (value === '') return value;
  for (const part of value.split(',')) {
    if (!/^[A-Za-z0-9.*?[\]^!_~][A-Za-z0-9.*?[\]^!_~/-]{0,199}$/.test(part)) {
      throw new InputError(
        name,
        value,
        'comma-separated module path patterns such as `github.com/acme/*` (no spaces, not starting with `-` or `/`)',
        `${JSON.stringify(part.slice(0, 80))} is not one; see \`go help private\``,
      );
    }
  }
  return value;
}

/** A branch, tag or commit: git's ref characters, never an option (no leading `-`). */
function gitRef(inputs: Inputs, name: string): string {
  const value = inputs.string(name);
  if (value && !/^[A-Za-z0-9._/@^~{}][A-Za-z0-9._/@^~{}-]{0,254}$/.test(value)) {
    throw new InputError(name, value, 'a git ref or commit (branch, tag or sha)', 'For example `origin/main`, `v1.2.0` or a commit sha');
  }
  return value;
}
