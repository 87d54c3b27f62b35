/**
 * The manifest records what was signed and how to verify it, for semver-release (assets, and the
 * release notes' commands): every bundle, the provenance and SBOM attestations with their
 * predicate types, the public key in key mode, and on images and image SBOMs where their
 * signatures and attestations live. Each record carries the verification facts a verifier needs:
 * mode, transparency log, certificate identity and issuer, and whether the trust root is
 * Sigstore's public good.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Artifact, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { isPublicGood } from './config.js';
import { COSIGN_TYPE } from './provenance.js';
import type { Run } from './run.js';

/** How to verify what this run signed. */
export interface SigningFacts {
  mode: 'key' | 'keyless';
  tlog: boolean;
  /** RFC 3161 timestamps in every bundle. */
  tsa: boolean;
  identity?: string;
  issuer?: string;
  /** `public-good`: Sigstore's instance (cosign finds its root through TUF); `custom`: verifiers need the instance's trusted root. */
  trust: 'public-good' | 'custom';
}

export function signingFacts(run: Run): SigningFacts {
  const keyless = run.id.mode === 'keyless';
  return {
    mode: run.id.mode,
    tlog: run.cfg.tlog,
    tsa: !!run.cfg.tsaURL,
    ...(keyless && run.id.san ? { identity: run.id.san } : {}),
    ...(keyless && run.id.issuer ? { issuer: run.id.issuer } : {}),
    trust: isPublicGood(run.cfg) ? 'public-good' : 'custom',
  };
}

export function rel(run: Run, file: string): string {
  return path.relative(run.cfg.workdir, file).split(path.sep).join('/');
}

async function fileFacts(file: string): Promise<{ sha256: string; size: number }> {
  const data = await readFile(file);
  return { sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
}

/** An asset name for a file beside the manifest: its path from there, folders joined with `_`. */
function assetName(run: Run, file: string): string {
  return path.relative(run.plan.dir, file).split(path.sep).join('_');
}

function example(run: Run): string | undefined {
  for (const kind of ['archive', 'checksums', 'sbom'] as const) {
    const f = run.subjects.covered.find((c) => c.artifact?.kind === kind);
    if (f) return f.name;
  }
  return undefined;
}

export async function recordInManifest(run: Run): Promise<void> {
  const m = run.subjects.manifest;
  if (!m || !run.cfg.manifest) return;
  const facts = signingFacts(run);
  const add: Artifact[] = [];
  for (const f of run.files) {
    add.push({
      kind: 'signature',
      name: assetName(run, f.path),
      path: rel(run, f.path),
      signs: f.subject.name,
      format: 'sigstore-bundle-v0.3',
      ...facts,
      ...(await fileFacts(f.path)),
    });
    if (f.raw)
      add.push({
        kind: 'signature',
        name: assetName(run, f.raw.path),
        path: rel(run, f.raw.path),
        signs: f.subject.name,
        format: 'base64-signature',
        mode: 'key',
        ...(await fileFacts(f.raw.path)),
      });
  }
  for (const a of run.attestations.filter((x) => x.path)) {
    const base = {
      name: assetName(run, a.path!),
      path: rel(run, a.path!),
      format: 'sigstore-bundle-dsse',
      predicateType: a.predicateType,
      type: COSIGN_TYPE[a.predicateType] ?? a.predicateType,
      ...facts,
      ...(a.github ? { github: a.github } : {}),
      ...(await fileFacts(a.path!)),
    };
    if (a.type === 'provenance')
      add.push({
        kind: 'provenance',
        ...base,
        subjects: a.subjects.length,
        // A subject that is a release asset, for the notes' command (binaries ship inside the archives).
        ...(example(run) ? { example: example(run) } : {}),
      });
    else add.push({ kind: 'attestation', ...base, describes: a.describes });
  }
  if (run.id.mode === 'key')
    add.push({
      kind: 'public-key',
      name: assetName(run, run.plan.publicKey),
      path: rel(run, run.plan.publicKey),
      format: 'pem-spki',
      ...(await fileFacts(run.plan.publicKey)),
    });
  // Registry objects keep their identity; what was attached to them is recorded on them.
  for (const target of [...run.subjects.images, ...run.subjects.sbomImages]) {
    const sig = run.images.find((s) => s.target === target);
    const atts = run.attestations.filter((a) => a.attachTo.includes(target as never));
    if (!sig && !atts.length) continue;
    const sigstore = {
      ...facts,
      ...(sig ? { signature: { tag: sig.tag, referrer: sig.referrerDigest } } : {}),
      ...(atts.length
        ? {
            attestations: atts.map((a) => ({
              type: COSIGN_TYPE[a.predicateType] ?? a.predicateType,
              predicateType: a.predicateType,
              referrers: a.referrers ?? [],
              ...(a.github ? { github: a.github } : {}),
            })),
          }
        : {}),
    };
    add.push({ ...target.artifact, sigstore });
  }
  await writeManifest(run.cfg.manifest, upsertArtifacts(m, add));
}
