/**
 * One run of semver-release: what it read, decided and did, step by step. The outputs and the
 * job summary are derived from it in one place each (outputs.ts, summary.ts), whatever step the
 * run stopped at.
 */
import type { Log } from '@goship/core/action';
import { traceId as runTraceId } from '@goship/core/github';
import { formatSemVer } from '@goship/core/semver';
import type { Announcement } from './announce.js';
import type { AssetSelection, ReleaseIdentity } from './assets.js';
import { type ChangelogSource, highlights } from './changelog.js';
import type { Config } from './config.js';
import type { GitHistory } from './git.js';
import { RepoApi, githubClient } from './github-api.js';
import { type NotesContext, releaseNotes } from './notes.js';
import type { PublishOptions, PublishResult } from './publish.js';
import type { TagResult } from './tags.js';
import { type TapInputs, type TapResult, planTaps, updateTaps } from './taps/index.js';
import { installSection } from './taps/notes.js';
import type { VersionPlan } from './version.js';

export interface Run {
  cfg: Config;
  plan: VersionPlan;
  /** The release commit. */
  target: string;
  changelog: string;
  selection?: AssetSelection;
  tag?: TagResult;
  release?: PublishResult;
  floating?: Record<string, TagResult>;
  taps: TapInputs;
  tapResults?: TapResult[];
  /** `sent`, or why the announcement failed. */
  announced?: string;
  failure?: unknown;
}

export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
}

/** The repository's web address, for links in the changelog and notes. */
export function webUrl(cfg: Pick<Config, 'repository'>): string | undefined {
  return cfg.repository ? `${serverUrl()}/${cfg.repository.owner}/${cfg.repository.repo}` : undefined;
}

/** The GitHub client of the run, when the command or the changelog needs one. */
export function repoApiFor(cfg: Config, plan: VersionPlan): RepoApi | undefined {
  const needed = plan.version !== undefined && (cfg.command !== 'plan' || cfg.changelog === 'github');
  if (!needed || !cfg.repository) return undefined;
  return new RepoApi(githubClient(cfg.token), cfg.repository);
}

export function changelogSource(run: Pick<Run, 'cfg' | 'plan' | 'target'>, git: GitHistory, api: RepoApi | undefined): ChangelogSource {
  const { cfg, plan, target } = run;
  return {
    changelog: cfg.changelog,
    sections: cfg.sections,
    web: webUrl(cfg),
    commitDate: () => git.commitDate(target),
    ...(api && plan.tag ? { generate: () => api.generateNotes(plan.tag!, target, plan.previousTag) } : {}),
  };
}

/** What the manifest must have been built for. */
export function identity(plan: VersionPlan, target: string): ReleaseIdentity {
  return { tag: plan.tag!, version: formatSemVer(plan.version!), commit: target };
}

export function traceOf(run: Pick<Run, 'selection'>): string {
  return run.selection?.manifest?.traceId || runTraceId();
}

function wantsTaps(run: Pick<Run, 'cfg' | 'taps' | 'selection'>): boolean {
  return Boolean(run.selection?.manifest && run.cfg.repository && (run.taps.homebrew || run.taps.scoop));
}

/** What the tap and bucket need is checked before the release is touched: a cask that cannot be made fails now. */
export function checkTaps(run: Pick<Run, 'cfg' | 'taps' | 'selection'>): void {
  if (wantsTaps(run)) planTaps(run.taps, tapContext(run));
}

function tapContext(run: Pick<Run, 'cfg' | 'selection'>): {
  manifest: NonNullable<AssetSelection['manifest']>;
  repoUrl: string;
  githubCom: boolean;
} {
  return { manifest: run.selection!.manifest!, repoUrl: webUrl(run.cfg)!, githubCom: serverUrl() === 'https://github.com' };
}

/** The tap and bucket follow a release this run made live. */
export function wantsTapUpdate(run: Run): boolean {
  return Boolean(run.release && !run.release.draft && wantsTaps(run));
}

export function updateTapsFor(run: Run, log: Pick<Log, 'info' | 'warning'>): Promise<TapResult[]> {
  return updateTaps(run.taps, { ...tapContext(run), releaseToken: run.cfg.token, log });
}

function notesBody(run: Run): string {
  const install = wantsTaps(run) ? installSection(run.selection!.manifest!, { ...run.taps, repoUrl: webUrl(run.cfg)! }) : '';
  return install ? `${run.changelog.trimEnd()}\n\n${install}` : run.changelog;
}

export function publishOptions(run: Run, log: Pick<Log, 'info' | 'warning'>): PublishOptions {
  const { cfg, plan, selection } = run;
  const notes: NotesContext = {
    repository: `${cfg.repository!.owner}/${cfg.repository!.repo}`,
    serverUrl: serverUrl(),
    workflowRef: process.env.GITHUB_WORKFLOW_REF || undefined,
    traceId: traceOf(run),
    runId: process.env.GITHUB_RUN_ID,
    runAttempt: process.env.GITHUB_RUN_ATTEMPT,
  };
  return {
    tag: plan.tag!,
    name: plan.tag!,
    body: releaseNotes(notesBody(run), selection?.manifest, notes),
    prerelease: plan.isPrerelease,
    draft: cfg.draft,
    makeLatest: cfg.makeLatest,
    prefix: cfg.prefix,
    version: plan.version!,
    targetCommitish: run.target,
    assets: selection!.assets,
    replaceMismatched: cfg.replaceMismatched,
    maxConcurrency: cfg.maxConcurrency,
    log,
  };
}

/** Floating tags follow a stable release this run made live. */
export function wantsFloatingTags(run: Run): boolean {
  return Boolean(run.release && !run.release.draft && run.cfg.floatingTags && !run.plan.isPrerelease);
}

/** Announced once: by the run that published. */
export function wantsAnnouncement(run: Run): boolean {
  return Boolean(run.release?.published && run.cfg.announceWebhook);
}

export function announcementOf(run: Run): Announcement {
  return {
    project: run.selection?.manifest?.project || run.cfg.repository!.repo,
    version: formatSemVer(run.plan.version!),
    tag: run.plan.tag!,
    url: run.release!.url,
    highlights: highlights(run.plan.changes, run.cfg.sections),
    traceId: traceOf(run),
    prerelease: run.plan.isPrerelease,
  };
}
