/**
 * multiarch-build: inputs → (build | split part | merge) → image → outputs, summary. The work lives
 * in config.ts (every input), pipeline.ts (the build and merge flows), image/step.ts, outputs.ts
 * and summary.ts; this file only orders it.
 */
import type { ActionContext, SecretSpec } from '@goship/core/action';
import { repoName } from '@goship/core/oci';
import { readConfig } from './config.js';
import { imageStep } from './image/step.js';
import { outputsOf } from './outputs.js';
import { readWithConfig } from './packages/from-config.js';
import { packagesOutput, packagesSummary, readPackageSettings } from './packages/step.js';
import { build, merge } from './pipeline.js';
import { mismatchError } from './reproduce.js';
import { summaryOf } from './summary.js';

/** The secret inputs, read and masked before any other input (also by the one-step chain). */
export const SECRETS: readonly SecretSpec[] = [{ name: 'registry-password', what: 'registry password' }];

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = await readConfig(ctx.inputs);
  // read in every mode (over the file's nfpms), so a bad package input fails the merge job too; a merge keeps the parts' packages
  const pkgs = readWithConfig(ctx.inputs, cfg.goreleaser, (i, fromFile) =>
    readPackageSettings(i, { workdir: cfg.workdir, platforms: cfg.platforms, fromFile }),
  );
  const r = cfg.merge ? await merge(cfg, ctx) : await build(cfg, ctx, pkgs);
  if (cfg.image && cfg.split) {
    ctx.log.info(`image ${repoName(cfg.image.image)}: assembled by the merge job, not by a part`);
  } else if (cfg.image && r.mismatches.length === 0) {
    const step = await imageStep(ctx, cfg.image, r.manifest, { workdir: cfg.workdir, dist: cfg.dist, manifestPath: cfg.manifest });
    r.manifest = step.manifest;
    r.image = step.published;
  }
  ctx.outputs({ ...outputsOf(cfg, r), packages: packagesOutput(r.manifest) });
  await ctx.summary(summaryOf(cfg, r, ctx.phases));
  if (r.verification?.length) await ctx.summary(packagesSummary(r.verification));
  // a build that is not reproducible still reports what it built, then fails
  if (r.mismatches.length) throw mismatchError(r.mismatches);
}
