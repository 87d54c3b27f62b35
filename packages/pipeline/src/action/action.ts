/**
 * The one-step action at the repository root: the whole chain — setup, plan, gate, build, sign,
 * publish — in one step, running each action's own code in-process (run.ts). The five actions
 * remain for teams that want the pieces.
 */
import type { ActionContext } from '@goship/core/action';
import { MAINS } from '../mains.js';
import { runChain } from '../run.js';
import { readRootInputs } from './inputs.js';
import { chainOutputs, chainSummary } from './report.js';

export async function main(ctx: ActionContext): Promise<void> {
  const opts = readRootInputs(ctx.inputs);
  ctx.log.info(`goship ${opts.command}${opts.tag ? ` of ${opts.tag}` : ''} in ${opts.workingDirectory}`);
  const run = await runChain(ctx, opts, MAINS);
  ctx.outputs(chainOutputs(run));
  await ctx.summary(chainSummary(run));
}
