/**
 * Base images: the base's index (or single manifest), each wanted platform's manifest and config.
 * Its layers are kept as they are (same bytes, same digests); Docker media types are rewritten to
 * their OCI equivalents so the result never mixes the two.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { type Platform, formatPlatform, ociPlatform } from '@goship/core/platform';
import { type BaseConfig, ociPlatformName } from './assemble.js';
import { type Descriptor, type ImageRef, MEDIA, type RegistryClient, RegistryError, formatRef } from '@goship/core/oci';

export interface BasePlatform {
  manifestDigest: string;
  layers: Descriptor[];
  config: BaseConfig;
}

export interface ResolvedBase {
  ref: ImageRef;
  /** The digest the base reference resolved to (index or manifest). */
  digest: string;
  platforms: Map<string, BasePlatform>;
}

const LAYER_TYPES: Record<string, string> = {
  [MEDIA.dockerLayerGzip]: MEDIA.ociLayerGzip,
  [MEDIA.dockerForeignLayer]: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.diff.tar': MEDIA.ociLayer,
};

export function ociLayerType(mt: string): string {
  if (mt.startsWith('application/vnd.oci.image.layer.')) return mt;
  const t = LAYER_TYPES[mt];
  if (!t) throw new GoshipError(`The base image has a layer of media type ${mt}, which goship cannot convert to OCI.`);
  return t;
}

function samePlatform(want: Platform, got: { os?: string; architecture?: string; variant?: string }): boolean {
  const w = ociPlatform(want);
  if (w.os !== got.os || w.architecture !== got.architecture) return false;
  const norm = (arch: string, v?: string): string =>
    arch === 'arm64' ? (v ?? 'v8') || 'v8' : arch === 'arm' ? (v ?? 'v7') || 'v7' : (v ?? '');
  return norm(w.architecture, w.variant) === norm(w.architecture, got.variant);
}

function unavailable(ref: ImageRef, e: unknown): never {
  if (e instanceof RegistryError) {
    throw new InputError(
      'image-base',
      formatRef(ref),
      'an image the registry has and these credentials may pull',
      `${ref.registry} said: ${e.what}`,
    );
  }
  throw e;
}

interface TopManifest {
  digest: string;
  body: Buffer;
  doc: { manifests?: Descriptor[]; mediaType?: string };
  isIndex: boolean;
}

/** One platform of the base: its manifest (from the index, or the single manifest), layers and config. */
async function resolvePlatform(client: RegistryClient, ref: ImageRef, top: TopManifest, p: Platform): Promise<BasePlatform> {
  let manifestDigest = top.digest;
  let body = top.body;
  if (top.isIndex) {
    const d = (top.doc.manifests ?? []).find((m) => m.platform && samePlatform(p, m.platform));
    if (!d) {
      const have = (top.doc.manifests ?? []).filter((m) => m.platform).map((m) => ociPlatformName(m.platform!));
      throw new InputError(
        'image-base',
        formatRef(ref),
        `an image with ${formatPlatform(p)}`,
        `It has: ${have.join(', ') || 'no platforms'}`,
      );
    }
    const m = await client.getManifest(ref.repository, d.digest).catch((e: unknown) => unavailable(ref, e));
    if (!m) throw new InputError('image-base', formatRef(ref), 'an image whose manifests exist', `${d.digest} is missing`);
    manifestDigest = m.digest;
    body = m.body;
  }
  const man = JSON.parse(body.toString('utf8')) as {
    mediaType?: string;
    schemaVersion?: number;
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (man.schemaVersion !== 2 || !man.config || !man.layers) {
    throw new InputError('image-base', formatRef(ref), 'an OCI or Docker v2 image', 'Docker schema 1 images are not supported');
  }
  const cfgBytes = await client.getBlob(ref.repository, man.config.digest).catch((e: unknown) => unavailable(ref, e));
  const config = JSON.parse(cfgBytes.toString('utf8')) as BaseConfig & { os?: string; architecture?: string; variant?: string };
  if (!top.isIndex && config.architecture && !samePlatform(p, config)) {
    throw new InputError(
      'image-base',
      formatRef(ref),
      `a multi-platform image or one for ${formatPlatform(p)}`,
      `It is a single image for ${ociPlatformName(config)}`,
    );
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== man.layers.length) {
    throw new GoshipError(
      `The base image ${formatRef(ref)} (${formatPlatform(p)}) has ${man.layers.length} layers but ${diffIds.length} diff_ids in its config.`,
    );
  }
  return {
    manifestDigest,
    layers: man.layers.map((l) => ({
      mediaType: ociLayerType(l.mediaType),
      digest: l.digest,
      size: l.size,
      ...(l.annotations ? { annotations: l.annotations } : {}),
    })),
    config: {
      config: config.config,
      rootfs: { diff_ids: diffIds },
      history: config.history,
      'os.version': config['os.version'],
      'os.features': config['os.features'],
    },
  };
}

export async function resolveBase(client: RegistryClient, ref: ImageRef, platforms: readonly Platform[]): Promise<ResolvedBase> {
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const top = await client.getManifest(ref.repository, reference).catch((e: unknown) => unavailable(ref, e));
  if (!top) {
    throw new InputError(
      'image-base',
      formatRef(ref),
      'an image that exists',
      `${ref.registry} has no manifest ${ref.repository}:${reference}`,
    );
  }
  const doc = JSON.parse(top.body.toString('utf8')) as TopManifest['doc'];
  const isIndex = top.mediaType === MEDIA.ociIndex || top.mediaType === MEDIA.dockerList || Array.isArray(doc.manifests);
  const out = new Map<string, BasePlatform>();
  for (const p of platforms)
    out.set(formatPlatform(p), await resolvePlatform(client, ref, { digest: top.digest, body: top.body, doc, isIndex }, p));
  return { ref, digest: top.digest, platforms: out };
}
