/**
 * The lint findings of a previous release: its commit checked out as a `git worktree` in
 * RUNNER_TEMP, today's lint configuration copied over its own (so a linter enabled today judges
 * the old code by today's rules), and the same checks run there with the same tools, Go, build
 * tags and packages. The result is cached by everything that decides it — the tag's commit, the
 * check, the tool and Go versions, the configuration — so the next run for that release reads it
 * instead of checking the old code again.
 */
import { parseGoMod } from '@goship/core/go';
import { isInside, realOrResolved } from '@goship/core/paths';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Check } from './checks/check.js';
import { captured } from './command.js';
import { GOLANGCI_CONFIGS, staticcheckConfs } from './config.js';
import { type Finding, PathMapper } from './findings.js';
import type { GateContext } from './gate.js';
import { type Repo, type TagRef, git } from './git.js';
import { type Fingerprint, fingerprint } from './match.js';
import { resultCache } from './result-cache.js';

/** `$GOSHIP_GATE_BASELINE_CACHE`, else `<user cache dir>/goship/gate-baseline`. */
export const baselineCache = resultCache('gate-baseline', 'GOSHIP_GATE_BASELINE_CACHE');

/** Reads source lines, each file once. */
export function lineReader(): (abs: string, line: number | undefined) => Promise<string | undefined> {
  const files = new Map<string, Promise<string[] | undefined>>();
  return async (abs, line) => {
    if (!line) return undefined;
    let f = files.get(abs);
    if (!f)
      files.set(
        abs,
        (f = readFile(abs, 'utf8').then(
          (t) => t.split('\n'),
          () => undefined,
        )),
      );
    return (await f)?.[line - 1];
  };
}

/** Fingerprints of `findings`, found by a run with `paths` (module-relative files, their source lines). */
export async function fingerprints(findings: readonly Finding[], paths: PathMapper, read = lineReader()): Promise<Fingerprint[]> {
  return Promise.all(
    findings.map(async (f) => {
      const abs = f.file ? path.resolve(paths.workspace, f.file) : '';
      const rel = abs ? path.relative(paths.moduleDir, abs).split(path.sep).join('/') : '';
      return fingerprint(f, rel, abs ? await read(abs, f.line) : undefined);
    }),
  );
}

async function configDigest(g: GateContext): Promise<string> {
  const h = createHash('sha256');
  for (const f of [g.cfg.lint.golangci, ...g.cfg.lint.staticcheck].filter((x): x is string => !!x)) {
    h.update(`\0${path.relative(g.cfg.workdir, f)}\0`);
    h.update(await readFile(f));
  }
  return h.digest('hex');
}

export async function baselineKey(g: GateContext, check: Check, commit: string, moduleRel: string): Promise<string> {
  const tool = check.tool ? g.tools[check.tool] : undefined;
  const env = ['GOOS', 'GOARCH', 'GOFLAGS', 'CGO_ENABLED', 'GOEXPERIMENT'].map((k) => process.env[k] ?? '');
  const what = {
    v: 1,
    commit,
    check: check.name,
    tool: tool && [tool.version, tool.builtWith],
    go: g.goVersion,
    tags: g.cfg.buildTags,
    packages: g.cfg.packages,
    moduleRel,
    env,
    config: await configDigest(g),
  };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** Replaces the release's own lint configuration with today's. */
async function useTodaysConfig(g: GateContext, moduleDir: string): Promise<void> {
  for (const f of [...GOLANGCI_CONFIGS.map((n) => path.join(moduleDir, n)), ...staticcheckConfs(moduleDir)]) await rm(f, { force: true });
  for (const f of [g.cfg.lint.golangci, ...g.cfg.lint.staticcheck].filter((x): x is string => !!x)) {
    const to = path.join(moduleDir, path.relative(g.cfg.workdir, f));
    // The old tree may have a link where today's tree has a folder: never write through it.
    if (!isInside(realOrResolved(path.dirname(to)), realOrResolved(moduleDir))) continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(f, to);
  }
}

export interface Baseline {
  fingerprints: Fingerprint[];
  /** Checks whose findings came from the cache. */
  cached: string[];
  /** What makes the comparison less than complete. */
  notes: string[];
}

interface AtRelease {
  fingerprints: Fingerprint[];
  /** Set when the check also reported errors that are not lint there (the old code did not build, say). */
  note?: string;
}

/** Runs `checks` on the release's code in `dir`; their lint-type error findings as fingerprints. */
async function runAtRelease(
  g: GateContext,
  dir: string,
  moduleRel: string,
  rel: TagRef,
  checks: readonly Check[],
): Promise<Map<string, AtRelease>> {
  const moduleDir = path.join(dir, moduleRel);
  const out = new Map<string, AtRelease>();
  if (!existsSync(path.join(moduleDir, 'go.mod'))) {
    for (const c of checks) out.set(c.name, { fingerprints: [], note: `${rel.tag} has no go.mod in ${moduleRel || '.'}` });
    return out;
  }
  await useTodaysConfig(g, moduleDir);
  const gomod = parseGoMod(await readFile(path.join(moduleDir, 'go.mod'), 'utf8'));
  const paths = new PathMapper(dir, moduleDir, gomod.module);
  const at: GateContext = { ...g, cfg: { ...g.cfg, workdir: moduleDir }, paths, modulePath: gomod.module, moduleGo: gomod.go };
  for (const c of checks) {
    const { value, lines } = await captured(() => c.run(at));
    g.log.info(lines.join('\n'));
    const errors = value.filter((f) => f.severity === 'error');
    const others = errors.filter((f) => c.classify(f) !== 'lint');
    const note = others.length
      ? `${c.name} also reported ${others.length} error(s) at ${rel.tag} that are not lint findings (${others[0]!.message.split('\n')[0]}), so its list there may be incomplete`
      : undefined;
    out.set(c.name, {
      fingerprints: await fingerprints(
        errors.filter((f) => c.classify(f) === 'lint'),
        paths,
      ),
      note,
    });
  }
  return out;
}

/** Checks out `commit` in `dir` for the length of `fn`, then removes the worktree again. */
async function withWorktree<T>(repo: Repo, dir: string, commit: string, fn: () => Promise<T>): Promise<T> {
  await rm(dir, { recursive: true, force: true });
  await git(repo.top, ['worktree', 'prune']);
  await git(repo.top, ['worktree', 'add', '--detach', '--force', dir, commit]);
  try {
    return await fn();
  } finally {
    await git(repo.top, ['worktree', 'remove', '--force', dir]).catch(() => rm(dir, { recursive: true, force: true }));
    await git(repo.top, ['worktree', 'prune']).catch(() => undefined);
  }
}

/** The lint findings `checks` report at release `rel`, from the cache or from a worktree of its commit. */
export async function releaseBaseline(g: GateContext, repo: Repo, rel: TagRef, checks: readonly Check[]): Promise<Baseline> {
  const moduleRel = path.relative(repo.top, g.cfg.workdir);
  const keys = new Map<string, string>();
  const found = new Map<string, AtRelease>();
  for (const c of checks) {
    const key = await baselineKey(g, c, rel.commit, moduleRel);
    keys.set(c.name, key);
    const hit = await baselineCache.read(key);
    if (hit !== undefined) found.set(c.name, JSON.parse(hit) as AtRelease);
  }
  const cached = [...found.keys()];
  const missing = checks.filter((c) => !found.has(c.name));
  if (cached.length) g.log.info(`${cached.join(', ')} at ${rel.tag}: from the cache (${baselineCache.dir()})`);
  if (missing.length) {
    const dir = path.join(g.outDir, 'baseline', rel.commit.slice(0, 12));
    g.log.info(`${missing.map((c) => c.name).join(', ')} at ${rel.tag}: checking out ${rel.commit.slice(0, 12)} in ${dir} (git worktree)`);
    const ran = await withWorktree(repo, dir, rel.commit, () => runAtRelease(g, dir, moduleRel, rel, missing));
    for (const [name, r] of ran) {
      found.set(name, r);
      await baselineCache.write(keys.get(name)!, JSON.stringify(r), g.log);
    }
  }
  const results = [...found.values()];
  return { fingerprints: results.flatMap((r) => r.fingerprints), cached, notes: results.flatMap((r) => (r.note ? [r.note] : [])) };
}
