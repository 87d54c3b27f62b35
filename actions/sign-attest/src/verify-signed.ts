/**
 * Verify after sign: every bundle of the run — file signatures, image signatures of both layouts,
 * provenance and SBOM attestations — checked with the same verifier verify mode uses (as strict
 * as cosign), before anything is written or pushed. The certificate chain is checked once for the
 * run's one certificate; each bundle's signature, log entry and timestamps are checked on their own.
 */
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { GITHUB_ISSUER, type Config } from './config.js';
import type { Identity } from './identity.js';
import { allSigned, type Run, type Signed } from './run.js';
import { BundleVerifier, type Expectation, type Policy } from './verify.js';

/** What verify-after-sign holds the run's bundles to, or why it cannot (no trusted root for a custom instance). */
export function signPolicy(cfg: Config, id: Identity, root: TrustedRoot | undefined): { policy?: Policy; warning?: string } {
  if (id.mode === 'key') {
    const tlog = cfg.tlog && !!root;
    return {
      policy: { publicKey: id.signer.publicKey, tlog, tsa: !!cfg.tsaURL && !!root },
      ...(cfg.tlog && !root
        ? {
            warning:
              'verify-after-sign: no `trusted-root`, so the transparency-log entries are not verified; the signatures are checked against the key.',
          }
        : {}),
    };
  }
  if (!root) {
    return {
      warning:
        'verify-after-sign skipped: no `trusted-root` was given for this custom Sigstore instance (only the public-good root is fetched through TUF). Pass its trusted_root.json as `trusted-root`. Output verified=false.',
    };
  }
  const identity = cfg.identityRegexp ?? (cfg.identity || id.san);
  return { policy: { identity, issuer: cfg.issuer || id.issuer || GITHUB_ISSUER, tlog: cfg.tlog, tsa: !!cfg.tsaURL } };
}

/** The run's verifier, made once (undefined when verify-after-sign is off or has nothing to verify against). */
function verifierOf(run: Run): BundleVerifier | undefined {
  if (!run.cfg.verifyAfterSign) return undefined;
  if (!run.verification) {
    const { policy, warning } = signPolicy(run.cfg, run.id, run.root);
    if (warning) run.ctx.log.warning(warning);
    run.verification = { policy, verifier: policy ? new BundleVerifier(run.root, policy) : undefined, early: 0 };
  }
  return run.verification.verifier;
}

/**
 * Verifies a bundle the moment it is made, against the very bytes that were signed: the checks
 * run while the other subjects wait for their log entries, instead of after all of them.
 */
export function verifyNow(run: Run, item: Signed, expect: Expectation): void {
  const v = verifierOf(run);
  if (!v) return;
  v.verify(item.bundle, expect, item.label);
  item.verified = true;
  run.verification!.early++;
}

/** verifyNow with the item's own expectation. */
export async function verifyMade(run: Run, item: Signed): Promise<void> {
  if (verifierOf(run)) verifyNow(run, item, await item.expect());
}

/** Verify after sign: whatever was not verified as it was made is verified now; every bundle must pass. */
export async function verifySigned(run: Run): Promise<void> {
  const items = allSigned(run);
  const v = verifierOf(run);
  if (!v || !items.length) return;
  const policy = run.verification!.policy!;
  await run.ctx.phase(`Verify ${items.length} bundle(s)`, async () => {
    for (const item of items.filter((i) => !i.verified)) {
      v.verify(item.bundle, await item.expect(), item.label);
      item.verified = true;
    }
    run.ctx.log.info(
      `All ${items.length} bundle(s) verified${policy.identity ? ` for ${String(policy.identity)}` : ' against the key'}${policy.issuer ? ` (issuer ${policy.issuer})` : ''} (${run.verification!.early} as they were made)${v.cachedChecks ? `; the certificate chain once, reused for ${v.cachedChecks}` : ''}.`,
    );
  });
  run.verified = items.every((i) => i.verified);
}
