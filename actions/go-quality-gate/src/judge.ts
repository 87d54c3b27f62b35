/**
 * `new-only`: a gate that judges what changed. A lint-type finding (see Check.classify) that
 * already existed does not fail the gate; it is reported in the summary. On a pull request,
 * "already existed" means it is not on a line the pull request changes (like golangci-lint-action's
 * only-new-issues, for every lint-type check and without a service). On a tag (or any other
 * push), it means the same finding is reported on the previous release's code (release.ts,
 * baseline.ts, match.ts). Whenever that cannot be decided — no git, no earlier release, a shallow
 * clone — every finding counts, and the summary says why.
 */
import path from 'node:path';
import { type Baseline, fingerprints, releaseBaseline } from './baseline.js';
import { changedLines, isChanged } from './changes.js';
import { type CheckResult, statusOf } from './checks/check.js';
import { checkNamed } from './checks/index.js';
import { type GateEvent, readEvent } from './event.js';
import type { Finding } from './findings.js';
import type { GateContext } from './gate.js';
import { type Repo, openRepo, reachableTags } from './git.js';
import { preExisting } from './match.js';
import { modulePrefix, pickRelease } from './release.js';

export interface Judgement {
  /** `all`: every lint finding counts; `release`: compared with a previous release; `changes`: a pull request's changed lines. */
  mode: 'all' | 'release' | 'changes';
  /** The release tag or the pull request's base commit. */
  against?: string;
  /** The checks whose findings were judged. */
  checks: string[];
  /** What the summary says about how (or why not). */
  notes: string[];
}

interface Candidate {
  result: CheckResult;
  finding: Finding;
}

/** Error findings of lint type: the ones new-only may let pass. */
function lintCandidates(results: readonly CheckResult[]): Candidate[] {
  return results.flatMap((result) => {
    const check = checkNamed(result.name);
    return result.findings.filter((f) => f.severity === 'error' && check.classify(f) === 'lint').map((finding) => ({ result, finding }));
  });
}

/** Moves the pre-existing findings out of their checks' findings and settles the checks' status again. */
function setAside(g: GateContext, old: readonly Candidate[]): void {
  for (const { result, finding } of old) {
    result.findings = result.findings.filter((f) => f !== finding);
    result.preExisting.push(finding);
  }
  for (const r of new Set(old.map((c) => c.result))) r.status = statusOf(checkNamed(r.name), g, r.findings);
}

async function onChangedLines(g: GateContext, base: string | undefined, candidates: Candidate[]): Promise<Omit<Judgement, 'checks'>> {
  const changes = base ? await changedLines(g.cfg.workdir, base) : undefined;
  if (!base || !changes) {
    const why = base
      ? `the pull request's base ${base.slice(0, 12)} is not in the clone (check out with \`fetch-depth: 0\`)`
      : 'the event payload names no base commit';
    return { mode: 'all', notes: [`Every lint finding counts: ${why}.`] };
  }
  const abs = (f: Finding): string => path.resolve(g.paths.workspace, f.file!);
  setAside(
    g,
    candidates.filter(({ finding: f }) => f.file && f.line && !isChanged(changes, abs(f), f.line)),
  );
  return {
    mode: 'changes',
    against: changes.from,
    notes: [`Lint findings fail only on lines this pull request changes (since ${changes.from.slice(0, 12)}).`],
  };
}

async function againstRelease(g: GateContext, repo: Repo, event: GateEvent, candidates: Candidate[]): Promise<Omit<Judgement, 'checks'>> {
  const rel = pickRelease(await reachableTags(repo), {
    current: event.kind === 'tag' ? event.tag : undefined,
    head: repo.head,
    prefix: modulePrefix(path.relative(repo.top, g.cfg.workdir)),
  });
  if (!rel) {
    const why = repo.shallow
      ? 'the clone is shallow, so no earlier release tag is in it (check out with `fetch-depth: 0`)'
      : 'no earlier release tag is reachable from HEAD';
    return { mode: 'all', notes: [`Every lint finding counts: ${why}.`] };
  }
  const checks = [...new Set(candidates.map((c) => checkNamed(c.result.name)))];
  let base: Baseline;
  try {
    base = await releaseBaseline(g, repo, rel, checks);
  } catch (e) {
    // A release that cannot be checked out or checked (a partial clone, a broken old tree) decides nothing.
    const why = (e as Error).message.split('\n')[0];
    return { mode: 'all', notes: [`Every lint finding counts: the lint findings of ${rel.tag} could not be obtained (${why}).`] };
  }
  const current = await fingerprints(
    candidates.map((c) => c.finding),
    g.paths,
  );
  const matched = preExisting(current, base.fingerprints);
  setAside(
    g,
    candidates.filter((_, i) => matched.has(i)),
  );
  const how = `Lint findings are compared with ${rel.tag} (${rel.commit.slice(0, 12)}), the previous release, checked with today's configuration${base.cached.length ? ` (${base.cached.join(', ')} from the cache)` : ''}.`;
  return { mode: 'release', against: rel.tag, notes: [how, ...base.notes] };
}

export async function judgeNewOnly(g: GateContext, results: CheckResult[]): Promise<Judgement> {
  const candidates = lintCandidates(results);
  const checks = [...new Set(candidates.map((c) => c.result.name))];
  if (!g.cfg.newOnly) return { mode: 'all', checks, notes: candidates.length ? ['`new-only: false`: every lint finding counts.'] : [] };
  if (candidates.length === 0) return { mode: 'all', checks, notes: [] };
  const event = await readEvent();
  if (event.kind === 'pull-request') return { checks, ...(await onChangedLines(g, event.base, candidates)) };
  const repo = await openRepo(g.cfg.workdir);
  if (!repo)
    return {
      mode: 'all',
      checks,
      notes: ['Every lint finding counts: the module is not in a git work tree, so there is no earlier release to compare with.'],
    };
  return { checks, ...(await againstRelease(g, repo, event, candidates)) };
}
