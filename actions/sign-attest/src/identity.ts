/**
 * Who signs: the user's key (key mode) or, keyless, one ephemeral key with one Fulcio certificate
 * for the workflow identity, obtained with the OIDC token `ctx.idToken('sigstore')` hands out
 * (masked). One identity for the whole run.
 */
import type { ActionContext } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import type { Config } from './config.js';
import type { SigningKey } from './keys.js';
import { KeySigner, KeylessSigner, type RetryPolicy, type Signer, type TokenClaims, type WitnessOptions } from './signing.js';

export interface Identity {
  signer: Signer;
  mode: 'key' | 'keyless';
  /** Keyless: the certificate identity (SAN) and the OIDC issuer, as a verifier must name them. */
  san?: string;
  issuer?: string;
  claims?: TokenClaims;
  /** How every bundle of the run gets its log entry and timestamp. */
  witness: WitnessOptions;
}

export async function identity(ctx: ActionContext, cfg: Config, key: SigningKey | undefined, subjects: number): Promise<Identity> {
  const policy: RetryPolicy = { timeoutMs: cfg.retryTimeoutMs, log: (m) => ctx.log.info(m) };
  const witness: WitnessOptions = { rekorURL: cfg.tlog ? cfg.rekorURL : undefined, tsaURL: cfg.tsaURL || undefined, policy };
  if (key) return { signer: new KeySigner(key), mode: 'key', witness };
  let token: string;
  try {
    token = await ctx.idToken('sigstore');
  } catch (e) {
    throw new GoshipError(
      `Could not get an OIDC token from the workflow: ${(e as Error).message.replace(/\s+/g, ' ').slice(0, 300)}.`,
      'Add `permissions: { id-token: write }` to the job, or use `mode: key`',
    );
  }
  const signer = new KeylessSigner(cfg.fulcioURL, token, policy);
  await signer.material();
  const claims = signer.claims;
  const san = signer.identity;
  const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
  ctx.log.info(
    `Certificate issued by ${cfg.fulcioURL} for ${san ?? '?'} (issuer ${issuer ?? '?'}); one key and certificate for all ${subjects} subject(s).`,
  );
  return { signer, mode: 'keyless', san, issuer, claims, witness };
}
