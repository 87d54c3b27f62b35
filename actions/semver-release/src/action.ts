/**
 * semver-release: the version from the tag or the conventional commits, the changelog, and a
 * draft-first, verified, resumable GitHub release (or just the tag, with `command: tag`).
 * main() only sequences the steps; each lives in its module, and the outputs and the summary are
 * written once, at the end, from what the run did — also when a step failed.
 */
import type { ActionContext } from '@goship/core/action';
import { announceRelease } from './announce.js';
import { selectAssets } from './assets.js';
import { changelogFor } from './changelog.js';
import { readConfig } from './config.js';
import { openHistory } from './git.js';
import { outputsOf } from './outputs.js';
import { publishRelease } from './publish.js';
import {
  type Run,
  announcementOf,
  changelogSource,
  identity,
  checkTaps,
  publishOptions,
  repoApiFor,
  updateTapsFor,
  wantsAnnouncement,
  wantsFloatingTags,
  wantsTapUpdate,
} from './run.js';
import { noticesOf, summaryOf } from './summary.js';
import { createTag, moveFloatingTagsFor } from './tags.js';
import { readTapInputs } from './taps/index.js';
import { describePlan, planFor } from './version.js';

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = readConfig(ctx.inputs);
  const taps = readTapInputs(ctx.inputs);
  const { git, target } = await ctx.phase('Check the git history', () => openHistory(cfg.workdir, cfg.tag, cfg.targetCommitish));
  const plan = await ctx.phase('Decide the version', () => planFor(cfg, git, target));
  for (const w of plan.warnings) ctx.log.warning(w);
  ctx.log.info(describePlan(plan));
  const run: Run = { cfg, plan, target, changelog: '', taps };
  // Assets are resolved and hashed before any change anywhere (bad input fails first).
  if (cfg.command === 'publish' && plan.version)
    run.selection = await ctx.phase('Hash the release assets', () => selectAssets(cfg, identity(plan, target), ctx.log));
  checkTaps(run);
  const api = repoApiFor(cfg, plan);
  try {
    run.changelog = await ctx.phase('Write the changelog', () => changelogFor(plan, changelogSource(run, git, api)));
    if (api && plan.version && cfg.command === 'tag')
      run.tag = await ctx.phase(`Create the tag ${plan.tag}`, () => createTag(api, plan.tag!, target));
    if (api && run.selection) {
      const o = publishOptions(run, ctx.log);
      run.release = await ctx.phase(`Publish ${plan.tag} (${o.assets.length} assets)`, () => publishRelease(api, o));
    }
    if (api && wantsFloatingTags(run)) {
      const floating = { tag: plan.tag!, version: plan.version!, prefix: cfg.prefix, target, localTags: await git.tags() };
      run.floating = await ctx.phase('Move floating tags', () => moveFloatingTagsFor(api, floating));
    }
    if (wantsTapUpdate(run))
      run.tapResults = await ctx.phase('Update the Homebrew tap and Scoop bucket', () => updateTapsFor(run, ctx.log));
    if (wantsAnnouncement(run))
      run.announced = await ctx.phase('Announce', () => announceRelease(cfg.announceWebhook, announcementOf(run)));
  } catch (e) {
    run.failure = e;
    throw e;
  } finally {
    ctx.outputs(outputsOf(run));
    const { notices, warnings } = noticesOf(run);
    for (const n of notices) ctx.log.notice(n);
    for (const w of warnings) ctx.log.warning(w);
    await ctx.summary(summaryOf(run));
  }
}
