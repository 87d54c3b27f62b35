/** The one-step action's outputs and its single job summary: an overview of the chain, then each step's own summary. */
import { Summary, formatMs } from '@goship/core/summary';
import type { ChainRun } from '../run.js';

export function chainOutputs(run: ChainRun): Record<string, string> {
  const o = run.state.outputs;
  return {
    command: run.state.opts.command,
    version: o.publish?.version || o.build?.version || o.plan?.version || '',
    tag: o.publish?.tag || o.plan?.tag || '',
    passed: o.gate?.passed ?? '',
    manifest: o.sign?.manifest || o.build?.manifest || '',
    checksums: o.build?.checksums ?? '',
    image: o.build?.image ?? '',
    verified: o.sign?.verified ?? '',
    'release-url': o.publish?.['release-url'] ?? '',
  };
}

export function chainSummary(run: ChainRun): string {
  const outputs = chainOutputs(run);
  const s = new Summary().heading(`goship ${run.state.opts.command}${outputs.version ? `: ${outputs.version}` : ''}`);
  s.table(
    ['step', 'action', 'what', 'result', 'time'],
    run.steps.map((r) => [r.id, r.action, r.title, r.skipped ? `skipped — ${r.skipped}` : '✅', r.skipped ? '—' : formatMs(r.ms)]),
  );
  if (outputs['release-url']) s.text(`Release: ${outputs['release-url']}`);
  let out = s.toString();
  for (const r of run.steps) if (r.summary) out += `\n${r.summary}`;
  return out;
}
