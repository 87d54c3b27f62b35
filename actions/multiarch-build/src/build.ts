/**
 * `go build` per (build, main, target): the build's flags, tags and ldflags rendered for the
 * target, its env over the file's, GOOS/GOARCH and the variant's variables, CGO_ENABLED 0 unless
 * asked, -trimpath and -buildvcs=true; pre and post hooks around it. Modules are downloaded once first so
 * parallel builds don't race; as many builds run at once as there are cores (fewer when memory is
 * short), each with the go command's own parallelism. The go command's build ID stays in the binary
 * (with -trimpath it is as deterministic as the rest): it is what lets go find the binary the last
 * run built up to date and not link it again (kept.ts).
 */
import type { Log } from '@goship/core/action';
import { digestFile } from '@goship/core/digest';
import { ExecError, GoshipError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { isInside } from '@goship/core/paths';
import { allInOrder } from '@goship/core/retry';
import { formatMs } from '@goship/core/summary';
import type { Value } from '@goship/core/template';
import { chmod, mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config.js';
import { posixRel, realDir } from './dist.js';
import { renderEnv, runHooks } from './hooks.js';
import { KeptBinaries } from './kept.js';
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
  const ldflags = [...renderList(d.ldflags, data), ...stamps].filter(Boolean);
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
  /** The go command found the binary kept from the last run up to date and did not link it (kept.ts). */
  reused?: boolean;
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
  /** Told each binary once it is built and hashed (after its post hooks), while others still build. */
  onBuilt?: (b: Built) => void;
  /** Offer go the binaries the last run built, and keep these (kept.ts); off for the proof's rebuild. */
  keepBinaries?: boolean;
}

/**
 * `go mod download` once, so that parallel builds find every module in the cache. Silent, it
 * gives what the go command said (the modules it fetched) for the log.
 */
export async function downloadModules(cwd: string, env: Record<string, string>, o: { silent?: boolean } = {}): Promise<string> {
  const r = await run('go', ['mod', 'download'], {
    cwd,
    env,
    silent: o.silent,
    fix: 'Check go.mod/go.sum and that the module proxy is reachable (GOPROXY, GOPRIVATE, GONOSUMDB)',
  });
  return `${r.stdout}${r.stderr}`.trim();
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

/**
 * The order builds start in: the platforms in groups of `workers`, each group's mains in turn
 * (main by main, the group's platforms side by side). Builds that start together are on different
 * platforms, so on a cold cache none compile the same standard library and dependencies at once,
 * and a platform's later mains find them cached; and every main of a platform is built soon after
 * its first, so the platform's archive is made while later platforms still build.
 */
export function buildOrder(targets: readonly Target[], workers: number): Target[] {
  const platforms = [...new Set(targets.map((t) => t.target.id))];
  const group = (t: Target): number => Math.floor(platforms.indexOf(t.target.id) / Math.max(1, workers));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...targets].sort(
    (a, b) =>
      group(a) - group(b) ||
      cmp(a.main.importPath, b.main.importPath) ||
      platforms.indexOf(a.target.id) - platforms.indexOf(b.target.id) ||
      cmp(a.build.id, b.build.id),
  );
}

/** The name `go build -o DIR/` gives a main package's binary: its last path element (the one before a /vN major version). */
export function defaultExecName(importPath: string, goos: string): string {
  const parts = importPath.split('/');
  let name = parts.at(-1)!;
  if (parts.length > 1 && /^v[2-9]\d*$|^v[1-9]\d+$/.test(name)) name = parts.at(-2)!;
  return goos === 'windows' ? `${name}.exe` : name;
}

/** Targets one `go build` makes together, and its argv and environment. */
export interface BuildGroup {
  targets: Target[];
  cmds: Command[];
  /** The flags and environment the targets share: everything but `-o` and the packages. */
  flags: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * The targets in groups that one `go build` makes at once (`go build -o DIR/ ./cmd/a ./cmd/b`),
 * like a bare per-platform loop: the go command loads the packages once and links the mains side
 * by side. A group's targets share the platform, flags, environment and folder, have no hooks (a
 * hook runs around its own build) and get distinct binary names from go; wasm and other build
 * modes (whose files go names otherwise) go alone.
 * Groups keep the order of their first targets.
 */
export function groupTargets(ordered: readonly Target[], commands: CommandContext): BuildGroup[] {
  const groups: BuildGroup[] = [];
  const byKey = new Map<string, BuildGroup>();
  for (const t of ordered) {
    const cmd = commandFor(commands, t);
    const tail = cmd.args.slice(-4);
    const flags = cmd.args.slice(0, -4);
    const alone =
      t.build.hooks.pre.length > 0 ||
      t.build.hooks.post.length > 0 ||
      t.platform.arch === 'wasm' ||
      flags.some((f) => /^--?buildmode=/.test(f)) ||
      tail[0] !== '-o' ||
      tail[2] !== '--';
    const key = JSON.stringify([flags, Object.entries(cmd.env).sort(), t.cwd]);
    const g = alone ? undefined : byKey.get(key);
    const name = defaultExecName(t.main.importPath, t.platform.os);
    if (g && !g.targets.some((x) => defaultExecName(x.main.importPath, x.platform.os) === name)) {
      g.targets.push(t);
      g.cmds.push(cmd);
      continue;
    }
    const ng: BuildGroup = { targets: [t], cmds: [cmd], flags, env: cmd.env, cwd: t.cwd };
    groups.push(ng);
    if (!alone) byKey.set(key, ng);
  }
  return groups;
}

/**
 * Which waiting build starts next: the first in order whose platform is not being built (a
 * platform's first build fills the cache its later ones read), else the first.
 */
export function nextBuild(waiting: readonly Pick<BuildGroup, 'targets'>[], running: readonly Pick<BuildGroup, 'targets'>[]): number {
  const busy = new Set(running.flatMap((g) => g.targets.map((t) => t.target.id)));
  const free = waiting.findIndex((g) => !g.targets.some((t) => busy.has(t.target.id)));
  return free >= 0 ? free : 0;
}

/** Builds every target, a group a `go build` (groupTargets), `o.plan.workers` at a time. */
export async function buildAll(targets: readonly Target[], o: BuildOptions): Promise<Built[]> {
  const waiting = groupTargets(buildOrder(targets, o.plan.workers), o.commands);
  const total = targets.length;
  const running: BuildGroup[] = [];
  let done = 0;
  // the GOCACHE's kept binaries, asked once (a build's own GOCACHE, if it sets one, is used for it)
  const keptDefault = o.keepBinaries === false ? undefined : KeptBinaries.of(o.workdir, o.env);
  keptDefault?.catch(() => undefined);
  const keptFor = (g: BuildGroup): Promise<KeptBinaries | undefined> | undefined => {
    if (o.keepBinaries === false) return undefined;
    const gocache = { ...g.env, ...o.env }.GOCACHE;
    return gocache === undefined ? keptDefault : Promise.resolve(KeptBinaries.at(gocache));
  };
  const usedKept = new Set<KeptBinaries>();
  const buildGroup = async (g: BuildGroup) => {
    for (const t of g.targets) {
      // a folder or binary planted as a symlink in dist is replaced, never written through
      await realDir(path.dirname(t.out), o.dist);
      await rm(t.out, { force: true });
    }
    const one = g.targets.length === 1 ? g.targets[0]! : undefined;
    if (one) await hooksOf('pre', one, g.cmds[0]!, o);
    // several mains: go writes them into an empty folder of dist under its own names; each is then moved to its place
    const dir = one ? undefined : await mkdtemp(path.join(o.dist, '.goship-build-'));
    const kept = await keptFor(g);
    if (kept) usedKept.add(kept);
    try {
      const goOut = (t: Target): string => (dir ? path.join(dir, defaultExecName(t.main.importPath, t.platform.os)) : t.out);
      const restored = kept ? await Promise.all(g.targets.map((t) => kept.restore(t, goOut(t)))) : g.targets.map(() => undefined);
      const args = one ? g.cmds[0]!.args : [...g.flags, '-o', `${dir}${path.sep}`, '--', ...g.targets.map((t) => t.main.arg)];
      const started = performance.now();
      const r = await run('go', args, { cwd: g.cwd, env: { ...g.env, ...o.env }, silent: true, allowFailure: true });
      if (r.code !== 0) {
        if (one && restored[0] !== undefined) await rm(one.out, { force: true }); // no stale binary is left in dist
        const t = g.targets[0]!;
        throw new ExecError(
          ['go', ...args],
          r.code,
          r.stdout,
          r.stderr,
          `Building ${g.targets.map((x) => x.main.importPath).join(', ')} for ${t.platformName} failed; reproduce with GOOS=${t.platform.os} GOARCH=${t.platform.arch} go build ${g.targets.map((x) => x.main.arg).join(' ')}`,
        );
      }
      const seconds = (performance.now() - started) / 1000;
      const out = [];
      for (const [i, t] of g.targets.entries()) {
        if (dir) await rename(goOut(t), t.out);
        // kept before the post hooks: what they do to the binary is done again to the next run's
        const reused = (await kept?.keep(t, t.out, restored[i])) ?? false;
        await chmod(t.out, 0o755);
        if (t.build.modTimestamp) {
          const when = parseModTimestamp(
            tmplWhere(t.build.modTimestamp),
            renderTmpl(t.build.modTimestamp, targetData(o.commands.scope, t)),
          );
          await utimes(t.out, when, when);
        }
        if (one) await hooksOf('post', t, g.cmds[i]!, o);
        // the binary is hashed while the next build runs: a build slot never waits on a hash
        const digest = digestFile(t.out);
        const cgo = g.cmds[i]!.cgo;
        digest.then(
          (d) => o.onBuilt?.({ target: t, sha256: d.digest, size: d.size, seconds, cgo, reused }),
          () => undefined, // awaited below; a failure before that is not unhandled
        );
        done++;
        o.progress?.(
          `built ${done}/${total} — ${t.main.binary || t.file} ${t.platformName} ${formatMs(seconds * 1000)}${reused ? ' (up to date: the binary kept from the last run)' : ''}`,
        );
        out.push({ target: t, digest, seconds, cgo, reused });
      }
      return out;
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  };
  const results: Awaited<ReturnType<typeof buildGroup>> = [];
  let failed: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && waiting.length) {
      const g = waiting.splice(nextBuild(waiting, running), 1)[0]!;
      running.push(g);
      try {
        results.push(...(await buildGroup(g)));
      } catch (e) {
        failed ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        running.splice(running.indexOf(g), 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.plan.workers, waiting.length)) }, worker));
  if (failed !== undefined) throw failed;
  await Promise.all([...usedKept].map((k) => k.trim()));
  const hashed = await allInOrder(results.map((r) => r.digest));
  const built: Built[] = results.map((r, i) => ({
    target: r.target,
    sha256: hashed[i]!.digest,
    size: hashed[i]!.size,
    seconds: r.seconds,
    cgo: r.cgo,
    reused: r.reused,
  }));
  const byKey = new Map(built.map((b) => [builtKey(b.target), b]));
  return targets.map((t) => byKey.get(builtKey(t))!);
}

/** One binary of the run: its build, target and file. */
export function builtKey(t: Target): string {
  return `${t.build.id}@${t.target.id}@${t.file}`;
}
