/**
 * Go strings are byte sequences. The engine keeps every Go string as a "byte string": a JS string
 * whose code units are the bytes (0–255) of the UTF-8 text. That makes `len`, `index`, `slice`,
 * `%x` and error columns count bytes exactly as Go does; text is decoded only at the edges.
 */

const encoder = new TextEncoder();

/** UTF-8 bytes of a JS string, as a byte string. */
export function enc(s: string): string {
  // ASCII needs no work (and is most of what templates hold).
  if (/^\p{ASCII}*$/u.test(s)) return s;
  const b = encoder.encode(s);
  let out = '';
  for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
  return out;
}

/** A byte string as a JS string; each invalid byte becomes U+FFFD, as Go's range over a string does. */
export function dec(b: string): string {
  if (/^\p{ASCII}*$/u.test(b)) return b;
  let out = '';
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    out += String.fromCodePoint(r);
    i += w;
  }
  return out;
}

export function toBytes(b: string): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

export function fromBytes(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
  return out;
}

export const RUNE_ERROR = 0xfffd;
export const MAX_RUNE = 0x10ffff;

/** utf8.DecodeRuneInString: [rune, width]; invalid input gives [RuneError, 1] (width 0 at the end). */
export function decodeRune(s: string, i: number): [number, number] {
  const n = s.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = s.charCodeAt(i);
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => {
    const c = s.charCodeAt(i + k);
    return c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (n < 2) return [RUNE_ERROR, 1];
    const c1 = cont(1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    if (n < 3) return [RUNE_ERROR, 1];
    const b1 = s.charCodeAt(i + 1);
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return [RUNE_ERROR, 1];
    const c2 = cont(2);
    if (c2 < 0) return [RUNE_ERROR, 1];
    return [((c0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | c2, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    if (n < 4) return [RUNE_ERROR, 1];
    const b1 = s.charCodeAt(i + 1);
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return [RUNE_ERROR, 1];
    const c2 = cont(2);
    const c3 = cont(3);
    if (c2 < 0 || c3 < 0) return [RUNE_ERROR, 1];
    return [((c0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | (c2 << 6) | c3, 4];
  }
  return [RUNE_ERROR, 1];
}

/** utf8.DecodeLastRuneInString (simplified: scans back at most 4 bytes). */
export function decodeLastRune(s: string, end: number): [number, number] {
  if (end <= 0) return [RUNE_ERROR, 0];
  const c = s.charCodeAt(end - 1);
  if (c < 0x80) return [c, 1];
  const lim = Math.max(0, end - 4);
  let start = end - 1;
  while (start > lim && (s.charCodeAt(start) & 0xc0) === 0x80) start--;
  const [r, w] = decodeRune(s, start);
  if (start + w !== end) return [RUNE_ERROR, 1];
  return [r, w];
}

/** utf8.EncodeRune as a byte string; invalid runes encode U+FFFD. */
export function encodeRune(r: number): string {
  if (r < 0 || r > MAX_RUNE || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length;) {
    i += decodeRune(s, i)[1];
    n++;
  }
  return n;
}

export function* runes(s: string): Generator<[number, number, number]> {
  for (let i = 0; i < s.length;) {
    const [r, w] = decodeRune(s, i);
    yield [r, i, w];
    i += w;
  }
}

export function isLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  return /\p{L}/u.test(String.fromCodePoint(r));
}
export function isDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return /\p{Nd}/u.test(String.fromCodePoint(r));
}
/** unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r > MAX_RUNE || (r >= 0xd800 && r <= 0xdfff)) return false;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(r));
}
export function isGraphicSpace(r: number): boolean {
  return /\p{Zs}/u.test(String.fromCodePoint(r));
}

const HEX = '0123456789abcdef';

/** strconv.Quote / QuoteToASCII / QuoteRune over a byte string; returns a byte string. */
export function quoteWith(s: string, q: '"' | "'", asciiOnly: boolean): string {
  let out = q;
  for (let i = 0; i < s.length;) {
    const [r, w] = decodeRune(s, i);
    if (w === 1 && r === RUNE_ERROR) {
      out += '\\x' + HEX[s.charCodeAt(i) >> 4] + HEX[s.charCodeAt(i) & 15];
      i += 1;
      continue;
    }
    out += escapeRune(r, q, asciiOnly);
    i += w;
  }
  return out + q;
}

export function quoteRune(r: number, asciiOnly: boolean): string {
  if (r < 0 || r > MAX_RUNE || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  return "'" + escapeRune(r, "'", asciiOnly) + "'";
}

function escapeRune(r: number, q: string, asciiOnly: boolean): string {
  if (r === q.charCodeAt(0) || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) return encodeRune(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + HEX[r >> 4] + HEX[r & 15];
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

export function quote(s: string): string {
  return quoteWith(s, '"', false);
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length;) {
    const [r, w] = decodeRune(s, i);
    if (w === 1 && r === RUNE_ERROR) return false;
    if (w > 1) {
      if (r === 0xfeff) return false;
      i += w;
      continue;
    }
    if (r === 0x60 || (r < 0x20 && r !== 9) || r === 0x7f) return false;
    i += w;
  }
  return true;
}

export class SyntaxError_ extends Error {
  constructor() {
    super('invalid syntax');
  }
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** strconv.UnquoteChar over a byte string: [value, multibyte, tail]. Throws SyntaxError_. */
export function unquoteChar(s: string, quote: number): [number, boolean, string] {
  const c = s.charCodeAt(0);
  if (s.length === 0) throw new SyntaxError_();
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new SyntaxError_();
  if (c >= 0x80) {
    const [r, w] = decodeRune(s, 0);
    return [r, true, s.slice(w)];
  }
  if (c !== 0x5c) return [c, false, s.slice(1)];
  if (s.length <= 1) throw new SyntaxError_();
  const e = s.charCodeAt(1);
  s = s.slice(2);
  switch (e) {
    case 0x61:
      return [7, false, s];
    case 0x62:
      return [8, false, s];
    case 0x66:
      return [12, false, s];
    case 0x6e:
      return [10, false, s];
    case 0x72:
      return [13, false, s];
    case 0x74:
      return [9, false, s];
    case 0x76:
      return [11, false, s];
    case 0x78:
    case 0x75:
    case 0x55: {
      const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
      if (s.length < n) throw new SyntaxError_();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = unhex(s.charCodeAt(j));
        if (x < 0) throw new SyntaxError_();
        v = v * 16 + x;
      }
      s = s.slice(n);
      if (e === 0x78) return [v, false, s];
      if (v > MAX_RUNE || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_();
      return [v, true, s];
    }
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x35:
    case 0x36:
    case 0x37: {
      let v = e - 0x30;
      if (s.length < 2) throw new SyntaxError_();
      for (let j = 0; j < 2; j++) {
        const x = s.charCodeAt(j) - 0x30;
        if (x < 0 || x > 7) throw new SyntaxError_();
        v = v * 8 + x;
      }
      s = s.slice(2);
      if (v > 255) throw new SyntaxError_();
      return [v, false, s];
    }
    case 0x5c:
      return [0x5c, false, s];
    case 0x27:
    case 0x22:
      if (e !== quote) throw new SyntaxError_();
      return [e, false, s];
    default:
      throw new SyntaxError_();
  }
}

/** strconv.Unquote over a byte string. Throws SyntaxError_. */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError_();
  const q = s.charCodeAt(0);
  if (q !== s.charCodeAt(n - 1)) throw new SyntaxError_();
  let body = s.slice(1, n - 1);
  if (q === 0x60) {
    if (body.includes('`')) throw new SyntaxError_();
    if (body.includes('\r')) body = body.replaceAll('\r', '');
    return body;
  }
  if (q !== 0x22 && q !== 0x27) throw new SyntaxError_();
  if (body.includes('\n')) throw new SyntaxError_();
  if (!body.includes('\\') && !body.includes(String.fromCharCode(q))) {
    if (q === 0x22) return body;
    if (q === 0x27) {
      const [r, w] = decodeRune(body, 0);
      if (body.length > 0 && w === body.length && (r !== RUNE_ERROR || w !== 1)) return body;
    }
  }
  let out = '';
  while (body.length > 0) {
    const [v, mb, tail] = unquoteChar(body, q);
    body = tail;
    out += v < 0x80 || !mb ? (mb ? encodeRune(v) : String.fromCharCode(v)) : encodeRune(v);
    if (q === 0x27) break;
  }
  if (q === 0x27 && body.length > 0) throw new SyntaxError_();
  return out;
}
