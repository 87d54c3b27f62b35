/**
 * Verification with @sigstore/verify: a bundle against its artifact, a trusted root (Sigstore's
 * protobuf-specs JSON) and a policy (certificate identity and OIDC issuer, or a public key).
 */
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { GoshipError, InputError } from '@goship/core/errors';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';

export const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** Reads and parses a trusted root file; errors name the `trusted-root` input. */
export async function readTrustedRoot(file: string): Promise<TrustedRoot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(
      'trusted-root',
      file,
      'a readable Sigstore trusted root JSON file',
      `It could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(text));
    if (!root.certificateAuthorities.length && !root.tlogs.length && !root.timestampAuthorities.length) {
      throw new Error('it names no certificate authority, transparency log or timestamp authority');
    }
    return root;
  } catch (e) {
    throw new InputError(
      'trusted-root',
      file,
      'a Sigstore trusted root (application/vnd.dev.sigstore.trustedroot+json)',
      `It could not be parsed: ${(e as Error).message}. Get one with \`cosign trusted-root create\` or from your Sigstore instance's TUF repository`,
    );
  }
}

/**
 * The public-good trusted root through Sigstore's TUF repository (root of trust embedded in
 * @sigstore/tuf, metadata verified by tuf-js), cached under RUNNER_TEMP.
 */
export async function publicGoodTrustedRoot(): Promise<TrustedRoot> {
  try {
    // Loaded on demand: only the public-good path needs TUF.
    const { getTrustedRoot } = await import('@sigstore/tuf');
    return await getTrustedRoot({
      cachePath: path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'goship-sigstore-tuf'),
      retry: 2,
      timeout: 30_000,
    });
  } catch (e) {
    throw new GoshipError(
      `Could not get Sigstore's public-good trusted root through TUF (https://tuf-repo-cdn.sigstore.dev): ${(e as Error).message}.`,
      'Pass the trusted root as a file with `trusted-root:` (for example from `cosign trusted-root create` or a previous run); when signing, `verify-after-sign: false` skips the check',
      { cause: e },
    );
  }
}

export interface Policy {
  /** Exact SAN or a regular expression. */
  identity?: string | RegExp;
  issuer?: string;
  /** Key mode: the public key (bundles carry only a hint). */
  publicKey?: KeyObject;
  /** Require a transparency-log entry (default true). */
  tlog: boolean;
  /** Require an RFC 3161 timestamp. */
  tsa?: boolean;
}

export function trustMaterial(root: TrustedRoot | undefined, policy: Policy): TrustMaterial {
  const r = root ?? TrustedRoot.fromJSON(EMPTY_TRUSTED_ROOT);
  if (!policy.publicKey) return toTrustMaterial(r);
  const pk = policy.publicKey;
  return toTrustMaterial(r, () => ({ publicKey: pk, validFor: () => true }));
}

export function parseBundle(json: unknown, source: string): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (e) {
    throw new GoshipError(`${source} is not a Sigstore bundle: ${(e as Error).message}.`);
  }
}

/** Verifies; returns the SAN of the certificate when there is one. Throws a GoshipError on failure. */
export function verifyBundle(
  bundle: Bundle,
  artifact: Buffer | undefined,
  material: TrustMaterial,
  policy: Policy,
  label: string,
): { identity?: string; issuer?: string } {
  const keyless = bundle.verificationMaterial.content.$case !== 'publicKey';
  const timestamps = (policy.tlog ? 1 : 0) + (policy.tsa ? 1 : 0);
  const verifier = new Verifier(material, {
    tlogThreshold: policy.tlog ? 1 : 0,
    ctlogThreshold: keyless ? 1 : 0,
    timestampThreshold: keyless ? Math.max(1, timestamps ? 1 : 0) : 0,
  });
  try {
    const signer = verifier.verify(
      toSignedEntity(bundle, artifact),
      keyless ? { subjectAlternativeName: policy.identity, extensions: policy.issuer ? { issuer: policy.issuer } : undefined } : undefined,
    );
    return { identity: signer.identity?.subjectAlternativeName, issuer: signer.identity?.extensions?.issuer };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new GoshipError(`${label} did not verify: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}.`, undefined, {
      cause: e,
    });
  }
}
