/**
 * The state one signing run carries from step to step: what was resolved, who signs, and every
 * bundle made so far (in memory until verify-after-sign has checked them all, then written and
 * pushed). Steps read and extend it; none reaches into another.
 */
import type { ActionContext } from '@goship/core/action';
import type { ResolvedFile } from '@goship/core/manifest';
import type { Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { Config } from './config.js';
import type { Identity } from './identity.js';
import type { OutputPlan } from './plan.js';
import type { Layer } from './registry.js';
import type { ImageSubject, SbomImageSubject, Subjects } from './subjects.js';
import type { BundleVerifier, Expectation, Policy } from './verify.js';

/** A bundle made in this run, with what verify-after-sign must find it to be about. */
export interface Signed {
  label: string;
  bundle: Bundle;
  expect: () => Promise<Expectation>;
  verified?: boolean;
}

export interface SignedFile extends Signed {
  subject: ResolvedFile;
  path: string;
  /** Key mode with `raw-signatures`: the base64 DER signature and where it goes. */
  raw?: { path: string; base64: string };
}

/** An image (or image SBOM) signature: cosign's `.sig` layer and the v3 bundle referrer. */
export interface ImageSignature {
  target: ImageSubject | SbomImageSubject;
  legacy: Signed & { layer: Layer };
  referrer: Signed;
  /** Where the registry holds them, once pushed. */
  tag?: string;
  referrerDigest?: string;
}

export interface Attestation extends Signed {
  type: 'provenance' | 'sbom';
  predicateType: string;
  /** Subject names, for outputs and the summary. */
  subjects: string[];
  /** A file artifact's bundle file (`.intoto.jsonl`). */
  path?: string;
  /** The file SBOM it is made from, or the file it describes. */
  sbom?: ResolvedFile;
  describes?: string;
  /** Images it is attached to (`.att` layer and referrer). */
  attachTo: ImageSubject[];
  /** Set once pushed / stored. */
  referrers?: string[];
  github?: { id: string; url: string };
}

export interface Run {
  ctx: ActionContext;
  cfg: Config;
  subjects: Subjects;
  plan: OutputPlan;
  id: Identity;
  root?: TrustedRoot;
  startedOn: Date;
  files: SignedFile[];
  images: ImageSignature[];
  attestations: Attestation[];
  /** True once every bundle verified; undefined when verification was skipped. */
  verified?: boolean;
  /** verify-after-sign's verifier, made on first use; `early` counts bundles verified as they were made. */
  verification?: { policy?: Policy; verifier?: BundleVerifier; early: number };
}

export function allSigned(run: Run): Signed[] {
  return [...run.files, ...run.images.flatMap((i) => [i.legacy, i.referrer]), ...run.attestations];
}
