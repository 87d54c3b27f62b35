/**
 * cosign-compatible image signatures on top of core's OCI client: the signature "image" tagged
 * `sha256-<hex>.sig` in the image's repository, one layer per signature (the simple-signing
 * payload, with the signature, certificate and Rekor bundle as annotations), as `cosign sign`
 * writes it and `cosign verify` reads it. Credentials: the Docker config (what docker/login-action
 * writes) or, for ghcr.io, the GitHub token; basic and bearer-token registries both work.
 */
import * as core from '@actions/core';
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
  const path = ref.split('@')[0]!.split('/');
  if (!r.digest || path.length < 2 || !/[.:]|^localhost$/.test(path[0]!)) return undefined;
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
  if (registry === 'ghcr.io' && githubToken) {
    core.setSecret(githubToken);
    return { username: env.GITHUB_ACTOR || 'x-access-token', password: githubToken };
  }
  return undefined;
}

/** The image's repository on its registry: plain http only for a registry on this machine. */
export class Registry {
  private constructor(
    readonly client: RegistryClient,
    readonly repository: string,
  ) {}

  static async open(registry: string, repository: string, githubToken = '', env: NodeJS.ProcessEnv = process.env): Promise<Registry> {
    const client = new RegistryClient({
      registry,
      insecure: isLoopback(registry),
      credentials: await registryCredentials(registry, githubToken, env),
      // The caller (callService) retries within `retry-timeout`.
      retry: { attempts: 1 },
      loginHint: 'Log in with docker/login-action before this step, or (ghcr.io) give the job `packages: write` and pass `github-token`',
      log: (m) => core.debug(m),
    });
    return new Registry(client, repository);
  }

  /** The OCI image manifest under `reference`, or undefined when there is none. */
  async getManifest(reference: string): Promise<SignatureManifest | undefined> {
    const got = await this.client.getManifest(this.repository, reference, [MEDIA.ociManifest]);
    return got && (JSON.parse(got.body.toString('utf8')) as SignatureManifest);
  }

  /** Uploads `data` unless the repository has it; returns its digest. */
  async pushBlob(data: Buffer): Promise<string> {
    const digest = sha256(data);
    await this.client.pushBlob(this.repository, digest, data);
    return digest;
  }

  async putManifest(reference: string, manifest: SignatureManifest): Promise<string> {
    const r = await this.client.putManifest(this.repository, reference, Buffer.from(JSON.stringify(manifest)), manifest.mediaType);
    return r.digest;
  }
}

interface SignatureManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
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

/** The tag cosign stores an image's signatures under. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/**
 * Adds a signature layer to the `sha256-<hex>.sig` manifest (created when absent; an identical
 * layer is not added twice, so re-runs converge). Returns the signature manifest's digest.
 */
export async function attachSignature(
  reg: Registry,
  digest: string,
  payload: Buffer,
  annotations: Record<string, string>,
): Promise<string> {
  const tag = signatureTag(digest);
  const existing = await reg.getManifest(tag);
  const payloadDigest = await reg.pushBlob(payload);
  const layer: Descriptor = { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: payloadDigest, size: payload.length, annotations };
  const layers = (existing?.layers ?? []).filter(
    (l) =>
      !(
        l.digest === layer.digest &&
        l.annotations?.['dev.cosignproject.cosign/signature'] === annotations['dev.cosignproject.cosign/signature']
      ),
  );
  layers.push(layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
  );
  const configDigest = await reg.pushBlob(config);
  return reg.putManifest(tag, {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
    layers,
  });
}
