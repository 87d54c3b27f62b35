/**
 * Deterministic archives: entries sorted, uid/gid 0 with no user or group names, mode 0755 for
 * binaries and 0644 for other files, every mtime the commit time; gzip with header mtime 0 and a
 * fixed OS byte; zip with fixed times and Unix attributes. Same inputs, same bytes, any machine
 * clock, umask or time zone.
 */
import { GoshipError } from '@goship/core/errors';
import { zipSync } from 'fflate';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar-stream';
import { gzipFixed } from './gzip.js';

export interface Entry {
  /** Name inside the archive (forward slashes). */
  name: string;
  data: Buffer;
  executable: boolean;
}

export const MODE_EXEC = 0o755;
export const MODE_FILE = 0o644;

function sortEntries(entries: readonly Entry[]): Entry[] {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name))
      throw new GoshipError(`Two files would be stored as ${e.name} in one archive.`, 'Rename one of them or drop it from archive-files');
    names.add(e.name);
  }
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function tarBytes(entries: readonly Entry[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of sortEntries(entries)) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name: e.name,
          size: e.data.length,
          mode: e.executable ? MODE_EXEC : MODE_FILE,
          mtime,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
          type: 'file',
        },
        e.data,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function tarGz(entries: readonly Entry[], mtime: Date): Promise<Buffer> {
  const gz = gzipFixed(await tarBytes(entries, mtime));
  return Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength);
}

/** A Date whose local-time fields equal `d`'s UTC fields (zip stores local "DOS" time). */
export function dosTime(d: Date): Date {
  const y = Math.max(1980, d.getUTCFullYear());
  return new Date(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

export function zipBytes(entries: readonly Entry[], mtime: Date): Buffer {
  const files: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number; level: 6 }]> = {};
  const t = dosTime(mtime);
  for (const e of sortEntries(entries)) {
    const mode = 0o100000 | (e.executable ? MODE_EXEC : MODE_FILE);
    files[e.name] = [e.data, { mtime: t, os: 3, attrs: (mode << 16) >>> 0, level: 6 }];
  }
  return Buffer.from(zipSync(files));
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const c of glob) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Files matching `archive-files` patterns (relative to `dir`; wildcards in the last element),
 * sorted by name. Missing matches are fine: LICENSE*, README*, CHANGELOG* are best effort.
 */
export async function matchFiles(dir: string, patterns: readonly string[]): Promise<{ name: string; file: string }[]> {
  const found = new Map<string, string>();
  for (const pattern of patterns) {
    const norm = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
    const sub = path.posix.dirname(norm);
    const re = globToRegExp(path.posix.basename(norm));
    const base = path.join(dir, sub === '.' ? '' : sub);
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(base, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of names) {
      if (d.isFile() && re.test(d.name)) found.set(d.name, path.join(base, d.name));
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, file]) => ({ name, file }));
}

export async function readEntries(
  binaries: readonly { file: string; path: string }[],
  extra: readonly { name: string; file: string }[],
): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const b of binaries) out.push({ name: b.file, data: await readFile(b.path), executable: true });
  for (const f of extra) out.push({ name: f.name, data: await readFile(f.file), executable: false });
  return out;
}
