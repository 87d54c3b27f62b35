/**
 * Image documents: config, manifest and index, all with OCI media types, serialised with a fixed
 * key order so the same inputs give the same bytes (and digests) on every run.
 */
import { type Platform, ociPlatform } from '@goship/core/platform';
import { type Descriptor, MEDIA, sha256 } from '@goship/core/oci';
import type { Layer } from './layer.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  data: Uint8Array;
}

export function jsonBlob(mediaType: string, doc: unknown): Blob {
  const data = Buffer.from(JSON.stringify(doc), 'utf8');
  return { mediaType, digest: sha256(data), size: data.length, data };
}

export function descriptor(b: Pick<Blob, 'mediaType' | 'digest' | 'size'>, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: b.mediaType, digest: b.digest, size: b.size, ...extra };
}

/** The parts of a base image's config goship keeps. */
export interface BaseConfig {
  config?: {
    Env?: string[];
    Labels?: Record<string, string>;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
    Volumes?: Record<string, object>;
    StopSignal?: string;
  };
  rootfs?: { diff_ids?: string[] };
  history?: Record<string, unknown>[];
  'os.version'?: string;
  'os.features'?: string[];
}

export interface ConfigSpec {
  platform: Platform;
  created: string;
  entrypoint: string[];
  user: string;
  labels: Record<string, string>;
  /** What the history entry says was added. */
  createdBy: string;
  layer: Layer;
  base?: BaseConfig;
}

function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function imageConfig(s: ConfigSpec): Blob {
  const oci = ociPlatform(s.platform);
  const baseCfg = s.base?.config ?? {};
  const env = [...(baseCfg.Env ?? [])];
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(`PATH=${DEFAULT_PATH}`);
  const config: Record<string, unknown> = { User: s.user, Env: env, Entrypoint: s.entrypoint };
  if (baseCfg.ExposedPorts) config.ExposedPorts = sortedObject(baseCfg.ExposedPorts);
  if (baseCfg.Volumes) config.Volumes = sortedObject(baseCfg.Volumes);
  config.WorkingDir = baseCfg.WorkingDir || '/';
  if (baseCfg.StopSignal) config.StopSignal = baseCfg.StopSignal;
  config.Labels = sortedObject({ ...(baseCfg.Labels ?? {}), ...s.labels });
  const doc: Record<string, unknown> = { created: s.created, architecture: oci.architecture, os: oci.os };
  if (s.base?.['os.version']) doc['os.version'] = s.base['os.version'];
  if (s.base?.['os.features']) doc['os.features'] = s.base['os.features'];
  if (oci.variant) doc.variant = oci.variant;
  doc.config = config;
  doc.rootfs = { type: 'layers', diff_ids: [...(s.base?.rootfs?.diff_ids ?? []), s.layer.diffId] };
  doc.history = [...(s.base?.history ?? []), { created: s.created, created_by: s.createdBy, comment: 'goship multiarch-build' }];
  return jsonBlob(MEDIA.ociConfig, doc);
}

export function imageManifest(config: Blob, layers: Descriptor[], annotations?: Record<string, string>): Blob {
  const doc: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: descriptor(config),
    layers,
  };
  if (annotations && Object.keys(annotations).length) doc.annotations = sortedObject(annotations);
  return jsonBlob(MEDIA.ociManifest, doc);
}

export function imageIndex(manifests: { blob: Blob; platform: Platform }[], annotations?: Record<string, string>): Blob {
  const doc: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: manifests.map((m) => descriptor(m.blob, { platform: ociPlatform(m.platform) })),
  };
  if (annotations && Object.keys(annotations).length) doc.annotations = sortedObject(annotations);
  return jsonBlob(MEDIA.ociIndex, doc);
}

/** The empty config of OCI artifacts (`{}`). */
export const EMPTY_CONFIG: Blob = jsonBlob(MEDIA.ociEmpty, {});

/** An artifact manifest (e.g. an SBOM) whose `subject` is an image manifest. */
export function artifactManifest(artifactType: string, layer: Blob, title: string, subject: Descriptor, created: string): Blob {
  return jsonBlob(MEDIA.ociManifest, {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType,
    config: descriptor(EMPTY_CONFIG),
    layers: [descriptor(layer, { annotations: { 'org.opencontainers.image.title': title } })],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'org.opencontainers.image.created': created },
  });
}

/** An OCI platform descriptor as a name: `linux/arm/v7`. */
export function ociPlatformName(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
