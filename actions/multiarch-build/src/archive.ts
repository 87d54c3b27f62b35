/**
 * Deterministic archives: entries sorted, uid/gid 0 with no user or group names, mode 0755 for
 * binaries and 0644 for other files, every mtime the commit time; gzip with header mtime 0 and a
 * fixed OS byte; zip with fixed times and Unix attributes. Same inputs, same bytes, any machine
 * clock, umask or time zone. The extra files come through core's glob engine and path policy.
 */
import { GoshipError } from '@goship/core/errors';
import { globFiles } from '@goship/core/manifest';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { DEFLATE_LEVEL, deflatePool, gzipFixed, gzipFixedAsync, libdeflate } from './gzip.js';
import { ARCHIVE_TAR, tarParts } from './tar.js';

export interface Entry {
  /** Name inside the archive (forward slashes). */
  name: string;
  data: Buffer;
  executable: boolean;
  /** Permission bits; default 0755 for executables, else 0644. */
  mode?: number;
}

export const MODE_EXEC = 0o755;
export const MODE_FILE = 0o644;

/** An extra file for the archives: its name inside them, its real path and (GoReleaser files) its mode. */
export interface ExtraFile {
  name: string;
  file: string;
  mode?: number;
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

function modeOf(e: Entry): number {
  return e.mode ?? (e.executable ? MODE_EXEC : MODE_FILE);
}

/** The tar of `entries` as parts (tarParts): the entries' data is not copied into one buffer. */
function archiveTar(entries: readonly Entry[], mtime: Date): Uint8Array[] {
  return tarParts(
    sortEntries(entries).map((e) => ({ name: e.name, mode: modeOf(e), data: e.data })),
    Math.floor(mtime.getTime() / 1000),
    ARCHIVE_TAR,
  );
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export function tarGz(entries: readonly Entry[], mtime: Date): Buffer {
  return asBuffer(gzipFixed(archiveTar(entries, mtime)));
}

/**
 * tarGz, compressed in a worker thread: the same bytes. With `consume`, the entries' data is
 * handed to the worker (DeflatePool.run) and must not be read afterwards.
 */
export async function tarGzAsync(entries: readonly Entry[], mtime: Date, consume = false): Promise<Buffer> {
  return asBuffer(await gzipFixedAsync(archiveTar(entries, mtime), DEFLATE_LEVEL, consume));
}

/** A Date whose local-time fields equal `d`'s UTC fields (zip stores local "DOS" time). */
export function dosTime(d: Date): Date {
  const y = Math.max(1980, d.getUTCFullYear());
  return new Date(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** A zip entry, compressed: raw DEFLATE of the file and the file's CRC-32 and size. */
interface ZipEntry {
  name: string;
  mode: number;
  raw: Uint8Array;
  crc: number;
  size: number;
}

/** The DOS time and date fields (APPNOTE 4.4.6) of `d`'s UTC fields: the same in any time zone. */
function dosFields(d: Date): { time: number; date: number } {
  const t = dosTime(d);
  if (t.getFullYear() > 2107) throw new GoshipError(`The time ${d.toISOString()} is after 2107: a zip entry cannot hold it.`);
  return {
    time: (t.getHours() << 11) | (t.getMinutes() << 5) | (t.getSeconds() >> 1),
    date: ((t.getFullYear() - 1980) << 9) | ((t.getMonth() + 1) << 5) | t.getDate(),
  };
}

const ZIP_MAX = 0xffffffff;

/**
 * The zip container (PKWARE APPNOTE 6.3): a local header and the deflated bytes per entry, then the
 * central directory, in entry order. Version 2.0 made on Unix (so the external attributes carry the
 * Unix mode, `S_IFREG` included), deflate, no data descriptors, no extra fields, UTF-8 flag only
 * for a non-ASCII name. No ZIP64: an archive over 4 GiB is refused.
 */
/**
 * The fields the local header and the central directory record share, in the same order (APPNOTE
 * 4.3.7 from its offset 4, 4.3.12 from its offset 6): version needed 2.0, flags, deflate, time,
 * date, CRC-32, compressed and uncompressed size, name length.
 */
function writeEntryFields(b: Buffer, at: number, e: ZipEntry, f: { flags: number; time: number; date: number; name: number }): void {
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(f.flags, at + 2);
  b.writeUInt16LE(8, at + 4);
  b.writeUInt16LE(f.time, at + 6);
  b.writeUInt16LE(f.date, at + 8);
  b.writeUInt32LE(e.crc, at + 10);
  b.writeUInt32LE(e.raw.length, at + 14);
  b.writeUInt32LE(e.size, at + 18);
  b.writeUInt16LE(f.name, at + 22);
}

function zipContainer(entries: readonly ZipEntry[], mtime: Date): Buffer {
  const { time, date } = dosFields(mtime);
  if (entries.length > 0xffff) {
    throw new GoshipError(
      `${entries.length} files: zip archives of over 65535 entries (ZIP64) are not written.`,
      'Use `archive-format: tar.gz`',
    );
  }
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const fields = { flags: /^[\x20-\x7e]*$/.test(e.name) ? 0 : 0x800, time, date, name: name.length };
    if (e.size > ZIP_MAX || e.raw.length > ZIP_MAX || offset > ZIP_MAX) {
      throw new GoshipError(`${e.name}: zip archives over 4 GiB (ZIP64) are not written.`, 'Use `archive-format: tar.gz`');
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, e, fields);
    parts.push(local, name, e.raw);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    writeEntryFields(cd, 6, e, fields);
    cd.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38); // external attributes: st_mode << 16
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += local.length + name.length + e.raw.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  if (offset > ZIP_MAX) throw new GoshipError('A zip archive over 4 GiB (ZIP64) is not written.', 'Use `archive-format: tar.gz`');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** An entry of the archive with its compressed bytes and the CRC-32 of its data. */
function zipEntry(e: Entry, raw: Uint8Array, crc: number, size = e.data.length): ZipEntry {
  return { name: e.name, mode: modeOf(e), raw, crc, size };
}

export function zipBytes(entries: readonly Entry[], mtime: Date): Buffer {
  const z = libdeflate();
  return zipContainer(
    sortEntries(entries).map((e) => zipEntry(e, z.deflate(e.data, DEFLATE_LEVEL), crc32(e.data))),
    mtime,
  );
}

/** zipBytes, each file deflated in the worker pool: the same bytes. `consume` as for tarGzAsync. */
export async function zipBytesAsync(entries: readonly Entry[], mtime: Date, consume = false): Promise<Buffer> {
  const pool = deflatePool();
  const sorted = sortEntries(entries);
  // handed to the pool largest first, so that the largest file starts on a worker of its own now
  // instead of waiting behind smaller ones; the archive keeps the entries' order
  const bySize = sorted.map((e, i) => ({ e, i })).sort((a, b) => b.e.data.length - a.e.data.length || a.i - b.i);
  const files: ZipEntry[] = new Array<ZipEntry>(sorted.length);
  await Promise.all(
    bySize.map(async ({ e, i }) => {
      // the size before the data may move to the worker
      const size = e.data.length;
      const d = await pool.run('raw', e.data, DEFLATE_LEVEL, consume);
      files[i] = zipEntry(e, d.out, d.crc!, size);
    }),
  );
  return zipContainer(files, mtime);
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
  for (const f of extra) out.push({ name: f.name, data: await readFile(f.file), executable: false, ...(f.mode ? { mode: f.mode } : {}) });
  return out;
}

/** Whether a glob has matchers (fileglob.ContainsMatchers: `*`, `?`, `[`, `{`). */
export function hasMatchers(glob: string): boolean {
  return /[*?[{]/.test(glob);
}

/** Go's filepath.Dir: everything before the last `/`, cleaned (`docs/` → `docs`, `LICENSE` → `.`). */
export function goDir(p: string): string {
  const i = p.lastIndexOf('/');
  const head = p.slice(0, i + 1);
  return head === '' ? '.' : path.posix.normalize(head).replace(/(.)\/$/, '$1');
}

function commonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) {
    let i = 0;
    while (i < p.length && i < x.length && p[i] === x[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/**
 * GoReleaser's archive `files` (internal/archivefiles at v2.15.1): each `src` rendered and globbed
 * (a folder that matches brings its files); a match goes to `dst` joined with its path relative to
 * the pattern's static part (a single existing file with `dst` is renamed to it), or to `dst/<base>`
 * with `strip_parent`; `info.mode` or the file's own mode; sorted by destination, the first of two
 * with one destination kept. A literal path that does not exist fails, as in GoReleaser.
 */
export async function goreleaserFiles(
  workdir: string,
  files: readonly { src: string; where: string; dst: string; stripParent: boolean; mode?: number; isDefault: boolean }[],
  warn: (m: string) => void,
): Promise<ExtraFile[]> {
  const out: (ExtraFile & { src: string })[] = [];
  for (const f of files) {
    const glob = f.src.replace(/^\.\//, '');
    const literal = !hasMatchers(glob);
    const st = literal ? await stat(path.join(workdir, glob)).catch(() => undefined) : undefined;
    if (literal && !st) {
      throw new GoshipError(
        `${f.where}: ${JSON.stringify(f.src)} does not exist in ${workdir}.`,
        'GoReleaser fails on a missing file too; use a glob (e.g. `LICENSE*`) for a file that may be missing',
      );
    }
    const patterns = literal && st?.isDirectory() ? [`${glob}/**`] : literal ? [glob] : [glob, `${glob}/**`];
    const found = await globFiles(f.where, patterns, workdir, { optional: true, warn: (m) => warn(`${f.where}: ${m}`) });
    if (found.length === 0) {
      if (!f.isDefault) warn(`${f.where}: no files match ${f.src}`);
      continue;
    }
    const rels = found.map((x) => x.relPath).sort();
    const prefix = literal ? glob : goDir(commonPrefix(rels));
    for (const x of found) {
      let dst: string;
      if (f.stripParent) dst = path.posix.join(f.dst, path.posix.basename(x.relPath));
      else if (f.dst) dst = path.posix.join(f.dst, path.posix.relative(prefix, x.relPath));
      else dst = x.relPath;
      const mode = f.mode ?? (await stat(x.file)).mode & 0o7777;
      out.push({ name: dst.replace(/\/$/, '') || path.posix.basename(x.relPath), file: x.file, mode, src: x.relPath });
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Map<string, string>();
  const unique: ExtraFile[] = [];
  for (const f of out) {
    const first = seen.get(f.name);
    if (first !== undefined) {
      if (first !== f.src) warn(`file '${f.name}' already exists in archive as '${first}' - '${f.src}' will be ignored`);
      continue;
    }
    seen.set(f.name, f.src);
    unique.push({ name: f.name, file: f.file, mode: f.mode });
  }
  return unique;
}
