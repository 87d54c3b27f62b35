/**
 * Deterministic image layers: a ustar archive from the one tar writer (tar.ts, layer style) with
 * sorted entries, uid/gid 0, fixed modes and mtime = the commit time, parent folders included; compressed with
 * libdeflate as WebAssembly (gzip.ts: the same bytes on every machine and Node version) with a fixed
 * gzip header (mtime 0, no name, OS byte 3). The uncompressed digest is the diff_id.
 */
import { GoshipError } from '@goship/core/errors';
import { MEDIA, sha256 } from '@goship/core/oci';
import { LAYER_LEVEL, gzipFixed, gzipFixedAsync } from '../gzip.js';
import { LAYER_TAR, type TarEntry, tarBytes } from '../tar.js';

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

/** A path inside the image without its leading `/` (`etc/ssl/cert.pem`); undefined when it is empty, climbs with `..` or holds control characters. */
export function imagePath(p: string): string | undefined {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  // eslint-disable-next-line no-control-regex
  if (parts.length === 0 || parts.includes('..') || /[\u0000-\u001f\u007f]/.test(p)) return undefined;
  return parts.join('/');
}

function normalise(p: string): string {
  const norm = imagePath(p);
  if (norm === undefined) {
    throw new GoshipError(
      `"${p}" is not a valid path inside the image.`,
      'Use an absolute path such as /etc/ssl/certs/ca-certificates.crt',
    );
  }
  return norm;
}

/** A tar archive of `files` with their parent folders (0755); entries sorted by path. */
export function tarball(files: readonly LayerFile[], mtimeSeconds: number): Buffer {
  const entries = new Map<string, TarEntry>();
  for (const f of files) {
    const p = normalise(f.path);
    if (entries.has(p)) throw new GoshipError(`Two files go to the same image path /${p}.`, 'Give each extra file its own destination');
    entries.set(p, { name: p, mode: f.mode, data: f.data });
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      const e = entries.get(d);
      if (e && e.data !== undefined) throw new GoshipError(`/${d} is both a file and a folder in the image.`);
      if (!e) entries.set(d, { name: d, mode: 0o755 });
    }
  }
  return tarBytes([...entries.values()], mtimeSeconds, LAYER_TAR);
}

export function buildLayer(files: readonly LayerFile[], mtimeSeconds: number): Layer {
  const tar = tarball(files, mtimeSeconds);
  return layerOf(tar, gzipFixed(tar, LAYER_LEVEL));
}

/** buildLayer, compressed in a worker thread (the platforms of an image at once): the same bytes. */
export async function buildLayerAsync(files: readonly LayerFile[], mtimeSeconds: number): Promise<Layer> {
  const tar = tarball(files, mtimeSeconds);
  return layerOf(tar, await gzipFixedAsync(tar, LAYER_LEVEL));
}

function layerOf(tar: Uint8Array, blob: Uint8Array): Layer {
  return { mediaType: MEDIA.ociLayerGzip, blob, digest: sha256(blob), size: blob.length, diffId: sha256(tar) };
}
