/**
 * Arguments that reach another program follow their grammar: an input never becomes an option of
 * the program it is passed to unless the input is documented as flags. Flag inputs are split the
 * way the go command splits `-ldflags`/`GOFLAGS` values; package patterns, build tags and similar
 * are validated before they are used.
 */
import path from 'node:path';
import { InputError } from './errors.js';
import { isInside, realOrResolved } from './paths.js';

const SPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Splits flags as the go command does (cmd/internal/quoted): fields separated by spaces, tabs and
 * newlines; a field that starts with ' or " runs to the next same quote, with no escapes; a quote
 * inside a field is literal. Throws on an unterminated quote.
 */
export function splitArgs(s: string, input = 'flags'): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && SPACE.has(s[i]!)) i++;
    if (i >= s.length) break;
    const c = s[i]!;
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new InputError(input, s, 'flags with balanced quotes', `The ${c} at position ${i + 1} is not closed`);
      out.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !SPACE.has(s[j]!)) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Joins arguments so that `splitArgs` gives them back (quotes only where needed). */
export function joinArgs(args: readonly string[]): string {
  return args
    .map((a) => {
      if (a !== '' && ![...a].some((c) => SPACE.has(c) || c === '"' || c === "'")) return a;
      if (!a.includes("'")) return `'${a}'`;
      if (!a.includes('"')) return `"${a}"`;
      throw new InputError('flags', a, 'an argument without both quote characters', 'Go cannot quote it either');
    })
    .join(' ');
}

// An import path element: letters, digits and the punctuation module paths allow (golang.org/x/mod/module).
const IMPORT_PATH = /^[A-Za-z0-9._~+-]+(\/[A-Za-z0-9._~+-]+)*$/;

/**
 * A package pattern for `go list/vet/test/build`: `./...`, `.`, `./dir`, `./dir/...`, `all`, or an
 * import path (optionally ending in `/...`). Never an option, never outside the module.
 */
export function checkPackagePattern(input: string, pattern: string, moduleDir?: string): string {
  const expected =
    'a package pattern: `./...`, `.`, a folder inside the module such as `./cmd/app` or `./internal/...`, `all`, or an import path such as `example.com/m/...`';
  const fail = (hint: string): never => {
    throw new InputError(input, pattern, expected, hint);
  };
  if (pattern.startsWith('-')) fail('A pattern cannot start with "-": flags go in the inputs documented as flags');
  if (pattern === 'all' || pattern === '.' || pattern === './...') return pattern;
  if (pattern.startsWith('./') || pattern.startsWith('../') || pattern === '..') {
    const rest = pattern.replace(/\/\.\.\.$/, '');
    if (!IMPORT_PATH.test(rest.replace(/^\.\//, '')) && rest !== '.')
      fail('Folders are written with letters, digits, `.`, `_`, `-` and `/`');
    const segs = rest.split('/');
    if (segs.some((s) => s === '..')) fail('A pattern must stay inside the module; `..` is not allowed');
    // Symlinks are followed: `./link/...` to a folder outside the module leaves it as surely as `..`.
    if (moduleDir && !isInside(realOrResolved(path.resolve(moduleDir, rest)), realOrResolved(moduleDir))) {
      fail('A pattern must stay inside the module (symlinks are followed)');
    }
    return pattern;
  }
  if (path.isAbsolute(pattern)) fail('Use a path relative to the module (`./dir`), not an absolute one');
  const rest = pattern.replace(/\/\.\.\.$/, '');
  if (!IMPORT_PATH.test(rest) || rest.split('/').some((s) => s === '..' || s === '.')) {
    fail('Import paths are letters, digits, `.`, `_`, `~`, `+`, `-` and `/`, optionally ending in `/...`');
  }
  return pattern;
}

/** Build tags as `-tags` takes them: identifiers such as `netgo`, `osusergo`, `go1.22`, `integration`. */
export function checkBuildTags(input: string, tags: readonly string[]): string[] {
  for (const t of tags) {
    if (!/^[A-Za-z0-9_.]+$/.test(t) || t.startsWith('.')) {
      throw new InputError(
        input,
        t,
        'build tags made of letters, digits, `_` and `.` (e.g. `netgo,osusergo`)',
        t.startsWith('-')
          ? 'A tag cannot start with "-"'
          : 'Separate tags with commas or spaces; boolean expressions belong in `//go:build` lines',
      );
    }
  }
  return [...tags];
}
