/**
 * One run of semver-release: what it read, decided and did, step by step. The outputs and the
 * job summary are derived from it in one place each (outputs.ts, summary.ts), whatever step the
 * run stopped at.
 */
import type { Inputs, Log } from '@goship/core/action';
import { notAppliedLines } from '@goship/core/config-input';
import { traceId as runTraceId } from '@goship/core/github';
import { formatSemVer } from '@goship/core/semver';
import type { Announcement } from './announce.js';
import { type AssetSelection, type ReleaseIdentity, selectAssets } from './assets.js';
import { type ChangelogSource, changelogFor, highlights } from './changelog.js';
import { type Config, readConfig } from './config.js';
import type { GitHistory } from './git.js';
import { wrapNotes } from './goreleaser.js';
import { type ReleaseTexts, addExtraFiles, disabledBy, factsOf, fileChangelog, renderTexts, skipsUpload } from './release-file.js';
import { RepoApi, githubClient } from './github-api.js';
import { type NotesContext, releaseNotes } from './notes.js';
import type { PublishOptions, PublishResult } from './publish.js';
import type { TagResult } from './tags.js';
import { type TapInputs, type TapResult, planTaps, readTapInputs, updateTaps } from './taps/index.js';
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
  /** The key that disabled the release (`release.disable (.goreleaser.yaml:9)`): nothing is published. */
  disabledBy?: string;
  /** `release.skip_upload`: the release is made without assets. */
  skipUpload?: boolean;
  /** The GoReleaser file's name, header, footer and make_latest, rendered after the changelog. */
  texts?: ReleaseTexts;
}

/** Every input, checked; the GoReleaser file's keys this action does not apply are logged once. */
export function readRunInputs(inputs: Inputs, log: Pick<Log, 'info'>): { cfg: Config; taps: TapInputs } {
  const cfg = readConfig(inputs);
  const taps = readTapInputs(inputs);
  if (cfg.file) {
    log.info(`Using ${cfg.file.file} (release and changelog sections; inputs given in the step override it).`);
    for (const l of notAppliedLines(cfg.file.file, cfg.file.notApplied)) log.info(l);
  }
  return { cfg, taps };
}

/**
 * The assets to publish, resolved and hashed before anything changes: the manifest's (or
 * `files`), plus the file's `release.extra_files`; none with `release.skip_upload`; undefined
 * when `release.disable` is true.
 */
export async function releaseAssets(
  run: Run,
  git: Pick<GitHistory, 'commitDate'>,
  log: Pick<Log, 'warning'>,
): Promise<AssetSelection | undefined> {
  const { cfg, plan, target } = run;
  const facts = cfg.file ? factsOf(cfg, plan, target, await git.commitDate(target)) : undefined;
  run.disabledBy = facts && disabledBy(cfg.file, facts);
  if (run.disabledBy) return undefined;
  if (facts && skipsUpload(cfg.file, facts)) {
    run.skipUpload = true;
    return { assets: [] };
  }
  const selection = await selectAssets(cfg, identity(plan, target), log);
  return facts ? addExtraFiles(selection, cfg, facts, log) : selection;
}

/** The changelog, then the file's texts that may use it (`.ReleaseNotes`). */
export async function writeChangelog(run: Run, git: GitHistory, api: RepoApi | undefined): Promise<void> {
  run.changelog = await changelogFor(run.plan, changelogSource(run, git, api));
  if (!run.cfg.file || !run.plan.version) return;
  const facts = factsOf(run.cfg, run.plan, run.target, await git.commitDate(run.target), run.changelog);
  run.texts = renderTexts(run.cfg, facts, run.selection);
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
    ...(cfg.file?.changelog && plan.version
      ? { goreleaser: async () => fileChangelog(cfg, plan, git, factsOf(cfg, plan, target, await git.commitDate(target))) }
      : {}),
  };
}

/** What the manifest must have been built for. */
export function identity(plan: VersionPlan, target: string): ReleaseIdentity {
  return { tag: plan.tag!, version: formatSemVer(plan.version!), commit: target };
}

export function traceOf(run: Pick<Run, 'selection'>): string {
  return run.selection?.manifest?.traceId || runTraceId();
}

function wantsTaps(run: Pick<Run, 'cfg' | 'taps' | 'selection' | 'skipUpload'>): boolean {
  // Without uploaded archives the cask and manifest would point at nothing.
  return Boolean(!run.skipUpload && run.selection?.manifest && run.cfg.repository && (run.taps.homebrew || run.taps.scoop));
}

/** What the tap and bucket need is checked before the release is touched: a cask that cannot be made fails now. */
export function checkTaps(run: Pick<Run, 'cfg' | 'taps' | 'selection' | 'skipUpload'>): void {
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
  const body = releaseNotes(notesBody(run), selection?.manifest, notes);
  const t = run.texts;
  return {
    tag: plan.tag!,
    name: t?.name || plan.tag!,
    body: t ? wrapNotes(body, t.header, t.footer) : body,
    prerelease: plan.isPrerelease,
    draft: cfg.draft,
    makeLatest: t?.makeLatest || cfg.makeLatest,
    ...(cfg.file ? { notesMode: cfg.file.mode } : {}),
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
