/**
 * The one gzip of multiarch-build, for archives and image layers alike: fflate (pure JavaScript)
 * gives the same compressed bytes on every machine and Node version — Node's zlib may not, as
 * its deflate is built per platform and CPU — and the header is pinned (no name, mtime 0, OS 3 =
 * Unix), so a library change cannot move a digest either.
 */
import { gzip, gzipSync } from 'fflate';

/** gzip header OS byte (RFC 1952): 3 = Unix, on every host. */
export const GZIP_OS_UNIX = 3;

const OPTIONS = { level: 6, mtime: 0 } as const;

/** gzip with a fixed header: the same input gives the same bytes everywhere. */
export function gzipFixed(data: Uint8Array): Uint8Array {
  return pinHeader(gzipSync(data, OPTIONS));
}

/**
 * gzipFixed in a worker thread (fflate's own), the same bytes: archives are compressed on every
 * core at once instead of one after another on the main thread.
 */
export function gzipFixedAsync(data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => gzip(data, OPTIONS, (err, gz) => (err ? reject(err) : resolve(pinHeader(gz)))));
}

function pinHeader(gz: Uint8Array): Uint8Array {
  gz.fill(0, 4, 8);
  gz[9] = GZIP_OS_UNIX;
  return gz;
}
