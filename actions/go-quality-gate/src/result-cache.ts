/**
 * A small on-disk cache of results the go command's caches don't cover (govulncheck's scan, the
 * previous release's lint findings), keyed by a digest of everything that decides the result.
 * It lives beside staticcheck's and golangci-lint's caches in the user cache folder, so a
 * self-hosted runner or a cached `~/.cache/goship` keeps it between jobs. Entries are written to
 * a temporary name and renamed; the newest 50 are kept.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ResultCache {
  dir(): string;
  read(key: string): Promise<string | undefined>;
  write(key: string, value: string, log: { debug(m: string): void }): Promise<void>;
}

/** `$<envVar>`, else `<user cache dir>/goship/<name>`. */
export function resultCache(name: string, envVar: string, env: NodeJS.ProcessEnv = process.env): ResultCache {
  const dir = (): string => env[envVar] || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'goship', name);
  return {
    dir,
    read: async (key) => {
      try {
        return await readFile(path.join(dir(), `${key}.json`), 'utf8');
      } catch {
        return undefined;
      }
    },
    write: async (key, value, log) => {
      const d = dir();
      try {
        await mkdir(d, { recursive: true });
        const tmp = path.join(d, `${key}.${process.pid}.tmp`);
        await writeFile(tmp, value);
        await rename(tmp, path.join(d, `${key}.json`));
        const entries = await Promise.all(
          (await readdir(d)).filter((n) => n.endsWith('.json')).map(async (n) => ({ n, t: (await stat(path.join(d, n))).mtimeMs })),
        );
        for (const e of entries.sort((a, b) => b.t - a.t).slice(50)) await rm(path.join(d, e.n), { force: true });
      } catch (e) {
        log.debug(`${name} cache not written: ${(e as Error).message}`);
      }
    },
  };
}
