/**
 * The one top-level wrapper every action's entry point uses: phases as collapsible log groups with
 * durations, a single catch that turns a GoshipError into one `::error::` line (prefixed with the
 * action's name) and anything else into a failure whose stack is shown only with debug on.
 */
import * as core from '@actions/core';
import { isGoshipError } from './errors.js';

export interface PhaseTiming {
  name: string;
  ms: number;
  ok: boolean;
}

export class ActionContext {
  readonly phases: PhaseTiming[] = [];
  constructor(readonly name: string) {}

  /** Runs `fn` inside a log group titled `title`, timing it. */
  async phase<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    let ok = false;
    core.startGroup(title);
    try {
      const r = await fn();
      ok = true;
      return r;
    } finally {
      const ms = performance.now() - start;
      this.phases.push({ name: title, ms, ok });
      core.endGroup();
      core.info(`${ok ? '✓' : '✗'} ${title} (${formatMs(ms)})`);
    }
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Runs an action's main function. Never throws: failures set the exit code through
 * `core.setFailed`. Returns the context (useful in tests).
 */
export async function runAction(name: string, main: (ctx: ActionContext) => Promise<void>): Promise<ActionContext> {
  const ctx = new ActionContext(name);
  try {
    await main(ctx);
  } catch (e) {
    if (isGoshipError(e)) {
      core.setFailed(`${name}: ${e.message}`);
    } else {
      const err = e instanceof Error ? e : new Error(String(e));
      core.setFailed(
        `${name}: unexpected error: ${err.message}. This is a goship bug; please report it with the log (re-run with debug logging for the stack).`,
      );
      core.debug(err.stack ?? String(err));
    }
  }
  return ctx;
}
