/**
 * Where cosign looks for an image's signatures and attestations, written through core's OCI
 * client:
 *
 * - the tag scheme of cosign v1/v2 (`cosign verify --new-bundle-format=false`, older cosign): the
 *   `sha256-<hex>.sig` tag holds one simple-signing layer per signature, the `sha256-<hex>.att`
 *   tag one DSSE-envelope layer per attestation, with the certificate, chain and Rekor bundle as
 *   layer annotations;
 * - OCI referrers, what cosign v3 writes and reads first: one manifest per Sigstore bundle
 *   (artifactType `application/vnd.dev.sigstore.bundle.v0.3+json`) whose subject is the image; the
 *   registry's referrers API lists it, or — on a registry without that API — the referrers tag
 *   schema (an index under `sha256-<hex>`), as go-containerregistry (and so cosign) reads it.
 *
 * Credentials: the Docker config (what docker/login-action writes) or, for ghcr.io, the GitHub token.
 */
import {
  type Credentials,
  type Descriptor,
  type ImageRef as OciRef,
  MEDIA,
  RegistryClient,
  dockerCredentials,
  isLoopback,
  parseRef,
  sha256,
} from '@goship/core/oci';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
  predicateType: 'predicateType',
  bundleContent: 'dev.sigstore.bundle.content',
  bundlePredicateType: 'dev.sigstore.bundle.predicateType',
  created: 'org.opencontainers.image.created',
} as const;
/** The empty JSON config of OCI 1.1 artifacts. */
const EMPTY_CONFIG = Buffer.from('{}');

export interface ImageRef {
  registry: string;
  repository: string;
  digest: string;
}

/** Parses `host[:port]/path@sha256:<hex>` (an explicit registry and a digest are required). */
export function parseImageRef(ref: string): ImageRef | undefined {
  let r: OciRef;
  try {
    r = parseRef(ref);
  } catch {
    return undefined;
  }
  // Signed images are named as multiarch-build records them: registry host first, pinned by digest.
  const parts = ref.split('@')[0]!.split('/');
  if (!r.digest || parts.length < 2 || !/[.:]|^localhost$/.test(parts[0]!)) return undefined;
  return { registry: r.registry, repository: r.repository, digest: r.digest };
}

/** Credentials for `registry`: the Docker config first, then the GitHub token for ghcr.io; else anonymous. */
export async function registryCredentials(
  registry: string,
  githubToken: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> {
  const fromDocker = await dockerCredentials(registry, env);
  if (fromDocker) return fromDocker;
  if (registry === 'ghcr.io' && githubToken) return { username: env.GITHUB_ACTOR || 'x-access-token', password: githubToken };
  return undefined;
}

/** The tag cosign stores an image's signatures (`.sig`) or attestations (`.att`) under. */
export function cosignTag(digest: string, suffix: 'sig' | 'att'): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

export function signatureTag(digest: string): string {
  return cosignTag(digest, 'sig');
}

/** cosign's simple-signing payload for an image digest. */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': repository },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** One layer to attach under a cosign tag: its bytes and descriptor annotations. */
export interface Layer {
  data: Buffer;
  mediaType: string;
  annotations: Record<string, string>;
}

/** The image's repository on its registry: plain http only for a registry on this machine. */
export class Registry {
  private constructor(
    readonly client: RegistryClient,
    readonly repository: string,
  ) {}

  static async open(
    registry: string,
    repository: string,
    githubToken = '',
    env: NodeJS.ProcessEnv = process.env,
    log?: (m: string) => void,
  ): Promise<Registry> {
    const client = new RegistryClient({
      registry,
      insecure: isLoopback(registry),
      credentials: await registryCredentials(registry, githubToken, env),
      // The caller (callService) retries within `retry-timeout`.
      retry: { attempts: 1 },
      loginHint: 'Log in with docker/login-action before this step, or (ghcr.io) give the job `packages: write` and pass `github-token`',
      log,
    });
    return new Registry(client, repository);
  }

  /** An OCI manifest under `reference`, or undefined when there is none. */
  async getManifest(reference: string): Promise<OciManifest | undefined> {
    const got = await this.client.getManifest(this.repository, reference, [MEDIA.ociManifest]);
    return got && (JSON.parse(got.body.toString('utf8')) as OciManifest);
  }

  /** The descriptor of what `digest` names (an index or a manifest): a referrer's subject. */
  async describe(digest: string): Promise<Descriptor> {
    const got = await this.client.getManifest(this.repository, digest);
    if (!got) throw new Error(`${this.client.opts.registry}/${this.repository}@${digest} does not exist`);
    return { mediaType: got.mediaType, digest: got.digest, size: got.body.length };
  }

  async getBlob(digest: string): Promise<Buffer> {
    return this.client.getBlob(this.repository, digest);
  }

  /** Uploads `data` unless the repository has it; returns its digest. */
  async pushBlob(data: Buffer): Promise<string> {
    const digest = sha256(data);
    await this.client.pushBlob(this.repository, digest, data);
    return digest;
  }

  async putManifest(
    reference: string,
    manifest: OciManifest | object,
    mediaType: string = MEDIA.ociManifest,
  ): Promise<{ digest: string; subject?: string }> {
    return this.client.putManifest(this.repository, reference, Buffer.from(JSON.stringify(manifest)), mediaType);
  }

  /**
   * Adds layers under cosign's `.sig`/`.att` tag of `digest` (created when absent). `replace`
   * says which existing layers the new ones supersede (an identical signature, an attestation of
   * the same predicate type), so re-runs converge. Returns the tag's manifest digest.
   */
  async attachToTag(digest: string, suffix: 'sig' | 'att', add: readonly Layer[], replace: (old: Descriptor) => boolean): Promise<string> {
    const tag = cosignTag(digest, suffix);
    const existing = await this.getManifest(tag);
    const layers = (existing?.layers ?? []).filter((l) => !replace(l));
    for (const l of add) {
      const d = await this.pushBlob(l.data);
      layers.push({ mediaType: l.mediaType, digest: d, size: l.data.length, annotations: l.annotations });
    }
    const config = Buffer.from(
      JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }),
    );
    const configDigest = await this.pushBlob(config);
    const r = await this.putManifest(tag, {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
      layers,
    });
    return r.digest;
  }

  /**
   * Attaches a Sigstore bundle to `subject` as an OCI referrer (cosign v3's layout). Returns the
   * referrer's digest and how it is discoverable: the registry's referrers API, or the referrers tag.
   */
  async attachBundle(
    subject: Descriptor,
    bundleJSON: Buffer,
    predicateType: string,
    content: 'dsse-envelope' | 'message-signature',
    created: string,
  ): Promise<{ digest: string; via: 'referrers' | 'tag' }> {
    const configDigest = await this.pushBlob(EMPTY_CONFIG);
    const layerDigest = await this.pushBlob(bundleJSON);
    const annotations = {
      [ANNOTATION.created]: created,
      [ANNOTATION.bundleContent]: content,
      [ANNOTATION.bundlePredicateType]: predicateType,
    };
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      artifactType: BUNDLE_MEDIA_TYPE,
      config: { mediaType: MEDIA.ociEmpty, digest: configDigest, size: EMPTY_CONFIG.length },
      layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: layerDigest, size: bundleJSON.length }],
      subject,
      annotations,
    };
    const body = Buffer.from(JSON.stringify(manifest));
    const digest = sha256(body);
    const put = await this.client.putManifest(this.repository, digest, body, MEDIA.ociManifest);
    if (put.subject === subject.digest) return { digest, via: 'referrers' };
    // No OCI-Subject header: the registry has no referrers API; list it in the referrers tag.
    await this.addToReferrersTag(subject.digest, {
      mediaType: MEDIA.ociManifest,
      digest,
      size: body.length,
      artifactType: BUNDLE_MEDIA_TYPE,
      annotations,
    });
    return { digest, via: 'tag' };
  }

  /** The referrers of `digest`: the registry's API, else the referrers tag schema. */
  async referrers(digest: string): Promise<Descriptor[]> {
    const api = await this.client.referrers(this.repository, digest);
    if (api) return api;
    const idx = await this.client.getManifest(this.repository, digest.replace(':', '-'), [MEDIA.ociIndex]);
    return idx ? ((JSON.parse(idx.body.toString('utf8')) as { manifests?: Descriptor[] }).manifests ?? []) : [];
  }

  /** The Sigstore bundles attached to `digest` as referrers, as JSON documents. */
  async bundles(digest: string): Promise<{ digest: string; predicateType?: string; json: unknown }[]> {
    const out: { digest: string; predicateType?: string; json: unknown }[] = [];
    for (const d of await this.referrers(digest)) {
      if (d.artifactType !== BUNDLE_MEDIA_TYPE) continue;
      const m = await this.getManifest(d.digest);
      const layer = m?.layers[0];
      if (!m || m.layers.length !== 1 || !layer || !layer.mediaType.startsWith('application/vnd.dev.sigstore.bundle')) continue;
      const data = await this.getBlob(layer.digest);
      try {
        out.push({
          digest: d.digest,
          predicateType: m.annotations?.[ANNOTATION.bundlePredicateType],
          json: JSON.parse(data.toString('utf8')),
        });
      } catch {
        // not JSON: not a bundle cosign would read either
      }
    }
    return out;
  }

  /** The referrers tag schema (OCI distribution 1.1): an index under `sha256-<hex>` listing the referrers. */
  private async addToReferrersTag(subject: string, d: Descriptor): Promise<void> {
    const tag = subject.replace(':', '-');
    const existing = await this.client.getManifest(this.repository, tag, [MEDIA.ociIndex]);
    let manifests: Descriptor[] = existing
      ? ((JSON.parse(existing.body.toString('utf8')) as { manifests?: Descriptor[] }).manifests ?? [])
      : [];
    if (manifests.some((m) => m.digest === d.digest)) return;
    manifests = [...manifests, d];
    await this.putManifest(tag, { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }, MEDIA.ociIndex);
  }
}
