/**
 * The image step of multiarch-build's main flow: after the binaries are built (or the parts
 * merged), publish the image from the manifest's linux binaries and add `image` and `sbom-image`
 * artifacts to the manifest (rewritten). Returns what was published; main turns it into outputs
 * and a summary section.
 */
import type { ActionContext } from '@goship/core/action';
import { type Artifact, type Manifest, sortManifest, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { repoName } from '@goship/core/oci';
import { fromPosix, posixRel } from '../dist.js';
import type { ImageConfig } from './config.js';
import { type ImageBinary, type PublishResult, publishImage } from './publish.js';

export interface ImageStepOptions {
  workdir: string;
  dist: string;
  /** Where the manifest is (re)written. */
  manifestPath: string;
}

export function imageArtifacts(r: PublishResult, workdir: string): Artifact[] {
  const image: Artifact = {
    kind: 'image',
    name: r.name,
    ref: r.ref,
    digest: r.digest,
    platforms: Object.keys(r.platforms),
    tags: r.tags,
    manifests: r.platforms,
    format: r.layoutDir ? 'oci-layout' : 'oci',
  };
  if (r.layoutDir) image.path = posixRel(workdir, r.layoutDir);
  if (r.base) image.base = r.base;
  const sboms: Artifact[] = r.sbomArtifacts.map((a) => ({
    kind: 'sbom-image',
    name: `${r.name}@${a.digest}`,
    ref: `${r.name}@${a.digest}`,
    digest: a.digest,
    describes: `${r.name}@${r.platforms[a.platform]}`,
    binary: a.binary,
    format: 'spdx',
    platform: a.platform,
    ...(r.sbomDiscovery ? { discovery: r.sbomDiscovery } : {}),
  }));
  return [image, ...sboms];
}

export async function imageStep(
  ctx: ActionContext,
  image: ImageConfig,
  manifest: Manifest,
  o: ImageStepOptions,
): Promise<{ manifest: Manifest; published: PublishResult }> {
  const binaries: ImageBinary[] = manifest.artifacts
    .filter((a) => a.kind === 'binary' && a.os === 'linux' && a.path)
    .map((a) => ({
      path: fromPosix(o.workdir, a.path!),
      platform: { os: a.os!, arch: a.arch!, variant: a.variant ?? '' },
      name: a.name,
    }));
  const name = repoName(image.image);
  const published = await ctx.phase(
    image.output === 'oci-layout' ? `Write the image ${name} as an OCI layout` : `Build and push the image ${name}`,
    () =>
      publishImage({
        binaries,
        project: manifest.project,
        version: manifest.version,
        commit: manifest.commit,
        commitTime: manifest.commitTime,
        traceId: manifest.traceId,
        image,
        distDir: o.dist,
        log: (m) => ctx.log.info(m),
      }),
  );
  // sorted as the file is written, so that the `artifacts` output lists them in the file's order
  const updated = sortManifest(upsertArtifacts(manifest, imageArtifacts(published, o.workdir)));
  await writeManifest(o.manifestPath, updated);
  return { manifest: updated, published };
}
