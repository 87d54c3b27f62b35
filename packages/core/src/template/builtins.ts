/**
 * text/template's predefined functions (funcs.go): and, or, not, len, index, slice, print,
 * printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge.
 */
import { prepareArg, slot, truth, type FuncEntry } from './exec.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { decodeRune, isPrint } from './gostr.js';
import {
  GoError,
  Types,
  Value,
  comparableType,
  goEqual,
  indirect,
  indirectInterface,
  isComplexKind,
  isFloatKind,
  isIntKind,
  isNilValue,
  isUintKind,
  lenOf,
  sliceOf,
  zeroOf,
  type GoFunc,
  type GoMap,
  type GoType,
  type Val,
} from './value.js';

const R = Types.reflect;
const RS = sliceOf(R);
const AnyS = sliceOf(Types.any);
const sig = (ins: GoType[], outs: GoType[], variadic = false) => ({ in: ins, out: outs, variadic });
const bool = (b: boolean): Value => new Value(Types.bool, b);
const str = (s: string): Value => new Value(Types.string, s);

function fn(ins: GoType[], outs: GoType[], variadic: boolean, call: (a: Val[]) => Val): FuncEntry {
  return { builtin: true, fn: { sig: sig(ins, outs, variadic), call } satisfies GoFunc };
}

// ---- comparison ----

type BK = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';
function basicKind(v: Val): BK {
  if (v === null) return 'invalid';
  const k = v.t.kind;
  if (k === 'bool') return 'bool';
  if (isIntKind(k)) return 'int';
  if (isUintKind(k)) return 'uint';
  if (isFloatKind(k)) return 'float';
  if (isComplexKind(k)) return 'complex';
  if (k === 'string') return 'string';
  return 'invalid';
}
const typeStr = (v: Val): string => (v === null ? '<nil>' : v.t.str);
const big = (v: Val): bigint => (v as Value).v as bigint;

function isNilV(v: Val): boolean {
  return v === null || isNilValue(v);
}

function eq(arg1r: Val, rest: Val[]): boolean {
  const arg1 = indirectInterface(arg1r);
  if (rest.length === 0) throw new GoError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const a of rest) {
    const arg = indirectInterface(a);
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = big(arg1) >= 0n && big(arg1) === big(arg);
      else if (k1 === 'uint' && k2 === 'int') t = big(arg) >= 0n && big(arg1) === big(arg);
      else if (arg1 !== null && arg !== null) throw new GoError(`incompatible types for comparison: ${typeStr(arg1)} and ${typeStr(arg)}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'int':
        case 'uint':
        case 'float':
        case 'string':
          t = (arg1 as Value).v === (arg as Value).v;
          break;
        case 'complex': {
          const x = (arg1 as Value).v as [number, number];
          const y = (arg as Value).v as [number, number];
          t = x[0] === y[0] && x[1] === y[1];
          break;
        }
        default: {
          const sameKind = arg1 === null || arg === null || arg1.t.kind === arg.t.kind;
          if (!sameKind) throw new GoError(`non-comparable types ${sprint([arg1])}: ${typeStr(arg1)}, ${typeStr(arg)}: ${sprint([arg])}`);
          if (isNilV(arg1) || isNilV(arg)) t = isNilV(arg) === isNilV(arg1);
          else {
            if (!comparableType(arg!.t)) throw new GoError(`non-comparable type ${sprint([arg])}: ${typeStr(arg)}`);
            t = goEqual(arg1, arg);
          }
        }
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(a1: Val, a2: Val): boolean {
  const arg1 = indirectInterface(a1);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new GoError('invalid type for comparison');
  const arg2 = indirectInterface(a2);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new GoError('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return big(arg1) < 0n || big(arg1) < big(arg2);
    if (k1 === 'uint' && k2 === 'int') return big(arg2) >= 0n && big(arg1) < big(arg2);
    throw new GoError(`incompatible types for comparison: ${typeStr(arg1)} and ${typeStr(arg2)}`);
  }
  if (k1 === 'bool' || k1 === 'complex') throw new GoError('invalid type for comparison');
  return ((arg1 as Value).v as number) < ((arg2 as Value).v as number);
}
function le(a1: Val, a2: Val): boolean {
  return lt(a1, a2) || eq(a1, [a2]);
}

// ---- index / slice / len ----

function indexArg(index: Val, cap: number): number {
  let x: bigint;
  if (index !== null && isIntKind(index.t.kind)) x = index.v as bigint;
  else if (index !== null && isUintKind(index.t.kind)) x = BigInt.asIntN(64, index.v as bigint);
  else if (index === null) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${index.t.str}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

function index(item0: Val, indexes: Val[]): Val {
  let item = indirectInterface(item0);
  if (item === null) throw new GoError('index of untyped nil');
  for (const ix0 of indexes) {
    const ix = indirectInterface(ix0);
    const [it, isNil] = indirect(item);
    if (isNil) throw new GoError('index of nil pointer');
    item = it!;
    const k = item.t.kind;
    if (k === 'slice' || k === 'string') {
      const n = lenOf(item);
      const x = indexArg(ix, n);
      if (x === n) throw new GoError(`reflect: ${k} index out of range`);
      if (k === 'string') item = new Value(Types.uint8, BigInt((item.v as string).charCodeAt(x)));
      else item = slot(item.t.elem!, (item.v as Val[])[x]!);
    } else if (k === 'map') {
      const key = prepareArg(ix, item.t.key!)!;
      const m = item.v as GoMap | null;
      const got = m?.get(key);
      item = got === undefined ? zeroOf(item.t.elem!) : slot(item.t.elem!, got);
    } else throw new GoError(`can't index item of type ${item.t.str}`);
    if (item === null) return null;
  }
  return item;
}

function slice(item0: Val, indexes: Val[]): Val {
  let item = indirectInterface(item0);
  if (item === null) throw new GoError('slice of untyped nil');
  const [it, isNil] = indirect(item);
  if (isNil) throw new GoError('slice of nil pointer');
  item = it!;
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  const k = item.t.kind;
  let cap: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    cap = lenOf(item);
  } else if (k === 'slice') cap = lenOf(item);
  else throw new GoError(`can't slice item of type ${item.t.str}`);
  const idx = [0, lenOf(item), 0];
  indexes.forEach((ix, i) => (idx[i] = indexArg(indirectInterface(ix), cap)));
  if (idx[0]! > idx[1]!) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (k === 'string') return new Value(item.t, (item.v as string).slice(idx[0], idx[1]));
  if (item.v === null) return item;
  return new Value(item.t, (item.v as Val[]).slice(idx[0], idx[1]));
}

function length(item0: Val): number {
  const [item, isNil] = indirect(item0);
  if (isNil) throw new GoError('len of nil pointer');
  if (item === null) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  const k = item.t.kind;
  if (k === 'slice' || k === 'map' || k === 'string') return lenOf(item);
  throw new GoError(`len of type ${item.t.str}`);
}

// ---- escapers ----

function evalArgs(args: Val[]): string {
  if (args.length === 1 && args[0] !== null && args[0]!.t.str === 'string') return args[0]!.v as string;
  const printable = args.map((a) => (indirectInterface(a) === null ? str('<no value>') : a));
  return sprint(printable);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === '\0' ? '\xef\xbf\xbd' : c === '"' ? '&#34;' : c === "'" ? '&#39;' : c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;',
  );
}

export function jsEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c >= 0x80) {
      const [r, w] = decodeRune(s, i);
      out += isPrint(r) ? s.slice(i, i + w) : '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
      i += w - 1;
      continue;
    }
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '<':
        out += '\\u003C';
        break;
      case '>':
        out += '\\u003E';
        break;
      case '&':
        out += '\\u0026';
        break;
      case '=':
        out += '\\u003D';
        break;
      default:
        out += c < 0x20 ? '\\u00' + c.toString(16).toUpperCase().padStart(2, '0') : ch;
    }
  }
  return out;
}

const UPPERHEX = '0123456789ABCDEF';
/** url.QueryEscape (mode encodeQueryComponent) and url.PathEscape (encodePathSegment) over bytes. */
export function urlEscape(s: string, mode: 'query' | 'path'): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || '-_.~'.includes(ch)) {
      out += ch;
      continue;
    }
    if (mode === 'path' && '$&+,:;=@'.includes(ch)) {
      out += ch;
      continue;
    }
    if (mode === 'query' && ch === ' ') {
      out += '+';
      continue;
    }
    out += '%' + UPPERHEX[c >> 4] + UPPERHEX[c & 15];
  }
  return out;
}

export function builtinFuncs(): Map<string, FuncEntry> {
  const unreachable = (): Val => {
    throw new Error('unreachable');
  };
  return new Map<string, FuncEntry>([
    ['and', fn([R, RS], [R], true, unreachable)],
    ['or', fn([R, RS], [R], true, unreachable)],
    ['call', fn([R, RS], [R], true, unreachable)],
    ['html', fn([AnyS], [Types.string], true, (a) => str(htmlEscape(evalArgs(a))))],
    ['js', fn([AnyS], [Types.string], true, (a) => str(jsEscape(evalArgs(a))))],
    ['urlquery', fn([AnyS], [Types.string], true, (a) => str(urlEscape(evalArgs(a), 'query')))],
    ['index', fn([R, RS], [R, Types.error], true, (a) => index(a[0]!, a.slice(1)))],
    ['slice', fn([R, RS], [R, Types.error], true, (a) => slice(a[0]!, a.slice(1)))],
    ['len', fn([R], [Types.int, Types.error], false, (a) => new Value(Types.int, BigInt(length(a[0]!))))],
    ['not', fn([R], [Types.bool], false, (a) => bool(!truth(a[0]!)))],
    ['print', fn([AnyS], [Types.string], true, (a) => str(sprint(a)))],
    ['printf', fn([Types.string, AnyS], [Types.string], true, (a) => str(sprintf((a[0] as Value).v as string, a.slice(1))))],
    ['println', fn([AnyS], [Types.string], true, (a) => str(sprintln(a)))],
    ['eq', fn([R, RS], [Types.bool, Types.error], true, (a) => bool(eq(a[0]!, a.slice(1))))],
    ['ne', fn([R, R], [Types.bool, Types.error], false, (a) => bool(!eq(a[0]!, [a[1]!])))],
    ['lt', fn([R, R], [Types.bool, Types.error], false, (a) => bool(lt(a[0]!, a[1]!)))],
    ['le', fn([R, R], [Types.bool, Types.error], false, (a) => bool(le(a[0]!, a[1]!)))],
    ['gt', fn([R, R], [Types.bool, Types.error], false, (a) => bool(!le(a[0]!, a[1]!)))],
    ['ge', fn([R, R], [Types.bool, Types.error], false, (a) => bool(!lt(a[0]!, a[1]!)))],
  ]);
}
