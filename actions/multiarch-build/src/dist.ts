/**
 * Writing into `dist`. The folder itself passed the path policy when the inputs were read; what is
 * written inside it must not lead out again: every file name is one path element, and a file or
 * folder that is already there as a symlink (a checkout can carry one) is replaced, never written
 * through. Paths inside manifests and archives use forward slashes on every OS: `posixRel`.
 */
import { GoshipError } from '@goship/core/errors';
import { copyFile, lstat, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

/** `p` relative to `from`, with forward slashes: the form manifests record. */
export function posixRel(from: string, p: string): string {
  return path.relative(from, p).split(path.sep).join('/');
}

/** A manifest path (forward slashes, relative) → an absolute path under `base`. */
export function fromPosix(base: string, rel: string): string {
  return path.join(base, ...rel.split('/'));
}

/** True when `name` is a plain file name: one path element, not `.` or `..`, no control characters. */
export function isFileName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(name);
}

/** `dist/<name>`; a name that is not a plain file name is a goship bug or a hostile manifest. */
export function distFile(dist: string, name: string): string {
  if (!isFileName(name)) {
    throw new GoshipError(
      `${JSON.stringify(name)} is not a file name, so it cannot be written into ${dist}.`,
      'Release file names come from archive-name, binary names and the version: each must be one path element',
    );
  }
  return path.join(dist, name);
}

/**
 * Makes `dir` a real folder, and each folder between `under` (default: its parent) and it: a
 * symlink in the place of one is removed first.
 */
export async function realDir(dir: string, under = path.dirname(dir)): Promise<void> {
  let at = under;
  for (const seg of path.relative(under, dir).split(path.sep).filter(Boolean)) {
    at = path.join(at, seg);
    const st = await lstat(at).catch(() => undefined);
    if (st?.isSymbolicLink()) await unlink(at);
    if (!st?.isDirectory()) await mkdir(at, { recursive: true });
  }
}

/** Writes `file` afresh: whatever is at its path (a symlink too) is removed, then the file is created. */
export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  await rm(file, { force: true });
  await writeFile(file, data, { flag: 'wx' });
}

/** Copies `src` to `dest` afresh, as replaceFile writes. */
export async function replaceCopy(src: string, dest: string): Promise<void> {
  await rm(dest, { force: true });
  await copyFile(src, dest, constants.COPYFILE_EXCL);
}
