/**
 * What gets signed and attested, through core's manifest consumer side: the artifacts of the kinds
 * `sign` names (files resolved inside the workspace, hashed, and checked against the digests the
 * manifest recorded), every file artifact the provenance covers, and the images and image SBOMs
 * the manifest lists — or, with `subjects`, the files the globs match. Nothing is signed yet.
 */
import type { Log } from '@goship/core/action';
import { InputError, isGoshipError } from '@goship/core/errors';
import {
  ArtifactFileError,
  SIGNABLE_KINDS,
  globFiles,
  readManifest,
  resolveArtifacts,
  selectArtifacts,
  type Artifact,
  type ArtifactKind,
  type Manifest,
  type ResolvedFile,
} from '@goship/core/manifest';
import type { Config, SignKind } from './config.js';
import { parseImageRef, type ImageRef } from './registry.js';

const FILE_KIND: Partial<Record<SignKind, ArtifactKind>> = {
  checksums: 'checksums',
  archives: 'archive',
  binaries: 'binary',
  sboms: 'sbom',
};

/** Files goship writes beside what it signs: never subjects themselves. */
export const SIGNATURE_FILE = /\.(sigstore\.json|sig|intoto\.jsonl|pub)$/;

export interface ImageSubject extends ImageRef {
  /** The manifest's name for it: the repository (`ghcr.io/o/hello`). */
  name: string;
  ref: string;
  artifact: Artifact;
}

/** An image SBOM multiarch-build pushed: an OCI artifact in the image's repository, about one platform manifest. */
export interface SbomImageSubject extends ImageRef {
  name: string;
  artifact: Artifact;
  /** The image (index) it belongs to, and the platform manifest it describes. */
  image: ImageSubject;
  describes: string;
  platform?: string;
}

export interface Subjects {
  manifest?: Manifest;
  /** Files to sign. */
  files: ResolvedFile[];
  /** Every file the provenance covers (binaries, archives, checksums, SBOMs; or the glob matches). */
  covered: ResolvedFile[];
  /** File SBOMs with the file they describe. */
  sboms: { sbom: ResolvedFile; describes: ResolvedFile }[];
  images: ImageSubject[];
  sbomImages: SbomImageSubject[];
}

export async function resolveSubjects(cfg: Config, log: Log): Promise<Subjects> {
  const s = cfg.manifest ? await fromManifest(cfg, cfg.manifest) : await fromGlobs(cfg, log);
  if (s.files.length === 0 && s.images.length === 0 && !(cfg.provenance && s.covered.length)) {
    throw new InputError(
      cfg.manifest ? 'sign' : 'subjects',
      cfg.manifest ? [...cfg.sign].join(', ') : cfg.subjects.join(', '),
      cfg.manifest ? 'kinds the manifest has artifacts of' : 'globs matching files to sign',
      cfg.manifest
        ? `${cfg.manifestInput} lists none of these; set \`sign:\` to kinds it contains (e.g. \`sign: all\`)`
        : 'Check the globs',
    );
  }
  for (const f of s.files) log.info(`${f.relPath}  sha256:${f.sha256}  ${f.size} B`);
  for (const i of [...s.images, ...s.sbomImages]) log.info(`${i.registry}/${i.repository}@${i.digest}  (${i.artifact.kind})`);
  return s;
}

async function fromGlobs(cfg: Config, log: Log): Promise<Subjects> {
  const files = await globFiles('subjects', cfg.subjects, cfg.workdir, {
    roots: cfg.roots,
    exclude: (p) => SIGNATURE_FILE.test(p),
    warn: (m) => log.warning(m),
  });
  return { files, covered: files, sboms: [], images: [], sbomImages: [] };
}

async function fromManifest(cfg: Config, file: string): Promise<Subjects> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(file);
  } catch (e) {
    if (!isGoshipError(e)) throw e;
    throw new InputError('manifest', cfg.manifestInput, 'the manifest multiarch-build wrote', e.message);
  }
  const fileKinds = [...cfg.sign].map((k) => FILE_KIND[k]).filter((k): k is ArtifactKind => !!k);
  let covered: ResolvedFile[];
  try {
    covered = await resolveArtifacts(selectArtifacts(manifest, { kinds: SIGNABLE_KINDS }), cfg.workdir, {
      roots: cfg.roots,
      manifestFile: cfg.manifestInput,
    });
  } catch (e) {
    // A manifest naming files outside the workspace (or changed since the build) is a bad `manifest` input.
    if (!(e instanceof ArtifactFileError)) throw e;
    throw new InputError(
      'manifest',
      cfg.manifestInput,
      'a manifest whose files are inside the workspace and unchanged since the build',
      e.message,
    );
  }
  const files = covered.filter((f) => f.artifact && fileKinds.includes(f.artifact.kind));
  const byName = new Map(covered.filter((f) => f.artifact?.kind !== 'sbom').map((f) => [f.artifact!.name, f]));
  const sboms = covered.flatMap((f) => {
    const d = f.artifact?.kind === 'sbom' && f.artifact.describes ? byName.get(f.artifact.describes) : undefined;
    return d ? [{ sbom: f, describes: d }] : [];
  });
  const images = selectArtifacts(manifest, { kinds: ['image'] }).map((a) => imageSubject(cfg, a));
  const sbomImages = selectArtifacts(manifest, { kinds: ['sbom-image'] }).flatMap((a) => {
    const ref = imageRef(cfg, a);
    const image = images.find((i) => i.registry === ref.registry && i.repository === ref.repository);
    const describes = String(a.describes ?? '').split('@')[1] ?? '';
    return image
      ? [{ ...ref, name: a.name, artifact: a, image, describes, platform: typeof a.platform === 'string' ? a.platform : undefined }]
      : [];
  });
  // Registry objects are signed with `sign: images`; their attestations follow `provenance` and `sbom-attestations`.
  return {
    manifest,
    files,
    covered,
    sboms,
    images,
    sbomImages: cfg.sign.has('images') || cfg.sbomAttestations !== 'none' ? sbomImages : [],
  };
}

function imageRef(cfg: Config, a: Artifact): ImageRef {
  const r = parseImageRef(a.ref ?? '');
  if (!r) {
    throw new InputError(
      'manifest',
      cfg.manifestInput,
      'image artifacts named REGISTRY/REPOSITORY@sha256:<digest>',
      `${a.kind} ${JSON.stringify(a.name.slice(0, 200))} has ref ${JSON.stringify(String(a.ref ?? '').slice(0, 200))}; images are signed by digest, as multiarch-build records them`,
    );
  }
  return r;
}

function imageSubject(cfg: Config, a: Artifact): ImageSubject {
  return { ...imageRef(cfg, a), name: a.name, ref: a.ref!, artifact: a };
}
