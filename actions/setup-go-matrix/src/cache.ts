/**
 * The Go module cache and the Go build cache as two separate Actions cache entries.
 *
 * Keys carry the runner OS/arch, the Go version and the hash of go.sum/go.work.sum; the build
 * cache key also carries the target set, CGO and the flags, so matrix and cross-compile jobs never
 * overwrite each other's entries. The build cache has restore-keys (it is content-addressed, a
 * near match is still useful); the module cache needs the exact key. Saving happens in the post
 * step and only on a key miss.
 */
import * as core from '@actions/core';
import { hashBytes, hashFile } from '@goship/core/digest';
import { makeWritable } from '@goship/core/go-install';
import { glob, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type CacheKind = 'modules' | 'build';

/**
 * `@actions/cache` (with the Azure SDK) is most of the bundle: loaded only when a cache is used,
 * so compute-only runs start faster.
 */
async function actionsCache(): Promise<typeof import('@actions/cache')> {
  return import('@actions/cache');
}

/** Whether the runner gave this job an Actions cache service. */
export async function cacheAvailable(): Promise<boolean> {
  return (await actionsCache()).isFeatureAvailable();
}

export interface KeyInputs {
  runnerOs: string;
  runnerArch: string;
  goVersion: string;
  /** sha256 over the dependency files (see {@link hashDependencyFiles}). */
  depsHash: string;
  /** GOOS/GOARCH[/variant] targets of this job. */
  platforms: readonly string[];
  cgo: string;
  goflags: string;
  suffix: string;
}

export interface CacheKeys {
  modules: { key: string; restoreKeys: string[] };
  build: { key: string; restoreKeys: string[] };
}

/** Deterministic: equal inputs give equal keys; any difference in the target set gives another build key. */
export function cacheKeys(k: KeyInputs): CacheKeys {
  const base = `${k.runnerOs}-${k.runnerArch}-go${k.goVersion}`.toLowerCase();
  const deps = k.depsHash.slice(0, 16);
  const suffix = k.suffix ? `-${k.suffix}` : '';
  const targets = hashBytes(
    JSON.stringify({ platforms: [...k.platforms].sort(), cgo: k.cgo, goflags: k.goflags.split(/\s+/).filter(Boolean).sort() }),
  ).slice(0, 12);
  const buildPrefix = `goship-go-build-${base}`;
  return {
    modules: { key: `goship-go-mod-${base}-${deps}${suffix}`, restoreKeys: [] },
    build: {
      key: `${buildPrefix}-${deps}-${targets}${suffix}`,
      restoreKeys: [`${buildPrefix}-${deps}-`, `${buildPrefix}-`],
    },
  };
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Resolves `cache-dependency-path` items (files or globs, relative to `root`) and hashes them:
 * sorted relative path and content hash of each. Returns the files and the hash; `missing` lists
 * items that matched nothing.
 */
export async function hashDependencyFiles(
  root: string,
  items: readonly string[],
): Promise<{ files: string[]; hash: string; missing: string[] }> {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const item of items) {
    let n = 0;
    if (GLOB_CHARS.test(item)) {
      for await (const f of glob(item, { cwd: root })) {
        const abs = path.resolve(root, f);
        if ((await stat(abs).catch(() => undefined))?.isFile()) {
          found.add(abs);
          n++;
        }
      }
    } else {
      const abs = path.resolve(root, item);
      if ((await stat(abs).catch(() => undefined))?.isFile()) {
        found.add(abs);
        n++;
      }
    }
    if (n === 0) missing.push(item);
  }
  const files = [...found].sort();
  const lines: string[] = [];
  for (const f of files) lines.push(`${await hashFile(f)}  ${path.relative(root, f).split(path.sep).join('/')}`);
  return { files, hash: hashBytes(lines.join('\n')), missing };
}

export interface EntryState {
  kind: CacheKind;
  path: string;
  key: string;
  restoreKeys: string[];
  /** The key that was restored ('' on a miss). */
  matchedKey: string;
  /** The post step saves this entry (false when another step of the job owns it). */
  save: boolean;
}

export interface RestoreResult extends EntryState {
  outcome: 'hit' | 'partial' | 'miss' | 'already restored' | 'error';
  seconds: number;
  bytes: number;
  note?: string;
}

/** Where the main step leaves the entries for the post step. */
export const STATE_ENTRIES = 'cache-entries';

/** Marker exported so a second setup in the same job neither restores nor saves the same entry again. */
export const RESTORED_ENV = 'GOSHIP_GO_CACHE_RESTORED';

export function restoredKeys(): string[] {
  return (process.env[RESTORED_ENV] ?? '').split(/\s+/).filter(Boolean);
}

export async function restoreEntry(kind: CacheKind, dir: string, key: string, restoreKeys: string[]): Promise<RestoreResult> {
  const base: EntryState = { kind, path: dir, key, restoreKeys, matchedKey: '', save: true };
  if (restoredKeys().includes(key)) {
    return {
      ...base,
      matchedKey: key,
      save: false,
      outcome: 'already restored',
      seconds: 0,
      bytes: await dirSize(dir),
      note: 'restored earlier in this job',
    };
  }
  const started = performance.now();
  try {
    // A restore into an existing module cache must not trip over its read-only directories.
    await makeWritable(dir);
    const matched = (await (await actionsCache()).restoreCache([dir], key, restoreKeys)) ?? '';
    const seconds = (performance.now() - started) / 1000;
    const outcome = matched === '' ? 'miss' : matched === key ? 'hit' : 'partial';
    return { ...base, matchedKey: matched, outcome, seconds, bytes: matched ? await dirSize(dir) : 0 };
  } catch (e) {
    core.warning(`Restoring the Go ${kind} cache failed: ${(e as Error).message}`);
    return { ...base, outcome: 'error', seconds: (performance.now() - started) / 1000, bytes: 0, note: (e as Error).message };
  }
}

export interface SaveResult {
  kind: CacheKind;
  key: string;
  outcome: 'saved' | 'skipped (hit)' | 'skipped (not owner)' | 'skipped (empty)' | 'not saved';
  seconds: number;
  bytes: number;
  note?: string;
}

export async function saveEntry(e: EntryState): Promise<SaveResult> {
  const base = { kind: e.kind, key: e.key, seconds: 0, bytes: 0 };
  if (!e.save) return { ...base, outcome: 'skipped (not owner)' };
  if (e.matchedKey === e.key) return { ...base, outcome: 'skipped (hit)' };
  const bytes = await dirSize(e.path);
  if (bytes === 0) return { ...base, outcome: 'skipped (empty)', note: `${e.path} is empty` };
  const started = performance.now();
  try {
    const id = await (await actionsCache()).saveCache([e.path], e.key);
    const seconds = (performance.now() - started) / 1000;
    return id === -1
      ? { ...base, bytes, seconds, outcome: 'not saved', note: 'the cache service did not take it (see the log)' }
      : { ...base, bytes, seconds, outcome: 'saved' };
  } catch (err) {
    core.warning(`Saving the Go ${e.kind} cache failed: ${(err as Error).message}`);
    return { ...base, bytes, seconds: (performance.now() - started) / 1000, outcome: 'not saved', note: (err as Error).message };
  }
}

/** Bytes of the regular files under `dir` (0 when it does not exist). */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += (await stat(p)).size;
  }
  return total;
}
