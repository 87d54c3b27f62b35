/**
 * `go build` per (build, main, target): the build's flags, tags and ldflags rendered for the
 * target, its env over the file's, GOOS/GOARCH and the variant's variables, CGO_ENABLED 0 unless
 * asked, -trimpath, -buildid= and -buildvcs=true; pre and post hooks around it. Modules are downloaded once first so
 * parallel builds don't race; as many builds run at once as there are cores (fewer when memory is
 * short), each with the go command's own parallelism.
 */
import type { Log } from '@goship/core/action';
import { digestFile } from '@goship/core/digest';
import { ExecError, GoshipError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { isInside } from '@goship/core/paths';
import { allInOrder, mapLimit } from '@goship/core/retry';
import { formatMs } from '@goship/core/summary';
import type { Value } from '@goship/core/template';
import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config.js';
import { posixRel, realDir } from './dist.js';
import { renderEnv, runHooks } from './hooks.js';
import type { Target } from './targets.js';
import { type TemplateScope, render, renderList, renderTmpl, templateFields, tmplWhere } from './template.js';

/**
 * Peak resident memory of one compile or link process of a real-size command, measured
 * (bench/results/build-memory.md: cold builds of bench/fixtures/realcli, whose largest process
 * peaked at 584–638 MiB and whole build, the go command and its compiles, at 646–673 MiB on 2
 * cores; two builds at once at 1291 MiB), rounded up. A build may run one such process per core,
 * so planParallelism counts it `cores` times: 1400 MiB per build on 2 cores against the 673 MiB
 * measured, kept on the safe side because more cores mean more concurrent compiles, which this
 * machine cannot measure.
 */
export const PEAK_BYTES_PER_BUILD = 700 * 1024 * 1024;

export interface Plan {
  workers: number;
  cores: number;
  reason: string;
}

export function availableMemory(): number {
  const free = os.freemem();
  const constrained = typeof process.availableMemory === 'function' ? process.availableMemory() : 0;
  return constrained > 0 ? Math.min(free, constrained) : free;
}

/**
 * How many `go build`s run at once. Each one keeps the go command's own parallelism (GOMAXPROCS
 * unset: up to `cores` packages compiled at once, the compiler's backend concurrency, the
 * linker's threads), as GoReleaser's builds do: a build held to one thread leaves cores idle
 * whenever it waits on a link or a long package. So up to `cores` builds run at once, fewer when
 * memory would not hold `cores` compiles of each (`peak` is one compile's or link's estimated peak).
 */
export function planParallelism(
  setting: 'auto' | number,
  targets: number,
  cores = os.availableParallelism(),
  memory = availableMemory(),
  peak = PEAK_BYTES_PER_BUILD,
): Plan {
  const perBuild = peak * cores;
  const byMemory = Math.max(1, Math.floor(memory / perBuild));
  let workers: number;
  let reason: string;
  if (setting === 'auto') {
    workers = Math.max(1, Math.min(cores, byMemory, targets));
    reason = `${cores} cores, ${(memory / 2 ** 30).toFixed(1)} GiB available ÷ (${cores} × ${(peak / 2 ** 20).toFixed(0)} MiB per build) = ${byMemory}, ${targets} targets`;
  } else {
    workers = Math.max(1, Math.min(setting, targets));
    reason = `parallelism: ${setting}`;
  }
  return { workers, cores, reason };
}

/** The template fields of one target's build: the target, the binary (`.Binary`, `.Name`, `.Path`, `.Ext`), `.Env`. */
export function targetData(scope: TemplateScope, t: Target, env: Record<string, string> = scope.env): Value {
  const ext = t.file.endsWith('.exe') ? '.exe' : t.file.endsWith('.wasm') ? '.wasm' : '';
  return templateFields(
    { ...scope, env },
    { target: t.target.go, platform: t.platform, binary: t.file.slice(0, t.file.length - ext.length), name: t.file, ext, path: t.out },
    { Name: t.file, Path: t.out, Ext: ext },
  );
}

export interface CommandContext {
  cfg: Pick<Config, 'reproducible' | 'cgo'>;
  scope: TemplateScope;
  /** The file's global `env`, rendered (the variables it adds). */
  fileEnv: Record<string, string>;
  /** Build id → `-X` flags of the version variables found (only for builds with default ldflags). */
  stamps: ReadonlyMap<string, readonly string[]>;
  /** The module is in a git work tree: `-buildvcs=true`, so `go version -m` shows vcs.revision whatever GOFLAGS says. */
  vcs: boolean;
}

export interface Command {
  args: string[];
  /** What goship adds to the environment of `go build` (merged onto the runner's). */
  env: Record<string, string>;
  /** The environment of the build's hooks: the file's and the build's `env`, not the target's GOOS/GOARCH (as in GoReleaser). */
  hookEnv: Record<string, string>;
  cgo: boolean;
}

/** `go build` flags goship decides for every build: where the binary goes (`-o`) and where the build runs (`-C`). */
const OWN_FLAGS = /^--?(o|C)(=|$)/;

function checkFileFlags(where: string, flags: readonly string[]): void {
  for (const f of flags) {
    if (OWN_FLAGS.test(f)) {
      throw new GoshipError(
        `${where}: the flag ${f} would move what goship builds or reads.`,
        'Remove it: goship writes each binary to dist/<id>_<target>/<binary>, as GoReleaser does',
      );
    }
  }
}

/** The `go build` argv and environment of one target, every template rendered. */
export function commandFor(c: CommandContext, t: Target): Command {
  const d = t.build.details(t.target);
  const where = t.build.where;
  // GoReleaser's order: the run's env (+ the file's), the build's env, then the target's GOOS/GOARCH/…
  const base: Record<string, string> = { CGO_ENABLED: '0', ...c.fileEnv };
  if (c.cfg.reproducible) base.SOURCE_DATE_EPOCH = String(c.scope.project.commit.epoch);
  const rendered = renderEnv(d.env, (e) => targetData(c.scope, t, { ...c.scope.env, ...e }), base);
  const hookEnv = renderEnv(d.env, (e) => targetData(c.scope, t, { ...c.scope.env, ...e }), { ...c.fileEnv });
  const env: Record<string, string> = { ...rendered, ...t.target.env };
  if (c.cfg.cgo !== undefined) env.CGO_ENABLED = c.cfg.cgo ? '1' : '0';
  const data = targetData(c.scope, t, { ...c.scope.env, ...env });
  const flags = renderList(d.flags, data);
  checkFileFlags(where, flags);
  const args = ['build'];
  if (c.vcs && !flags.some((f) => /^--?buildvcs(=|$)/.test(f))) args.push('-buildvcs=true');
  args.push(...flags);
  if (c.cfg.reproducible && !flags.includes('-trimpath')) args.push('-trimpath');
  args.push(...renderList(d.asmflags, data).map((f) => `-asmflags=${f}`));
  args.push(...renderList(d.gcflags, data).map((f) => `-gcflags=${f}`));
  const tags = renderList(d.tags, data);
  if (tags.length) args.push(`-tags=${tags.join(',')}`);
  const stamps = (c.stamps.get(t.build.id) ?? []).map((f) => render(`${where}: version variables`, f, data));
  const ldflags = [c.cfg.reproducible ? '-buildid=' : '', ...renderList(d.ldflags, data), ...stamps].filter(Boolean);
  if (ldflags.length) args.push(`-ldflags=${ldflags.join(' ')}`);
  if (d.buildmode) args.push(`-buildmode=${d.buildmode}`);
  // one argument each: a value never becomes an option; `--` ends the flags before the package
  args.push('-o', t.out, '--', t.main.arg);
  return { args, env, hookEnv, cgo: env.CGO_ENABLED === '1' };
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

export interface Built {
  target: Target;
  sha256: string;
  size: number;
  seconds: number;
  cgo: boolean;
}

export interface BuildOptions {
  /** The module folder (hooks run there). */
  workdir: string;
  dist: string;
  /** Added to every build's environment (the VCS excludes, a fresh GOCACHE for the proof). */
  env: Record<string, string>;
  commands: CommandContext;
  plan: Plan;
  log?: Log;
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

/** A template of `mod_timestamp` rendered: Unix seconds, or an RFC 3339 time. */
export function parseModTimestamp(where: string, value: string): Date {
  const s = value.trim();
  const d = /^-?\d+$/.test(s) ? new Date(Number(s) * 1000) : new Date(s);
  if (Number.isNaN(d.getTime())) {
    throw new GoshipError(
      `${where}: mod_timestamp renders ${JSON.stringify(s)}, which is neither Unix seconds nor an RFC 3339 time.`,
      'Use e.g. `{{ .CommitTimestamp }}`',
    );
  }
  return d;
}

async function hooksOf(kind: 'pre' | 'post', t: Target, c: Command, o: BuildOptions): Promise<void> {
  const hooks = t.build.hooks[kind];
  if (hooks.length === 0 || !o.log) return;
  const scope = o.commands.scope;
  await runHooks(hooks, `${kind}-build hook (${t.build.id} ${t.target.id})`, {
    workdir: o.workdir,
    data: (env) => targetData(scope, t, { ...scope.env, ...env }),
    env: c.hookEnv,
    log: o.log,
  });
}

export async function buildAll(targets: readonly Target[], o: BuildOptions): Promise<Built[]> {
  // main-major order: parallel workers start on different platforms, so none compile the same
  // standard library at the same time; later builds of a platform find it in the shared cache.
  const order = [...targets].sort((a, b) => (a.main.importPath < b.main.importPath ? -1 : a.main.importPath > b.main.importPath ? 1 : 0));
  let done = 0;
  const results = await mapLimit(order, o.plan.workers, async (t) => {
    // a folder or binary planted as a symlink in dist is replaced, never written through
    await realDir(path.dirname(t.out), o.dist);
    await rm(t.out, { force: true });
    const cmd = commandFor(o.commands, t);
    await hooksOf('pre', t, cmd, o);
    const started = performance.now();
    const env = { ...cmd.env, ...o.env };
    const r = await run('go', cmd.args, { cwd: t.cwd, env, silent: true, allowFailure: true });
    if (r.code !== 0) {
      throw new ExecError(
        ['go', ...cmd.args],
        r.code,
        r.stdout,
        r.stderr,
        `Building ${t.main.importPath} for ${t.platformName} failed; reproduce with GOOS=${t.platform.os} GOARCH=${t.platform.arch} go build ${t.main.arg}`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    await chmod(t.out, 0o755);
    if (t.build.modTimestamp) {
      const when = parseModTimestamp(tmplWhere(t.build.modTimestamp), renderTmpl(t.build.modTimestamp, targetData(o.commands.scope, t)));
      await utimes(t.out, when, when);
    }
    await hooksOf('post', t, cmd, o);
    // the binary is hashed while the next build runs: a build slot never waits on a hash
    const digest = digestFile(t.out);
    digest.catch(() => undefined); // awaited below; a failure before that is not unhandled
    done++;
    o.progress?.(`built ${done}/${order.length} — ${t.main.binary || t.file} ${t.platformName} ${formatMs(seconds * 1000)}`);
    return { target: t, digest, seconds, cgo: cmd.cgo };
  });
  const hashed = await allInOrder(results.map((r) => r.digest));
  const built: Built[] = results.map((r, i) => ({
    target: r.target,
    sha256: hashed[i]!.digest,
    size: hashed[i]!.size,
    seconds: r.seconds,
    cgo: r.cgo,
  }));
  const byKey = new Map(built.map((b) => [builtKey(b.target), b]));
  return targets.map((t) => byKey.get(builtKey(t))!);
}

/** One binary of the run: its build, target and file. */
export function builtKey(t: Target): string {
  return `${t.build.id}@${t.target.id}@${t.file}`;
}
