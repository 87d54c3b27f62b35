/**
 * Deterministic image layers: a POSIX ustar archive with sorted entries, uid/gid 0, empty user and
 * group names, fixed modes and mtime = the commit time, parent folders included; compressed with
 * fflate (pure JavaScript, so the same bytes on every machine and Node version) with a fixed gzip
 * header (mtime 0, no name, OS byte 3). The uncompressed digest is the diff_id.
 */
import { GoshipError } from '@goship/core/errors';
import { MEDIA, sha256 } from '@goship/core/oci';
import { gzipFixed } from '../gzip.js';

export interface LayerFile {
  /** Path inside the image, absolute or relative to `/`. */
  path: string;
  data: Uint8Array;
  /** Default 0o755 for executables given by the caller, 0o644 otherwise. */
  mode: number;
}

export interface Layer {
  mediaType: string;
  /** The compressed bytes pushed as the blob. */
  blob: Uint8Array;
  digest: string;
  size: number;
  diffId: string;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  const s = n.toString(8);
  if (s.length > width - 1) throw new GoshipError(`A tar header value ${n} does not fit in ${width - 1} octal digits.`);
  return `${s.padStart(width - 1, '0')}\0`;
}

function splitName(name: string): { name: string; prefix: string } {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { name: rest, prefix };
  }
  throw new GoshipError(`The image path "${name}" is too long for a tar header (100 + 155 bytes).`, 'Use a shorter path');
}

function header(path: string, type: '0' | '5', mode: number, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { name, prefix } = splitName(path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(octal(0, 8), 329, 'ascii');
  h.write(octal(0, 8), 337, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function normalise(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.includes('..'))
    throw new GoshipError(
      `"${p}" is not a valid path inside the image.`,
      'Use an absolute path such as /etc/ssl/certs/ca-certificates.crt',
    );
  return parts.join('/');
}

/** A tar archive of `files` with their parent folders (0755); entries sorted by path. */
export function tarball(files: readonly LayerFile[], mtimeSeconds: number): Buffer {
  const entries = new Map<string, { dir: boolean; mode: number; data?: Uint8Array }>();
  for (const f of files) {
    const p = normalise(f.path);
    if (entries.has(p)) throw new GoshipError(`Two files go to the same image path /${p}.`, 'Give each extra file its own destination');
    entries.set(p, { dir: false, mode: f.mode, data: f.data });
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      const e = entries.get(d);
      if (e && !e.dir) throw new GoshipError(`/${d} is both a file and a folder in the image.`);
      if (!e) entries.set(d, { dir: true, mode: 0o755 });
    }
  }
  const names = [...entries.keys()].map((k) => (entries.get(k)!.dir ? `${k}/` : k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Buffer[] = [];
  for (const n of names) {
    const e = entries.get(n.replace(/\/$/, ''))!;
    if (e.dir) {
      out.push(header(n, '5', e.mode, 0, mtimeSeconds));
    } else {
      out.push(header(n, '0', e.mode, e.data!.length, mtimeSeconds), Buffer.from(e.data!));
      const pad = (BLOCK - (e.data!.length % BLOCK)) % BLOCK;
      if (pad) out.push(Buffer.alloc(pad));
    }
  }
  out.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(out);
}

export function buildLayer(files: readonly LayerFile[], mtimeSeconds: number): Layer {
  const tar = tarball(files, mtimeSeconds);
  const blob = gzipFixed(tar);
  return { mediaType: MEDIA.ociLayerGzip, blob, digest: sha256(blob), size: blob.length, diffId: sha256(tar) };
}
