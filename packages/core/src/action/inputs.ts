/**
 * Typed readers for action inputs, over an input source (the runner's `INPUT_*` variables, or the
 * values one step of the in-process chain passes another). Each throws an InputError naming the
 * input, the value, what is accepted and a hint. Nothing here has side effects, so an action can
 * read and validate every input before it does anything.
 *
 * Secret inputs are not read here one by one: `runAction` reads and masks every secret the action
 * declares before any other input is looked at (see secrets.ts), and `secret(name)` hands out the
 * value it read.
 */
import { GoshipError, InputError } from '../errors.js';
import { type Platform, parsePlatform } from '../platform.js';

/** Where raw input values come from: the runner port's `input`, or a plain record. */
export type InputSource = (name: string) => string | undefined;

/** The environment variable the runner sets for an input (spaces to `_`, upper-case, hyphens kept). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface StringOptions {
  required?: boolean;
  /** Used when the input is empty or absent. */
  default?: string;
  /** Keep surrounding whitespace (default: trimmed). */
  raw?: boolean;
}

export interface IntOptions {
  min?: number;
  max?: number;
  /** Extra words accepted besides numbers, e.g. `auto`. */
  words?: string[];
}

const TRUE = ['true', 'True', 'TRUE', 'yes', 'on', '1'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off', '0'];
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export class Inputs {
  constructor(
    private readonly source: InputSource,
    private readonly secrets: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** An input source over a plain record (tests, and one chain step calling another). */
  static of(values: Record<string, string | undefined>, secrets: ReadonlyMap<string, string> = new Map()): Inputs {
    return new Inputs((n) => values[n], secrets);
  }

  /** Inputs as the runner passes them: `INPUT_*` variables of `env`. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, secrets: ReadonlyMap<string, string> = new Map()): Inputs {
    return new Inputs((n) => env[inputEnvName(n)], secrets);
  }

  /**
   * The value exactly as given, undefined when the input is not set at all. The runner sets every
   * declared input (the default when not given), so an explicit empty value is `''`.
   */
  raw(name: string): string | undefined {
    return this.secrets.get(name) ?? this.source(name);
  }

  /** The value of a secret input, read and masked by runAction before anything else. */
  secret(name: string): string {
    const v = this.secrets.get(name);
    if (v === undefined) {
      throw new GoshipError(`Input "${name}" is read as a secret but the action does not declare it as one (a goship bug).`);
    }
    return v;
  }

  string(name: string, opts: StringOptions = {}): string {
    if (this.secrets.has(name)) return this.secret(name);
    const v = this.source(name) ?? '';
    const value = opts.raw ? v : v.trim();
    if (value === '') {
      if (opts.required) {
        throw new InputError(name, '', 'a value', `Set \`${name}:\` in the step's \`with:\` block`);
      }
      return opts.default ?? '';
    }
    return value;
  }

  /** A list: items separated by commas and/or newlines; blank items and `#` comment lines dropped. */
  list(name: string, opts: { default?: string[] } = {}): string[] {
    const raw = this.string(name);
    if (raw === '') return opts.default ?? [];
    return splitList(raw);
  }

  /** Multi-line input, one item a line (commas kept). */
  lines(name: string): string[] {
    return this.string(name)
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '' && !s.startsWith('#'));
  }

  bool(name: string, def: boolean): boolean {
    const v = this.string(name);
    if (v === '') return def;
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    throw new InputError(name, v, '`true` or `false`', `Write \`${name}: ${def}\` or leave it out for the default (${def})`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.string(name);
    if (v === '') return def;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const close = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    throw new InputError(
      name,
      v,
      `one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
      close ? `Did you mean \`${close}\`?` : `Leave it out for the default (\`${def}\`)`,
    );
  }

  int(name: string, def: number, opts: IntOptions = {}): number {
    const v = this.string(name);
    if (v === '') return def;
    const range = describeRange(opts);
    if (!/^-?\d+$/.test(v)) {
      throw new InputError(name, v, `a whole number${range}`, `For example \`${name}: ${opts.min ?? def}\``);
    }
    const n = Number(v);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw new InputError(name, v, `a whole number${range}`, `Pick a number${range}`);
    }
    return n;
  }

  /** A number, or one of the given words (e.g. `auto`). */
  intOr<W extends string>(name: string, words: readonly W[], def: W | number, opts: IntOptions = {}): W | number {
    const v = this.string(name);
    if (v === '') return def;
    if ((words as readonly string[]).includes(v)) return v as W;
    if (!/^-?\d+$/.test(v)) {
      throw new InputError(
        name,
        v,
        `${words.map((w) => `\`${w}\``).join(', ')} or a whole number${describeRange(opts)}`,
        `For example \`${name}: ${words[0] ?? opts.min ?? 1}\``,
      );
    }
    return this.int(name, 0, opts);
  }

  /** A number with a decimal point allowed, e.g. a percentage. */
  number(name: string, def: number | undefined, opts: { min?: number; max?: number } = {}): number | undefined {
    const given = this.string(name);
    const v = given.replace(/%$/, '');
    if (v === '') return def;
    const n = Number(v);
    if (
      !/^-?\d+(\.\d+)?$/.test(v) ||
      !Number.isFinite(n) ||
      (opts.min !== undefined && n < opts.min) ||
      (opts.max !== undefined && n > opts.max)
    ) {
      throw new InputError(name, given, `a number${describeRange(opts)}`, `For example \`${name}: ${opts.max ?? 80}\``);
    }
    return n;
  }

  /** A duration like `90s`, `10m`, `1h30m` or a bare number of seconds; returns milliseconds. */
  duration(name: string, def: string): number {
    const v = this.string(name) || def;
    const ms = parseDuration(v);
    if (ms === undefined) {
      throw new InputError(name, v, 'a duration such as `30s`, `10m` or `1h30m`', `Units are ms, s, m and h; a bare number means seconds`);
    }
    return ms;
  }

  /** `GOOS/GOARCH[/variant]` items; validated syntactically (a toolchain check comes later). */
  platforms(name: string, def: readonly string[]): Platform[] {
    const items = this.list(name, { default: [...def] });
    const seen = new Set<string>();
    const out: Platform[] = [];
    for (const item of items) {
      const p = parsePlatform(item, name);
      const key = `${p.os}/${p.arch}/${p.variant}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
    return out;
  }

  json<T = unknown>(name: string, def: T): T {
    const v = this.string(name);
    if (v === '') return def;
    try {
      return JSON.parse(v) as T;
    } catch (e) {
      throw new InputError(name, v, 'valid JSON', `The parser said: ${(e as Error).message}`);
    }
  }

  /** `KEY=VALUE` lines, e.g. extra environment variables. */
  keyValues(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of this.lines(name)) {
      const eq = line.indexOf('=');
      if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) {
        throw new InputError(name, line, '`KEY=VALUE` lines with KEY a valid variable name', 'Put one assignment on each line');
      }
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return out;
  }
}

export function splitList(raw: string): string[] {
  return raw
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseDuration(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of v.matchAll(re)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched += m[0].length;
  }
  return matched === v.length && matched > 0 ? Math.round(total) : undefined;
}

function describeRange(opts: { min?: number; max?: number }): string {
  if (opts.min !== undefined && opts.max !== undefined) return ` from ${opts.min} to ${opts.max}`;
  if (opts.min !== undefined) return ` of at least ${opts.min}`;
  if (opts.max !== undefined) return ` of at most ${opts.max}`;
  return '';
}
