/**
 * Deterministic archives: entries sorted, uid/gid 0 with no user or group names, mode 0755 for
 * binaries and 0644 for other files, every mtime the commit time; gzip with header mtime 0 and a
 * fixed OS byte; zip with fixed times and Unix attributes. Same inputs, same bytes, any machine
 * clock, umask or time zone. The extra files come through core's glob engine and path policy.
 */
import { GoshipError } from '@goship/core/errors';
import { globFiles } from '@goship/core/manifest';
import { type AsyncZippable, zip, zipSync } from 'fflate';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipFixed, gzipFixedAsync } from './gzip.js';
import { ARCHIVE_TAR, tarBytes } from './tar.js';

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

function archiveTar(entries: readonly Entry[], mtime: Date): Uint8Array {
  return tarBytes(
    sortEntries(entries).map((e) => ({ name: e.name, mode: modeOf(e), data: e.data })),
    Math.floor(mtime.getTime() / 1000),
    ARCHIVE_TAR,
  );
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export function tarGz(entries: readonly Entry[], mtime: Date): Buffer {
  return asBuffer(gzipFixed(archiveTar(entries, mtime)));
}

/** tarGz, compressed in a worker thread: the same bytes. */
export async function tarGzAsync(entries: readonly Entry[], mtime: Date): Promise<Buffer> {
  return asBuffer(await gzipFixedAsync(archiveTar(entries, mtime)));
}

/** A Date whose local-time fields equal `d`'s UTC fields (zip stores local "DOS" time). */
export function dosTime(d: Date): Date {
  const y = Math.max(1980, d.getUTCFullYear());
  return new Date(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

function zipFiles(
  entries: readonly Entry[],
  mtime: Date,
): Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number; level: 6 }]> {
  const files: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number; level: 6 }]> = {};
  const t = dosTime(mtime);
  for (const e of sortEntries(entries)) {
    const mode = 0o100000 | modeOf(e);
    files[e.name] = [e.data, { mtime: t, os: 3, attrs: (mode << 16) >>> 0, level: 6 }];
  }
  return files;
}

export function zipBytes(entries: readonly Entry[], mtime: Date): Buffer {
  return Buffer.from(zipSync(zipFiles(entries, mtime)));
}

/** zipBytes, each file deflated in a worker thread: the same bytes. */
export function zipBytesAsync(entries: readonly Entry[], mtime: Date): Promise<Buffer> {
  const files: AsyncZippable = zipFiles(entries, mtime);
  return new Promise((resolve, reject) => zip(files, (err, z) => (err ? reject(err) : resolve(Buffer.from(z)))));
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
