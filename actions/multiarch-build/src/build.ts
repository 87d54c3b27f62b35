/**
 * `go build` per (main, platform): CGO off, GOOS/GOARCH and the variant's variable, -trimpath,
 * -buildid= and ldflags whose values come from the commit. Modules are downloaded once first so
 * parallel builds don't race; parallelism is bounded by cores and available memory, and each
 * child gets a GOMAXPROCS so the total thread count stays near the core count.
 */
import { hashFile } from '@goship/core/digest';
import { ExecError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { isInside } from '@goship/core/paths';
import { platformEnv } from '@goship/core/platform';
import { mapLimit } from '@goship/core/retry';
import { formatMs } from '@goship/core/summary';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Config, DEFAULT_LDFLAGS } from './config.js';
import { posixRel, realDir } from './dist.js';
import type { Project } from './project.js';
import { targetKey, type Target } from './targets.js';
import { expand } from './template.js';

/** Peak resident memory of one `go build` of a typical command (compile + link), estimated. */
export const PEAK_BYTES_PER_BUILD = 640 * 1024 * 1024;

export interface Plan {
  workers: number;
  gomaxprocs: number;
  cores: number;
  reason: string;
}

/**
 * GOMAXPROCS for the build about to start: cores shared by the builds that can still run at once,
 * so the last builds (fewer than the workers) get the idle cores too.
 */
export function gomaxprocsAt(plan: Plan, remaining: number): number {
  return Math.max(1, Math.floor(plan.cores / Math.max(1, Math.min(plan.workers, remaining))));
}

export function availableMemory(): number {
  const free = os.freemem();
  const constrained = typeof process.availableMemory === 'function' ? process.availableMemory() : 0;
  return constrained > 0 ? Math.min(free, constrained) : free;
}

export function planParallelism(
  setting: 'auto' | number,
  targets: number,
  cores = os.availableParallelism(),
  memory = availableMemory(),
  peak = PEAK_BYTES_PER_BUILD,
): Plan {
  const byMemory = Math.max(1, Math.floor(memory / peak));
  let workers: number;
  let reason: string;
  if (setting === 'auto') {
    workers = Math.max(1, Math.min(cores, byMemory, targets));
    reason = `${cores} cores, ${(memory / 2 ** 30).toFixed(1)} GiB available ÷ ${(peak / 2 ** 20).toFixed(0)} MiB per build = ${byMemory}, ${targets} targets`;
  } else {
    workers = Math.max(1, Math.min(setting, targets));
    reason = `parallelism: ${setting}`;
  }
  return { workers, gomaxprocs: Math.max(1, Math.floor(cores / workers)), cores, reason };
}

export function ldflagsFor(cfg: Pick<Config, 'ldflags' | 'reproducible'>, vars: Record<string, string>): string {
  const parts = [cfg.reproducible ? '-buildid=' : '', expand(DEFAULT_LDFLAGS, vars), cfg.ldflags ? expand(cfg.ldflags, vars) : ''];
  return parts.filter(Boolean).join(' ');
}

export function buildArgs(cfg: Pick<Config, 'flags' | 'tags' | 'reproducible' | 'ldflags'>, ldflags: string, t: Target): string[] {
  const args = ['build', ...cfg.flags];
  if (cfg.reproducible && !args.includes('-trimpath')) args.push('-trimpath');
  if (cfg.tags) args.push(`-tags=${cfg.tags}`);
  // one argument each: a value never becomes an option; `--` ends the flags before the package
  args.push(`-ldflags=${ldflags}`, '-o', t.out, '--', t.main.arg);
  return args;
}

/**
 * Environment that keeps Go's VCS stamping honest but independent of our own output: `dist` is
 * excluded from `git status` so its presence does not mark the tree modified.
 */
export async function vcsEnv(toplevel: string, dist: string, tmp: string): Promise<Record<string, string>> {
  const inside = isInside(dist, toplevel) && path.resolve(dist) !== path.resolve(toplevel);
  await mkdir(tmp, { recursive: true });
  const file = await mkdtemp(path.join(tmp, 'goship-git-')).then((d) => path.join(d, 'exclude'));
  // always set (even empty): the same excludes apply to the build and to its proof
  await writeFile(file, inside ? `/${posixRel(toplevel, dist)}/\n` : '');
  const n = Number(process.env.GIT_CONFIG_COUNT ?? 0) || 0;
  return { GIT_CONFIG_COUNT: String(n + 1), [`GIT_CONFIG_KEY_${n}`]: 'core.excludesFile', [`GIT_CONFIG_VALUE_${n}`]: file };
}

export function baseEnv(cfg: Pick<Config, 'cgo' | 'env' | 'reproducible'>, p: Project): Record<string, string> {
  const env: Record<string, string> = { CGO_ENABLED: cfg.cgo ? '1' : '0' };
  if (cfg.reproducible) env.SOURCE_DATE_EPOCH = String(p.commit.epoch);
  return { ...env, ...cfg.env };
}

export interface Built {
  target: Target;
  sha256: string;
  size: number;
  seconds: number;
}

export interface BuildOptions {
  cwd: string;
  env: Record<string, string>;
  ldflags: string;
  plan: Plan;
  /** Told a progress line per binary (none when undefined). */
  progress?: (line: string) => void;
}

/** `go mod download` once, so that parallel builds find every module in the cache. */
export async function downloadModules(cwd: string, env: Record<string, string>): Promise<void> {
  await run('go', ['mod', 'download'], {
    cwd,
    env,
    fix: 'Check go.mod/go.sum and that the module proxy is reachable (GOPROXY, GOPRIVATE, GONOSUMDB)',
  });
}

export async function buildAll(cfg: Config, targets: readonly Target[], o: BuildOptions): Promise<Built[]> {
  // main-major order: parallel workers start on different platforms, so none compile the same
  // standard library at the same time; later builds of a platform find it in the shared cache.
  const order = [...targets].sort((a, b) => (a.main.importPath < b.main.importPath ? -1 : a.main.importPath > b.main.importPath ? 1 : 0));
  let done = 0;
  let launched = 0;
  const results = await mapLimit(order, o.plan.workers, async (t) => {
    const gomaxprocs = gomaxprocsAt(o.plan, order.length - launched++);
    // a folder or binary planted as a symlink in dist is replaced, never written through
    await realDir(path.dirname(t.out));
    await rm(t.out, { force: true });
    const started = performance.now();
    const env = { ...o.env, ...platformEnv(t.platform), GOMAXPROCS: String(gomaxprocs) };
    const r = await run('go', buildArgs(cfg, o.ldflags, t), { cwd: o.cwd, env, silent: true, allowFailure: true });
    if (r.code !== 0) {
      throw new ExecError(
        ['go', ...buildArgs(cfg, o.ldflags, t)],
        r.code,
        r.stdout,
        r.stderr,
        `Building ${t.main.importPath} for ${t.platformName} failed; reproduce with GOOS=${t.platform.os} GOARCH=${t.platform.arch} go build ${t.main.arg}`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    await chmod(t.out, 0o755);
    const [sha256, st] = await Promise.all([hashFile(t.out), stat(t.out)]);
    done++;
    o.progress?.(`built ${done}/${order.length} — ${t.main.binary} ${t.platformName} ${formatMs(seconds * 1000)}`);
    return { target: t, sha256, size: st.size, seconds };
  });
  const byKey = new Map(results.map((b) => [targetKey(b.target), b]));
  return targets.map((t) => byKey.get(targetKey(t))!);
}
