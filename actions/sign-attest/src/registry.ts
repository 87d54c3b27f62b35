/**
 * Just enough of the OCI distribution API to store cosign-compatible image signatures: the
 * signature "image" tagged `sha256-<hex>.sig` in the image's repository, one layer per signature
 * (the simple-signing payload, with the signature, certificate and Rekor bundle as annotations),
 * as `cosign sign` writes it and `cosign verify` reads it. Bearer-token and basic auth from the
 * Docker config (what docker/login-action writes) or, for ghcr.io, the GitHub token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GoshipError } from '@goship/core/errors';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

export interface ImageRef {
  registry: string;
  repository: string;
  digest: string;
}

/** Parses `host[:port]/path@sha256:<hex>`. */
export function parseImageRef(ref: string): ImageRef | undefined {
  const m = /^([^/]+)\/(.+)@(sha256:[0-9a-f]{64})$/.exec(ref);
  if (!m || !/[.:]|^localhost$/.test(m[1]!)) return undefined;
  return { registry: m[1]!, repository: m[2]!, digest: m[3]! };
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function dockerAuth(registry: string): string | undefined {
  const dir = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  try {
    const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string }> };
    for (const [k, v] of Object.entries(cfg.auths ?? {})) {
      if (k.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === registry && v.auth) return v.auth;
    }
  } catch {
    // no docker config
  }
  return undefined;
}

export class Registry {
  private bearer?: string;
  private readonly base: string;
  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly githubToken = '',
  ) {
    const insecure = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(registry);
    this.base = `${insecure ? 'http' : 'https'}://${registry}/v2/${repository}`;
  }

  private basic(): string | undefined {
    const fromDocker = dockerAuth(this.registry);
    if (fromDocker) return fromDocker;
    if (this.registry === 'ghcr.io' && this.githubToken)
      return Buffer.from(`${process.env.GITHUB_ACTOR ?? 'x-access-token'}:${this.githubToken}`).toString('base64');
    return undefined;
  }

  private async request(url: string, init: RequestInit, retryAuth = true): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.bearer) headers.set('authorization', `Bearer ${this.bearer}`);
    const res = await fetch(url, { ...init, headers, redirect: 'follow' });
    if (res.status === 401 && retryAuth) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      await res.arrayBuffer();
      await this.authenticate(challenge);
      return this.request(url, init, false);
    }
    return res;
  }

  private async authenticate(challenge: string): Promise<void> {
    const basic = this.basic();
    if (/^basic/i.test(challenge)) {
      if (!basic)
        throw new GoshipError(`${this.registry} wants credentials.`, 'Log in first (docker/login-action) so the Docker config holds them');
      this.bearer = undefined;
      throw new GoshipError(`${this.registry} uses basic auth, which this client does not send.`);
    }
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (!params.realm) throw new GoshipError(`${this.registry} refused access and gave no token realm (${challenge || 'no challenge'}).`);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull,push`);
    const res = await fetch(url, { headers: basic ? { authorization: `Basic ${basic}` } : {} });
    if (!res.ok) {
      throw new GoshipError(
        `${this.registry} refused a push token for ${this.repository}: HTTP ${res.status}.`,
        'Give the job `packages: write` (ghcr.io) or log in with docker/login-action before this step',
      );
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    this.bearer = body.token ?? body.access_token;
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = (await res.text()).slice(0, 500);
    throw Object.assign(new Error(`${what}: HTTP ${res.status} ${text}`), { statusCode: res.status });
  }

  async getManifest(reference: string): Promise<Manifest | undefined> {
    const res = await this.request(`${this.base}/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (!res.ok) return this.fail(res, `GET manifest ${reference}`);
    return (await res.json()) as Manifest;
  }

  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.request(`${this.base}/blobs/${digest}`, { method: 'HEAD' });
    return res.ok;
  }

  async pushBlob(data: Buffer): Promise<string> {
    const digest = sha256(data);
    if (await this.hasBlob(digest)) return digest;
    const start = await this.request(`${this.base}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) return this.fail(start, 'start blob upload');
    await start.arrayBuffer();
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', digest);
    const put = await this.request(location.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: new Uint8Array(data),
    });
    if (put.status !== 201) return this.fail(put, `upload blob ${digest}`);
    await put.arrayBuffer();
    return digest;
  }

  async putManifest(reference: string, manifest: Manifest): Promise<string> {
    const body = Buffer.from(JSON.stringify(manifest));
    const res = await this.request(`${this.base}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': manifest.mediaType },
      body: new Uint8Array(body),
    });
    if (res.status !== 201) return this.fail(res, `PUT manifest ${reference}`);
    await res.arrayBuffer();
    return sha256(body);
  }
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
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
    layers,
  });
}
