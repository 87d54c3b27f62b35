/** BLAKE3 (32-byte output, unkeyed), for GoReleaser's `blake3` template function; Node has none. */
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const PERM = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;

function g(s: Uint32Array, a: number, b: number, c: number, d: number, x: number, y: number): void {
  s[a] = (s[a]! + s[b]! + x) | 0;
  s[d] = rotr(s[d]! ^ s[a], 16);
  s[c] = (s[c]! + s[d]) | 0;
  s[b] = rotr(s[b]! ^ s[c], 12);
  s[a] = (s[a] + s[b] + y) | 0;
  s[d] = rotr(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) | 0;
  s[b] = rotr(s[b] ^ s[c], 7);
}
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

function compress(cv: Uint32Array, block: Uint32Array, counter: number, blockLen: number, flags: number): Uint32Array {
  const s = new Uint32Array(16);
  s.set(cv, 0);
  s.set(IV.slice(0, 4), 8);
  s[12] = counter >>> 0;
  s[13] = Math.floor(counter / 0x100000000) >>> 0;
  s[14] = blockLen;
  s[15] = flags;
  let m = Uint32Array.from(block);
  for (let r = 0; r < 7; r++) {
    g(s, 0, 4, 8, 12, m[0]!, m[1]!);
    g(s, 1, 5, 9, 13, m[2]!, m[3]!);
    g(s, 2, 6, 10, 14, m[4]!, m[5]!);
    g(s, 3, 7, 11, 15, m[6]!, m[7]!);
    g(s, 0, 5, 10, 15, m[8]!, m[9]!);
    g(s, 1, 6, 11, 12, m[10]!, m[11]!);
    g(s, 2, 7, 8, 13, m[12]!, m[13]!);
    g(s, 3, 4, 9, 14, m[14]!, m[15]!);
    if (r < 6) m = Uint32Array.from(PERM, (p) => m[p]!);
  }
  for (let i = 0; i < 8; i++) {
    s[i] = s[i]! ^ s[i + 8]!;
    s[i + 8] = s[i + 8]! ^ cv[i]!;
  }
  return s;
}

function words(b: Uint8Array, off: number, len: number): Uint32Array {
  const w = new Uint32Array(16);
  for (let i = 0; i < len; i++) w[i >> 2] = w[i >> 2]! | (b[off + i]! << (8 * (i & 3)));
  return w;
}

interface Output {
  cv: Uint32Array;
  block: Uint32Array;
  counter: number;
  len: number;
  flags: number;
}

function chunkOutput(data: Uint8Array, off: number, len: number, counter: number): Output {
  let cv = Uint32Array.from(IV);
  const blocks = Math.max(1, Math.ceil(len / 64));
  for (let i = 0; i < blocks - 1; i++) {
    cv = compress(cv, words(data, off + i * 64, 64), counter, 64, i === 0 ? CHUNK_START : 0).slice(0, 8);
  }
  const last = blocks - 1;
  const blen = len - last * 64;
  return { cv, block: words(data, off + last * 64, blen), counter, len: blen, flags: (last === 0 ? CHUNK_START : 0) | CHUNK_END };
}

const chainingValue = (o: Output): Uint32Array => compress(o.cv, o.block, o.counter, o.len, o.flags).slice(0, 8);

function parentOutput(l: Uint32Array, r: Uint32Array): Output {
  const block = new Uint32Array(16);
  block.set(l, 0);
  block.set(r, 8);
  return { cv: Uint32Array.from(IV), block, counter: 0, len: 64, flags: PARENT };
}

/** The 32-byte BLAKE3 digest of data, as lowercase hex. */
export function blake3Hex(data: Uint8Array): string {
  const nChunks = Math.max(1, Math.ceil(data.length / 1024));
  const stack: Uint32Array[] = [];
  let out: Output | null = null;
  for (let c = 0; c < nChunks; c++) {
    const o = chunkOutput(data, c * 1024, Math.min(1024, data.length - c * 1024), c);
    if (c === nChunks - 1) {
      out = o;
      break;
    }
    let cv = chainingValue(o);
    let total = c + 1;
    while ((total & 1) === 0) {
      cv = chainingValue(parentOutput(stack.pop()!, cv));
      total >>= 1;
    }
    stack.push(cv);
  }
  while (stack.length > 0) out = parentOutput(stack.pop()!, chainingValue(out!));
  const s = compress(out!.cv, out!.block, out!.counter, out!.len, out!.flags | ROOT);
  let hex = '';
  for (let i = 0; i < 8; i++) for (let k = 0; k < 4; k++) hex += ((s[i]! >>> (8 * k)) & 255).toString(16).padStart(2, '0');
  return hex;
}
