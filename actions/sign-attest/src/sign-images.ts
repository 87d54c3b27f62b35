/**
 * Signs the images of the manifest, and the image SBOMs multiarch-build pushed beside them, the
 * two ways cosign reads: a simple-signing signature for the `sha256-<hex>.sig` tag (cosign
 * v1/v2, `--new-bundle-format=false`), and the statement cosign v3's `sign` makes (predicate
 * https://sigstore.dev/cosign/sign/v1 about the digest) as a bundle for the referrers. Nothing is
 * pushed here: verify-after-sign checks both first.
 */
import type { Bundle } from '@sigstore/bundle';
import { mapLimit } from '@goship/core/retry';
import { COSIGN_SIGN_PREDICATE, imageSignatureStatement } from './provenance.js';
import { ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, simpleSigningPayload } from './registry.js';
import type { ImageSignature, Run } from './run.js';
import { KeylessSigner, signBlob, signStatement, type Signer } from './signing.js';
import { verifyMade } from './verify-signed.js';

/** The layer annotations cosign's tag scheme carries: signature, certificate and chain, Rekor bundle, timestamp. */
export function cosignAnnotations(bundle: Bundle, signer: Signer, signatureB64: string): Record<string, string> {
  const a: Record<string, string> = { [ANNOTATION.signature]: signatureB64 };
  if (signer instanceof KeylessSigner) {
    a[ANNOTATION.certificate] = signer.chain[0]!;
    a[ANNOTATION.chain] = signer.chain.slice(1).join('');
  }
  const tle = bundle.verificationMaterial.tlogEntries[0];
  if (tle?.inclusionPromise) {
    a[ANNOTATION.bundle] = JSON.stringify({
      SignedEntryTimestamp: tle.inclusionPromise.signedEntryTimestamp.toString('base64'),
      Payload: {
        body: tle.canonicalizedBody.toString('base64'),
        integratedTime: Number(tle.integratedTime),
        logIndex: Number(tle.logIndex),
        logID: tle.logId.keyId.toString('hex'),
      },
    });
  }
  const ts = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps[0];
  if (ts) a[ANNOTATION.timestamp] = JSON.stringify({ SignedRFC3161Timestamp: ts.signedTimestamp.toString('base64') });
  return a;
}

export async function signImages(run: Run): Promise<void> {
  const { ctx, cfg, subjects, id } = run;
  if (!cfg.sign.has('images')) return;
  const targets = [...subjects.images, ...subjects.sbomImages];
  if (!targets.length) return;
  run.images = await ctx.phase(`Sign ${targets.length} image(s) and image SBOM(s)`, () =>
    mapLimit(targets, cfg.concurrency, async (target): Promise<ImageSignature> => {
      const ref = `${target.registry}/${target.repository}@${target.digest}`;
      const payload = simpleSigningPayload(`${target.registry}/${target.repository}`, target.digest);
      const [{ bundle, signature }, referrer] = await Promise.all([
        signBlob(id.signer, payload, id.witness, ref),
        signStatement(id.signer, imageSignatureStatement(target.digest), id.witness, `${ref} (cosign v3 signature)`),
      ]);
      const hex = target.digest.slice('sha256:'.length);
      ctx.log.info(`${ref} signed (${target.artifact.kind})`);
      const signed: ImageSignature = {
        target,
        legacy: {
          label: `${ref} (.sig)`,
          bundle,
          expect: () => Promise.resolve({ type: 'blob', data: payload }),
          layer: {
            data: payload,
            mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
            annotations: cosignAnnotations(bundle, id.signer, signature.toString('base64')),
          },
        },
        referrer: {
          label: `${ref} (signature bundle)`,
          bundle: referrer,
          expect: () => Promise.resolve({ type: 'statement', predicateTypes: [COSIGN_SIGN_PREDICATE], sha256: hex }),
        },
      };
      await verifyMade(run, signed.legacy);
      await verifyMade(run, signed.referrer);
      return signed;
    }),
  );
}
