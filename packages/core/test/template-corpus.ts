/**
 * The corpus's typed JSON, decoded the way template-oracle/main.go decodes it: plain JSON maps
 * as the engine maps plain JS, and {"$go": TYPE, "v": ...} picks a Go type.
 */
import { go, toGoValue, Types, Value } from '../src/template/index.js';

export interface CorpusCase {
  id: string;
  t: string;
  data?: unknown;
  name?: string;
  missingkey?: 'error' | 'default' | 'zero';
  now?: string;
  env?: Record<string, string>;
  files?: Record<string, string>;
}

type V = Value | null;

export function decodeCorpusValue(x: unknown): V {
  if (Array.isArray(x)) return toGoValue(x.map(decodeCorpusValue));
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o.$go === 'string') return typed(o.$go, o.v);
    const out: Record<string, V> = {};
    for (const [k, v] of Object.entries(o)) out[k] = decodeCorpusValue(v);
    return toGoValue(out);
  }
  return toGoValue(x);
}

function typed(t: string, v: unknown): V {
  const n = (): bigint => BigInt(v as number | string);
  switch (t) {
    case 'int':
      return go.int(n());
    case 'int64':
      return go.int64(n());
    case 'int32':
      return new Value(Types.int32, n());
    case 'uint64':
      return go.uint64(BigInt(String(v)));
    case 'uint8':
      return new Value(Types.uint8, n());
    case 'float64':
      return go.float64(v as number);
    case 'string':
      return go.string(v as string);
    case '[]string':
      return go.strings(v as string[]);
    case '[]int':
      return go.slice(
        Types.int,
        (v as number[]).map((i) => go.int(i)),
      );
    case 'map[string]string':
      return go.stringMap(v as Record<string, string>);
    case 'context.Env':
      return go.env(v as Record<string, string>);
    case 'map[string]int':
      return go.map(Types.int, Object.fromEntries(Object.entries(v as Record<string, number>).map(([k, i]) => [k, go.int(i)])));
    case 'tmpl.Fields':
      return goreleaserRoot(v as Record<string, unknown>);
    case 'time.Time':
      return go.time(v as string);
    case 'context.Runtime': {
      const r = v as { Goos: string; Goarch: string };
      return go.runtime(r.Goos, r.Goarch);
    }
    case 'nil[]string':
      return go.slice(Types.string, null as unknown as V[]);
    case 'nilmap':
      return new Value((toGoValue({}) as Value).t, null); // a nil map[string]interface {}
  }
  throw new Error(`unknown type tag ${t}`);
}

function goreleaserRoot(v: Record<string, unknown>): Value {
  return go.fields(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeCorpusValue(x)])));
}
