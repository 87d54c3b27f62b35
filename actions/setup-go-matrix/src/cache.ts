/**
 * The Go module cache and the Go build cache as two separate Actions cache entries.
 *
 * Keys carry the runner OS/arch, the Go version and the hash of go.sum/go.work.sum; the build
 * cache key also carries the target set, CGO and the flags, so matrix and cross-compile jobs never
 * overwrite each other's entries. The build cache has restore-keys (it is content-addressed, a
 * near match is still useful); the module cache needs the exact key. Saving happens in the post
 * step and only on a key miss.
 */
import type { ActionContext, Log } from '@goship/core/action';
import { hashBytes, hashFile } from '@goship/core/digest';
import { makeWritable } from '@goship/core/go-install';
import { globFiles } from '@goship/core/manifest';
import { resolveConfined } from '@goship/core/paths';
import { formatPlatform } from '@goship/core/platform';
import { lstat, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cacheAvailable, restoreDir, saveDir } from './cache-service.js';
import type { Environment } from './env.js';
import type { SetupInputs } from './inputs.js';
import { JobEnv, State } from './state.js';

export type CacheKind = 'modules' | 'build';

export interface KeyInputs {
  runnerOs: string;
  runnerArch: string;
  goVersion: string;
  /** sha256 over the dependency files (see {@link dependencyFiles}). */
  depsHash: string;
  /** GOOS/GOARCH[/variant] targets of this job. */
  platforms: readonly string[];
  cgo: string;
  goflags: string;
  suffix: string;
}

export interface CacheKey {
  key: string;
  restoreKeys: string[];
}

/** Deterministic: equal inputs give equal keys; any difference in the target set gives another build key. */
export function cacheKeys(k: KeyInputs): { modules: CacheKey; build: CacheKey } {
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

export interface Dependencies {
  /** Paths relative to the module folder, sorted. */
  files: string[];
  /** sha256 over each file's sha256 and relative path. */
  hash: string;
}

const DEFAULT_DEPENDENCY_FILES = ['go.sum', 'go.work.sum'];

/**
 * `cache-dependency-path` (files or globs relative to the module folder, each matching something,
 * none leading outside the workspace) — checked even with caching off — else go.sum and
 * go.work.sum where they exist.
 */
export async function dependencyFiles(inp: SetupInputs, log: Log): Promise<Dependencies> {
  let hashed: { relPath: string; sha256: string }[] = [];
  if (inp.depPatterns.length) {
    hashed = await globFiles('cache-dependency-path', inp.depPatterns, inp.workdir, { warn: (m) => log.warning(m) });
  } else if (inp.cache) {
    for (const name of DEFAULT_DEPENDENCY_FILES) {
      const file = path.join(inp.workdir, name);
      if (!(await lstat(file).catch(() => undefined))) continue;
      const { real, ok } = resolveConfined(file);
      if (!ok) log.warning(`${name} is a symlink to ${real}, outside the workspace: not hashed into the cache keys.`);
      else if ((await stat(real)).isFile()) hashed.push({ relPath: name, sha256: await hashFile(real) });
    }
  }
  const sorted = [...hashed].sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
  return { files: sorted.map((f) => f.relPath), hash: hashBytes(sorted.map((f) => `${f.sha256}  ${f.relPath}`).join('\n')) };
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

export function restoredKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[JobEnv.cacheRestored] ?? '').split(/\s+/).filter(Boolean);
}

export async function restoreEntry(kind: CacheKind, dir: string, k: CacheKey, log: Log): Promise<RestoreResult> {
  const base: EntryState = { kind, path: dir, key: k.key, restoreKeys: k.restoreKeys, matchedKey: '', save: true };
  if (restoredKeys().includes(k.key)) {
    const bytes = await dirSize(dir);
    return {
      ...base,
      matchedKey: k.key,
      save: false,
      outcome: 'already restored',
      seconds: 0,
      bytes,
      note: 'restored earlier in this job',
    };
  }
  const started = performance.now();
  try {
    // A restore into an existing module cache must not trip over its read-only directories.
    await makeWritable(dir);
    const matched = await restoreDir(dir, k.key, k.restoreKeys);
    const seconds = (performance.now() - started) / 1000;
    const outcome = matched === '' ? 'miss' : matched === k.key ? 'hit' : 'partial';
    return { ...base, matchedKey: matched, outcome, seconds, bytes: matched ? await dirSize(dir) : 0 };
  } catch (e) {
    log.warning(`Restoring the Go ${kind} cache failed: ${(e as Error).message}`);
    return { ...base, outcome: 'error', seconds: (performance.now() - started) / 1000, bytes: 0, note: (e as Error).message };
  }
}

export interface CacheRun {
  restored: RestoreResult[];
  /** Why nothing was restored ('' when the caches were looked up). */
  note: string;
}

/** The restore step of the main step: both entries, the job marker, and the state the post step saves from. */
export async function restoreCaches(
  ctx: ActionContext,
  inp: SetupInputs,
  deps: Dependencies,
  goVersion: string,
  env: Environment,
): Promise<CacheRun> {
  const skipped = (note: string): CacheRun => {
    ctx.log.info(note);
    return { restored: [], note };
  };
  if (!inp.cache) return skipped('caching off (cache: false)');
  const { GOMODCACHE, GOCACHE } = env.goenv;
  if (!GOMODCACHE || !GOCACHE) return skipped('caching skipped: no Go toolchain to ask for GOMODCACHE and GOCACHE');
  if (!(await cacheAvailable())) return skipped('caching skipped: the Actions cache service is not available to this job');
  const keys = cacheKeys({
    runnerOs: process.env.RUNNER_OS ?? os.platform(),
    runnerArch: process.env.RUNNER_ARCH ?? os.arch(),
    goVersion,
    depsHash: deps.hash,
    platforms: inp.platforms.map(formatPlatform),
    cgo: env.goenv.CGO_ENABLED ?? '',
    goflags: env.exported.GOFLAGS ?? env.goenv.GOFLAGS ?? '',
    suffix: inp.cacheKeySuffix,
  });
  const restored = await ctx.phase('Restore the Go caches', async () => [
    await restoreEntry('modules', GOMODCACHE, keys.modules, ctx.log),
    await restoreEntry('build', GOCACHE, keys.build, ctx.log),
  ]);
  const owned = restored.filter((r) => r.save).map((r) => r.key);
  if (owned.length) ctx.exportVariable(JobEnv.cacheRestored, [...restoredKeys(), ...owned].join(' '));
  const entries: EntryState[] = restored.map(({ kind, path: p, key, restoreKeys, matchedKey, save }) => ({
    kind,
    path: p,
    key,
    restoreKeys,
    matchedKey,
    save,
  }));
  ctx.saveState(State.cacheEntries, JSON.stringify(entries));
  return { restored, note: '' };
}

export interface SaveResult {
  kind: CacheKind;
  key: string;
  outcome: 'saved' | 'skipped (hit)' | 'skipped (not owner)' | 'skipped (empty)' | 'not saved';
  seconds: number;
  bytes: number;
  note?: string;
}

export async function saveEntry(e: EntryState, log: Log): Promise<SaveResult> {
  const base = { kind: e.kind, key: e.key, seconds: 0, bytes: 0 };
  if (!e.save) return { ...base, outcome: 'skipped (not owner)' };
  if (e.matchedKey === e.key) return { ...base, outcome: 'skipped (hit)' };
  const bytes = await dirSize(e.path);
  if (bytes === 0) return { ...base, outcome: 'skipped (empty)', note: `${e.path} is empty` };
  const started = performance.now();
  try {
    const taken = await saveDir(e.path, e.key);
    const seconds = (performance.now() - started) / 1000;
    return taken
      ? { ...base, bytes, seconds, outcome: 'saved' }
      : { ...base, bytes, seconds, outcome: 'not saved', note: 'the cache service did not take it (see the log)' };
  } catch (err) {
    log.warning(`Saving the Go ${e.kind} cache failed: ${(err as Error).message}`);
    return { ...base, bytes, seconds: (performance.now() - started) / 1000, outcome: 'not saved', note: (err as Error).message };
  }
}

/** The entries the main step left for the post step; undefined when it left none. */
export function savedEntries(ctx: ActionContext): EntryState[] | undefined {
  const raw = ctx.getState(State.cacheEntries);
  return raw ? (JSON.parse(raw) as EntryState[]) : undefined;
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
