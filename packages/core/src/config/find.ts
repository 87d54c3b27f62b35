/**
 * Which GoReleaser file a module uses. Input `config`: empty = look for the names GoReleaser
 * looks for, in its order; `none` = use no file; anything else = that file (the caller's path
 * policy resolves and confines it).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

/** GoReleaser v2.15.1 (cmd/config.go) tries these, first match wins. */
export const CONFIG_NAMES = [
  '.config/goreleaser.yml',
  '.config/goreleaser.yaml',
  '.goreleaser.yml',
  '.goreleaser.yaml',
  'goreleaser.yml',
  'goreleaser.yaml',
] as const;

export interface FindOptions {
  /** The input's name in messages (default `config`). */
  input?: string;
  /** Resolves a path the user gave (e.g. core's path policy); default: relative to moduleDir. */
  resolve?: (given: string) => string;
}

/** The file to read, or undefined when the module has none or `none` was given. */
export function findConfig(moduleDir: string, given: string, opts: FindOptions = {}): string | undefined {
  const input = opts.input ?? 'config';
  const value = given.trim();
  if (value === 'none') return undefined;
  if (value === '') {
    for (const name of CONFIG_NAMES) {
      const f = path.join(moduleDir, name);
      if (existsSync(f) && statSync(f).isFile()) return f;
    }
    return undefined;
  }
  const file = opts.resolve ? opts.resolve(value) : path.resolve(moduleDir, value);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(
      input,
      value,
      `a GoReleaser file, empty (look for ${CONFIG_NAMES.join(', ')}) or \`none\``,
      `No file at ${file}; give its path relative to the module folder`,
    );
  }
  return file;
}
