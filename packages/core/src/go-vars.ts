/**
 * Version variables found without configuration: the package-level string variables of a
 * module's main packages (and of its version-like packages, `internal/version`, `buildinfo`, …)
 * whose names say version, commit/revision, build date or builder — `main.version`,
 * `main.revision`, `main.Version`, `main.CommitSHA`, `version.GitCommit`, `buildinfo.BuildDate` —
 * so a build can stamp them with `-X` the way the project's own release did.
 *
 * The go linker's `-X importpath.name=value` sets a package-level variable of type string that is
 * uninitialized or initialized to a constant string; anything else (a const, a computed value, a
 * variable inside a function) is left alone by the linker, so it is not reported here either.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type VersionRole = 'version' | 'commit' | 'date' | 'builtBy';

export interface VersionVariable {
  /** The package's import path (`main` packages are stamped by their import path too). */
  importPath: string;
  name: string;
  role: VersionRole;
  /** Where it is declared, for the summary: `cmd/app/main.go:12`. */
  where: string;
}

// Names compared lower-cased with `_` removed: `Version`, `GIT_COMMIT`, `buildDate` …
const ROLES: Record<VersionRole, readonly string[]> = {
  version: ['version', 'appversion', 'buildversion', 'gitversion', 'semver', 'releaseversion'],
  commit: [
    'commit',
    'gitcommit',
    'commitsha',
    'commithash',
    'gitcommitsha',
    'gitcommithash',
    'revision',
    'gitrevision',
    'sha',
    'gitsha',
    'buildcommit',
  ],
  date: ['date', 'builddate', 'buildtime', 'buildtimestamp', 'buildstamp', 'commitdate', 'releasedate'],
  builtBy: ['builtby', 'buildby', 'builder'],
};

export function roleOf(name: string): VersionRole | undefined {
  const n = name.toLowerCase().replace(/_/g, '');
  return (Object.keys(ROLES) as VersionRole[]).find((r) => ROLES[r].includes(n));
}

/** A package is version-like when its last path element says so. */
export function isVersionPackage(importPath: string): boolean {
  return /^(version|versions|buildinfo|build|info|meta|about|release)$/i.test(importPath.split('/').pop() ?? '');
}

interface Token {
  kind: 'ident' | 'string' | 'punct' | 'newline' | 'other';
  text: string;
  line: number;
}

/** Go source as tokens, with comments dropped and newlines kept (they end var specs). */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      out.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let j = i; j < stop; j++) if (src[j] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out.push({ kind: c === '"' ? 'string' : 'other', text: src.slice(i, j + 1), line });
      i = j + 1;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      const stop = end < 0 ? src.length : end + 1;
      const text = src.slice(i, stop);
      out.push({ kind: 'string', text, line });
      line += text.split('\n').length - 1;
      i = stop;
    } else if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\p{L}\p{N}_]/u.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j), line });
      i = j;
    } else if ('(){}[]=,;.'.includes(c)) {
      out.push({ kind: 'punct', text: c, line });
      i++;
    } else {
      let j = i + 1;
      while (j < src.length && !/[\s\p{L}_"'`(){}[\]=,;./]/u.test(src[j]!)) j++;
      out.push({ kind: 'other', text: src.slice(i, j), line });
      i = j;
    }
  }
  return out;
}

/**
 * The package-level string variables `-X` can set: `var v string`, `var v = "x"`,
 * `var v string = "x"`, and the same inside `var ( … )` groups, several names per spec allowed.
 */
export function stringVariables(src: string): { name: string; line: number }[] {
  const t = tokenize(src);
  const out: { name: string; line: number }[] = [];
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    if (tok.text === '{' || tok.text === '(' || tok.text === '[') {
      depth++;
      continue;
    }
    if (tok.text === '}' || tok.text === ')' || tok.text === ']') {
      depth--;
      continue;
    }
    if (depth !== 0 || tok.kind !== 'ident' || tok.text !== 'var') continue;
    const next = t[i + 1];
    if (next?.text === '(') {
      // a group: specs separated by newlines or semicolons until the closing parenthesis
      let j = i + 2;
      let spec: Token[] = [];
      let d = 0;
      for (; j < t.length; j++) {
        const x = t[j]!;
        if (d === 0 && x.text === ')') break;
        if (x.text === '(' || x.text === '{' || x.text === '[') d++;
        if (x.text === ')' || x.text === '}' || x.text === ']') d--;
        if (d === 0 && (x.kind === 'newline' || x.text === ';')) {
          out.push(...specVariables(spec));
          spec = [];
        } else if (x.kind !== 'newline') spec.push(x);
      }
      out.push(...specVariables(spec));
      i = j;
    } else {
      const spec: Token[] = [];
      let j = i + 1;
      let d = 0;
      for (; j < t.length; j++) {
        const x = t[j]!;
        if (x.text === '(' || x.text === '{' || x.text === '[') d++;
        if (x.text === ')' || x.text === '}' || x.text === ']') d--;
        if (d === 0 && (x.kind === 'newline' || x.text === ';')) break;
        spec.push(x);
      }
      out.push(...specVariables(spec));
      i = j;
    }
  }
  return out;
}

/** One var spec: `a, b string = "x", "y"` → the names when the type is string or every value is a string literal. */
function specVariables(spec: Token[]): { name: string; line: number }[] {
  const names: Token[] = [];
  let k = 0;
  while (k < spec.length && spec[k]!.kind === 'ident') {
    names.push(spec[k]!);
    k++;
    if (spec[k]?.text !== ',') break;
    k++;
  }
  if (!names.length) return [];
  const rest = spec.slice(k);
  const eq = rest.findIndex((x) => x.text === '=');
  const type = eq < 0 ? rest : rest.slice(0, eq);
  const values = eq < 0 ? [] : rest.slice(eq + 1).filter((x) => x.text !== ',');
  const typed = type.length === 1 && type[0]!.kind === 'ident' && type[0]!.text === 'string';
  if (type.length > 0 && !typed) return [];
  if (eq >= 0 && (values.length !== names.length || values.some((v) => v.kind !== 'string'))) return [];
  if (!typed && eq < 0) return [];
  return names.filter((n) => n.text !== '_').map((n) => ({ name: n.text, line: n.line }));
}

export interface ScannedPackage {
  ImportPath: string;
  Dir: string;
  Name: string;
  GoFiles?: string[];
}

/**
 * The version variables of `packages` (typically the main packages being built and the module's
 * version-like packages, from `go list -json`), sorted by import path and name.
 */
export async function findVersionVariables(packages: readonly ScannedPackage[], moduleDir: string): Promise<VersionVariable[]> {
  const found: VersionVariable[] = [];
  for (const p of packages) {
    for (const f of p.GoFiles ?? []) {
      const file = path.join(p.Dir, f);
      const src = await readFile(file, 'utf8');
      for (const v of stringVariables(src)) {
        const role = roleOf(v.name);
        if (!role) continue;
        found.push({
          // The linker knows a main package's variables as main.NAME, whatever its import path.
          importPath: p.Name === 'main' ? 'main' : p.ImportPath,
          name: v.name,
          role,
          where: `${path.relative(moduleDir, file).split(path.sep).join('/')}:${v.line}`,
        });
      }
    }
  }
  return found.sort((a, b) => (a.importPath + a.name < b.importPath + b.name ? -1 : 1));
}

/** The `-X` flags for the variables, with the values a release stamps for each role. */
export function stampFlags(vars: readonly VersionVariable[], values: Record<VersionRole, string>): string[] {
  return vars.map((v) => `-X ${v.importPath}.${v.name}=${values[v.role]}`);
}
