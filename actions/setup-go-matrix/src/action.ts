/**
 * setup-go-matrix: reads which Go versions a module supports, expands them into the test matrix,
 * installs the first (verified), exports the Go environment, restores the module and build caches
 * (saved by the post step on a key miss), validates the build targets against the toolchain and
 * works out which packages and binaries a change affects.
 *
 * Every input is read and checked before anything is installed, exported or cached.
 */
import type { ActionContext, SecretSpec } from '@goship/core/action';
import { analyseModule, checkChangedSince } from './affected.js';
import { dependencyFiles, restoreCaches } from './cache.js';
import { exportEnvironment } from './env.js';
import { inspectHost } from './host.js';
import { readInputs } from './inputs.js';
import { installGo } from './install.js';
import { planBuildGroups, testMatrix } from './matrix.js';
import { setupOutputs } from './outputs.js';
import { resolveVersions } from './resolve.js';
import { setupSummary } from './summary.js';
import { checkTargets } from './targets.js';

/** The secret inputs, read and masked before any other input (also by the one-step chain). */
export const SECRETS: readonly SecretSpec[] = [{ name: 'git-token', what: 'git token' }];

export async function main(ctx: ActionContext): Promise<void> {
  // Reads only, up to the install: inputs, the checkout, the release list, the tool cache.
  const inp = readInputs(ctx.inputs);
  await checkChangedSince(inp.workdir, inp.changedSince);
  const deps = await dependencyFiles(inp, ctx.log);
  const host = await inspectHost(inp.goproxy);
  const res = await ctx.phase('Resolve Go versions', () => resolveVersions(inp, host, ctx.log));
  const matrix = testMatrix(res.versions, inp.oses);
  const groups = planBuildGroups(inp.platforms, inp.buildGroups, ctx.log);
  const go = await installGo(ctx, inp.install, res.version, res.releases, host);
  const targets = await checkTargets(inp.platforms, go, ctx.log);
  // Side effects on the job from here on: PATH, exported environment, credentials, caches.
  const env = await exportEnvironment(ctx, inp, go, res);
  const caches = await restoreCaches(ctx, inp, deps, res.version, env);
  const analysis = await analyseModule(ctx, inp, res.goMod !== undefined, go, env);
  const setup = { inp, res, matrix, groups, go, targets, env, caches, analysis };
  ctx.outputs(setupOutputs(setup));
  await ctx.summary(setupSummary(setup));
}
