/**
 * Reads the YAML text of a GoReleaser file into plain values along the key tables of keys.ts, the
 * way GoReleaser's strict decoder (go.yaml.in/yaml/v3 with KnownFields) does: unknown keys are
 * errors (with the closest known spelling), a scalar given where a list belongs is an error except
 * for the fields GoReleaser's own unmarshalers widen, `0644` is octal, `yes`/`on` are booleans only
 * where the field is a boolean. Every value's position is recorded under its path.
 *
 * Scalars are parsed with the YAML failsafe schema (every scalar a string) and typed here from
 * the field they fill, so `goarm: 7` is the string "7" and `version: 2` the number 2, as in Go.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';
import { type ConfigProblem } from './config-error.js';
import { GORELEASER_ENUMS, type Keys, type Kind, NOT_APPLIED, PROJECT, REFUSED, V1_ONLY } from './keys.js';
import { type Tmpl, type Where, fileLine } from './where.js';

/** The text of a scalar (the failsafe schema keeps every scalar a string; numbers and booleans are typed later, by field). */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return '';
}

/** A key the file sets that goship does not do. */
export interface NotApplied {
  /** As written: `dockers`, `signs[0].cmd`. */
  key: string;
  /** `file:line`. */
  where: string;
  reason: string;
}

export type Raw = string | number | boolean | Tmpl | Raw[] | RawObject;
export interface RawObject {
  [key: string]: Raw | undefined;
}

export interface Decoded {
  /** 1 when the file has no `version:` (or `version: 1`), else 2. */
  version: 1 | 2;
  pro: boolean;
  raw: RawObject;
  /** Path (`builds[1].ldflags[0]`) → where it is written. */
  positions: Map<string, Where>;
  notApplied: NotApplied[];
  problems: ConfigProblem[];
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE = new Set(['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/** strconv.ParseInt(s, 0, 64) after yaml.v3 drops `_`: 0x.., 0o.., 0b.., and 0755 as octal. */
export function goInt(text: string): number | undefined {
  const s = text.replace(/_/g, '');
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, digits] = m as unknown as [string, string, string];
  let n: number;
  if (/^0[xXoObB]/.test(digits)) n = Number(digits.toLowerCase());
  else if (digits.startsWith('0') && digits.length > 1) n = parseInt(digits.slice(1), 8);
  else n = parseInt(digits, 10);
  if (!Number.isSafeInteger(n)) return undefined;
  return sign === '-' ? -n : n;
}

/** Optimal string alignment distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = editDistance(word.toLowerCase(), k.toLowerCase());
    if (dist < bestD) [best, bestD] = [k, dist];
  }
  return best;
}

/** `builds[1].ldflags[0]` → `builds[].ldflags[]`: the form the key tables use. */
export function pattern(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

function shown(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export function decode(text: string, file: string): Decoded {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: false });
  const out: Decoded = { version: 1, pro: false, raw: {}, positions: new Map(), notApplied: [], problems: [] };

  const at = (node: { range?: [number, number, number] | null } | null | undefined, key: string): Where => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { key, file, line, col };
  };

  for (const e of doc.errors) {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    out.problems.push({
      where: { key: '(YAML)', file, line, col },
      got: '',
      expected: 'valid YAML',
      fix: e.message.split('\n')[0]!,
    });
  }
  if (out.problems.length > 0) return out;
  if (doc.contents === null || (isScalar(doc.contents) && NULLS.has(String(doc.contents.value)))) return out;

  const root = doc.contents;
  if (!isMap(root)) {
    out.problems.push({ where: at(root, '(top level)'), got: '', expected: 'a mapping of GoReleaser keys' });
    return out;
  }
  // The schema version decides how v1 spellings are treated, so read it first.
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const k = String(pair.key.value);
    const v = pair.value as Node | null;
    if (k === 'version' && isScalar(v)) {
      const n = goInt(String(v.value));
      if (n === 2) out.version = 2;
      else if (n !== 1 && n !== 0) {
        out.problems.push({
          where: at(pair.key, 'version'),
          got: String(v.value),
          expected: '`version: 2` (or no `version:` for a GoReleaser v1 file)',
          fix: 'goship reads schema versions 1 and 2',
        });
      }
    }
    if (k === 'pro' && isScalar(v)) out.pro = TRUE.has(String(v.value));
  }

  const walker = new Walker(doc, out, at);
  out.raw = (walker.value(root, { t: 'obj', keys: PROJECT }, '', '') as RawObject | undefined) ?? {};
  return out;
}

class Walker {
  constructor(
    private readonly doc: Document,
    private readonly out: Decoded,
    private readonly at: (node: { range?: [number, number, number] | null } | null | undefined, key: string) => Where,
  ) {}

  private problem(where: Where, got: string, expected: string, fix?: string): undefined {
    this.out.problems.push(fix ? { where, got: shown(got), expected, fix } : { where, got: shown(got), expected });
    return undefined;
  }

  private resolve(node: unknown): Node | null {
    let n = node as Node | null | undefined;
    for (let i = 0; i < 100 && n && isAlias(n); i++) n = n.resolve(this.doc);
    return n ?? null;
  }

  private isNull(node: Node | null): boolean {
    return node === null || (isScalar(node) && node.type === Scalar.PLAIN && NULLS.has(scalarText(node.value)));
  }

  /** Checks the tables for one value that is set: not applied, refused, v1-only. */
  private check(path: string, where: Where, value: Raw): void {
    const p = pattern(path);
    const v1 = V1_ONLY[p];
    if (v1) {
      if (this.out.version === 2) {
        this.problem(where, '', 'a key of the GoReleaser v2 schema', `\`${where.key}\` was removed in GoReleaser v2. ${v1.fix}`);
        return;
      }
      if (v1.refuse) {
        this.problem(where, '', `no \`${where.key}\` (${v1.refuse})`, v1.fix);
        return;
      }
      if (!v1.to) this.out.notApplied.push({ key: where.key, where: fileLine(where), reason: `GoReleaser v1 key. ${v1.fix}` });
    }
    const scalar =
      typeof value === 'object' && !Array.isArray(value) && 'text' in value
        ? scalarText(value.text)
        : typeof value === 'object'
          ? undefined
          : String(value);
    const reason = NOT_APPLIED[p] ?? (scalar !== undefined ? NOT_APPLIED[`${p}=${scalar}`] : undefined);
    if (reason) this.out.notApplied.push({ key: where.key, where: fileLine(where), reason });
    if (scalar === undefined && !REFUSED[p]) return;
    const enums = GORELEASER_ENUMS[p];
    if (enums && scalar !== undefined && !enums.includes(scalar)) {
      this.problem(where, scalar, `one of ${enums.filter(Boolean).join(', ')}`, 'GoReleaser accepts only these');
      return;
    }
    const refusal = REFUSED[p];
    if (refusal && !refusal.allow.includes(scalar ?? '\0')) {
      const expected = refusal.allow.filter(Boolean).length
        ? `one of ${refusal.allow.filter(Boolean).join(', ')} (${refusal.why})`
        : `no \`${where.key}\` (${refusal.why})`;
      this.problem(where, scalar ?? '', expected, refusal.fix);
    }
  }

  /** Decodes `node` as `kind`; `path` is canonical (`builds[0].goos`), `key` as written. */
  value(node0: unknown, kind: Kind, path: string, key: string, keyNode?: Node | null): Raw | undefined {
    const node = this.resolve(node0);
    if (this.isNull(node)) return undefined;
    const where = this.at(keyNode ?? node, key || '(top level)');
    if (path) this.out.positions.set(path, where);
    const v = this.typed(node!, kind, path, key, where);
    if (v !== undefined && path) this.check(path, where, v);
    return v;
  }

  private scalarText(node: Node, where: Where, expected: string): string | undefined {
    if (isScalar(node)) return scalarText(node.value);
    return this.problem(where, isSeq(node) ? '(a list)' : '(a mapping)', expected);
  }

  private typed(node: Node, kind: Kind, path: string, key: string, where: Where): Raw | undefined {
    switch (kind.t) {
      case 'any':
        // Not checked, only reported: keep it as plain data.
        return (node.toJS(this.doc) as Raw | null | undefined) ?? '';
      case 'str':
        return this.scalarText(node, where, 'a string');
      case 'tmpl': {
        const s = this.scalarText(node, where, 'a string');
        return s === undefined ? undefined : { text: s, where };
      }
      case 'bool': {
        const s = this.scalarText(node, where, 'true or false');
        if (s === undefined) return undefined;
        if (TRUE.has(s)) return true;
        if (FALSE.has(s)) return false;
        return this.problem(where, s, 'true or false');
      }
      case 'int':
      case 'mode': {
        const s = this.scalarText(node, where, kind.t === 'mode' ? 'a file mode such as 0644' : 'an integer');
        if (s === undefined) return undefined;
        const n = goInt(s);
        if (n === undefined) return this.problem(where, s, kind.t === 'mode' ? 'a file mode such as 0644' : 'an integer');
        return n;
      }
      case 'strs':
      case 'tmpls':
      case 'strArray':
      case 'tmplArray':
      case 'flagArray': {
        const item: Kind = kind.t === 'strs' || kind.t === 'strArray' ? { t: 'str' } : { t: 'tmpl' };
        if (isScalar(node)) {
          const s = scalarText(node.value);
          // GoReleaser's StringArray takes one string as a list of one, FlagArray splits it at spaces.
          const words = kind.t === 'flagArray' ? s.split(/\s+/).filter(Boolean) : [s];
          if (kind.t === 'strArray' || kind.t === 'tmplArray' || kind.t === 'flagArray') {
            return words.map((text, i) => {
              const w = { ...where, key: `${key}[${i}]` };
              const v: Raw = item.t === 'str' ? text : { text, where: w };
              this.out.positions.set(`${path}[${i}]`, w);
              this.check(`${path}[${i}]`, w, v);
              return v;
            });
          }
          return this.problem(where, s, 'a list', `Write it as a list: \`${key.replace(/.*\./, '')}: [${s}]\``);
        }
        if (!isSeq(node)) return this.problem(where, '(a mapping)', 'a list of strings');
        const items: Raw[] = [];
        node.items.forEach((n, i) => {
          const v = this.value(n, item, `${path}[${i}]`, `${key}[${i}]`);
          if (v !== undefined) items.push(v);
        });
        return items;
      }
      case 'map': {
        if (!isMap(node)) return this.problem(where, isSeq(node) ? '(a list)' : String((node as Scalar).value), 'a mapping');
        const o: RawObject = {};
        for (const pair of node.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : '';
          const v = this.value(pair.value, { t: 'str' }, `${path}.${k}`, `${key}.${k}`, pair.key as Node);
          if (v !== undefined) o[k] = v;
        }
        return o;
      }
      case 'list': {
        if (isScalar(node) && kind.single && kind.scalar)
          return [this.item(node, kind, `${path}[0]`, `${key}[0]`)].filter((x) => x !== undefined);
        if (!isSeq(node)) {
          return this.problem(
            where,
            isMap(node) ? '(a mapping)' : String((node as Scalar).value),
            'a list',
            `Write each item as \`- …\` under \`${key.replace(/.*\./, '')}:\``,
          );
        }
        const items: Raw[] = [];
        node.items.forEach((n, i) => {
          const v = this.item(n, kind, `${path}[${i}]`, `${key}[${i}]`);
          if (v !== undefined) items.push(v);
        });
        return items;
      }
      case 'obj':
        return this.object(node, kind.keys, path, key, where);
    }
  }

  /** A list item; a plain string fills the field `kind.scalar` (`files: [README.md]` → `{src}`). */
  private item(n0: unknown, kind: Extract<Kind, { t: 'list' }>, path: string, key: string): Raw | undefined {
    const n = this.resolve(n0);
    if (kind.scalar && isScalar(n) && !this.isNull(n)) {
      const where = this.at(n, key);
      this.out.positions.set(path, where);
      const field = kind.of.t === 'obj' ? kind.of.keys[kind.scalar] : undefined;
      const v = this.value(n, field ?? { t: 'str' }, `${path}.${kind.scalar}`, key);
      return v === undefined ? undefined : { [kind.scalar]: v };
    }
    return this.value(n, kind.of, path, key);
  }

  private object(node: Node, keys: Keys, path: string, key: string, where: Where): RawObject | undefined {
    if (!isMap(node)) {
      return this.problem(where, isSeq(node) ? '(a list)' : String((node as Scalar).value), 'a mapping of keys', undefined);
    }
    const o: RawObject = {};
    const known = Object.keys(keys);
    const visit = (map: typeof node, merged: boolean): void => {
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        if (!isScalar(pair.key)) {
          this.problem(this.at(pair.key as Node, key || '(top level)'), '(a complex key)', 'a plain key');
          continue;
        }
        const k = String(pair.key.value);
        if (k === '<<' && pair.key.type === Scalar.PLAIN) {
          // A YAML merge key: the mapping(s) it names fill keys not set here.
          const src = this.resolve(pair.value);
          const maps = isSeq(src) ? src.items.map((i) => this.resolve(i)) : [src];
          for (const m of maps) if (isMap(m)) visit(m, true);
          continue;
        }
        if (merged && k in o) continue;
        const childPath = path ? `${path}.${k}` : k;
        const childKey = key ? `${key}.${k}` : k;
        const kind = keys[k];
        if (!kind) {
          const w = this.at(pair.key, childKey);
          const near = closest(k, known);
          if (this.out.pro) {
            this.out.notApplied.push({
              key: childKey,
              where: fileLine(w),
              reason: 'not a GoReleaser OSS key (the file says `pro: true`)',
            });
          } else {
            this.problem(
              w,
              '',
              `a key GoReleaser knows here`,
              near ? `\`${k}\` is unknown; did you mean \`${near}\`?` : `\`${k}\` is unknown`,
            );
          }
          continue;
        }
        const v = this.value(pair.value, kind, childPath, childKey, pair.key);
        if (v !== undefined) o[k] = v;
      }
    };
    visit(node, false);
    return o;
  }
}
