/**
 * The post step: saves each cache entry the main step restored with a miss (or a restore-key
 * match). It runs whether or not the job failed: the module cache holds only verified downloads
 * and the build cache is content-addressed, so neither is corrupted by a failing build or test.
 * A save problem is a warning, never a failed job.
 */
import * as core from '@actions/core';
import type { ActionContext } from '@goship/core/action';
import { Summary, formatBytes } from '@goship/core/summary';
import { type EntryState, STATE_ENTRIES, type SaveResult, saveEntry } from './cache.js';

export async function post(ctx: ActionContext): Promise<void> {
  const raw = core.getState(STATE_ENTRIES);
  if (!raw) {
    core.info('No Go cache entries to save (caching off, unavailable, or the main step stopped early).');
    return;
  }
  const entries = JSON.parse(raw) as EntryState[];
  const results: SaveResult[] = [];
  await ctx.phase('Save the Go caches', async () => {
    for (const e of entries) {
      const r = await saveEntry(e);
      core.info(
        `${e.kind} cache ${e.key}: ${r.outcome}${r.bytes ? ` (${formatBytes(r.bytes)}, ${r.seconds.toFixed(1)} s)` : ''}${r.note ? ` — ${r.note}` : ''}`,
      );
      results.push(r);
    }
  });
  await ctx.summary(
    new Summary().heading('setup-go-matrix: cache save', 3).table(
      ['cache', 'key', 'result', 'size', 'seconds'],
      results.map((r) => [
        r.kind,
        r.key,
        r.outcome + (r.note ? ` — ${r.note}` : ''),
        r.bytes ? formatBytes(r.bytes) : '—',
        r.seconds.toFixed(1),
      ]),
    ),
  );
}
