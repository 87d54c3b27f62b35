/**
 * publishImage: the binaries multiarch-build made → a multi-platform OCI image, pushed (or written
 * as an OCI layout), verified after the push, with an SBOM artifact per platform.
 *
 * Order matters for "nothing half-pushed under a tag": blobs first (HEAD → mount → upload), then
 * each platform manifest by digest, then the SBOM artifacts, and only when all of that succeeded
 * the index under each tag; then the preflight reads it all back.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { GoshipError, InputError } from '@goship/core/errors';
import { type BuildInfo, buildInfo, buildSetting } from '@goship/core/go';
import { type Platform, formatPlatform, platformId } from '@goship/core/platform';
import { mapLimit, type RetryOptions } from '@goship/core/retry';
import { type Blob, EMPTY_CONFIG, artifactManifest, descriptor, imageConfig, imageIndex, imageManifest, jsonBlob } from './assemble.js';
import { type ClientStats, type Credentials, type Descriptor, MEDIA, RegistryClient, dockerCredentials, repoName } from '@goship/core/oci';
import { type ResolvedBase, resolveBase } from './base.js';
import { type BuildxSpec, buildxArgv, requireDaemon, runBuildx, targetPlatform } from './buildx.js';
import { stageBinaries } from './stage.js';
import { expandTags, type ImageInputs } from './inputs.js';
import { buildLayer, type Layer, type LayerFile } from './layer.js';
import { writeLayout } from './layout.js';
import { SPDX_MEDIA_TYPE, spdxDocument } from './sbom.js';

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
  inputs: ImageInputs;
  /** Where `oci-layout` output and buildx staging go (default `dist`). */
  distDir?: string;
  concurrency?: number;
  retry?: RetryOptions;
  /** Upload in PATCH chunks above this size (tests; default monolithic with chunked fallback). */
  chunkSize?: number;
  log?: (msg: string) => void;
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

function defaultSource(): string | undefined {
  const repo = process.env.GITHUB_REPOSITORY;
  return repo ? `${process.env.GITHUB_SERVER_URL || 'https://github.com'}/${repo}` : undefined;
}

/** The image platforms: the input, each of which must have been built; else the linux ones built. */
export function imagePlatforms(inputs: ImageInputs, binaries: readonly ImageBinary[]): Platform[] {
  const built = [...new Map(binaries.map((b) => [formatPlatform(b.platform), b.platform])).values()];
  if (inputs.platforms) {
    for (const p of inputs.platforms) {
      if (!built.some((b) => formatPlatform(b) === formatPlatform(p))) {
        throw new InputError(
          'image-platforms',
          formatPlatform(p),
          `platforms that were built: ${built.map(formatPlatform).join(', ') || 'none'}`,
          'Add it to `platforms`, or leave it out of `image-platforms`',
        );
      }
      if (p.os !== 'linux')
        throw new InputError('image-platforms', formatPlatform(p), 'linux platforms', 'Container images run linux binaries');
    }
    return inputs.platforms;
  }
  const linux = built.filter((p) => p.os === 'linux');
  if (linux.length === 0) {
    throw new InputError(
      'image',
      repoName(inputs.image),
      'linux binaries to put in the image',
      `Built: ${built.map(formatPlatform).join(', ') || 'nothing'}; add e.g. linux/amd64 to \`platforms\``,
    );
  }
  return linux.sort((a, b) => (formatPlatform(a) < formatPlatform(b) ? -1 : 1));
}

export function entrypointFor(inputs: ImageInputs, names: string[], project: string): string[] {
  const main = names.includes(project) ? project : names[0]!;
  const ep = inputs.entrypoint ?? [main];
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

interface PlatformImage {
  platform: Platform;
  layer: Layer;
  config: Blob;
  manifest: Blob;
  baseLayers: Descriptor[];
  binaries: ImageBinary[];
}

export async function publishImage(o: PublishOptions): Promise<PublishResult> {
  const log = o.log ?? ((m: string) => core.info(m));
  const inp = o.inputs;
  const platforms = imagePlatforms(inp, o.binaries);
  const tags = expandTags(inp.tags, o.version, o.commit);
  if (Number.isNaN(Date.parse(o.commitTime))) throw new GoshipError(`The commit time ${JSON.stringify(o.commitTime)} is not a date.`);
  const created = new Date(o.commitTime).toISOString().replace(/\.000Z$/, 'Z');
  const commitSeconds = Math.floor(Date.parse(o.commitTime) / 1000);
  const name = repoName(inp.image);
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.revision': o.commit,
    'org.opencontainers.image.title': o.project,
    'org.opencontainers.image.version': o.version,
  };
  const source = o.source ?? defaultSource();
  if (source) labels['org.opencontainers.image.source'] = source;
  Object.assign(labels, inp.labels);

  const insecureFor = (registry: string): boolean => inp.insecure.includes(registry);
  const credsFor = async (registry: string): Promise<Credentials | undefined> =>
    registry === inp.image.registry && inp.credentials ? inp.credentials : dockerCredentials(registry);
  const retries: RetryOptions = { ...o.retry };
  const loginHint = 'Log in first (docker/login-action writes ~/.docker/config.json) or set `registry-username` and `registry-password`';
  const client = new RegistryClient({
    registry: inp.image.registry,
    insecure: insecureFor(inp.image.registry),
    credentials: await credsFor(inp.image.registry),
    retry: retries,
    chunkSize: o.chunkSize,
    loginHint,
    log,
  });

  if (inp.builder === 'buildx') return publishBuildx(o, platforms, tags, labels, name, client);
  // Learn the registry's auth scheme while the image is assembled.
  const pinged: Promise<unknown> =
    inp.output === 'push'
      ? client.ping().then(
          () => undefined,
          (e: unknown) => e,
        )
      : Promise.resolve(undefined);

  // ---- base --------------------------------------------------------------------------------
  let base: ResolvedBase | undefined;
  let baseClient: RegistryClient | undefined;
  if (inp.base) {
    const same = inp.base.registry === inp.image.registry;
    baseClient = same
      ? client
      : new RegistryClient({
          registry: inp.base.registry,
          insecure: insecureFor(inp.base.registry),
          credentials: await credsFor(inp.base.registry),
          retry: retries,
          loginHint,
          log,
        });
    base = await resolveBase(baseClient, inp.base, platforms);
    log(`base ${repoName(inp.base)}@${base.digest}`);
  }

  // ---- assemble ------------------------------------------------------------------------------
  const extra: LayerFile[] = await Promise.all(inp.files.map(async (f) => ({ path: f.dest, data: await readFile(f.src), mode: f.mode })));
  // Build info of every binary, read once: the layer time (vcs.time) and the SBOM come from it.
  const infos = new Map(await Promise.all(o.binaries.map(async (b) => [b.path, await buildInfo(b.path).catch(() => undefined)] as const)));
  const images: PlatformImage[] = await Promise.all(
    platforms.map(async (p): Promise<PlatformImage> => {
      const bins = o.binaries.filter((b) => formatPlatform(b.platform) === formatPlatform(p));
      const files: LayerFile[] = [...extra];
      for (const b of bins)
        files.push({ path: `/usr/local/bin/${b.name ?? path.basename(b.path)}`, data: await readFile(b.path), mode: 0o755 });
      const names = bins.map((b) => b.name ?? path.basename(b.path));
      const layer = buildLayer(
        files,
        layerTime(
          bins.map((b) => infos.get(b.path)),
          commitSeconds,
        ),
      );
      const bp = base?.platforms.get(formatPlatform(p));
      const config = imageConfig({
        platform: p,
        created,
        entrypoint: entrypointFor(inp, names, o.project),
        user: inp.user,
        labels,
        createdBy: CREATED_BY(names.map((n) => path.posix.join('/usr/local/bin', n))),
        layer,
        base: bp?.config,
      });
      const baseLayers = bp?.layers ?? [];
      const annotations: Record<string, string> = {};
      if (base && inp.base) {
        annotations['org.opencontainers.image.base.digest'] = bp!.manifestDigest;
        annotations['org.opencontainers.image.base.name'] = `${repoName(inp.base)}${inp.base.tag ? `:${inp.base.tag}` : ''}`;
      }
      const manifest = imageManifest(config, [...baseLayers, descriptor(layer)], annotations);
      return { platform: p, layer, config, manifest, baseLayers, binaries: bins };
    }),
  );
  const index = imageIndex(
    images.map((i) => ({ blob: i.manifest, platform: i.platform })),
    {
      'org.opencontainers.image.created': created,
      'org.opencontainers.image.revision': o.commit,
      'org.opencontainers.image.version': o.version,
      ...(source ? { 'org.opencontainers.image.source': source } : {}),
    },
  );
  const platformDigests = Object.fromEntries(images.map((i) => [formatPlatform(i.platform), i.manifest.digest]));
  log(`image index ${index.digest} over ${images.map((i) => `${formatPlatform(i.platform)} ${i.manifest.digest}`).join(', ')}`);

  // ---- SBOM artifacts ------------------------------------------------------------------------
  interface SbomArtifact {
    platform: string;
    binary: string;
    subject: Blob;
    doc: Blob;
    manifest: Blob;
  }
  const sbomArtifacts: SbomArtifact[] = [];
  for (const img of images) {
    for (const b of img.binaries) {
      const binary = b.name ?? path.basename(b.path);
      const info = infos.get(b.path);
      if (!b.sbom && !info) {
        throw new GoshipError(`Could not read the Go build info of ${b.path} for its SBOM.`, 'Is it a Go binary, and is `go` on PATH?');
      }
      const doc = b.sbom
        ? await readFile(b.sbom)
        : spdxDocument(info!, {
            name: binary,
            version: o.version,
            platform: img.platform,
            sha256: createHash('sha256')
              .update(await readFile(b.path))
              .digest('hex'),
            created,
          });
      const docBlob: Blob = {
        mediaType: SPDX_MEDIA_TYPE,
        digest: `sha256:${createHash('sha256').update(doc).digest('hex')}`,
        size: doc.length,
        data: doc,
      };
      const title = `${binary}_${o.version}_${platformId(img.platform)}.spdx.json`;
      sbomArtifacts.push({
        platform: formatPlatform(img.platform),
        binary,
        subject: img.manifest,
        doc: docBlob,
        manifest: artifactManifest(SPDX_MEDIA_TYPE, docBlob, title, descriptor(img.manifest), created),
      });
    }
  }
  const sbomSummary = (): Pick<PublishResult, 'sboms' | 'sbomArtifacts'> => ({
    sboms: Object.fromEntries(
      images.map((img) => [
        formatPlatform(img.platform),
        sbomArtifacts.find((a) => a.platform === formatPlatform(img.platform))!.manifest.digest,
      ]),
    ),
    sbomArtifacts: sbomArtifacts.map((a) => ({ platform: a.platform, binary: a.binary, digest: a.manifest.digest })),
  });

  // ---- blobs to send -------------------------------------------------------------------------
  interface PendingBlob {
    digest: string;
    size: number;
    data: () => Promise<Uint8Array>;
    mountFrom?: string;
  }
  const pending = new Map<string, PendingBlob>();
  const add = (b: PendingBlob): void => void (pending.has(b.digest) || pending.set(b.digest, b));
  for (const img of images) {
    for (const l of img.baseLayers) {
      const sameRegistry = inp.base!.registry === inp.image.registry;
      add({
        digest: l.digest,
        size: l.size,
        data: () => baseClient!.getBlob(inp.base!.repository, l.digest),
        mountFrom: sameRegistry ? inp.base!.repository : undefined,
      });
    }
    add({ digest: img.layer.digest, size: img.layer.size, data: () => Promise.resolve(img.layer.blob) });
    add({ digest: img.config.digest, size: img.config.size, data: () => Promise.resolve(img.config.data) });
  }
  const concurrency = o.concurrency ?? Math.max(2, Math.min(8, os.availableParallelism() * 2));

  if (inp.output === 'oci-layout') {
    const dir = path.resolve(o.distDir ?? 'dist', `${o.project}_${o.version}_oci`);
    await mkdir(dir, { recursive: true });
    const all: { digest: string; data: () => Promise<Uint8Array> }[] = [...pending.values()];
    for (const img of images) all.push({ digest: img.manifest.digest, data: () => Promise.resolve(img.manifest.data) });
    for (const s of sbomArtifacts) {
      all.push(
        { digest: s.doc.digest, data: () => Promise.resolve(s.doc.data) },
        { digest: s.manifest.digest, data: () => Promise.resolve(s.manifest.data) },
      );
    }
    all.push(
      { digest: EMPTY_CONFIG.digest, data: () => Promise.resolve(EMPTY_CONFIG.data) },
      { digest: index.digest, data: () => Promise.resolve(index.data) },
    );
    await writeLayout(dir, descriptor(index), tags, all, name);
    log(`wrote the OCI layout ${dir}`);
    return {
      name,
      ref: `${name}@${index.digest}`,
      digest: index.digest,
      platforms: platformDigests,
      tags,
      ...sbomSummary(),
      layoutDir: dir,
      base: base?.digest,
    };
  }

  // ---- push ----------------------------------------------------------------------------------
  const repo = inp.image.repository;
  const pingError = await pinged;
  if (pingError) {
    if (pingError instanceof GoshipError) throw pingError;
    throw new InputError(
      'image',
      name,
      'a registry that answers',
      `${(pingError as Error).message}${insecureFor(inp.image.registry) ? '' : ' (for a plain-http registry, add it to `insecure-registries`)'}`,
    );
  }
  for (const s of sbomArtifacts) add({ digest: s.doc.digest, size: s.doc.size, data: () => Promise.resolve(s.doc.data) });
  add({ digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size, data: () => Promise.resolve(EMPTY_CONFIG.data) });
  await mapLimit([...pending.values()], concurrency, async (b) => {
    const r = await client.pushBlob(repo, b.digest, b.data, b.mountFrom);
    if (r !== 'exists') log(`${r} ${b.digest} (${b.size} bytes)`);
  });
  await mapLimit(images, concurrency, (img) => client.putManifest(repo, img.manifest.digest, img.manifest.data, MEDIA.ociManifest));

  // SBOMs: referrers API when the registry has it, else the sha256-<hex> tag schema.
  // One subject's referrers tag is read, extended and written back: its artifacts go one by one.
  const discovered = (
    await mapLimit(images, concurrency, async (img): Promise<('referrers' | 'tag')[]> => {
      const out: ('referrers' | 'tag')[] = [];
      for (const a of sbomArtifacts.filter((x) => x.subject === img.manifest)) {
        const put = await client.putManifest(repo, a.manifest.digest, a.manifest.data, MEDIA.ociManifest);
        if (put.subject === img.manifest.digest) {
          out.push('referrers');
          continue;
        }
        await addToReferrersTag(
          client,
          repo,
          img.manifest.digest,
          descriptor(a.manifest, { artifactType: SPDX_MEDIA_TYPE, annotations: { 'org.opencontainers.image.created': created } }),
        );
        out.push('tag');
      }
      return out;
    })
  ).flat();
  const discovery: PublishResult['sbomDiscovery'] = discovered.includes('tag') ? 'tag' : 'referrers';

  // Only now, with every platform manifest and artifact in place, the tags.
  await mapLimit(tags, concurrency, (t) => client.putManifest(repo, t, index.data, MEDIA.ociIndex));
  log(`pushed ${name}@${index.digest} as ${tags.join(', ')}`);

  await preflight(client, repo, tags, index.digest, platforms, images);
  log(
    `preflight passed; blobs: ${client.stats.blobsUploaded} uploaded (${client.stats.bytesUploaded} bytes), ${client.stats.blobsMounted} mounted, ${client.stats.blobsExisting} already there; ${client.stats.retries} retries`,
  );
  return {
    name,
    ref: `${name}@${index.digest}`,
    digest: index.digest,
    platforms: platformDigests,
    tags,
    ...sbomSummary(),
    sbomDiscovery: discovery,
    stats: client.stats,
    base: base?.digest,
  };
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

/** Reads the pushed image back: the index under every tag, its platforms, every manifest's blobs. */
export async function preflight(
  client: RegistryClient,
  repo: string,
  tags: readonly string[],
  digest: string,
  platforms: readonly Platform[],
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
  const checkPlatform = async (p: Platform, doc: { manifests?: Descriptor[] }): Promise<void> => {
    const want = images.find((i) => formatPlatform(i.platform) === formatPlatform(p))!.manifest.digest;
    const d = (doc.manifests ?? []).find((m) => m.digest === want);
    if (!d) {
      problems.push(`platform ${formatPlatform(p)} (${want}) is not in the index`);
      return;
    }
    if (d.mediaType !== MEDIA.ociManifest) problems.push(`${formatPlatform(p)} has media type ${d.mediaType}`);
    const m = await client.getManifest(repo, want, [MEDIA.ociManifest]);
    if (!m) {
      problems.push(`manifest ${want} (${formatPlatform(p)}) is missing`);
      return;
    }
    const man = JSON.parse(m.body.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    if (man.config.mediaType !== MEDIA.ociConfig) problems.push(`${formatPlatform(p)} config has media type ${man.config.mediaType}`);
    for (const l of man.layers) {
      if (!l.mediaType.startsWith('application/vnd.oci.image.layer.'))
        problems.push(`${formatPlatform(p)} layer ${l.digest} has media type ${l.mediaType}`);
    }
    await Promise.all(
      [man.config, ...man.layers].map(async (b) => {
        const has = await client.retry(`HEAD ${b.digest}`, () => client.hasBlob(repo, b.digest));
        if (!has) problems.push(`${formatPlatform(p)} blob ${b.digest} is missing`);
      }),
    );
  };
  const [idx] = await Promise.all([client.getManifest(repo, digest, [MEDIA.ociIndex]), ...tags.map(checkTag)]);
  if (!idx) {
    problems.push(`the index ${digest} is missing`);
  } else {
    const doc = JSON.parse(idx.body.toString('utf8')) as { manifests?: Descriptor[] };
    await Promise.all(platforms.map((p) => checkPlatform(p, doc)));
  }
  problems.sort();
  if (problems.length) {
    throw new GoshipError(
      `The image check after the push failed: ${problems.join('; ')}.`,
      'Run again; if it persists the registry lost or rewrote what was pushed',
    );
  }
}

async function publishBuildx(
  o: PublishOptions,
  platforms: Platform[],
  tags: string[],
  labels: Record<string, string>,
  name: string,
  client: RegistryClient,
): Promise<PublishResult> {
  // No daemon → fail before staging anything.
  await requireDaemon();
  const context = path.resolve(o.distDir ?? 'dist', 'buildx-context');
  await stageBinaries(context, o.binaries, platforms);
  const spec: BuildxSpec = {
    dockerfile: o.inputs.dockerfile,
    context,
    platforms,
    refs: tags.map((t) => `${name}:${t}`),
    labels,
    metadataFile: path.join(context, '..', 'buildx-metadata.json'),
  };
  o.log?.(`docker ${buildxArgv(spec).join(' ')}`);
  const digest = await runBuildx(spec);
  const idx = await client.getManifest(o.inputs.image.repository, digest);
  const doc = idx ? (JSON.parse(idx.body.toString('utf8')) as { manifests?: Descriptor[] }) : { manifests: [] };
  const byPlatform: Record<string, string> = {};
  for (const p of platforms) {
    const tp = targetPlatform(p);
    const d = doc.manifests?.find(
      (m) => m.platform && [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') === tp,
    );
    if (d) byPlatform[formatPlatform(p)] = d.digest;
  }
  return { name, ref: `${name}@${digest}`, digest, platforms: byPlatform, tags, sboms: {}, sbomArtifacts: [] };
}
