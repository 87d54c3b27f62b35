/**
 * The one gzip of multiarch-build, for archives and image layers alike: libdeflate compiled to
 * WebAssembly (deflate/), level 5 for archives and 1 for layers. WebAssembly gives the same compressed bytes on every machine
 * and Node version — Node's zlib may not, as its deflate is built per platform and CPU — and the
 * header is pinned (no name, mtime 0, OS 3 = Unix), so nothing about the host reaches a digest.
 */
import { type DeflateInput, type Libdeflate, libdeflateOf } from './deflate/libdeflate.js';
import { DeflatePool, POOL_SIZE, libdeflateWasm } from './deflate/pool.js';

/** gzip header OS byte (RFC 1952): 3 = Unix, on every host. */
export const GZIP_OS_UNIX = 3;

/**
 * libdeflate's level 5, for gzip and zip entries. On the four tars of bench/fixtures/realcli (61 MB
 * of Go binaries) it deflated in 12–15 % less time than level 6 for archives 0.5–0.6 % larger, and
 * they stay 1.7–2.7 % smaller than GoReleaser's for the same files (v2.15.1 compresses tar.gz and
 * zip entries with Go's compress/gzip and compress/flate at BestCompression, level 9); zlib's and
 * fflate's level 6 are larger still.
 */
export const DEFLATE_LEVEL = 5;

/**
 * libdeflate's level 1 for image layers: the speed class of ko's and crane's layers (both use
 * go-containerregistry's default, Go's gzip.BestSpeed), yet smaller than theirs (the crane binary:
 * 55.0% of its size against 55.9% for zlib's level 1, 52.8% at level 6), at half the time of level 6.
 */
export const LAYER_LEVEL = 1;

let mainThread: Libdeflate | undefined;
let pool: DeflatePool | undefined;

/** libdeflate on this thread, instantiated once. */
export function libdeflate(): Libdeflate {
  return (mainThread ??= libdeflateOf(libdeflateWasm()));
}

/** The worker pool, started on first use. */
export function deflatePool(): DeflatePool {
  return (pool ??= new DeflatePool(POOL_SIZE, [DEFLATE_LEVEL, LAYER_LEVEL]));
}

/** gzip with a fixed header, on this thread: the same input gives the same bytes everywhere. */
export function gzipFixed(data: DeflateInput, level = DEFLATE_LEVEL): Uint8Array {
  return pinHeader(libdeflate().gzip(data, level));
}

/**
 * gzipFixed in the worker pool (one thread per core), the same bytes: archives and layers are
 * compressed on every core at once, and the main thread stays free to start the next build.
 */
export async function gzipFixedAsync(data: DeflateInput, level = DEFLATE_LEVEL, consume = false): Promise<Uint8Array> {
  return pinHeader((await deflatePool().run('gzip', data, level, consume)).out);
}

function pinHeader(gz: Uint8Array): Uint8Array {
  gz.fill(0, 4, 8);
  gz[9] = GZIP_OS_UNIX;
  return gz;
}
