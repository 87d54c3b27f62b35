/**
 * `@goship/core/config-input`: the `config` input of an action that reads its part of
 * `.goreleaser.yaml` (over `@goship/core/config`'s reader): empty = look for
 * GoReleaser's names in the module folder, `none` = no file, else a path. Every file, found or
 * given, goes through the path policy (a `.goreleaser.yaml` symlinked out of the workspace is
 * refused by the input's name). Each action then shows the "not applied" keys of its own
 * sections, so a user sees once, in the step that owns the key, what goship did not do.
 */
import { readFileSync } from 'node:fs';
import { type NotApplied, decode } from './config/decode.js';
import { findConfig } from './config/find.js';
import { readGoreleaserConfig } from './config/goreleaser.js';
import { listOf, objOf, strOf, tmplOf } from './config/raw.js';
import { type GoreleaserConfig } from './config/settings.js';
import { type Tmpl } from './config/where.js';
import { ConfigError } from './config/config-error.js';
import { GoshipError, InputError } from './errors.js';
import { type PathRoots, confinePath } from './paths.js';

/** The settings of a GoReleaser file, and its real path. */
export interface LoadedConfig extends GoreleaserConfig {
  path: string;
}

export interface LoadOptions {
  /** The input's name in messages (default `config`). */
  input?: string;
  /** The module folder (real path): relative paths and auto-detection start here. */
  moduleDir: string;
  roots: PathRoots;
  /** `owner/name`: GoReleaser names the project after it when the file does not. */
  repository?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** The settings of the module's GoReleaser file, or undefined without one (or with `none`). */
export function loadConfig(given: string, opts: LoadOptions): LoadedConfig | undefined {
  const input = opts.input ?? 'config';
  const confine = (p: string): string =>
    confinePath(input, p, { base: opts.moduleDir, roots: opts.roots, what: 'the GoReleaser configuration' });
  const value = given.trim();
  if (value !== '' && value !== 'none' && /[\0\r\n]/.test(value)) {
    throw new InputError(input, value, 'a path to a GoReleaser file, empty (auto-detect) or `none`', 'Give one path on one line');
  }
  const found = findConfig(opts.moduleDir, value, { input, resolve: confine });
  if (found === undefined) return undefined;
  // An auto-detected file is confined too: it may be a symlink placed in the checkout.
  const file = confine(found);
  let cfg: GoreleaserConfig;
  try {
    cfg = readGoreleaserConfig(file, {
      moduleDir: opts.moduleDir,
      ...(opts.repository ? { repository: opts.repository } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
  } catch (e) {
    // The problems are listed by key and line; a file picked up by auto-detection can also be left out.
    if (!(e instanceof ConfigError)) throw e;
    throw new GoshipError(e.message, `Fix the file, or set \`${input}: none\` to run without it`, { cause: e });
  }
  return { ...cfg, path: file };
}

/** What each `signs` entry runs and names (the typed settings keep only what to sign). */
export interface Signer {
  /** As written; undefined = GoReleaser's default (`gpg`). */
  cmd: string | undefined;
  /** The signature name template; undefined = GoReleaser's default (`${artifact}.sig`). */
  signature: Tmpl | undefined;
}

/** The signer of each `signs` entry, in file order (the file was checked by loadConfig). */
export function signersOf(cfg: Pick<LoadedConfig, 'path' | 'file'>): Signer[] {
  const d = decode(readFileSync(cfg.path, 'utf8'), cfg.file);
  return listOf(d.raw.signs).map((r) => {
    const o = objOf(r) ?? {};
    return { cmd: strOf(o.cmd), signature: tmplOf(o.signature) };
  });
}

/** The top-level key of a not-applied entry: `signs` for `signs[0].cmd`, `changelog` for `changelog.use=…`. */
export function sectionOf(key: string): string {
  return /^[A-Za-z0-9_]+/.exec(key)?.[0] ?? key;
}

/** The not-applied keys of the given top-level sections, in file order. */
export function notAppliedIn(cfg: Pick<GoreleaserConfig, 'notApplied'>, sections: readonly string[]): NotApplied[] {
  return cfg.notApplied.filter((n) => sections.includes(sectionOf(n.key)));
}

/** One log line per entry: `not applied: signs[0].cmd (.goreleaser.yaml:12): why`. */
export function notAppliedLines(file: string, rows: readonly NotApplied[]): string[] {
  return rows.map((r) => `${file}: not applied: ${r.key} (${r.where}): ${r.reason}`);
}
