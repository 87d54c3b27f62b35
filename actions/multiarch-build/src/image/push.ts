/**
 * Pushing an assembled image. Order matters for "nothing half-pushed under a tag": blobs first
 * (HEAD → mount → upload), then each platform manifest by digest, then the SBOM artifacts (the
 * referrers API where the registry has it, else the sha256-<hex> tag schema), and only when all
 * of that succeeded the index under each tag; then the preflight reads it all back.
 */
import { GoshipError } from '@goship/core/errors';
import { type Descriptor, MEDIA, type RegistryClient } from '@goship/core/oci';
import { type Platform, formatPlatform } from '@goship/core/platform';
import { mapLimit } from '@goship/core/retry';
import { type Blob, descriptor, jsonBlob } from './assemble.js';
import { SPDX_MEDIA_TYPE } from './sbom.js';

/** A blob to send: its bytes on demand, and where the registry may mount it from. */
export interface PendingBlob {
  digest: string;
  size: number;
  data: () => Promise<Uint8Array>;
  mountFrom?: string;
}

export interface PushSpec {
  /** `registry/repository`, for the log. */
  name: string;
  repo: string;
  blobs: readonly PendingBlob[];
  images: readonly { platform: Platform; manifest: Blob }[];
  sboms: readonly { subject: Blob; manifest: Blob }[];
  index: Blob;
  tags: readonly string[];
  /** The `created` annotation of referrers-tag entries. */
  created: string;
  concurrency: number;
  log: (message: string) => void;
}

/** Pushes everything; returns how the SBOMs can be found. */
export async function pushImage(client: RegistryClient, s: PushSpec): Promise<'referrers' | 'tag'> {
  const { repo, concurrency } = s;
  const blobs = s.blobs.filter((b, i) => s.blobs.findIndex((x) => x.digest === b.digest) === i);
  await mapLimit(blobs, concurrency, async (b) => {
    const r = await client.pushBlob(repo, b.digest, b.data, b.mountFrom);
    if (r !== 'exists') s.log(`${r} ${b.digest} (${b.size} bytes)`);
  });
  await mapLimit([...s.images], concurrency, (img) => client.putManifest(repo, img.manifest.digest, img.manifest.data, MEDIA.ociManifest));
  // One subject's referrers tag is read, extended and written back: its artifacts go one by one.
  const discovered = (
    await mapLimit([...s.images], concurrency, async (img): Promise<('referrers' | 'tag')[]> => {
      const out: ('referrers' | 'tag')[] = [];
      for (const a of s.sboms.filter((x) => x.subject === img.manifest)) {
        const put = await client.putManifest(repo, a.manifest.digest, a.manifest.data, MEDIA.ociManifest);
        if (put.subject === img.manifest.digest) {
          out.push('referrers');
          continue;
        }
        const entry = descriptor(a.manifest, {
          artifactType: SPDX_MEDIA_TYPE,
          annotations: { 'org.opencontainers.image.created': s.created },
        });
        await addToReferrersTag(client, repo, img.manifest.digest, entry);
        out.push('tag');
      }
      return out;
    })
  ).flat();
  // Only now, with every platform manifest and artifact in place, the tags.
  await mapLimit([...s.tags], concurrency, (t) => client.putManifest(repo, t, s.index.data, MEDIA.ociIndex));
  s.log(`pushed ${s.name}@${s.index.digest} as ${s.tags.join(', ')}`);
  await preflight(client, repo, s.tags, s.index.digest, s.images);
  s.log(
    `preflight passed; blobs: ${client.stats.blobsUploaded} uploaded (${client.stats.bytesUploaded} bytes), ${client.stats.blobsMounted} mounted, ${client.stats.blobsExisting} already there; ${client.stats.retries} retries`,
  );
  return discovered.includes('tag') ? 'tag' : 'referrers';
}

/** The referrers tag schema (OCI distribution 1.1): an index under `sha256-<hex>` listing the referrers. */
async function addToReferrersTag(client: RegistryClient, repo: string, subject: string, d: Descriptor): Promise<void> {
  const tag = subject.replace(':', '-');
  const existing = await client.getManifest(repo, tag, [MEDIA.ociIndex]);
  let manifests: Descriptor[] = [];
  if (existing) manifests = (JSON.parse(existing.body.toString('utf8')) as { manifests?: Descriptor[] }).manifests ?? [];
  if (manifests.some((m) => m.digest === d.digest)) return;
  manifests = [...manifests, d].sort((a, b) => (a.digest < b.digest ? -1 : 1));
  const idx = jsonBlob(MEDIA.ociIndex, { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests });
  await client.putManifest(repo, tag, idx.data, MEDIA.ociIndex);
}

/**
 * Reads the pushed image back: the index under every tag, its platforms, every manifest's blobs.
 * Every request goes at once: a manifest asked for by digest is checked against it (getManifest),
 * so the platform manifests and the blobs they name are known without waiting for the index.
 */
export async function preflight(
  client: RegistryClient,
  repo: string,
  tags: readonly string[],
  digest: string,
  images: readonly { platform: Platform; manifest: Blob }[],
): Promise<void> {
  const problems: string[] = [];
  const checkTag = async (t: string): Promise<void> => {
    const got = await client.getManifest(repo, t, [MEDIA.ociIndex]);
    if (!got) {
      problems.push(`tag ${t} is missing`);
      return;
    }
    if (got.digest !== digest) problems.push(`tag ${t} points at ${got.digest}, not ${digest}`);
    if (got.mediaType !== MEDIA.ociIndex) problems.push(`tag ${t} has media type ${got.mediaType}, not ${MEDIA.ociIndex}`);
  };
  const checkPlatform = async (img: { platform: Platform; manifest: Blob }): Promise<void> => {
    const p = formatPlatform(img.platform);
    const want = img.manifest.digest;
    const ours = JSON.parse(Buffer.from(img.manifest.data).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    const [m] = await Promise.all([
      client.getManifest(repo, want, [MEDIA.ociManifest]),
      ...[ours.config, ...ours.layers].map(async (b) => {
        const has = await client.retry(`HEAD ${b.digest}`, () => client.hasBlob(repo, b.digest));
        if (!has) problems.push(`${p} blob ${b.digest} is missing`);
      }),
    ]);
    if (!m) {
      problems.push(`manifest ${want} (${p}) is missing`);
      return;
    }
    // the registry served these very bytes (their digest is checked), so they name the blobs asked for
    const man = JSON.parse(m.body.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    if (man.config.mediaType !== MEDIA.ociConfig) problems.push(`${p} config has media type ${man.config.mediaType}`);
    for (const l of man.layers) {
      if (!l.mediaType.startsWith('application/vnd.oci.image.layer.'))
        problems.push(`${p} layer ${l.digest} has media type ${l.mediaType}`);
    }
  };
  const [idx] = await Promise.all([
    client.getManifest(repo, digest, [MEDIA.ociIndex]),
    ...tags.map(checkTag),
    ...images.map(checkPlatform),
  ]);
  if (!idx) {
    problems.push(`the index ${digest} is missing`);
  } else {
    const doc = JSON.parse(idx.body.toString('utf8')) as { manifests?: Descriptor[] };
    for (const img of images) {
      const d = (doc.manifests ?? []).find((m) => m.digest === img.manifest.digest);
      if (!d) problems.push(`platform ${formatPlatform(img.platform)} (${img.manifest.digest}) is not in the index`);
      else if (d.mediaType !== MEDIA.ociManifest) problems.push(`${formatPlatform(img.platform)} has media type ${d.mediaType}`);
    }
  }
  problems.sort();
  if (problems.length) {
    throw new GoshipError(
      `The image check after the push failed: ${problems.join('; ')}.`,
      'Run again; if it persists the registry lost or rewrote what was pushed',
    );
  }
}
