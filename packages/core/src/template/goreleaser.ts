/**
 * GoReleaser's template functions (internal/tmpl/tmpl.go at v2.15.1, OSS), written for this
 * engine. Pro-only functions (`in`, `reReplaceAll`) are not part of OSS and are left out.
 * What depends on the machine comes from options: the clock, file reads, the working and home
 * directories. `envOrDefault`/`isEnvSet` read the data's `.Env`, as GoReleaser does.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { blake3Hex } from './blake3.js';
import { urlEscape } from './builtins.js';
import type { FuncEntry } from './exec.js';
import { dec, decodeLastRune, decodeRune, enc, fromBytes, quote, toBytes } from './gostr.js';
import { formatTime, timeFromDate } from './gotime.js';
import { GoError, GoMap, MStringString, SStringSlice, Types, Value, indirectInterface, type GoType, type Val } from './value.js';

export interface GoreleaserFuncOptions {
  /** The clock of `time`; GoReleaser uses the wall clock. */
  now?: () => Date;
  /** Reads a file for readFile, mustReadFile and the checksum functions; throws with Go-like text on failure. */
  readFile?: (path: string) => Uint8Array;
  /** Working directory of `abs` (default process.cwd()). */
  cwd?: string;
  /** Home directory for `~/` in readFile/mustReadFile (default os.homedir()). */
  homeDir?: string;
  /** The `.Env` map the functions read: looked up in the data at execution time. */
  env: () => ReadonlyMap<string, string>;
}

const S = Types.string;
const sig = (ins: GoType[], outs: GoType[], variadic = false) => ({ in: ins, out: outs, variadic });
const s = (v: Val): string => (v as Value).v as string;
const str = (x: string): Value => new Value(S, x);
const entry = (ins: GoType[], outs: GoType[], call: (a: Val[]) => Val, variadic = false): FuncEntry => ({
  builtin: false,
  fn: { sig: sig(ins, outs, variadic), call },
});

// ---- strings ----

function replaceAll(x: string, old: string, nw: string): string {
  if (old === '') {
    let out = nw;
    for (let i = 0; i < x.length;) {
      const [, w] = decodeRune(x, i);
      out += x.slice(i, i + w) + nw;
      i += w;
    }
    return out;
  }
  return x.split(old).join(nw);
}

function split(x: string, sep: string): string[] {
  if (sep === '') {
    const out: string[] = [];
    for (let i = 0; i < x.length;) {
      const [, w] = decodeRune(x, i);
      out.push(x.slice(i, i + w));
      i += w;
    }
    return out;
  }
  return x.split(sep);
}

/** Go's simple (one rune to one rune) case mapping. */
function mapCase(x: string, upper: boolean): string {
  if (/^\p{ASCII}*$/u.test(x)) return upper ? x.toUpperCase() : x.toLowerCase();
  let out = '';
  for (const ch of dec(x)) {
    if (!upper && ch === '\u0130') {
      out += 'i';
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return enc(out);
}

const isSpaceRune = (r: number): boolean =>
  r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0 || (r > 0xff && /\p{White_Space}/u.test(String.fromCodePoint(r)));

function trimSpace(x: string): string {
  let a = 0;
  while (a < x.length) {
    const [r, w] = decodeRune(x, a);
    if (!(w > 1 || r !== 0xfffd) || !isSpaceRune(r)) break;
    a += w;
  }
  let b = x.length;
  while (b > a) {
    const [r, w] = decodeLastRune(x, b);
    if (!isSpaceRune(r)) break;
    b -= w;
  }
  return x.slice(a, b);
}

// cases.Title(language.English): title-case the first cased letter of each word, lower-case the rest.
const MID = new Set([
  "'",
  '.',
  ':',
  '\u00b7',
  '\u0387',
  '\u05f4',
  '\u2018',
  '\u2019',
  '\u2024',
  '\u2027',
  '\ufe13',
  '\ufe52',
  '\ufe55',
  '\uff07',
  '\uff0e',
  '\uff1a',
]);
const isCased = (c: string): boolean => /\p{Cased}/u.test(c);
const isMid = (c: string): boolean => MID.has(c) && !isCased(c);
const isBreak = (c: string): boolean => !(/[\p{Alphabetic}\p{Nd}\p{M}\p{Cf}\p{Pc}\u200d]/u.test(c) || MID.has(c));
function titleRune(c: string): string {
  const special: Record<string, string> = {
    ǆ: 'ǅ',
    ǅ: 'ǅ',
    Ǆ: 'ǅ',
    ǉ: 'ǈ',
    ǈ: 'ǈ',
    Ǉ: 'ǈ',
    ǌ: 'ǋ',
    ǋ: 'ǋ',
    Ǌ: 'ǋ',
    ǳ: 'ǲ',
    ǲ: 'ǲ',
    Ǳ: 'ǲ',
    ß: 'Ss',
  };
  return special[c] ?? c.toUpperCase();
}
export function title(x: string): string {
  const cs = [...dec(x)];
  let out = '';
  let midWord = false;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    const wasMid = isMid(c);
    if (isCased(c)) {
      out += midWord ? c.toLowerCase() : titleRune(c);
      midWord = true;
    } else {
      out += c;
      if (isBreak(c)) midWord = false;
    }
    if (wasMid && i + 1 < cs.length && isMid(cs[i + 1]!)) midWord = false;
  }
  return enc(out);
}

// ---- paths (path/filepath on Unix) ----

export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}
function baseName(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}
function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(p.slice(0, i + 1));
}

// ---- semver (github.com/Masterminds/semver/v3 NewVersion with coercion) ----

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

function parseSegment(x: string): bigint {
  const n = BigInt(x);
  if (n > (1n << 64n) - 1n) throw new GoError(`error parsing version segment: strconv.ParseUint: parsing ${quote(x)}: value out of range`);
  return n;
}

function semverBump(v: string, part: 'major' | 'minor' | 'patch'): string {
  const m = LOOSE.exec(v);
  if (!m) throw new GoError('invalid semantic version');
  let major = parseSegment(m[1]!);
  let minor = m[2] ? parseSegment(m[2].slice(1)) : 0n;
  let patch = m[3] ? parseSegment(m[3].slice(1)) : 0n;
  const pre = m[5] ?? '';
  const meta = m[8] ?? '';
  if (pre !== '') {
    for (const p of pre.split('.')) {
      if (p === '') throw new GoError('invalid prerelease string');
      if (/^[0-9]+$/.test(p)) {
        if (p.length > 1 && p[0] === '0') throw new GoError('version segment starts with 0');
      } else if (!ALLOWED.test(p)) throw new GoError('invalid prerelease string');
    }
  }
  if (meta !== '') for (const p of meta.split('.')) if (p === '' || !ALLOWED.test(p)) throw new GoError('invalid metadata string');
  const wrap = (n: bigint): bigint => BigInt.asUintN(64, n);
  if (part === 'patch') {
    if (pre === '') patch = wrap(patch + 1n);
  } else if (part === 'minor') {
    patch = 0n;
    minor = wrap(minor + 1n);
  } else {
    patch = 0n;
    minor = 0n;
    major = wrap(major + 1n);
  }
  return (v !== '' && v[0] === 'v' ? 'v' : '') + `${major}.${minor}.${patch}`;
}

// ---- regexp (Go's POSIX syntax, matched with a JS RegExp) ----

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function regexpError(expr: string, why: string, what: string): GoError {
  return new GoError(`regexp: CompilePOSIX(${'`' + expr + '`'}): error parsing regexp: ${why}: ${'`' + what + '`'}`);
}

/** Translates a Go POSIX-mode regexp to a JS one, refusing what Go's POSIX mode refuses. */
export function posixRegExp(expr: string): RegExp {
  let out = '';
  let depth = 0;
  const js = dec(expr);
  for (let i = 0; i < js.length; i++) {
    const c = js[i]!;
    if (c === '\\') {
      const n = js[i + 1];
      if (n === undefined) throw regexpError(js, 'trailing backslash at end of expression', '');
      if (/[dDsSwWbBApPzQECK]/.test(n)) throw regexpError(js, 'invalid escape sequence', '\\' + n);
      if ('afnrtv'.includes(n)) out += '\\' + n;
      else if (/[0-9A-Za-z]/.test(n)) throw regexpError(js, 'invalid escape sequence', '\\' + n);
      else out += '\\u{' + n.codePointAt(0)!.toString(16) + '}';
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (js[j] === '^') {
        cls += '^';
        j++;
      }
      if (js[j] === ']') {
        cls += '\\]';
        j++;
      }
      for (; j < js.length && js[j] !== ']'; j++) {
        if (js.startsWith('[:', j)) {
          const end = js.indexOf(':]', j + 2);
          const name = end > 0 ? js.slice(j + 2, end) : '';
          if (end > 0 && POSIX_CLASSES[name]) {
            cls += POSIX_CLASSES[name];
            j = end + 1;
            continue;
          }
          if (end > 0) throw regexpError(js, 'invalid character class range', js.slice(j, end + 2));
        }
        const ch = js[j]!;
        if (ch === '\\') {
          const n = js[j + 1] ?? '';
          if (/[dDsSwWpP]/.test(n) || (/[0-9A-Za-z]/.test(n) && !'afnrtv'.includes(n)))
            throw regexpError(js, 'invalid escape sequence', '\\' + n);
          cls += 'afnrtv'.includes(n) ? '\\' + n : '\\u{' + n.codePointAt(0)!.toString(16) + '}';
          j++;
          continue;
        }
        cls += /[\]\\^[/-]/.test(ch) && ch !== '-' ? '\\' + ch : ch;
      }
      if (j >= js.length) throw regexpError(js, 'missing closing ]', js.slice(i));
      out += cls + ']';
      i = j;
      continue;
    }
    if (c === '(') {
      if (js[i + 1] === '?') throw regexpError(js, 'missing argument to repetition operator', '?');
      depth++;
    } else if (c === ')') {
      if (depth === 0) throw regexpError(js, 'unexpected )', js);
      depth--;
    } else if ('*+?'.includes(c)) {
      const prev = js[i - 1];
      if (i === 0 || prev === '(' || prev === '|') throw regexpError(js, 'missing argument to repetition operator', c);
      if (prev !== undefined && '*+?'.includes(prev) && js[i - 2] !== '\\')
        throw regexpError(js, 'invalid nested repetition operator', prev + c);
    }
    out += c === '/' ? '\\/' : c;
  }
  if (depth > 0) throw regexpError(js, 'missing closing )', js);
  try {
    return new RegExp(out, 'u');
  } catch {
    throw regexpError(js, 'invalid regexp', js);
  }
}

function filterLines(content: string, exp: string, reverse: boolean): string {
  const re = posixRegExp(exp);
  const keep = content.split('\n').filter((line) => re.test(dec(line)) !== reverse);
  return keep.join('\n');
}

const MDV2 = new Set('_*[]()~`>#+-=|{}.!');
function mdv2Escape(x: string): string {
  let out = '';
  for (const c of x) out += MDV2.has(c) ? '\\' + c : c;
  return out;
}

function englishJoin(ss: string[]): string {
  ss = ss.filter((x) => trimSpace(x) !== '');
  if (ss.length === 0) return '';
  let b = '';
  ss.forEach((x, i) => {
    if (x === '') return;
    if (i === 0) b += x;
    else if (ss.length > 1 && i === ss.length - 1) b += (i > 1 ? ',' : '') + ' and ' + x;
    else b += ', ' + x;
  });
  return b;
}

const HASHES: Record<string, string> = {
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
};

const stringSlice = (xs: string[]): Value => new Value(SStringSlice, xs.map(str));
const strings = (v: Val): string[] => (((v as Value).v as Val[] | null) ?? []).map((x) => s(x));

/** The function map of GoReleaser's template engine. */
export function goreleaserFuncs(o: GoreleaserFuncOptions): Map<string, FuncEntry> {
  const noFiles = (): never => {
    throw new GoError('file access is not enabled: pass a readFile hook in the template options');
  };
  const read = (p: string): Uint8Array => (o.readFile ?? noFiles)(dec(p));
  const expandHome = (p: string): string => (p.startsWith('~/') ? enc(o.homeDir ?? defaultHome()) + p.slice(1) : p);
  const mustRead = (p: string): string => trimSpace(fromBytes(read(expandHome(p))));
  const b = (x: boolean): Value => new Value(Types.bool, x);
  const fns: [string, FuncEntry][] = [
    ['replace', entry([S, S, S], [S], (a) => str(replaceAll(s(a[0]!), s(a[1]!), s(a[2]!))))],
    ['split', entry([S, S], [SStringSlice], (a) => stringSlice(split(s(a[0]!), s(a[1]!))))],
    ['time', entry([S], [S], (a) => str(formatTime(timeFromDate((o.now ?? (() => new Date()))()), s(a[0]!))))],
    ['contains', entry([S, S], [Types.bool], (a) => b(s(a[0]!).includes(s(a[1]!))))],
    ['tolower', entry([S], [S], (a) => str(mapCase(s(a[0]!), false)))],
    ['toupper', entry([S], [S], (a) => str(mapCase(s(a[0]!), true)))],
    ['trim', entry([S], [S], (a) => str(trimSpace(s(a[0]!))))],
    ['trimprefix', entry([S, S], [S], (a) => str(s(a[0]!).startsWith(s(a[1]!)) ? s(a[0]!).slice(s(a[1]!).length) : s(a[0]!)))],
    [
      'trimsuffix',
      entry([S, S], [S], (a) => str(s(a[1]!) !== '' && s(a[0]!).endsWith(s(a[1]!)) ? s(a[0]!).slice(0, -s(a[1]!).length) : s(a[0]!))),
    ],
    ['title', entry([S], [S], (a) => str(title(s(a[0]!))))],
    ['dir', entry([S], [S], (a) => str(dirName(s(a[0]!))))],
    ['base', entry([S], [S], (a) => str(baseName(s(a[0]!))))],
    [
      'abs',
      entry([S], [S, Types.error], (a) => {
        const p = s(a[0]!);
        return str(p.startsWith('/') ? cleanPath(p) : cleanPath(enc(o.cwd ?? process.cwd()) + '/' + p));
      }),
    ],
    ['incmajor', entry([S], [S], (a) => str(semverBump(s(a[0]!), 'major')))],
    ['incminor', entry([S], [S], (a) => str(semverBump(s(a[0]!), 'minor')))],
    ['incpatch', entry([S], [S], (a) => str(semverBump(s(a[0]!), 'patch')))],
    ['filter', entry([S, S], [S], (a) => str(filterLines(s(a[0]!), s(a[1]!), false)))],
    ['reverseFilter', entry([S, S], [S], (a) => str(filterLines(s(a[0]!), s(a[1]!), true)))],
    ['mdv2escape', entry([S], [S], (a) => str(mdv2Escape(s(a[0]!))))],
    [
      'envOrDefault',
      entry([S, S], [S], (a) => {
        const v = o.env().get(s(a[0]!));
        return str(v === undefined ? s(a[1]!) : v);
      }),
    ],
    ['isEnvSet', entry([S], [Types.bool], (a) => b((o.env().get(s(a[0]!)) ?? '') !== ''))],
    [
      'map',
      entry(
        [SStringSlice],
        [MStringString, Types.error],
        (a) => {
          if (a.length % 2 !== 0) throw new GoError(`map expects even number of arguments, got ${a.length}`);
          const m = new GoMap();
          for (let i = 0; i < a.length; i += 2) m.set(str(s(a[i]!)), str(s(a[i + 1]!)));
          return new Value(MStringString, m);
        },
        true,
      ),
    ],
    [
      'indexOrDefault',
      entry([MStringString, S, S], [S], (a) => {
        const m = (indirectInterface(a[0]!)?.v ?? null) as GoMap | null;
        const got = m?.get(str(s(a[1]!)));
        return got === undefined ? (a[2] as Value) : got;
      }),
    ],
    ['urlPathEscape', entry([S], [S], (a) => str(urlEscape(s(a[0]!), 'path')))],
    [
      'readFile',
      entry([S], [S], (a) => {
        if (!o.readFile) noFiles();
        try {
          return str(mustRead(s(a[0]!)));
        } catch {
          return str('');
        }
      }),
    ],
    ['mustReadFile', entry([S], [S, Types.error], (a) => str(mustRead(s(a[0]!))))],
    ['englishJoin', entry([SStringSlice], [S], (a) => str(englishJoin(strings(a[0]!))))],
    ['list', entry([SStringSlice], [SStringSlice], (a) => stringSlice(a.map(s)), true)],
  ];
  const checksum = (name: string, digest: (b: Uint8Array) => string): [string, FuncEntry] => [
    name,
    entry([S], [S, Types.error], (a) => {
      let bytes: Uint8Array;
      try {
        bytes = read(s(a[0]!));
      } catch (e) {
        if (!o.readFile) throw e;
        throw new GoError(`failed to checksum: ${(e as Error).message}`);
      }
      return str(digest(bytes));
    }),
  ];
  for (const [name, algo] of Object.entries(HASHES)) fns.push(checksum(name, (x) => createHash(algo).update(x).digest('hex')));
  fns.push(checksum('blake3', blake3Hex));
  fns.push(checksum('crc32', (x) => crc32(x).toString(16).padStart(8, '0')));
  fns.sort(([x], [y]) => (x < y ? -1 : 1));
  void toBytes;
  return new Map(fns);
}

function defaultHome(): string {
  return process.env.HOME ?? '/';
}
