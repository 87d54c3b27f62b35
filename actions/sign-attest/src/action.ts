/**
 * sign-attest: signs what multiarch-build's manifest lists (or files given by globs) with one
 * Sigstore identity for the whole run, attests SLSA provenance and SBOMs, verifies every bundle
 * before any is written or pushed, and records it all in the manifest. `mode: verify` checks a
 * downloaded release instead (verify-mode.ts).
 */
import type { ActionContext } from '@goship/core/action';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { attest } from './attest.js';
import { isPublicGood, readConfig, type Config } from './config.js';
import { storeGitHubAttestations } from './github-attestations.js';
import { identity } from './identity.js';
import { loadSigningKey } from './keys.js';
import { planOutputs } from './plan.js';
import { pushToRegistries, writeFiles } from './publish.js';
import { recordInManifest } from './record.js';
import { outputsOf, summaryOf } from './report.js';
import type { Run } from './run.js';
import { signFiles } from './sign-files.js';
import { signImages } from './sign-images.js';
import { resolveSubjects } from './subjects.js';
import { verifyMode } from './verify-mode.js';
import { verifySigned } from './verify-signed.js';
import { publicGoodTrustedRoot, readTrustedRoot } from './verify.js';

export async function main(ctx: ActionContext): Promise<void> {
  const startedOn = new Date();
  const cfg = readConfig(ctx.inputs);
  if (cfg.mode === 'verify') return verifyMode(ctx, cfg, await trustRoot(ctx, cfg));
  // Everything up to `identity` reads and checks; nothing is signed, written or sent before.
  const key = cfg.mode === 'key' ? loadSigningKey(cfg.key, cfg.keyPassword) : undefined;
  const subjects = await ctx.phase('Resolve subjects', () => resolveSubjects(cfg, ctx.log));
  const plan = planOutputs(cfg, subjects);
  const root = await trustRoot(ctx, cfg);
  const id = await ctx.phase('Identity', () => identity(ctx, cfg, key, subjects.files.length + subjects.images.length));
  const run: Run = { ctx, cfg, subjects, plan, id, root, startedOn, files: [], images: [], attestations: [] };
  await signFiles(run);
  await signImages(run);
  await attest(run);
  await verifySigned(run);
  await writeFiles(run);
  await pushToRegistries(run);
  await storeGitHubAttestations(run);
  await recordInManifest(run);
  ctx.outputs(outputsOf(run));
  await ctx.summary(summaryOf(run));
}

/** The trusted root: the given file, or Sigstore's public good through TUF when a check needs it. */
async function trustRoot(ctx: ActionContext, cfg: Config): Promise<TrustedRoot | undefined> {
  if (cfg.trustedRoot) return readTrustedRoot(cfg.trustedRoot);
  const needed = cfg.mode === 'verify' ? !cfg.key || cfg.tlog : cfg.verifyAfterSign && (cfg.mode === 'keyless' || cfg.tlog);
  if (!needed || !isPublicGood(cfg)) return undefined;
  return ctx.phase('Trusted root: Sigstore public good (TUF)', () => publicGoodTrustedRoot());
}
