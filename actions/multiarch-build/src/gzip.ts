/**
 * The one gzip of multiarch-build, for archives and image layers alike: fflate (pure JavaScript)
 * gives the same compressed bytes on every machine and Node version — Node's zlib may not, as
 * its deflate is built per platform and CPU — and the header is pinned (no name, mtime 0, OS 3 =
 * Unix), so a library change cannot move a digest either.
 */
import { gzipSync } from 'fflate';

/** gzip header OS byte (RFC 1952): 3 = Unix, on every host. */
export const GZIP_OS_UNIX = 3;

const OPTIONS = { level: 6, mtime: 0 } as const;

/** gzip with a fixed header: the same input gives the same bytes everywhere. */
export function gzipFixed(data: Uint8Array): Uint8Array {
  const gz = gzipSync(data, OPTIONS);
  gz.fill(0, 4, 8);
  gz[9] = GZIP_OS_UNIX;
  return gz;
}
