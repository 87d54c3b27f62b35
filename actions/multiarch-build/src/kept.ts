/**
 * Binaries kept between runs, so that the go command need not link again what it would link to
 * the same bytes. Before a build, the binary the last run built for the same target is put where
 * `go build -o` writes; the go command reads its build ID and, when that starts with the link's
 * action ID (every input of the link: the compiled packages, flags, toolchain), leaves it as it is
 * instead of linking — the up-to-date check `go install` makes. Otherwise it links and replaces
 * the file. The decision is the go command's own; goship only keeps the last binary of each target.
 *
 * The binaries live in the GOCACHE (`<GOCACHE>/goship/bin`): they are worth keeping exactly as long
 * as the compiled packages are, a cache restored for the build (setup-go-matrix's) carries them, a
 * fresh GOCACHE (a cold build, the reproducibility proof) has none, and whoever can write them could
 * already write the compiled packages. One file per target, replaced on each link, and files no run
 * used for KEEP_DAYS are removed, so the folder holds about one copy of each binary. A binary built
 * with an empty build ID (`-ldflags=-buildid=`) never matches: it is linked every time.
 */
import { run } from '@goship/core/exec';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from './targets.js';

/** Kept binaries no run has used for this many days are removed. */
export const KEEP_DAYS = 7;

export class KeptBinaries {
  private constructor(readonly dir: string) {}

  /**
   * The kept binaries of a GOCACHE, or undefined when there is none to keep them in (`off`, or a
   * relative path the go command refuses too).
   */
  static at(gocache: string): KeptBinaries | undefined {
    if (!gocache || gocache === 'off' || !path.isAbsolute(gocache)) return undefined;
    return new KeptBinaries(path.join(gocache, 'goship', 'bin'));
  }

  /** The GOCACHE the builds use: `env.GOCACHE` when set, else what `go env GOCACHE` says there. */
  static async of(cwd: string, env: Record<string, string>): Promise<KeptBinaries | undefined> {
    if (env.GOCACHE !== undefined) return KeptBinaries.at(env.GOCACHE);
    const r = await run('go', ['env', 'GOCACHE'], { cwd, env, silent: true, allowFailure: true });
    return r.code === 0 ? KeptBinaries.at(r.stdout.trim()) : undefined;
  }

  /** The file kept for a target: one per build, main and platform, whatever the flags. */
  file(t: Target): string {
    const key = JSON.stringify([t.build.id, t.main.importPath, t.target.id, t.platform, t.file]);
    return path.join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 32));
  }

  /**
   * Puts the kept binary of `t` at `to` (where `go build` will write it) and gives its inode, or
   * undefined when none is kept. A copy (a clone where the file system can), so that nothing the
   * build or its hooks do to the output reaches the kept file.
   */
  async restore(t: Target, to: string): Promise<number | undefined> {
    const from = this.file(t);
    try {
      await copyFile(from, to, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
    } catch {
      return undefined;
    }
    const now = new Date();
    await utimes(from, now, now).catch(() => undefined); // used: not removed by trim
    return (await stat(to)).ino;
  }

  /**
   * After the build: when `at` is still the file restore put there (same inode), the go command
   * found it up to date and true is returned; otherwise the new binary is kept for the next run
   * (written beside and renamed, so a concurrent run never reads half a file).
   */
  async keep(t: Target, at: string, restored: number | undefined): Promise<boolean> {
    if (restored !== undefined && (await stat(at)).ino === restored) return true;
    const to = this.file(t);
    const part = `${to}.${process.pid}.part`;
    try {
      await mkdir(this.dir, { recursive: true });
      // a new file (never through whatever stands at the name), renamed over the kept one
      await rm(part, { force: true });
      await copyFile(at, part, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
      await rename(part, to);
    } catch {
      // a cache that cannot be written costs the next run a link, nothing else: not even the clean-up
      // may fail the build (a file where the folder should be makes it ENOTDIR, not ENOENT)
      await rm(part, { force: true }).catch(() => undefined);
    }
    return false;
  }

  /** Removes kept binaries no run used for KEEP_DAYS, and parts a killed run left. */
  async trim(now = Date.now()): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const old = now - KEEP_DAYS * 24 * 3600 * 1000;
    for (const name of names) {
      const file = path.join(this.dir, name);
      const s = await stat(file).catch(() => undefined);
      if (s && s.mtimeMs < old) await rm(file, { force: true });
    }
  }
}
