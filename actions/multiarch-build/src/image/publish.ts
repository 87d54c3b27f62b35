/**
 * publishImage: the binaries multiarch-build made → a multi-platform OCI image, pushed (push.ts)
 * or written as an OCI layout, with an SBOM artifact per binary and platform. The image is
 * assembled once (base, layers, configs, manifests, index, SBOMs); both outputs send the same
 * blobs and report the same result.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoshipError, InputError } from '@goship/core/errors';
import { type BuildInfo, buildInfo, buildSetting } from '@goship/core/go';
import { type ClientStats, type Credentials, type Descriptor, RegistryClient, dockerCredentials, repoName } from '@goship/core/oci';
import { type Platform, formatPlatform, platformId } from '@goship/core/platform';
import type { RetryOptions } from '@goship/core/retry';
import { distFile } from '../dist.js';
import { deflatePool } from '../gzip.js';
import {
  type Blob,
  EMPTY_CONFIG,
  artifactManifest,
  descriptor,
  imageConfig,
  imageIndex,
  imageManifest,
  ociPlatformName,
} from './assemble.js';
import { type ResolvedBase, resolveBase } from './base.js';
import { type BuildxSpec, buildxArgv, requireDaemon, runBuildx, targetPlatform } from './buildx.js';
import { type ImageConfig, imagePlatforms } from './config.js';
import { buildLayerAsync, type Layer, type LayerFile } from './layer.js';
import { writeLayout } from './layout.js';
import { type PendingBlob, pushImage } from './push.js';
import { SPDX_MEDIA_TYPE, spdxDocument } from './sbom.js';
import { stageBinaries } from './stage.js';
import { expandTags } from './tags.js';

export interface ImageBinary {
  /** The binary's path on disk. */
  path: string;
  platform: Platform;
  /** Name in the image (default: the file name). */
  name?: string;
  /** An SPDX JSON document for this binary, when the build wrote one. */
  sbom?: string;
}

export interface PublishOptions {
  binaries: readonly ImageBinary[];
  project: string;
  version: string;
  commit: string;
  /** ISO 8601; the layer mtime, `created`, and the created label. */
  commitTime: string;
  traceId?: string;
  /** For the source label (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY). */
  source?: string;
  image: ImageConfig;
  /** Where `oci-layout` output and buildx staging go. */
  distDir: string;
  concurrency?: number;
  retry?: RetryOptions;
  /** Upload in PATCH chunks above this size (tests; default monolithic with chunked fallback). */
  chunkSize?: number;
  log: (msg: string) => void;
}

export interface PublishResult {
  /** Repository: `registry/repository`. */
  name: string;
  /** `name@digest` */
  ref: string;
  digest: string;
  /** platform → manifest digest */
  platforms: Record<string, string>;
  tags: string[];
  /** platform → SBOM artifact manifest digest */
  sboms: Record<string, string>;
  /** Every SBOM artifact: one per binary and platform. */
  sbomArtifacts: { platform: string; binary: string; digest: string }[];
  /** How the SBOMs were attached. */
  sbomDiscovery?: 'referrers' | 'tag';
  /** oci-layout: the folder. */
  layoutDir?: string;
  stats?: ClientStats;
  /** The base image's resolved digest. */
  base?: string;
}

const CREATED_BY = (names: string[]): string => `goship multiarch-build: COPY ${names.join(' ')} /usr/local/bin/`;
const LOGIN_HINT = 'Log in first (docker/login-action writes ~/.docker/config.json) or set `registry-username` and `registry-password`';

function defaultSource(): string | undefined {
  const repo = process.env.GITHUB_REPOSITORY;
  return repo ? `${process.env.GITHUB_SERVER_URL || 'https://github.com'}/${repo}` : undefined;
}

export function entrypointFor(image: Pick<ImageConfig, 'entrypoint'>, names: string[], project: string): string[] {
  const main = names.includes(project) ? project : names[0]!;
  const ep = image.entrypoint ?? [main];
  const first = ep[0]!;
  if (!first.includes('/')) {
    if (!names.includes(first)) {
      throw new InputError(
        'image-entrypoint',
        first,
        `one of the binaries (${names.join(', ')}) or an absolute path`,
        'Binaries are at /usr/local/bin/<name>',
      );
    }
    return [`/usr/local/bin/${first}`, ...ep.slice(1)];
  }
  return ep;
}

/**
 * The layer's mtime: the commit time the binaries were built from (Go's `vcs.time` build setting),
 * else the release's commit time. Normally the two are the same; when the same binaries are packaged
 * again for another commit, the layer (and its diff_id) stays the same and is not uploaded again.
 */
export function layerTime(infos: readonly (BuildInfo | undefined)[], commitSeconds: number): number {
  let latest: number | undefined;
  for (const info of infos) {
    const t = info ? Date.parse(buildSetting(info, 'vcs.time') ?? '') : NaN;
    if (!Number.isNaN(t)) latest = Math.max(latest ?? 0, Math.floor(t / 1000));
  }
  return latest ?? commitSeconds;
}

interface PlatformImage {
  platform: Platform;
  layer: Layer;
  config: Blob;
  manifest: Blob;
  baseLayers: Descriptor[];
  binaries: ImageBinary[];
  /** path → sha256 of each binary, from the bytes the layer holds. */
  sha256: Map<string, string>;
}

interface SbomArtifact {
  platform: string;
  binary: string;
  subject: Blob;
  doc: Blob;
  manifest: Blob;
}

/** Everything about the image that does not depend on where it goes. */
interface Assembled {
  name: string;
  platforms: Platform[];
  tags: string[];
  created: string;
  base?: ResolvedBase;
  images: PlatformImage[];
  index: Blob;
  sbomArtifacts: SbomArtifact[];
  /** Layers, configs and (with a base) the base's layers, each once. */
  blobs: PendingBlob[];
}

/** One registry client per registry, with goship's credentials for the image's registry and the docker config for others. */
async function clientFor(o: PublishOptions, registry: string): Promise<RegistryClient> {
  const img = o.image;
  const credentials: Credentials | undefined =
    registry === img.image.registry && img.credentials ? img.credentials : await dockerCredentials(registry);
  return new RegistryClient({
    registry,
    insecure: img.insecure.includes(registry),
    credentials,
    retry: { ...o.retry },
    chunkSize: registry === img.image.registry ? o.chunkSize : undefined,
    loginHint: LOGIN_HINT,
    log: o.log,
  });
}

function labelsFor(o: PublishOptions, created: string, source: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.revision': o.commit,
    'org.opencontainers.image.title': o.project,
    'org.opencontainers.image.version': o.version,
  };
  if (source) labels['org.opencontainers.image.source'] = source;
  return { ...labels, ...o.image.labels };
}

async function platformImage(
  o: PublishOptions,
  p: Platform,
  shared: {
    extra: LayerFile[];
    infos: Map<string, BuildInfo | undefined>;
    /** Each binary's bytes, read once (build info, layer and SBOM digest). */
    data: Map<string, Buffer>;
    created: string;
    labels: Record<string, string>;
    base?: ResolvedBase;
  },
): Promise<PlatformImage> {
  const commitSeconds = Math.floor(Date.parse(o.commitTime) / 1000);
  const bins = o.binaries.filter((b) => formatPlatform(b.platform) === formatPlatform(p));
  const files: LayerFile[] = [...shared.extra];
  // each binary read once: its layer entry, and the sha256 its SBOM names
  const sha256 = new Map<string, string>();
  for (const b of bins) {
    const data = shared.data.get(b.path)!;
    sha256.set(b.path, createHash('sha256').update(data).digest('hex'));
    files.push({ path: `/usr/local/bin/${b.name ?? path.basename(b.path)}`, data, mode: 0o755 });
  }
  const names = bins.map((b) => b.name ?? path.basename(b.path));
  const layer = await buildLayerAsync(
    files,
    layerTime(
      bins.map((b) => shared.infos.get(b.path)),
      commitSeconds,
    ),
  );
  const bp = shared.base?.platforms.get(formatPlatform(p));
  const config = imageConfig({
    platform: p,
    created: shared.created,
    entrypoint: entrypointFor(o.image, names, o.project),
    user: o.image.user,
    labels: shared.labels,
    createdBy: CREATED_BY(names.map((n) => path.posix.join('/usr/local/bin', n))),
    layer,
    base: bp?.config,
  });
  const baseLayers = bp?.layers ?? [];
  const annotations: Record<string, string> = {};
  const baseRef = o.image.base;
  if (bp && baseRef) {
    annotations['org.opencontainers.image.base.digest'] = bp.manifestDigest;
    annotations['org.opencontainers.image.base.name'] = `${repoName(baseRef)}${baseRef.tag ? `:${baseRef.tag}` : ''}`;
  }
  const manifest = imageManifest(config, [...baseLayers, descriptor(layer)], annotations);
  return { platform: p, layer, config, manifest, baseLayers, binaries: bins, sha256 };
}

async function sbomArtifactsOf(
  o: PublishOptions,
  images: readonly PlatformImage[],
  infos: Map<string, BuildInfo | undefined>,
  created: string,
): Promise<SbomArtifact[]> {
  const out: SbomArtifact[] = [];
  for (const img of images) {
    for (const b of img.binaries) {
      const binary = b.name ?? path.basename(b.path);
      const info = infos.get(b.path);
      if (!b.sbom && !info) {
        throw new GoshipError(`Could not read the Go build info of ${b.path} for its SBOM.`, 'Is it a Go binary, and is `go` on PATH?');
      }
      const sha256 = img.sha256.get(b.path)!;
      const doc = b.sbom
        ? await readFile(b.sbom)
        : spdxDocument(info!, { name: binary, version: o.version, platform: img.platform, sha256, created });
      const docBlob: Blob = {
        mediaType: SPDX_MEDIA_TYPE,
        digest: `sha256:${createHash('sha256').update(doc).digest('hex')}`,
        size: doc.length,
        data: doc,
      };
      const title = `${binary}_${o.version}_${platformId(img.platform)}.spdx.json`;
      out.push({
        platform: formatPlatform(img.platform),
        binary,
        subject: img.manifest,
        doc: docBlob,
        manifest: artifactManifest(SPDX_MEDIA_TYPE, docBlob, title, descriptor(img.manifest), created),
      });
    }
  }
  return out;
}

/** The blobs every platform manifest needs, each once: base layers (mounted when the base is in the same registry), layers, configs. */
function blobsOf(o: PublishOptions, images: readonly PlatformImage[], baseClient?: RegistryClient): PendingBlob[] {
  const pending = new Map<string, PendingBlob>();
  const add = (b: PendingBlob): void => void (pending.has(b.digest) || pending.set(b.digest, b));
  const base = o.image.base;
  for (const img of images) {
    for (const l of img.baseLayers) {
      add({
        digest: l.digest,
        size: l.size,
        data: () => baseClient!.getBlob(base!.repository, l.digest),
        mountFrom: base!.registry === o.image.image.registry ? base!.repository : undefined,
      });
    }
    add({ digest: img.layer.digest, size: img.layer.size, data: () => Promise.resolve(img.layer.blob) });
    add({ digest: img.config.digest, size: img.config.size, data: () => Promise.resolve(img.config.data) });
  }
  return [...pending.values()];
}

async function assemble(o: PublishOptions, client: RegistryClient, platforms: Platform[], tags: string[]): Promise<Assembled> {
  const created = new Date(o.commitTime).toISOString().replace(/\.000Z$/, 'Z');
  const source = o.source ?? defaultSource();
  const img = o.image;
  let base: ResolvedBase | undefined;
  let baseClient: RegistryClient | undefined;
  if (img.base) {
    baseClient = img.base.registry === img.image.registry ? client : await clientFor(o, img.base.registry);
    base = await resolveBase(baseClient, img.base, platforms);
    o.log(`base ${repoName(img.base)}@${base.digest}`);
  }
  const extra: LayerFile[] = await Promise.all(img.files.map(async (f) => ({ path: f.dest, data: await readFile(f.src), mode: f.mode })));
  // Every binary read once; its build info gives the layer time (vcs.time) and the SBOM.
  const data = new Map(await Promise.all(o.binaries.map(async (b) => [b.path, await readFile(b.path)] as const)));
  const infos = new Map(
    await Promise.all(
      o.binaries.map(async (b) => [b.path, await buildInfo(b.path, 'go', data.get(b.path)).catch(() => undefined)] as const),
    ),
  );
  const shared = { extra, infos, data, created, labels: labelsFor(o, created, source), base };
  const images = await Promise.all(platforms.map((p) => platformImage(o, p, shared)));
  const index = imageIndex(
    images.map((i) => ({ blob: i.manifest, platform: i.platform })),
    {
      'org.opencontainers.image.created': created,
      'org.opencontainers.image.revision': o.commit,
      'org.opencontainers.image.version': o.version,
      ...(source ? { 'org.opencontainers.image.source': source } : {}),
    },
  );
  o.log(`image index ${index.digest} over ${images.map((i) => `${formatPlatform(i.platform)} ${i.manifest.digest}`).join(', ')}`);
  const sbomArtifacts = await sbomArtifactsOf(o, images, infos, created);
  return { name: repoName(img.image), platforms, tags, created, base, images, index, sbomArtifacts, blobs: blobsOf(o, images, baseClient) };
}

/** The result, the same for both outputs; what only one of them has comes in `extra`. */
function resultOf(a: Assembled, extra: Pick<PublishResult, 'layoutDir' | 'sbomDiscovery' | 'stats'>): PublishResult {
  return {
    name: a.name,
    ref: `${a.name}@${a.index.digest}`,
    digest: a.index.digest,
    platforms: Object.fromEntries(a.images.map((i) => [formatPlatform(i.platform), i.manifest.digest])),
    tags: a.tags,
    sboms: Object.fromEntries(
      a.images.map((img) => [formatPlatform(img.platform), a.sbomArtifacts.find((s) => s.subject === img.manifest)!.manifest.digest]),
    ),
    sbomArtifacts: a.sbomArtifacts.map((s) => ({ platform: s.platform, binary: s.binary, digest: s.manifest.digest })),
    ...extra,
    base: a.base?.digest,
  };
}

/** Every blob the image and its SBOMs reference beyond the layers and configs: manifests, SBOM documents, the empty config, the index. */
function documentBlobs(a: Assembled): PendingBlob[] {
  const blob = (b: Blob): PendingBlob => ({ digest: b.digest, size: b.size, data: () => Promise.resolve(b.data) });
  return [
    ...a.images.map((i) => blob(i.manifest)),
    ...a.sbomArtifacts.flatMap((s) => [blob(s.doc), blob(s.manifest)]),
    blob(EMPTY_CONFIG),
    blob(a.index),
  ];
}

export async function publishImage(o: PublishOptions): Promise<PublishResult> {
  const img = o.image;
  const platforms = imagePlatforms(
    img,
    o.binaries.map((b) => b.platform),
  );
  const tags = expandTags(img.tags, o.version, o.commit);
  if (Number.isNaN(Date.parse(o.commitTime))) throw new GoshipError(`The commit time ${JSON.stringify(o.commitTime)} is not a date.`);
  // a layer a platform: the deflate workers start while the registry is pinged and the binaries read
  if (img.builder !== 'buildx') deflatePool().warm(platforms.length);
  const client = await clientFor(o, img.image.registry);
  if (img.builder === 'buildx') return publishBuildx(o, platforms, tags, client);
  // Learn the registry's auth scheme while the image is assembled.
  const pinged: Promise<unknown> =
    img.output === 'push'
      ? client.ping().then(
          () => undefined,
          (e: unknown) => e,
        )
      : Promise.resolve(undefined);
  const a = await assemble(o, client, platforms, tags);
  if (img.output === 'oci-layout') {
    const dir = distFile(o.distDir, `${o.project}_${o.version}_oci`);
    await writeLayout(dir, descriptor(a.index), tags, [...a.blobs, ...documentBlobs(a)], a.name);
    o.log(`wrote the OCI layout ${dir}`);
    return resultOf(a, { layoutDir: dir });
  }
  const pingError = await pinged;
  if (pingError) {
    if (pingError instanceof GoshipError) throw pingError;
    const hint = img.insecure.includes(img.image.registry) ? '' : ' (for a plain-http registry, add it to `insecure-registries`)';
    throw new InputError('image', a.name, 'a registry that answers', `${(pingError as Error).message}${hint}`);
  }
  const sbomDocs = a.sbomArtifacts.map((s) => ({ digest: s.doc.digest, size: s.doc.size, data: () => Promise.resolve(s.doc.data) }));
  const empty = { digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size, data: () => Promise.resolve(EMPTY_CONFIG.data) };
  const discovery = await pushImage(client, {
    name: a.name,
    repo: img.image.repository,
    blobs: [...a.blobs, ...sbomDocs, empty],
    images: a.images,
    sboms: a.sbomArtifacts,
    index: a.index,
    tags,
    created: a.created,
    concurrency: o.concurrency ?? Math.max(2, Math.min(8, os.availableParallelism() * 2)),
    log: o.log,
  });
  return resultOf(a, { sbomDiscovery: discovery, stats: client.stats });
}

async function publishBuildx(o: PublishOptions, platforms: Platform[], tags: string[], client: RegistryClient): Promise<PublishResult> {
  // No daemon → fail before staging anything.
  await requireDaemon();
  const name = repoName(o.image.image);
  const context = distFile(o.distDir, 'buildx-context');
  await stageBinaries(context, o.binaries, platforms);
  const metadataFile = distFile(o.distDir, 'buildx-metadata.json');
  // read back after the build: never a file that was there before
  await rm(metadataFile, { force: true });
  const spec: BuildxSpec = {
    dockerfile: o.image.dockerfile,
    context,
    platforms,
    refs: tags.map((t) => `${name}:${t}`),
    labels: labelsFor(o, new Date(o.commitTime).toISOString().replace(/\.000Z$/, 'Z'), o.source ?? defaultSource()),
    metadataFile,
  };
  o.log(`docker ${buildxArgv(spec).join(' ')}`);
  const digest = await runBuildx(spec);
  const idx = await client.getManifest(o.image.image.repository, digest);
  const doc = idx ? (JSON.parse(idx.body.toString('utf8')) as { manifests?: Descriptor[] }) : { manifests: [] };
  const byPlatform: Record<string, string> = {};
  for (const p of platforms) {
    const tp = targetPlatform(p);
    const d = doc.manifests?.find((m) => m.platform && ociPlatformName(m.platform) === tp);
    if (d) byPlatform[formatPlatform(p)] = d.digest;
  }
  return { name, ref: `${name}@${digest}`, digest, platforms: byPlatform, tags, sboms: {}, sbomArtifacts: [] };
}
