/**
 * strconv in miniature: Go's number-literal parsing (ParseInt/ParseUint with base 0, ParseFloat)
 * and FormatFloat ('e', 'f', 'g', shortest or with a precision; exact ties round to even).
 */

const lower = (c: string): string => c.toLowerCase();

function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1]!))) {
    i = 2;
    saw = '0';
    hex = lower(s[1]!) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const MAX_U64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64), or null on any error. */
export function parseGoUint(s0: string): bigint | null {
  if (s0 === '') return null;
  let s = s0;
  let base = 10;
  if (s[0] === '0') {
    if (s.length >= 3 && lower(s[1]!) === 'b') {
      base = 2;
      s = s.slice(2);
    } else if (s.length >= 3 && lower(s[1]!) === 'o') {
      base = 8;
      s = s.slice(2);
    } else if (s.length >= 3 && lower(s[1]!) === 'x') {
      base = 16;
      s = s.slice(2);
    } else {
      base = 8;
      s = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  const B = BigInt(base);
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) return null;
    n = n * B + BigInt(d);
    if (n > MAX_U64) return null;
  }
  if (underscores && !underscoreOK(s0)) return null;
  return n;
}

/** strconv.ParseInt(s, 0, 64), or null. */
export function parseGoInt(s: string): bigint | null {
  if (s === '') return null;
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseGoUint(body);
  if (u === null) return null;
  if (body !== s && !underscoreOK(s) && s.includes('_')) return null;
  if (!neg && u >= 1n << 63n) return null;
  if (neg && u > 1n << 63n) return null;
  return neg ? -u : u;
}

/** strconv.ParseFloat(s, 64), or null on a syntax or range error. */
export function parseGoFloat(s: string): number | null {
  if (s === '') return null;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return neg ? -Infinity : Infinity;
  if (rest === 'nan') return NaN;
  if (s.includes('_') && !underscoreOK(s)) return null;
  const t = s.slice(i).replaceAll('_', '');
  let v: number;
  if (/^0[xX]/.test(t)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(t);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
    const digits = m[1]! + (m[2] ?? '');
    const mant = BigInt('0x' + (digits || '0'));
    const exp = Number(m[3]) - 4 * (m[2] ?? '').length;
    v = Number(mant) * 2 ** exp;
    if (!Number.isFinite(v) && mant !== 0n) {
      v = Number(mant) * 2 ** Math.floor(exp / 2) * 2 ** Math.ceil(exp / 2);
    }
  } else {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) return null;
    v = Number(t);
  }
  if (!Number.isFinite(v)) return null;
  return neg ? -v : v;
}

/** Decimal digits (no leading zeros) and the position of the decimal point, as strconv's decimal. */
interface Digits {
  d: string;
  dp: number;
}

/** The exact decimal expansion of a finite, non-negative float64. */
function exactDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    const k = -exp;
    s = (mant * 5n ** BigInt(k)).toString();
    dp = s.length - k;
  }
  s = s.replace(/0+$/, '');
  const lead = s.length - s.replace(/^0+/, '').length;
  return { d: s.slice(lead), dp: dp - lead };
}

/** decimal.Round(nd): half-even on exact ties, no-op when nd < 0 or nd >= digits. */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  let up: boolean;
  const c = x.d[nd]!;
  if (c === '5' && nd + 1 === x.d.length) up = nd > 0 && (Number(x.d[nd - 1]) & 1) === 1;
  else up = c >= '5';
  if (!up) {
    return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: nd === 0 ? 0 : x.dp };
  }
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: (x.d.slice(0, i) + String(Number(x.d[i]) + 1)).replace(/0+$/, ''), dp: x.dp };
}

function shortestDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const e = v.toExponential();
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const d = (m[1]! + (m[2] ?? '')).replace(/0+$/, '');
  return { d, dp: Number(m[3]) + 1 };
}

function fmtE(neg: boolean, x: Digits, prec: number, ch: string): string {
  let s = neg ? '-' : '';
  s += x.d.length ? x.d[0] : '0';
  if (prec > 0) {
    s += '.';
    let i = 1;
    const m = Math.min(x.d.length, prec + 1);
    if (i < m) {
      s += x.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) s += '0';
  }
  s += ch;
  let exp = x.dp - 1;
  if (x.d.length === 0) exp = 0;
  s += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? '-' : '';
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    s += x.d.slice(0, m) + '0'.repeat(x.dp - m);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return s;
}

/** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f F g G (b and x are not supported). */
export function formatFloat(v: number, fmt: string, prec: number, bitSize = 64): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const shortest = prec < 0;
  let x: Digits;
  if (shortest) {
    x = bitSize === 32 ? shortest32(a) : shortestDigits(a);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(x.d.length - 1, 0);
        break;
      case 'f':
      case 'F':
        prec = Math.max(x.d.length - x.dp, 0);
        break;
      case 'g':
      case 'G':
        prec = x.d.length;
        break;
    }
  } else {
    x = exactDigits(a);
    switch (fmt) {
      case 'e':
      case 'E':
        x = roundDigits(x, prec + 1);
        break;
      case 'f':
      case 'F':
        x = roundDigits(x, x.dp + prec);
        break;
      case 'g':
      case 'G':
        if (prec === 0) prec = 1;
        x = roundDigits(x, prec);
        break;
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, x, prec, fmt);
    case 'f':
    case 'F':
      return fmtF(neg, x, prec);
    case 'g':
    case 'G': {
      let eprec = prec;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > x.d.length) prec = x.d.length;
        return fmtE(neg, x, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > x.dp) prec = x.d.length;
      return fmtF(neg, x, Math.max(prec - x.dp, 0));
    }
  }
  throw new Error(`formatFloat: unsupported format ${fmt}`);
}

/** Shortest digits that round-trip through float32. */
function shortest32(a: number): Digits {
  if (a === 0) return { d: '', dp: 0 };
  for (let p = 1; p <= 9; p++) {
    const s = a.toExponential(p - 1);
    if (Math.fround(Number(s)) === a) {
      const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
      return { d: (m[1]! + (m[2] ?? '')).replace(/0+$/, ''), dp: Number(m[3]) + 1 };
    }
  }
  return shortestDigits(a);
}
