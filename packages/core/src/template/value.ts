/**
 * A miniature of Go's reflect: typed values that keep the kinds and type names text/template's
 * behaviour and messages depend on (int vs uint64, map[string]string vs map[string]interface {},
 * an interface holding nil vs no value at all, time.Time with its methods).
 *
 * Representations: integers are bigint (wrapped to their width), floats number, strings byte
 * strings (gostr.ts), slices Value[] (null = nil slice), maps GoMap (null = nil map), structs
 * Value[] in field order, interfaces the held Value (null = nil interface), funcs GoFunc,
 * time.Time a GoTime. The absence of a value (Go's invalid reflect.Value) is `null`.
 */

export type Kind =
  | 'bool'
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128'
  | 'string'
  | 'slice'
  | 'map'
  | 'struct'
  | 'interface'
  | 'func'
  | 'reflect';

export interface GoFuncSig {
  in: GoType[];
  out: GoType[];
  variadic: boolean;
}

export interface GoType {
  readonly kind: Kind;
  /** reflect.Type.String(): "int", "[]string", "map[string]interface {}", "time.Time". */
  readonly str: string;
  /** The type literal of the underlying type; equal to `str` for unnamed types. */
  readonly underlying: string;
  readonly named: boolean;
  readonly elem?: GoType;
  readonly key?: GoType;
  readonly fields?: readonly { name: string; type: GoType }[];
  readonly sig?: GoFuncSig;
  /** Methods of a named type, found by name as reflect's MethodByName does. */
  readonly methods?: ReadonlyMap<string, GoMethod>;
  /** A fmt.Stringer: used by printing (%v %s %q %x %X). */
  readonly stringer?: (v: Value) => string;
  /** For time.Month and similar enumerations whose zero is not the only special value. */
}

/** A method: its signature (without the receiver) and implementation. */
export interface GoMethod {
  sig: GoFuncSig;
  call(recv: Value, args: (Value | null)[]): Value | null;
}

export class Value {
  constructor(
    readonly t: GoType,
    readonly v: unknown,
  ) {}
}
export type Val = Value | null;

/** A function value. `call` returns the first result; a thrown GoError is the second (error) result. */
export interface GoFunc {
  sig: GoFuncSig;
  call(args: Val[]): Val;
}

/** An error returned by a function (Go's `error` result), not a failure of the engine. */
export class GoError extends Error {}

export interface GoMapEntry {
  k: Value;
  v: Val;
}
export class GoMap {
  readonly m = new Map<string, GoMapEntry>();
  get size(): number {
    return this.m.size;
  }
  get(k: Value): Val | undefined {
    return this.m.get(mapKey(k))?.v;
  }
  set(k: Value, v: Val): void {
    this.m.set(mapKey(k), { k, v });
  }
}

function mapKey(k: Value): string {
  return `${k.t.kind}:${String(k.v)}`;
}

export interface GoTime {
  /** Unix seconds (may be any bigint) and nanoseconds within the second. */
  sec: bigint;
  nsec: number;
  /** Zone offset east of UTC in seconds, and its abbreviation ("UTC", "CET", "" for a fixed zone). */
  offset: number;
  zone: string;
}

// ---- types ----

const cache = new Map<string, GoType>();
function basic(kind: Kind): GoType {
  return { kind, str: kind, underlying: kind, named: false };
}

export const Types = {
  bool: basic('bool'),
  int: basic('int'),
  int8: basic('int8'),
  int16: basic('int16'),
  int32: basic('int32'),
  int64: basic('int64'),
  uint: basic('uint'),
  uint8: basic('uint8'),
  uint16: basic('uint16'),
  uint32: basic('uint32'),
  uint64: basic('uint64'),
  uintptr: basic('uintptr'),
  float32: basic('float32'),
  float64: basic('float64'),
  complex64: basic('complex64'),
  complex128: basic('complex128'),
  string: basic('string'),
  any: { kind: 'interface', str: 'interface {}', underlying: 'interface {}', named: false } as GoType,
  error: { kind: 'interface', str: 'error', underlying: 'interface { Error() string }', named: true } as GoType,
  /** reflect.Value, the parameter type of most builtins: receives the argument as it is. */
  reflect: { kind: 'reflect', str: 'reflect.Value', underlying: 'struct { ... }', named: true } as GoType,
};

export function sliceOf(elem: GoType): GoType {
  const str = `[]${elem.str}`;
  let t = cache.get(str);
  if (!t) cache.set(str, (t = { kind: 'slice', str, underlying: str, named: false, elem }));
  return t;
}

export function mapOf(key: GoType, elem: GoType): GoType {
  const str = `map[${key.str}]${elem.str}`;
  let t = cache.get(str);
  if (!t) cache.set(str, (t = { kind: 'map', str, underlying: str, named: false, key, elem }));
  return t;
}

export function funcOf(sig: GoFuncSig): GoType {
  const ins = sig.in.map((t, i) => (sig.variadic && i === sig.in.length - 1 ? `...${t.elem!.str}` : t.str));
  const outs = sig.out.length === 1 ? ` ${sig.out[0]!.str}` : sig.out.length ? ` (${sig.out.map((t) => t.str).join(', ')})` : '';
  const str = `func(${ins.join(', ')})${outs}`;
  return { kind: 'func', str, underlying: str, named: false, sig };
}

/** A named type over an underlying type (`type Env map[string]string` in package context). */
export function named(name: string, under: GoType, extra: Partial<Pick<GoType, 'methods' | 'stringer'>> = {}): GoType {
  return { ...under, str: name, underlying: under.underlying, named: true, ...extra };
}

export function structOf(name: string, fields: { name: string; type: GoType }[]): GoType {
  const lit = `struct { ${fields.map((f) => `${f.name} ${f.type.str}`).join('; ')} }`;
  return { kind: 'struct', str: name || lit, underlying: lit, named: !!name, fields };
}

export const SStringSlice = sliceOf(Types.string);
export const SAnySlice = sliceOf(Types.any);
export const MStringString = mapOf(Types.string, Types.string);
export const MStringAny = mapOf(Types.string, Types.any);

// ---- kind predicates ----

export const isIntKind = (k: Kind): boolean => k === 'int' || k === 'int8' || k === 'int16' || k === 'int32' || k === 'int64';
export const isUintKind = (k: Kind): boolean =>
  k === 'uint' || k === 'uint8' || k === 'uint16' || k === 'uint32' || k === 'uint64' || k === 'uintptr';
export const isFloatKind = (k: Kind): boolean => k === 'float32' || k === 'float64';
export const isComplexKind = (k: Kind): boolean => k === 'complex64' || k === 'complex128';

const WIDTH: Partial<Record<Kind, number>> = {
  int: 64,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  uint: 64,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
  uintptr: 64,
};

/** Wraps an integer to the width and signedness of a kind, as a Go conversion does. */
export function wrapInt(k: Kind, n: bigint): bigint {
  const w = BigInt(WIDTH[k] ?? 64);
  return isUintKind(k) ? BigInt.asUintN(Number(w), n) : BigInt.asIntN(Number(w), n);
}

// ---- constructors ----

export const mk = {
  bool: (b: boolean): Value => new Value(Types.bool, b),
  int: (n: number | bigint): Value => new Value(Types.int, BigInt.asIntN(64, BigInt(n))),
  int64: (n: number | bigint): Value => new Value(Types.int64, BigInt.asIntN(64, BigInt(n))),
  uint64: (n: number | bigint): Value => new Value(Types.uint64, BigInt.asUintN(64, BigInt(n))),
  float64: (n: number): Value => new Value(Types.float64, n),
  /** A Go string from a byte string. */
  str: (bytes: string): Value => new Value(Types.string, bytes),
  of: (t: GoType, v: unknown): Value => new Value(t, v),
};

/** reflect.Zero(t). */
export function zeroOf(t: GoType): Value {
  switch (t.kind) {
    case 'bool':
      return new Value(t, false);
    case 'string':
      return new Value(t, '');
    case 'float32':
    case 'float64':
      return new Value(t, 0);
    case 'complex64':
    case 'complex128':
      return new Value(t, [0, 0]);
    case 'slice':
    case 'map':
    case 'interface':
    case 'func':
      return new Value(t, null);
    case 'struct':
      if (t.str === 'time.Time') return new Value(t, ZERO_TIME);
      return new Value(
        t,
        t.fields!.map((f) => zeroOf(f.type)),
      );
    case 'reflect':
      return new Value(t, null);
    default:
      return new Value(t, 0n);
  }
}

/** The zero time.Time: January 1, year 1, 00:00:00 UTC. */
export const ZERO_TIME: GoTime = { sec: -62135596800n, nsec: 0, offset: 0, zone: 'UTC' };

// ---- reflect-like operations ----

/** Type.AssignableTo: identical types, to an empty interface, or same underlying type with one side unnamed. */
export function assignable(v: GoType, t: GoType): boolean {
  if (v.str === t.str) return true;
  if (t.kind === 'interface' && t.str === 'interface {}') return true;
  if (t.str === 'error' && v.methods?.has('Error')) return true;
  return v.underlying === t.underlying && (!v.named || !t.named) && v.kind !== 'interface';
}

/** Value.IsNil for kinds that can be nil. */
export function isNilValue(v: Value): boolean {
  switch (v.t.kind) {
    case 'slice':
    case 'map':
    case 'interface':
    case 'func':
      return v.v === null;
  }
  return false;
}

/** Value.Len for strings, slices and maps. */
export function lenOf(v: Value): number {
  switch (v.t.kind) {
    case 'string':
      return (v.v as string).length;
    case 'slice':
      return v.v === null ? 0 : (v.v as Val[]).length;
    case 'map':
      return v.v === null ? 0 : (v.v as GoMap).size;
  }
  throw new Error(`len of ${v.t.str}`);
}

/** indirectInterface: the value an interface holds (null for a nil interface). */
export function indirectInterface(v: Val): Val {
  if (v === null || v.t.kind !== 'interface') return v;
  return v.v as Val;
}

/** indirect: strips interfaces; [value, isNil] where isNil means a nil interface was met. */
export function indirect(v: Val): [Val, boolean] {
  while (v !== null && v.t.kind === 'interface') {
    if (v.v === null) return [v, true];
    v = v.v as Value;
  }
  return [v, false];
}

/** Comparable in Go's == sense (basic kinds, structs of comparables, interfaces). */
export function comparableType(t: GoType): boolean {
  switch (t.kind) {
    case 'slice':
    case 'map':
    case 'func':
      return false;
    case 'struct':
      return t.fields!.every((f) => comparableType(f.type));
  }
  return true;
}

/** `a == b` for two values of one comparable type (Interface() == Interface()). */
export function goEqual(a: Val, b: Val): boolean {
  if (a === null || b === null) return a === b;
  if (a.t.kind === 'interface') return goEqual(a.v as Val, b.t.kind === 'interface' ? (b.v as Val) : b);
  if (b.t.kind === 'interface') return goEqual(a, b.v as Val);
  if (a.t.str !== b.t.str) return false;
  if (a.t.str === 'time.Time') {
    const x = a.v as GoTime;
    const y = b.v as GoTime;
    return x.sec === y.sec && x.nsec === y.nsec && x.offset === y.offset && x.zone === y.zone;
  }
  switch (a.t.kind) {
    case 'struct':
      return (a.v as Val[]).every((f, i) => goEqual(f, (b.v as Val[])[i]!));
    case 'complex64':
    case 'complex128': {
      const x = a.v as [number, number];
      const y = b.v as [number, number];
      return x[0] === y[0] && x[1] === y[1];
    }
  }
  return a.v === b.v;
}

/** The comparison fmtsort uses to print and range over maps in key order. */
export function compareKeys(a: Value, b: Value): number {
  const k = a.t.kind;
  if (isIntKind(k) || isUintKind(k)) return (a.v as bigint) < (b.v as bigint) ? -1 : (a.v as bigint) > (b.v as bigint) ? 1 : 0;
  if (k === 'string') return (a.v as string) < (b.v as string) ? -1 : (a.v as string) > (b.v as string) ? 1 : 0;
  if (isFloatKind(k)) {
    const x = a.v as number;
    const y = b.v as number;
    if (x < y) return -1;
    if (x > y) return 1;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
    if (Number.isNaN(y)) return 1;
    return 0;
  }
  if (k === 'bool') return a.v === b.v ? 0 : a.v ? 1 : -1;
  if (k === 'interface') {
    const x = a.v as Val;
    const y = b.v as Val;
    if (x === null || y === null) return x === null ? (y === null ? 0 : -1) : 1;
    if (x.t.str !== y.t.str) return x.t.str < y.t.str ? -1 : 1;
    return compareKeys(x, y);
  }
  return 0;
}

export function sortedEntries(m: GoMap): GoMapEntry[] {
  return [...m.m.values()].sort((x, y) => compareKeys(x.k, y.k));
}
