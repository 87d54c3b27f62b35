/**
 * After verification, the bundles go where verifiers look: files beside what they sign (and the
 * provenance and public key beside the manifest), image signatures and attestations into the
 * image's repository in both of cosign's layouts (see registry.ts).
 */
import { writeFile } from 'node:fs/promises';
import { bundleToJSON, envelopeToJSON, type Bundle } from '@sigstore/bundle';
import { COSIGN_SIGN_PREDICATE } from './provenance.js';
import { ANNOTATION, DSSE_MEDIA_TYPE, Registry, cosignTag, type Layer } from './registry.js';
import type { Attestation, Run } from './run.js';
import { callService } from './signing.js';
import { cosignAnnotations } from './sign-images.js';
import type { ImageRef } from './registry.js';

const json = (b: Bundle): string => `${JSON.stringify(bundleToJSON(b), null, 2)}\n`;
const jsonl = (b: Bundle): string => `${JSON.stringify(bundleToJSON(b))}\n`;

export async function writeFiles(run: Run): Promise<void> {
  for (const f of run.files) {
    await writeFile(f.path, json(f.bundle));
    if (f.raw) await writeFile(f.raw.path, f.raw.base64);
  }
  for (const a of run.attestations) if (a.path) await writeFile(a.path, jsonl(a.bundle));
  if (run.id.mode === 'key')
    await writeFile(run.plan.publicKey, run.id.signer.publicKey.export({ format: 'pem', type: 'spki' }).toString());
}

export async function pushToRegistries(run: Run): Promise<void> {
  const attached = run.attestations.filter((a) => a.attachTo.length);
  if (!run.images.length && !attached.length) return;
  await run.ctx.phase(`Attach to the registry (${run.images.length} signature(s), ${attached.length} attestation(s))`, async () => {
    const registries = new Map<string, Registry>();
    const open = async (r: ImageRef): Promise<Registry> => {
      const key = `${r.registry}/${r.repository}`;
      let reg = registries.get(key);
      if (!reg) {
        reg = await Registry.open(r.registry, r.repository, run.cfg.githubToken, process.env, (m) => run.ctx.log.debug(m));
        registries.set(key, reg);
      }
      return reg;
    };
    const call = <T>(r: ImageRef, what: string, fn: () => Promise<T>): Promise<T> =>
      callService(r.registry, what, run.id.witness.policy, fn);
    const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const s of run.images) {
      const t = s.target;
      const reg = await open(t);
      const sig = s.legacy.layer.annotations[ANNOTATION.signature];
      await call(t, `the signature of ${t.repository}@${t.digest}`, () =>
        reg.attachToTag(t.digest, 'sig', [s.legacy.layer], (l) => l.annotations?.[ANNOTATION.signature] === sig),
      );
      s.tag = `${t.registry}/${t.repository}:${cosignTag(t.digest, 'sig')}`;
      const subject = await call(t, `the manifest of ${t.repository}@${t.digest}`, () => reg.describe(t.digest));
      const r = await call(t, `the signature bundle of ${t.repository}@${t.digest}`, () =>
        reg.attachBundle(
          subject,
          Buffer.from(JSON.stringify(bundleToJSON(s.referrer.bundle))),
          COSIGN_SIGN_PREDICATE,
          'dsse-envelope',
          created,
        ),
      );
      s.referrerDigest = r.digest;
      run.ctx.log.info(
        `${t.registry}/${t.repository}@${t.digest}: signature under ${cosignTag(t.digest, 'sig')} and as referrer ${r.digest} (${r.via === 'referrers' ? 'referrers API' : 'referrers tag'})`,
      );
    }
    const images = [...new Set(attached.flatMap((a) => a.attachTo))];
    for (const img of images) {
      const reg = await open(img);
      const atts = attached.filter((a) => a.attachTo.includes(img));
      const types = new Set(atts.map((a) => a.predicateType));
      await call(img, `the attestations of ${img.repository}@${img.digest}`, () =>
        reg.attachToTag(
          img.digest,
          'att',
          atts.map((a) => attestationLayer(run, a)),
          (l) => types.has(l.annotations?.[ANNOTATION.predicateType] ?? ''),
        ),
      );
      const subject = await call(img, `the manifest of ${img.repository}@${img.digest}`, () => reg.describe(img.digest));
      for (const a of atts) {
        const r = await call(img, `the ${a.type} attestation of ${img.repository}@${img.digest}`, () =>
          reg.attachBundle(subject, Buffer.from(JSON.stringify(bundleToJSON(a.bundle))), a.predicateType, 'dsse-envelope', created),
        );
        (a.referrers ??= []).push(`${img.registry}/${img.repository}@${r.digest}`);
      }
      run.ctx.log.info(`${img.ref}: ${atts.length} attestation(s) under ${cosignTag(img.digest, 'att')} and as referrers`);
    }
  });
}

/** A `.att` layer: the DSSE envelope exactly as Rekor hashed it (its envelopeHash is what cosign compares). */
function attestationLayer(run: Run, a: Attestation): Layer {
  const env = a.bundle.content.$case === 'dsseEnvelope' ? a.bundle.content.dsseEnvelope : undefined;
  if (!env) throw new Error(`${a.label} is not a DSSE bundle`);
  return {
    data: Buffer.from(JSON.stringify(envelopeToJSON(env))),
    mediaType: DSSE_MEDIA_TYPE,
    annotations: { ...cosignAnnotations(a.bundle, run.id.signer, ''), [ANNOTATION.predicateType]: a.predicateType },
  };
}
