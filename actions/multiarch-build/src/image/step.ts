/**
 * The image step of multiarch-build's main flow: after the binaries are built (or the parts
 * merged), publish the image from the manifest's linux binaries, add `image` and `sbom-image`
 * artifacts to the manifest, set the image outputs and add a section to the job summary.
 */
import path from 'node:path';
import * as core from '@actions/core';
import type { ActionContext } from '@goship/core/action';
import { type Artifact, type Manifest, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { Summary } from '@goship/core/summary';
import type { ImageInputs } from './inputs.js';
import { type ImageBinary, type PublishResult, publishImage } from './publish.js';
import { repoName } from '@goship/core/oci';

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
  if (r.layoutDir) image.path = path.relative(workdir, r.layoutDir).split(path.sep).join('/');
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
  inputs: ImageInputs,
  manifest: Manifest,
  o: ImageStepOptions,
): Promise<{ manifest: Manifest; summary: Summary }> {
  const binaries: ImageBinary[] = manifest.artifacts
    .filter((a) => a.kind === 'binary' && a.os === 'linux' && a.path)
    .map((a) => ({
      path: path.join(o.workdir, ...a.path!.split('/')),
      platform: { os: a.os!, arch: a.arch!, variant: a.variant ?? '' },
      name: a.name,
    }));
  const name = repoName(inputs.image);
  const r = await ctx.phase(
    inputs.output === 'oci-layout' ? `Write the image ${name} as an OCI layout` : `Build and push the image ${name}`,
    () =>
      publishImage({
        binaries,
        project: manifest.project,
        version: manifest.version,
        commit: manifest.commit,
        commitTime: manifest.commitTime,
        traceId: manifest.traceId,
        inputs,
        distDir: o.dist,
      }),
  );
  const updated = upsertArtifacts(manifest, imageArtifacts(r, o.workdir));
  await writeManifest(o.manifestPath, updated);
  core.setOutput('image', r.ref);
  core.setOutput('digest', r.digest);
  core.setOutput('image-platforms', JSON.stringify(r.platforms));
  core.setOutput('image-tags', JSON.stringify(r.tags));

  const s = new Summary().heading(`Image ${name}`, 3);
  s.text(
    `\`${r.ref}\`${r.layoutDir ? ` — OCI layout in \`${path.relative(o.workdir, r.layoutDir)}\`` : ` — tags ${r.tags.map((t) => `\`${t}\``).join(', ')}`}`,
  );
  s.table(
    ['platform', 'manifest', 'SBOM artifact'],
    Object.entries(r.platforms).map(([p, d]) => [p, `\`${d.slice(0, 19)}…\``, r.sboms[p] ? `\`${r.sboms[p].slice(0, 19)}…\`` : '—']),
  );
  if (r.stats) {
    s.text(
      `Blobs: ${r.stats.blobsUploaded} uploaded (${r.stats.bytesUploaded} bytes), ${r.stats.blobsMounted} mounted, ${r.stats.blobsExisting} already there · ${r.stats.retries} retries · SBOMs via ${r.sbomDiscovery === 'referrers' ? 'the referrers API' : 'the sha256-<digest> tag'} · checked after the push ✅`,
    );
  }
  return { manifest: updated, summary: s };
}
