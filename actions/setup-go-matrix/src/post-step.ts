/**
 * The post step: removes the git credentials file and saves each cache entry the main step
 * restored with a miss (or a restore-key match). It runs whether or not the job failed: the
 * module cache holds only verified downloads and the build cache is content-addressed, so neither
 * is corrupted by a failing build or test. A save problem is a warning, never a failed job.
 */
import type { ActionContext } from '@goship/core/action';
import { formatBytes } from '@goship/core/summary';
import { type EntryState, type SaveResult, saveEntry, savedEntries } from './cache.js';
import { removeGitCredentials } from './credentials.js';
import { State } from './state.js';
import { postSummary } from './summary.js';

export async function post(ctx: ActionContext): Promise<void> {
  const credentials = await forgetCredentials(ctx);
  const entries = savedEntries(ctx);
  if (!entries) ctx.log.info('No Go cache entries to save (caching off, unavailable, or the main step stopped early).');
  const results = entries ? await ctx.phase('Save the Go caches', () => saveAll(ctx, entries)) : [];
  if (results.length || credentials) await ctx.summary(postSummary(results, credentials));
}

async function forgetCredentials(ctx: ActionContext): Promise<string> {
  const file = ctx.getState(State.gitCredentials);
  if (!file) return '';
  const removed = await removeGitCredentials(file);
  const note = removed
    ? 'The git credentials file of the main step was removed.'
    : `Left ${file} alone: not a credentials file of this action.`;
  ctx.log.info(note);
  return note;
}

async function saveAll(ctx: ActionContext, entries: readonly EntryState[]): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (const e of entries) {
    const r = await saveEntry(e, ctx.log);
    const size = r.bytes ? ` (${formatBytes(r.bytes)}, ${r.seconds.toFixed(1)} s)` : '';
    ctx.log.info(`${e.kind} cache ${e.key}: ${r.outcome}${size}${r.note ? ` — ${r.note}` : ''}`);
    results.push(r);
  }
  return results;
}
