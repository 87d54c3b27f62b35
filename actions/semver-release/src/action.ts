/**
 * semver-release: the version from the tag or the conventional commits, the changelog, and a
 * draft-first, verified, resumable GitHub release (or just the tag, with `command: tag`).
 */
import * as core from '@actions/core';
import type { ActionContext } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { type Octokit, type Repo, octokit, traceId as runTraceId } from '@goship/core/github';
import type { Manifest } from '@goship/core/manifest';
import { formatSemVer } from '@goship/core/semver';
import { Summary, formatBytes } from '@goship/core/summary';
import { announce } from './announce.js';
import { selectAssets, type AssetSelection } from './assets.js';
import { highlights, renderChangelog } from './changelog.js';
import { type Config, readConfig } from './config.js';
import { GitHistory } from './git.js';
import { releaseNotes, type NotesContext } from './notes.js';
import { type PublishResult, apiError, publishRelease } from './publish.js';
import { type TagResult, createTag, floatingTagsFor, moveFloatingTags, remoteTagCommit } from './tags.js';
import { type VersionPlan, planVersion } from './version.js';
import { type TapResult, planTaps, readTapInputs, tapsSummary, updateTaps } from './taps/index.js';
import { installSection } from './taps/notes.js';

function client(cfg: Config): Octokit {
  if (!cfg.token || cfg.token.includes('${{')) {
    throw new GoshipError('No GitHub token.', 'Pass `token: ${{ github.token }}` (the default) with `permissions: contents: write`');
  }
  return octokit(cfg.token);
}

function setVersionOutputs(plan: VersionPlan, changelog: string): void {
  const v = plan.version;
  core.setOutput('version', v ? formatSemVer(v) : '');
  core.setOutput('tag', plan.tag ?? '');
  core.setOutput('major', v ? String(v.major) : '');
  core.setOutput('minor', v ? String(v.minor) : '');
  core.setOutput('patch', v ? String(v.patch) : '');
  core.setOutput('prerelease', v ? v.prerelease.join('.') : '');
  core.setOutput('is-prerelease', String(plan.isPrerelease));
  core.setOutput('previous-tag', plan.previousTag ?? '');
  core.setOutput('next-version', plan.nextVersion ? formatSemVer(plan.nextVersion) : '');
  core.setOutput('changelog', changelog);
}

async function githubChangelog(gh: Octokit, repo: Repo, plan: VersionPlan, target: string): Promise<string> {
  try {
    const r = await gh.rest.repos.generateReleaseNotes({
      ...repo,
      tag_name: plan.tag!,
      target_commitish: target,
      ...(plan.previousTag ? { previous_tag_name: plan.previousTag } : {}),
    });
    return r.data.body;
  } catch (e) {
    throw apiError(e, 'generating release notes', repo);
  }
}

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = readConfig(ctx.inputs);
  const taps = readTapInputs(ctx.inputs);
  const summary = new Summary();
  const history = new GitHistory(cfg.workdir, 'HEAD');
  await ctx.phase('Check the git history', () => history.check());
  const tagExists = cfg.tag ? await history.hasRef(`refs/tags/${cfg.tag}`) : false;
  const targetRef = cfg.targetCommitish || (tagExists ? cfg.tag! : 'HEAD');
  const targetSha = await history.resolve(targetRef).catch(() => {
    throw new GoshipError(
      `target-commitish ${JSON.stringify(targetRef)} is not a commit in ${cfg.workdir}.`,
      'Use a branch, tag or commit sha that the checkout has',
    );
  });
  const git = new GitHistory(cfg.workdir, targetSha);

  const plan = await ctx.phase('Decide the version', () =>
    planVersion(
      {
        prefix: cfg.prefix,
        tag: cfg.tag,
        tagSource: cfg.tagSource,
        version: cfg.version,
        bump: cfg.bump,
        initialVersion: cfg.initialVersion,
        breakingPre1: cfg.breakingPre1,
        prerelease: cfg.prerelease,
        prereleaseId: cfg.prereleaseId,
        target: targetSha,
      },
      git,
    ),
  );
  for (const w of plan.warnings) core.warning(w);
  core.info(`Version: ${plan.version ? formatSemVer(plan.version) : '(none)'} — ${plan.reason}.`);

  // Assets are resolved and hashed before any change anywhere (bad input fails first).
  let selection: AssetSelection | undefined;
  if (cfg.command === 'publish' && plan.version) {
    selection = await ctx.phase('Hash the release assets', () => selectAssets(cfg.manifest, cfg.files, cfg.workdir));
  }

  const repo = cfg.repository;
  const server = (process.env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const tapContext = repo ? { repoUrl: `${server}/${repo.owner}/${repo.repo}`, githubCom: server === 'https://github.com' } : undefined;
  // What the tap and bucket need is checked before the release is touched.
  if (selection?.manifest && tapContext && (taps.homebrew || taps.scoop)) planTaps(taps, { manifest: selection.manifest, ...tapContext });
  const links = repo ? { web: `${server}/${repo.owner}/${repo.repo}` } : undefined;
  let changelog = '';
  let gh: Octokit | undefined;
  if (plan.version) {
    if (cfg.changelog === 'conventional') {
      const date = (await git.commitDate(targetSha)).slice(0, 10);
      changelog = renderChangelog({
        version: formatSemVer(plan.version),
        tag: plan.tag!,
        previousTag: plan.previousTag,
        date,
        changes: plan.changes,
        sections: cfg.sections,
        links,
      });
    } else if (cfg.changelog === 'github') {
      if (!repo) throw new GoshipError('`changelog: github` needs the repository.', 'Set `repository:`');
      gh = client(cfg);
      const ghc = gh;
      changelog = await ctx.phase('Generate release notes on GitHub', () => githubChangelog(ghc, repo, plan, targetSha));
    }
  }
  setVersionOutputs(plan, changelog);

  summary.heading(`semver-release: ${plan.tag ?? 'nothing to release'}`);
  summary.table(
    ['', ''],
    [
      ['command', cfg.command],
      ['version', plan.version ? formatSemVer(plan.version) : '—'],
      ['tag', plan.tag ?? '—'],
      ['previous tag', plan.previousTag ?? '—'],
      ['pre-release', String(plan.isPrerelease)],
      ['decision', plan.reason],
      ['commits', String(plan.commitCount)],
    ],
  );

  if (!plan.version) {
    core.notice(
      `semver-release: ${plan.reason}. No ${cfg.command === 'plan' ? 'version' : cfg.command === 'tag' ? 'tag' : 'release'} is made.`,
    );
    core.setOutput('uploaded', '[]');
    core.setOutput('skipped', '[]');
    await ctx.summary(summary);
    return;
  }
  if (changelog) summary.details('Changelog', changelog);

  if (cfg.command === 'plan') {
    core.setOutput('uploaded', '[]');
    core.setOutput('skipped', '[]');
    await ctx.summary(summary);
    return;
  }

  gh ??= client(cfg);
  const ghc = gh;
  const repoC = repo!;

  if (cfg.command === 'tag') {
    const result: TagResult = await ctx.phase(`Create the tag ${plan.tag}`, () => createTag(ghc, repoC, plan.tag!, targetSha));
    core.info(`Tag ${plan.tag} ${result === 'created' ? 'created' : 'already exists'} at ${targetSha}.`);
    core.notice(
      `Tag ${plan.tag} ${result === 'created' ? 'created' : 'already existed'}. Tags pushed with GITHUB_TOKEN start no new workflow run: continue the release in this run, or use a GitHub App token.`,
    );
    core.setOutput('uploaded', '[]');
    core.setOutput('skipped', '[]');
    summary.text(`Tag \`${plan.tag}\` ${result === 'created' ? 'created' : 'already existed'} at \`${targetSha}\`.`);
    await ctx.summary(summary);
    return;
  }

  // publish
  const sel = selection!;
  const manifest: Manifest | undefined = sel.manifest;
  const trace = manifest?.traceId || runTraceId();
  const notesCtx: NotesContext = {
    repository: `${repoC.owner}/${repoC.repo}`,
    serverUrl: server,
    workflowRef: process.env.GITHUB_WORKFLOW_REF || undefined,
    traceId: trace,
    runId: process.env.GITHUB_RUN_ID,
    runAttempt: process.env.GITHUB_RUN_ATTEMPT,
  };
  const install = manifest ? installSection(manifest, { ...taps, repoUrl: tapContext!.repoUrl }) : '';
  const body = releaseNotes(install ? `${changelog.trimEnd()}\n\n${install}` : changelog, manifest, notesCtx);
  let result: PublishResult;
  try {
    result = await ctx.phase(`Publish ${plan.tag} (${sel.assets.length} assets)`, () =>
      publishRelease(ghc, {
        repo: repoC,
        tag: plan.tag!,
        name: plan.tag!,
        body,
        prerelease: plan.isPrerelease,
        draft: cfg.draft,
        makeLatest: cfg.makeLatest,
        prefix: cfg.prefix,
        version: plan.version!,
        targetCommitish: targetSha,
        assets: sel.assets,
        replaceMismatched: cfg.replaceMismatched,
        maxConcurrency: cfg.maxConcurrency,
        log: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
      }),
    );
  } catch (e) {
    summary.text(
      `❌ Publishing stopped: ${(e as Error).message.split('\n')[0]}\n\nThe release was not published; re-run the job to resume.`,
    );
    await ctx.summary(summary);
    throw e;
  }
  const uploaded = result.assets
    .filter((a) => a.action !== 'skipped')
    .map(({ name, size, digest, action }) => ({ name, size, digest, action }));
  const skipped = result.assets.filter((a) => a.action === 'skipped').map(({ name, size, digest }) => ({ name, size, digest }));
  core.setOutput('release-id', String(result.releaseId));
  core.setOutput('release-url', result.url);
  core.setOutput('uploaded', JSON.stringify(uploaded));
  core.setOutput('skipped', JSON.stringify(skipped));

  const live = !result.draft;
  let floating: Record<string, TagResult> = {};
  if (live && cfg.floatingTags && !plan.isPrerelease) {
    floating = await ctx.phase('Move floating tags', async () => {
      const sha = (await remoteTagCommit(ghc, repoC, plan.tag!)) ?? targetSha;
      const names = floatingTagsFor(plan.version!, cfg.prefix, await git.tags());
      return moveFloatingTags(ghc, repoC, names, sha);
    });
    for (const [t, r] of Object.entries(floating)) core.info(`floating tag ${t}: ${r}`);
  }
  let tapResults: TapResult[] = [];
  if (live && manifest && (taps.homebrew || taps.scoop)) {
    tapResults = await ctx.phase('Update the Homebrew tap and Scoop bucket', () =>
      updateTaps(taps, {
        manifest,
        ...tapContext!,
        releaseToken: cfg.token,
        log: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
      }),
    );
  }
  core.setOutput(
    'taps',
    JSON.stringify(
      tapResults.map((t) => ({
        kind: t.kind,
        path: t.path,
        action: t.outcome.action,
        ...('commit' in t.outcome && t.outcome.commit ? { commit: t.outcome.commit } : {}),
        ...(t.outcome.action === 'pull-request' ? { url: t.outcome.url } : {}),
      })),
    ),
  );
  let announced = '';
  if (live && cfg.announceWebhook && result.published) {
    const err = await ctx.phase('Announce', () =>
      announce(cfg.announceWebhook, {
        project: manifest?.project || repoC.repo,
        version: formatSemVer(plan.version!),
        tag: plan.tag!,
        url: result.url,
        highlights: highlights(plan.changes, cfg.sections),
        traceId: trace,
        prerelease: plan.isPrerelease,
      }),
    );
    if (err) core.warning(`The announcement failed (${err}); the release itself is published.`);
    announced = err ? `failed (${err})` : 'sent';
  }

  const state = result.published ? 'published' : result.draft ? 'left as a draft' : 'already published';
  summary.text(`Release [${plan.tag}](${result.url}) ${state}${result.created ? ' (created in this run)' : ' (resumed)'}.`);
  summary.heading('Assets', 3);
  summary.table(
    ['asset', 'result', 'size', 'sha256'],
    result.assets.map((a) => [a.name, a.action, formatBytes(a.size), `\`${a.digest.slice(7, 19)}…\``]),
  );
  if (result.extra.length) summary.text(`Also on the release (not from this build, left alone): ${result.extra.join(', ')}`);
  if (Object.keys(floating).length)
    summary.text(
      `Floating tags: ${Object.entries(floating)
        .map(([t, r]) => `${t} ${r}`)
        .join(', ')}`,
    );
  if (announced) summary.text(`Announcement: ${announced}`);
  summary.text(`Trace id: \`${trace}\``);
  await ctx.summary(summary);
  if (tapResults.length) await ctx.summary(tapsSummary(tapResults));
}
