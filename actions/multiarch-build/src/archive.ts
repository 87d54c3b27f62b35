/**
 * Deterministic archives: entries sorted, uid/gid 0 with no user or group names, mode 0755 for
 * binaries and 0644 for other files, every mtime the commit time; gzip with header mtime 0 and a
 * fixed OS byte; zip with fixed times and Unix attributes. Same inputs, same bytes, any machine
 * clock, umask or time zone. The extra files come through core's glob engine and path policy.
 */
import { GoshipError } from '@goship/core/errors';
import { globFiles } from '@goship/core/manifest';
import { zipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { gzipFixed } from './gzip.js';
import { ARCHIVE_TAR, tarBytes } from './tar.js';

export interface Entry {
  /** Name inside the archive (forward slashes). */
  name: string;
  data: Buffer;
  executable: boolean;
}

export const MODE_EXEC = 0o755;
export const MODE_FILE = 0o644;

/** An extra file for the archives: its name inside them and its real path. */
export interface ExtraFile {
  name: string;
  file: string;
}

function sortEntries(entries: readonly Entry[]): Entry[] {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name))
      throw new GoshipError(`Two files would be stored as ${e.name} in one archive.`, 'Rename one of them or drop it from archive-files');
    names.add(e.name);
  }
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function tarGz(entries: readonly Entry[], mtime: Date): Buffer {
  const tar = tarBytes(
    sortEntries(entries).map((e) => ({ name: e.name, mode: e.executable ? MODE_EXEC : MODE_FILE, data: e.data })),
    Math.floor(mtime.getTime() / 1000),
    ARCHIVE_TAR,
  );
  const gz = gzipFixed(tar);
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

/**
 * Files matching the `archive-files` globs (relative to `dir`), sorted. A pattern may match
 * nothing (LICENSE*, README*, CHANGELOG* are best effort); a pattern that leads out is refused,
 * naming the input; a symlink that leads out is skipped with a warning.
 */
export async function archiveFiles(dir: string, patterns: readonly string[], warn: (m: string) => void): Promise<ExtraFile[]> {
  const found = await globFiles('archive-files', patterns, dir, { optional: true, warn: (m) => warn(`archive-files: ${m}`) });
  return found.map((f) => ({ name: f.name, file: f.file }));
}

export async function readEntries(binaries: readonly { file: string; path: string }[], extra: readonly ExtraFile[]): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const b of binaries) out.push({ name: b.file, data: await readFile(b.path), executable: true });
  for (const f of extra) out.push({ name: f.name, data: await readFile(f.file), executable: false });
  return out;
}
