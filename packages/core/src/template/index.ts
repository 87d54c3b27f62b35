/**
 * One template engine for every template input and config field: Go's text/template, exactly,
 * with GoReleaser's (v2.15.1, OSS) functions.
 *
 * ```ts
 * const t = compileTemplate('{{ .ProjectName }}_{{ .Version }}_{{ title .Os }}', {
 *   where: 'archives[0].name_template (.goreleaser.yaml:14)',
 * });
 * t.execute(goreleaserFields({ projectName: 'hello', version: '1.4.0', artifact: { os: 'linux', arch: 'amd64' } }));
 * ```
 *
 * Data. Plain JS data maps onto Go values like this (wrap a value with `go.*` to choose the Go
 * type yourself):
 * - string → string; boolean → bool; null/undefined → nil (no value)
 * - number → int when integral and within int64, else float64 (go.float64 for an integral float)
 * - bigint → int64 (go.uint64 for uint64, as GoReleaser's .Major/.Minor/.Patch)
 * - Date → time.Time (UTC)
 * - array → []interface {} (go.strings for []string); object or Map → map[string]interface {}
 *   (go.stringMap for map[string]string, go.env for GoReleaser's context.Env)
 * - function → a func value for `call`
 * `goreleaserFields(...)` builds GoReleaser's own field map with GoReleaser's types.
 *
 * Errors are TemplateError: Go's message (`template: NAME:LINE:COL: executing "NAME" at <.Foo>:
 * map has no entry for key "Foo"`; parse errors carry only the line, as Go's do) prefixed with
 * the caller's `where` label; `line`/`col` locate the failure in the template text.
 *
 * Missing keys fail (`missingkey=error`, GoReleaser's setting) unless `missingKey: 'default'`
 * (print `<no value>`) or `'zero'`.
 *
 * Functions. GoReleaser's set is on by default (`goreleaser: false` leaves only Go's builtins).
 * `funcs` adds plain JS functions: arguments arrive as JS values (the reverse of the mapping
 * above), the result is mapped back, and a throw becomes `error calling NAME: message`. Names
 * must be Go identifiers. goship's old image-tag placeholders (`{{short-commit}}`) are not:
 * pass `legacyNames: true` to rewrite a bare hyphenated call `{{ a-b }}` to `{{ a_b }}` and to
 * register a hyphenated function under its underscore name.
 */
import { GoshipError } from '../errors.js';
import { builtinFuncs } from './builtins.js';
import { execute, ExecFailure, type FuncEntry, type MissingKey, type TemplateSet } from './exec.js';
import { dec, enc, fromBytes, toBytes } from './gostr.js';
import { formatTime, parseRFC3339, timeFromDate, timeType, timeValue } from './gotime.js';
import { goreleaserFuncs } from './goreleaser.js';
import { ParseFailure, parseTemplates } from './parse.js';
import {
  GoError,
  GoMap,
  MStringAny,
  MStringString,
  SAnySlice,
  SStringSlice,
  Types,
  Value,
  funcOf,
  isFloatKind,
  isIntKind,
  isUintKind,
  mapOf,
  named,
  sliceOf,
  structOf,
  type GoFunc,
  type GoTime,
  type GoType,
  type Val,
} from './value.js';

export { Value, Types, type GoType } from './value.js';
export type { MissingKey } from './exec.js';

export type TemplateFunc = (...args: unknown[]) => unknown;

export interface TemplateOptions {
  /** The template's name in messages; GoReleaser's is "tmpl". */
  name?: string;
  /** Who owns the text, for errors: `input "archive-name"`, `builds[0].ldflags[1] (.goreleaser.yaml:23)`. */
  where?: string;
  /** Extra functions (they override GoReleaser's of the same name). */
  funcs?: Record<string, TemplateFunc>;
  missingKey?: MissingKey;
  /** Include GoReleaser's functions (default true). */
  goreleaser?: boolean;
  /** Clock of the `time` function (default: the wall clock, as GoReleaser). */
  now?: () => Date;
  /** File access for readFile, mustReadFile and the checksum functions; see `fileReader`. */
  readFile?: (path: string) => Uint8Array;
  /** Working directory of `abs`. */
  cwd?: string;
  /** Home directory for `~/` in readFile/mustReadFile. */
  homeDir?: string;
  /** `.Env` for envOrDefault/isEnvSet when the data has no `Env` field. */
  env?: Record<string, string>;
  /** Rewrite `{{ short-commit }}` to `{{ short_commit }}` and register hyphenated funcs under underscores. */
  legacyNames?: boolean;
}

/** A template failure: Go's message, prefixed with `where`. */
export class TemplateError extends GoshipError {
  override name = 'TemplateError';
  constructor(
    /** The caller's label, e.g. `input "archive-name"`. */
    readonly where: string,
    /** The template text. */
    readonly template: string,
    /** Go's own message: `template: tmpl:1:12: executing "tmpl" at <.Foo>: map has no entry for key "Foo"`. */
    readonly goMessage: string,
    /** The reason alone: `map has no entry for key "Foo"`. */
    readonly reason: string,
    readonly phase: 'parse' | 'exec',
    /** 1-based line and 0-based byte column in the template, as Go counts them. */
    readonly line: number,
    readonly col: number,
  ) {
    super(`${where ? where + ': ' : ''}${goMessage}`, hintFor(reason));
  }
}

function hintFor(reason: string): string | undefined {
  const m = /^map has no entry for key "(.*)"$/.exec(reason);
  if (m) return `Check the spelling of .${m[1]}, or guard it with {{ with .${m[1]} }}…{{ end }}`;
  if (/^function ".*" not defined$/.test(reason)) return 'Use a function GoReleaser defines (see its templates documentation)';
  return undefined;
}

export interface CompiledTemplate {
  readonly name: string;
  readonly text: string;
  /** Renders the template on `data` (plain JS or Values). Throws TemplateError. */
  execute(data?: unknown): string;
}

const GO_IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
const LEGACY_CALL = /\{\{(-?\s*)([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+)(\s*-?)\}\}/g;

/** `{{ short-commit }}` → `{{ short_commit }}`: goship's old placeholders as Go function calls. */
export function rewriteLegacyTemplate(text: string): string {
  return text.replace(LEGACY_CALL, (_, a: string, n: string, b: string) => `{{${a}${n.replaceAll('-', '_')}${b}}}`);
}

export function compileTemplate(text: string, opts: TemplateOptions = {}): CompiledTemplate {
  const name = opts.name ?? 'tmpl';
  const where = opts.where ?? '';
  const src = opts.legacyNames ? rewriteLegacyTemplate(text) : text;
  const bytes = enc(src);
  let envFromData: ReadonlyMap<string, string> | null = null;
  const fallbackEnv = new Map(Object.entries(opts.env ?? {}));
  const funcs = new Map<string, FuncEntry>();
  for (const [k, v] of builtinFuncs()) funcs.set(k, v);
  if (opts.goreleaser !== false) {
    const gr = goreleaserFuncs({
      now: opts.now,
      readFile: opts.readFile,
      cwd: opts.cwd,
      homeDir: opts.homeDir,
      env: () => envFromData ?? fallbackEnv,
    });
    for (const [k, v] of gr) funcs.set(k, v);
  }
  for (const [k0, f] of Object.entries(opts.funcs ?? {})) {
    const k = opts.legacyNames ? k0.replaceAll('-', '_') : k0;
    if (!GO_IDENT.test(k)) {
      throw new GoshipError(
        `Template function name ${JSON.stringify(k0)} is not a Go identifier (letters, digits and _; not starting with a digit).`,
        k0.includes('-') ? 'Pass legacyNames: true to call it as {{ ' + k0.replaceAll('-', '_') + ' }}' : 'Rename the function',
      );
    }
    funcs.set(enc(k), { builtin: false, fn: jsFunc(f) });
  }
  const fail = (e: unknown): never => {
    if (e instanceof ParseFailure) {
      const [line, col] = lineCol(bytes, e.offset);
      throw new TemplateError(where, text, dec(e.message), dec(e.reason), 'parse', e.line, col === -1 ? 0 : line === e.line ? col : 0);
    }
    if (e instanceof ExecFailure) throw new TemplateError(where, text, dec(e.message), dec(e.reason), 'exec', e.line, e.col);
    throw e;
  };
  let set: TemplateSet;
  try {
    set = { trees: parseTemplates(enc(name), bytes, (f) => funcs.has(f)), funcs, missingKey: opts.missingKey ?? 'error' };
  } catch (e) {
    fail(e);
  }
  return {
    name,
    text,
    execute(data?: unknown): string {
      const root = toGoValue(data);
      envFromData = envOf(root);
      try {
        return dec(execute(set, enc(name), root));
      } catch (e) {
        return fail(e);
      } finally {
        envFromData = null;
      }
    },
  };
}

/** Compiles and executes in one go. */
export function renderTemplate(text: string, data?: unknown, opts: TemplateOptions = {}): string {
  return compileTemplate(text, opts).execute(data);
}

function lineCol(text: string, pos: number): [number, number] {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  return [before.split('\n').length, nl === -1 ? pos : pos - nl - 1];
}

/** The `.Env` of the data (GoReleaser's functions read it), when the data is a map with one. */
function envOf(root: Val): ReadonlyMap<string, string> | null {
  if (root === null || root.t.kind !== 'map') return null;
  let env = (root.v as GoMap | null)?.get(new Value(Types.string, 'Env'));
  if (env && env.t.kind === 'interface') env = env.v as Val;
  if (!env || env.t.kind !== 'map' || env.t.elem!.kind !== 'string') return null;
  const out = new Map<string, string>();
  for (const { k, v } of (env.v as GoMap | null)?.m.values() ?? []) out.set(dec(k.v as string), dec((v as Value).v as string));
  return out;
}

// ---- JS ↔ Go ----

const ANY_FUNC = funcOf({ in: [SAnySlice], out: [Types.any, Types.error], variadic: true });

function jsFunc(f: TemplateFunc): GoFunc {
  return {
    sig: ANY_FUNC.sig!,
    call: (args) => {
      let r: unknown;
      try {
        r = f(...args.map(toJS));
      } catch (e) {
        throw new GoError(e instanceof Error ? e.message : String(e));
      }
      return toGoValue(r);
    },
  };
}

/** Plain JS data as a Go value (see the module comment for the mapping). */
export function toGoValue(x: unknown): Val {
  if (x instanceof Value) return x;
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'string':
      return new Value(Types.string, enc(x));
    case 'boolean':
      return new Value(Types.bool, x);
    case 'number':
      return Number.isInteger(x) && Math.abs(x) < 2 ** 63 ? new Value(Types.int, BigInt(x)) : new Value(Types.float64, x);
    case 'bigint':
      return new Value(Types.int64, BigInt.asIntN(64, x));
    case 'function':
      return new Value(ANY_FUNC, jsFunc(x as TemplateFunc));
  }
  if (x instanceof Date) return timeValue(timeFromDate(x));
  if (Array.isArray(x)) return new Value(SAnySlice, x.map(toGoValue));
  const m = new GoMap();
  const entries = x instanceof Map ? [...x.entries()] : Object.entries(x);
  for (const [k, v] of entries) m.set(new Value(Types.string, enc(String(k))), toGoValue(v));
  return new Value(MStringAny, m);
}

/** A Go value as plain JS: the inverse of toGoValue (int64/uint64 beyond 2^53 stay bigint). */
export function toJS(v: Val): unknown {
  if (v === null) return null;
  const k = v.t.kind;
  if (k === 'interface') return toJS(v.v as Val);
  if (k === 'string') return dec(v.v as string);
  if (k === 'bool') return v.v;
  if (isIntKind(k) || isUintKind(k)) {
    const n = v.v as bigint;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (isFloatKind(k)) return v.v;
  if (v.t.str === 'time.Time') {
    const t = v.v as GoTime;
    return new Date(Number(t.sec) * 1000 + Math.floor(t.nsec / 1e6));
  }
  if (k === 'slice') return ((v.v as Val[] | null) ?? []).map(toJS);
  if (k === 'map') {
    const out: Record<string, unknown> = {};
    for (const { k: key, v: val } of (v.v as GoMap | null)?.m.values() ?? []) out[String(toJS(key))] = toJS(val);
    return out;
  }
  if (k === 'struct') {
    const out: Record<string, unknown> = {};
    v.t.fields!.forEach((f, i) => (out[f.name] = toJS((v.v as Val[])[i]!)));
    return out;
  }
  return v;
}

const envType = named('context.Env', MStringString);
const fieldsType = named('tmpl.Fields', MStringAny);
const runtimeType = structOf('context.Runtime', [
  { name: 'Goos', type: Types.string },
  { name: 'Goarch', type: Types.string },
]);

function stringMapOf(t: GoType, obj: Record<string, string> | Map<string, string>): Value {
  const m = new GoMap();
  for (const [k, v] of obj instanceof Map ? obj.entries() : Object.entries(obj))
    m.set(new Value(Types.string, enc(k)), new Value(Types.string, enc(v)));
  return new Value(t, m);
}

/** Explicit Go types for values whose kind matters. */
export const go = {
  int: (n: number | bigint): Value => new Value(Types.int, BigInt.asIntN(64, BigInt(n))),
  int64: (n: number | bigint): Value => new Value(Types.int64, BigInt.asIntN(64, BigInt(n))),
  uint64: (n: number | bigint): Value => new Value(Types.uint64, BigInt.asUintN(64, BigInt(n))),
  float64: (n: number): Value => new Value(Types.float64, n),
  string: (s: string): Value => new Value(Types.string, enc(s)),
  /** []string. */
  strings: (xs: readonly string[]): Value =>
    new Value(
      SStringSlice,
      xs.map((x) => new Value(Types.string, enc(x))),
    ),
  /** map[string]string. */
  stringMap: (obj: Record<string, string> | Map<string, string>): Value => stringMapOf(MStringString, obj),
  /** GoReleaser's context.Env (a map[string]string). */
  env: (obj: Record<string, string> | Map<string, string>): Value => stringMapOf(envType, obj),
  /** time.Time from a Date (UTC) or an RFC 3339 string (keeps its offset). */
  time: (t: Date | string): Value => timeValue(typeof t === 'string' ? parseRFC3339(t) : timeFromDate(t)),
  /** A slice of any element type: go.slice(Types.int, [go.int(1)]). */
  slice: (elem: GoType, items: Val[]): Value => new Value(sliceOf(elem), items),
  /** A map with string keys and the given element type. */
  map: (elem: GoType, obj: Record<string, Val>): Value => {
    const m = new GoMap();
    for (const [k, v] of Object.entries(obj)) m.set(new Value(Types.string, enc(k)), v);
    return new Value(mapOf(Types.string, elem), m);
  },
  /** GoReleaser's tmpl.Fields (the root map of its templates) from already-typed or plain values. */
  fields: (obj: Record<string, unknown>): Value => new Value(fieldsType, (toGoValue(obj) as Value).v),
  /** GoReleaser's context.Runtime struct. */
  runtime: (goos: string, goarch: string): Value => new Value(runtimeType, [go.string(goos), go.string(goarch)]),
};

/** What GoReleaser knows when it renders a template: the inputs of goreleaserFields. */
export interface GoreleaserContext {
  projectName: string;
  version: string;
  modulePath?: string;
  tag?: string;
  previousTag?: string;
  branch?: string;
  commit?: string;
  shortCommit?: string;
  fullCommit?: string;
  commitDate?: Date;
  gitURL?: string;
  summary?: string;
  tagSubject?: string;
  tagContents?: string;
  tagBody?: string;
  dirty?: boolean;
  env?: Record<string, string>;
  /** The run's date (GoReleaser's ctx.Date): .Date, .Timestamp and .Now. */
  date?: Date;
  semver?: { major: number | bigint; minor: number | bigint; patch: number | bigint; prerelease?: string };
  snapshot?: boolean;
  singleTarget?: boolean;
  draft?: boolean;
  releaseNotes?: string;
  releaseURL?: string;
  runtime?: { goos: string; goarch: string };
  /** Single-artifact fields (archives, binaries, checksums of one artifact). */
  artifact?: {
    os?: string;
    arch?: string;
    amd64?: string;
    i386?: string;
    arm?: string;
    arm64?: string;
    mips?: string;
    ppc64?: string;
    riscv64?: string;
    target?: string;
    binary?: string;
    name?: string;
    ext?: string;
    path?: string;
  };
  /** More fields (override the above), e.g. build options' Name/Ext/Path. */
  extra?: Record<string, unknown>;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** GoReleaser's template fields (internal/tmpl.New + WithArtifact) with GoReleaser's Go types. */
export function goreleaserFields(c: GoreleaserContext): Value {
  const m = new GoMap();
  const set = (k: string, v: Val): void => m.set(new Value(Types.string, k), v);
  const s = (x: string | undefined): Value => go.string(x ?? '');
  const b = (x: boolean | undefined): Value => new Value(Types.bool, !!x);
  const sv = c.semver ?? { major: 0, minor: 0, patch: 0 };
  const commitDate = timeFromDate(c.commitDate ?? new Date(Date.UTC(1, 0, 1)));
  if (!c.commitDate) commitDate.sec = -62135596800n;
  const date = timeFromDate(c.date ?? new Date());
  set('ProjectName', s(c.projectName));
  set('ModulePath', s(c.modulePath));
  set('Version', s(c.version));
  set('RawVersion', go.string(`${sv.major}.${sv.minor}.${sv.patch}`));
  set('Summary', s(c.summary));
  set('Tag', s(c.tag));
  set('PreviousTag', s(c.previousTag));
  set('Branch', s(c.branch));
  set('Commit', s(c.commit));
  set('ShortCommit', s(c.shortCommit));
  set('FullCommit', s(c.fullCommit));
  set('CommitDate', new Value(Types.string, formatTime({ ...commitDate, offset: 0, zone: 'UTC' }, RFC3339)));
  set('CommitTimestamp', new Value(Types.int64, commitDate.sec));
  set('GitURL', s(c.gitURL));
  set('IsGitDirty', b(c.dirty));
  set('IsGitClean', b(!c.dirty));
  set('GitTreeState', go.string(c.dirty ? 'dirty' : 'clean'));
  set('Env', go.env(c.env ?? {}));
  set('Date', new Value(Types.string, formatTime(date, RFC3339)));
  set('Timestamp', new Value(Types.int64, date.sec));
  set('Now', timeValue(date));
  set('Major', go.uint64(sv.major));
  set('Minor', go.uint64(sv.minor));
  set('Patch', go.uint64(sv.patch));
  set('Prerelease', s(sv.prerelease));
  set('IsSnapshot', b(c.snapshot));
  set('IsSingleTarget', b(c.singleTarget));
  set('IsNightly', b(false));
  set('IsDraft', b(c.draft));
  set('ReleaseNotes', s(c.releaseNotes));
  set('ReleaseURL', s(c.releaseURL));
  set('TagSubject', s(c.tagSubject));
  set('TagContents', s(c.tagContents));
  set('TagBody', s(c.tagBody));
  set('Runtime', go.runtime(c.runtime?.goos ?? 'linux', c.runtime?.goarch ?? 'amd64'));
  const a = c.artifact;
  if (a) {
    set('Os', s(a.os));
    set('Arch', s(a.arch));
    set('Amd64', s(a.amd64));
    set('I386', s(a.i386));
    set('Arm', s(a.arm));
    set('Arm64', s(a.arm64));
    set('Mips', s(a.mips));
    set('Ppc64', s(a.ppc64));
    set('Riscv64', s(a.riscv64));
    set('Target', s(a.target));
    set('Binary', go.string(a.binary ?? c.projectName));
    set('ArtifactName', s(a.name));
    set('ArtifactExt', s(a.ext));
    set('ArtifactPath', s(a.path));
  }
  for (const [k, v] of Object.entries(c.extra ?? {})) set(enc(k), toGoValue(v));
  return new Value(fieldsType, m);
}

/**
 * A readFile hook over the real file system whose errors read like Go's (`open PATH: no such file
 * or directory`). `resolve` maps and checks a path first (e.g. goship's path policy).
 */
export function fileReader(
  fs: { readFileSync(p: string): Uint8Array },
  resolve: (p: string) => string = (p) => p,
): (p: string) => Uint8Array {
  return (p: string) => {
    const full = resolve(p);
    try {
      return fs.readFileSync(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why: Record<string, string> = {
        ENOENT: 'no such file or directory',
        EACCES: 'permission denied',
        ENOTDIR: 'not a directory',
        EISDIR: 'is a directory',
      };
      const op = code === 'EISDIR' ? 'read' : 'open';
      throw new Error(`${op} ${p}: ${why[code ?? ''] ?? (e as Error).message}`, { cause: e });
    }
  };
}

// Byte-string helpers for callers that build Values by hand.
export const bytes = { enc, dec, toBytes, fromBytes };
export { timeType };
