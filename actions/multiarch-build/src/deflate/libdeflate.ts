/**
 * libdeflate (Eric Biggers' whole-buffer DEFLATE compressor) as WebAssembly: about twice fflate's
 * speed at level 6 and a smaller output, and — being WebAssembly, integer code only — the same
 * bytes on every machine, CPU and Node version. The module is the one the pinned npm package
 * `libdeflate` ships (deflate/libdeflate-wasm.ts, checked against it by a unit test); goship
 * instantiates it here with the two functions it imports (heap growth and a large memcpy) instead
 * of running the package's Emscripten glue, which installs process-wide exception handlers.
 *
 * `libdeflateOf` is self-contained (it references nothing outside its body) because the worker
 * pool (deflate/pool.ts) runs its source text in each worker.
 */

/** Bytes to compress: one array, or parts compressed as their concatenation (never made in JavaScript). */
export type DeflateInput = Uint8Array | readonly Uint8Array[];

export interface Libdeflate {
  /** A gzip member of `data` (libdeflate's header: no name, mtime 0, OS 255: callers pin it). */
  gzip(data: DeflateInput, level: number): Uint8Array;
  /** Raw DEFLATE (RFC 1951) of `data`: a zip entry's bytes. */
  deflate(data: DeflateInput, level: number): Uint8Array;
}

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of the module, by the names its minified build gives them. */
interface Exports {
  /** memory */
  c: WasmMemory;
  /** __wasm_call_ctors() */
  d: () => void;
  /** libdeflate_alloc_compressor(level) → compressor */
  e: (level: number) => number;
  /** libdeflate_deflate_compress(compressor, in, in_nbytes, out, out_nbytes_avail) → bytes written, 0 if it does not fit */
  f: (c: number, input: number, n: number, out: number, avail: number) => number;
  /** libdeflate_free_compressor(compressor) */
  g: (c: number) => void;
  /** libdeflate_deflate_compress_bound(compressor, in_nbytes) */
  h: (c: number, n: number) => number;
  /** libdeflate_gzip_compress(compressor, in, in_nbytes, out, out_nbytes_avail) → bytes written, 0 if it does not fit */
  l: (c: number, input: number, n: number, out: number, avail: number) => number;
  /** libdeflate_gzip_compress_bound(compressor, in_nbytes) */
  m: (c: number, n: number) => number;
  /** malloc(n) */
  n: (n: number) => number;
  /** free(p) */
  o: (p: number) => void;
}

export function libdeflateOf(wasm: Uint8Array): Libdeflate {
  const PAGE = 65536;
  const MAX_HEAP = 2 ** 31;
  const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const imports = {
    a: {
      // emscripten_resize_heap(requested): grow to at least `requested` bytes (at least by half), 1 = done
      a: (requested: number): number => {
        const want = requested >>> 0;
        const old = memory.buffer.byteLength;
        if (want > MAX_HEAP) return 0;
        const target = Math.min(MAX_HEAP, Math.ceil(Math.max(want, old + Math.floor(old / 2)) / PAGE) * PAGE);
        try {
          memory.grow((target - old) / PAGE);
          return 1;
        } catch {
          return 0;
        }
      },
      // emscripten_memcpy_big(dest, src, n)
      b: (dest: number, src: number, n: number): void => {
        new Uint8Array(memory.buffer).copyWithin(dest, src, src + n);
      },
    },
  };
  const instance = new wasmApi.Instance(new wasmApi.Module(wasm), imports);
  const x = instance.exports as Exports;
  for (const k of ['d', 'e', 'f', 'g', 'h', 'l', 'm', 'n', 'o'] as const) {
    if (typeof x[k] !== 'function') throw new Error(`the libdeflate module has no export ${k}: not the build goship was written for`);
  }
  // the imports above read it: they are only called from the module, after this line
  const memory = x.c;
  x.d();
  const compressors = new Map<number, number>();
  const compressor = (level: number): number => {
    if (!Number.isInteger(level) || level < 1 || level > 12) throw new RangeError(`deflate level ${level}: 1 to 12`);
    let c = compressors.get(level);
    if (c === undefined) {
      c = x.e(level);
      if (!c) throw new Error(`libdeflate: no compressor for level ${level} (out of memory)`);
      compressors.set(level, c);
    }
    return c;
  };
  const run = (
    data: Uint8Array | readonly Uint8Array[],
    level: number,
    bound: (c: number, n: number) => number,
    compress: (c: number, input: number, n: number, out: number, avail: number) => number,
  ): Uint8Array => {
    const parts: readonly Uint8Array[] = Array.isArray(data) ? data : [data as Uint8Array];
    let size = 0;
    for (const p of parts) size += p.byteLength;
    const c = compressor(level);
    const avail = bound(c, size);
    const input = x.n(Math.max(1, size));
    const out = x.n(avail);
    try {
      if (!input || !out) throw new Error(`libdeflate: out of memory for ${size} bytes`);
      // each part is copied once, into the module's memory, where the compressor reads the whole
      const heap = new Uint8Array(memory.buffer);
      let at = input;
      for (const p of parts) {
        heap.set(p, at);
        at += p.byteLength;
      }
      const written = compress(c, input, size, out, avail);
      if (!written) throw new Error(`libdeflate: ${size} bytes did not fit their bound ${avail}`);
      return new Uint8Array(memory.buffer).slice(out, out + written);
    } finally {
      x.o(out);
      x.o(input);
    }
  };
  return {
    gzip: (data, level) => run(data, level, x.m, x.l),
    deflate: (data, level) => run(data, level, x.h, x.f),
  };
}

/**
 * A gzip member (RFC 1952) around raw DEFLATE: the bytes libdeflate's gzip writes for the same
 * deflate stream (no name, mtime 0, OS 255, XFL 4 below level 2 and 2 from level 8, as libdeflate
 * sets it), with the CRC-32 and size the caller computed. The worker pool uses it with zlib's
 * CRC-32, which runs on the CPU's carry-less multiply and is several times faster than the
 * module's portable one. Self-contained, like libdeflateOf: the pool runs its source.
 */
export function gzipMember(raw: Uint8Array, crc: number, size: number, level: number): Uint8Array {
  const out = new Uint8Array(10 + raw.byteLength + 8);
  out[0] = 0x1f;
  out[1] = 0x8b;
  out[2] = 8; // CM: deflate; FLG and MTIME stay 0
  out[8] = level < 2 ? 4 : level >= 8 ? 2 : 0;
  out[9] = 255;
  out.set(raw, 10);
  const tail = new DataView(out.buffer, 10 + raw.byteLength, 8);
  tail.setUint32(0, crc >>> 0, true);
  tail.setUint32(4, size >>> 0, true); // ISIZE: the input's size modulo 2^32
  return out;
}
