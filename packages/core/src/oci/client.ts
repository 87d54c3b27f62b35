/**
 * A small OCI distribution API client, shared by the actions that talk to registries (https://github.com/opencontainers/distribution-spec):
 * anonymous, basic and bearer-token auth (challenge → token for the needed scopes, cached), blobs
 * (HEAD → cross-repository mount → POST + PUT upload, chunked PATCH fallback), manifests, referrers.
 * Every operation is retried on 5xx/429/connection resets with backoff (core's withRetry).
 */
import { createHash } from 'node:crypto';
import { currentPort } from '../action/port.js';
import { GoshipError } from '../errors.js';
import { HttpHeaders, type HttpResponse, httpRequest } from '../http.js';
import { type RetryOptions, withRetry } from '../retry.js';
import { type Credentials, basicHeader, parseChallenge } from './auth.js';
import { apiHost } from './ref.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  spdx: 'application/spdx+json',
} as const;

export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest];

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A failed registry call: the registry's own error code and message are kept. */
export class RegistryError extends GoshipError {
  override name = 'RegistryError';
  readonly response: { headers: HttpHeaders };
  constructor(
    what: string,
    readonly status: number,
    headers: HttpHeaders,
    readonly code?: string,
    fix?: string,
  ) {
    super(what, fix);
    this.response = { headers };
  }
}

export interface ClientOptions {
  /** As in the reference (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Plain http. */
  insecure?: boolean;
  credentials?: Credentials;
  retry?: RetryOptions;
  /** Upload blobs larger than this in PATCH chunks (default: monolithic PUT, chunked only as a fallback). */
  chunkSize?: number;
  userAgent?: string;
  log?: (msg: string) => void;
  /** Per request (default 10 minutes); a request that takes longer is retried. */
  timeoutMs?: number;
  /** How to supply credentials, for errors when the registry wants some (default: docker/login-action). */
  loginHint?: string;
}

export interface ClientStats {
  requests: number;
  blobsExisting: number;
  blobsMounted: number;
  blobsUploaded: number;
  bytesUploaded: number;
  retries: number;
}

export type BlobResult = 'exists' | 'mounted' | 'uploaded';

const pull = (repo: string): string => `repository:${repo}:pull`;
const push = (repo: string): string => `repository:${repo}:pull,push`;

export class RegistryClient {
  readonly base: string;
  readonly stats: ClientStats = { requests: 0, blobsExisting: 0, blobsMounted: 0, blobsUploaded: 0, bytesUploaded: 0, retries: 0 };
  private scheme: 'none' | 'basic' | 'bearer' | undefined;
  private bearer: { realm: string; service?: string } | undefined;
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly pendingTokens = new Map<string, Promise<string>>();

  constructor(readonly opts: ClientOptions) {
    this.base = `${opts.insecure ? 'http' : 'https'}://${apiHost(opts.registry)}`;
  }

  private get loginHint(): string {
    return this.opts.loginHint ?? 'Log in first (docker/login-action writes ~/.docker/config.json)';
  }

  /** Retries `fn` on transient failures. */
  retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, {
      attempts: 5,
      baseDelayMs: 200,
      maxDelayMs: 5000,
      ...this.opts.retry,
      onRetry: (i) => {
        this.stats.retries++;
        this.opts.log?.(`${what}: ${i.reason}; retrying in ${i.delayMs} ms (attempt ${i.attempt + 1})`);
        this.opts.retry?.onRetry?.(i);
      },
    });
  }

  // ---- transport and auth -------------------------------------------------------------------

  async request(
    method: string,
    pathOrUrl: string,
    scopes: string[],
    init: { headers?: Record<string, string>; body?: Uint8Array } = {},
  ): Promise<HttpResponse> {
    const url = new URL(pathOrUrl, this.base).toString();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'goship', ...init.headers };
      const auth = await this.authorization(scopes);
      if (auth) headers.authorization = auth;
      this.stats.requests++;
      const res = await httpRequest(url, { method, headers, body: init.body, timeoutMs: this.opts.timeoutMs });
      if (res.status === 401 && attempt === 0) {
        const challenge = res.headers.get('www-authenticate') ?? '';
        await res.arrayBuffer();
        await this.onChallenge(challenge, scopes);
        continue;
      }
      return res;
    }
  }

  private async authorization(scopes: string[]): Promise<string | undefined> {
    if (this.scheme === 'basic' && this.opts.credentials) return basicHeader(this.opts.credentials);
    if (this.scheme === 'bearer' && this.bearer) return `Bearer ${await this.token(scopes)}`;
    return undefined;
  }

  private async onChallenge(header: string, scopes: string[]): Promise<void> {
    const c = parseChallenge(header);
    if (c.scheme === 'basic') {
      if (!this.opts.credentials) {
        throw new RegistryError(
          `${this.opts.registry} asks for a user name and password and none were given.`,
          401,
          new HttpHeaders(),
          'UNAUTHORIZED',
          this.loginHint,
        );
      }
      this.scheme = 'basic';
      return;
    }
    if (c.scheme === 'bearer' && c.params.realm) {
      this.scheme = 'bearer';
      this.bearer = { realm: c.params.realm, service: c.params.service };
      const want = [...new Set([...scopes, ...(c.params.scope ? c.params.scope.split(' ') : [])])];
      // The challenge may name a scope we did not ask for; fetch one token covering both.
      this.tokens.delete(scopeKey(scopes));
      const t = await this.fetchToken(want);
      this.tokens.set(scopeKey(scopes), t);
      return;
    }
    throw new RegistryError(
      `${this.opts.registry} answered 401 with an authentication scheme goship does not know: ${header || '(none)'}.`,
      401,
      new HttpHeaders(),
    );
  }

  private async token(scopes: string[]): Promise<string> {
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    let p = this.pendingTokens.get(key);
    if (!p) {
      p = this.fetchToken(scopes).then((t) => {
        this.tokens.set(key, t);
        return t.token;
      });
      this.pendingTokens.set(key, p);
      p.finally(() => this.pendingTokens.delete(key)).catch(() => undefined);
    }
    return p;
  }

  private async fetchToken(scopes: string[]): Promise<{ token: string; until: number }> {
    const { realm, service } = this.bearer!;
    const u = new URL(realm);
    if (service) u.searchParams.set('service', service);
    for (const s of scopes) u.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'goship' };
    if (this.opts.credentials) headers.authorization = basicHeader(this.opts.credentials);
    this.stats.requests++;
    const res = await httpRequest(u, { headers, timeoutMs: this.opts.timeoutMs });
    const text = await res.text();
    if (!res.ok) {
      throw new RegistryError(
        `The token service ${u.origin}${u.pathname} refused ${this.opts.credentials ? `user "${this.opts.credentials.username}"` : 'anonymous access'} for ${scopes.join(' ') || 'the registry'}: HTTP ${res.status} ${errorText(text)}`,
        res.status === 401 ? 401 : res.status,
        res.headers,
        'UNAUTHORIZED',
        this.opts.credentials ? 'Check the credentials and that they may push to this repository' : this.loginHint,
      );
    }
    const body = JSON.parse(text) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`The token service ${u.origin} answered without a token.`, 502, res.headers);
    currentPort().mask(token);
    const ttl = Math.max(30, body.expires_in ?? 60) * 1000;
    return { token, until: Date.now() + ttl - 10_000 };
  }

  private async fail(res: HttpResponse, what: string): Promise<never> {
    const text = await res.text().catch(() => '');
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { errors?: { code?: string }[] }).errors?.[0]?.code;
    } catch {
      // not JSON
    }
    const fix =
      res.status === 401 || res.status === 403 ? 'Check the registry credentials and that they may push to this repository' : undefined;
    throw new RegistryError(`${what}: HTTP ${res.status} ${errorText(text)}`.trim(), res.status, res.headers, code, fix);
  }

  /** GET /v2/: checks the registry answers (and learns its auth scheme). */
  async ping(): Promise<void> {
    await this.retry('ping', async () => {
      const res = await this.request('GET', '/v2/', []);
      await res.arrayBuffer();
      if (res.status >= 500) await this.fail(res, `${this.opts.registry} /v2/`);
    });
  }

  // ---- blobs --------------------------------------------------------------------------------

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, [pull(repo)]);
    await res.arrayBuffer();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `HEAD blob ${digest} in ${repo}`);
  }

  async getBlob(repo: string, digest: string): Promise<Buffer> {
    return this.retry(`GET blob ${digest}`, async () => {
      const res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, [pull(repo)]);
      if (!res.ok) await this.fail(res, `GET blob ${digest} from ${this.opts.registry}/${repo}`);
      const data = Buffer.from(await res.arrayBuffer());
      if (sha256(data) !== digest) throw new RegistryError(`Blob ${digest} from ${repo} has digest ${sha256(data)}.`, 502, res.headers);
      return data;
    });
  }

  /** Puts a blob unless the repository has it, mounting it from `mountFrom` (same registry) when possible. */
  async pushBlob(repo: string, digest: string, source: Uint8Array | (() => Promise<Uint8Array>), mountFrom?: string): Promise<BlobResult> {
    let cached: Uint8Array | undefined = typeof source === 'function' ? undefined : source;
    const r = await this.retry(`upload ${digest.slice(0, 19)} to ${repo}`, async (): Promise<BlobResult> => {
      if (await this.hasBlob(repo, digest)) return 'exists';
      let location: string;
      if (mountFrom && mountFrom !== repo) {
        const q = new URLSearchParams({ mount: digest, from: mountFrom });
        const res = await this.request('POST', `/v2/${repo}/blobs/uploads/?${q.toString()}`, [push(repo), pull(mountFrom)], {
          headers: { 'content-length': '0' },
        });
        await res.arrayBuffer();
        if (res.status === 201) return 'mounted';
        if (res.status !== 202) await this.fail(res, `mount ${digest} from ${mountFrom} into ${repo}`);
        location = this.location(res);
      } else {
        location = await this.startUpload(repo);
      }
      // Fetched only now: a blob the registry has (or mounts) is never read.
      cached ??= await (source as () => Promise<Uint8Array>)();
      const data = cached;
      const chunked = this.opts.chunkSize !== undefined && data.length > this.opts.chunkSize;
      if (!chunked) {
        const res = await this.request('PUT', withDigest(location, digest), [push(repo)], {
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
          body: data,
        });
        await res.arrayBuffer();
        if (res.status === 201) {
          this.stats.bytesUploaded += data.length;
          return 'uploaded';
        }
        // Registries that refuse a monolithic PUT (too large, not supported) take chunks.
        if (![400, 405, 413, 416].includes(res.status)) await this.fail(res, `upload ${digest} to ${repo}`);
        this.opts.log?.(`monolithic upload of ${digest} refused (HTTP ${res.status}); uploading in chunks`);
        location = await this.startUpload(repo);
      }
      await this.uploadChunks(repo, location, digest, data);
      return 'uploaded';
    });
    if (r === 'exists') this.stats.blobsExisting++;
    else if (r === 'mounted') this.stats.blobsMounted++;
    else this.stats.blobsUploaded++;
    return r;
  }

  private async startUpload(repo: string): Promise<string> {
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/`, [push(repo)], { headers: { 'content-length': '0' } });
    await res.arrayBuffer();
    if (res.status !== 202) await this.fail(res, `start an upload to ${this.opts.registry}/${repo}`);
    return this.location(res);
  }

  private async uploadChunks(repo: string, location: string, digest: string, data: Uint8Array): Promise<void> {
    const size = this.opts.chunkSize ?? 5 << 20;
    let loc = location;
    for (let off = 0; off < data.length; off += size) {
      const chunk = data.subarray(off, Math.min(off + size, data.length));
      const res = await this.request('PATCH', loc, [push(repo)], {
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(chunk.length),
          'content-range': `${off}-${off + chunk.length - 1}`,
        },
        body: chunk,
      });
      await res.arrayBuffer();
      if (res.status !== 202) await this.fail(res, `upload chunk ${off}-${off + chunk.length - 1} of ${digest} to ${repo}`);
      this.stats.bytesUploaded += chunk.length;
      loc = this.location(res);
    }
    const res = await this.request('PUT', withDigest(loc, digest), [push(repo)], { headers: { 'content-length': '0' } });
    await res.arrayBuffer();
    if (res.status !== 201) await this.fail(res, `finish the upload of ${digest} to ${repo}`);
  }

  private location(res: HttpResponse): string {
    const loc = res.headers.get('location');
    if (!loc) throw new RegistryError(`${this.opts.registry} started an upload without a Location header.`, 502, res.headers);
    return new URL(loc, this.base).toString();
  }

  // ---- manifests ----------------------------------------------------------------------------

  async putManifest(repo: string, reference: string, body: Uint8Array, mediaType: string): Promise<{ digest: string; subject?: string }> {
    const digest = sha256(body);
    return this.retry(`PUT manifest ${reference}`, async () => {
      const res = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, [push(repo)], {
        headers: { 'content-type': mediaType, 'content-length': String(body.length) },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 201 && res.status !== 200) await this.fail(res, `push manifest ${reference} to ${this.opts.registry}/${repo}`);
      const got = res.headers.get('docker-content-digest');
      if (got && got !== digest) {
        throw new RegistryError(`${this.opts.registry}/${repo} stored manifest ${reference} as ${got}, not ${digest}.`, 502, res.headers);
      }
      return { digest, subject: res.headers.get('oci-subject') ?? undefined };
    });
  }

  /** A manifest or index; undefined when the registry has none under `reference`. */
  async getManifest(
    repo: string,
    reference: string,
    accept: readonly string[] = MANIFEST_ACCEPT,
  ): Promise<{ body: Buffer; mediaType: string; digest: string } | undefined> {
    return this.retry(`GET manifest ${reference}`, async () => {
      const res = await this.request('GET', `/v2/${repo}/manifests/${reference}`, [pull(repo)], { headers: { accept: accept.join(', ') } });
      if (res.status === 404) {
        await res.arrayBuffer();
        return undefined;
      }
      if (!res.ok) await this.fail(res, `GET manifest ${this.opts.registry}/${repo}:${reference}`);
      const body = Buffer.from(await res.arrayBuffer());
      const digest = sha256(body);
      if (reference.startsWith('sha256:') && digest !== reference) {
        throw new RegistryError(`Manifest ${reference} from ${repo} has digest ${digest}.`, 502, res.headers);
      }
      let mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      try {
        mediaType = (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ?? mediaType;
      } catch {
        // not JSON: the registry's content type stands
      }
      return { body, mediaType, digest };
    });
  }

  /** The referrers of `digest`, or undefined when the registry has no referrers API. */
  async referrers(repo: string, digest: string): Promise<Descriptor[] | undefined> {
    return this.retry(`GET referrers ${digest}`, async () => {
      const res = await this.request('GET', `/v2/${repo}/referrers/${digest}`, [pull(repo)], { headers: { accept: MEDIA.ociIndex } });
      if (res.status === 404 || res.status === 405 || res.status === 400) {
        await res.arrayBuffer();
        return undefined;
      }
      if (!res.ok) await this.fail(res, `GET referrers of ${digest}`);
      const ct = res.headers.get('content-type') ?? '';
      const text = await res.text();
      if (!ct.includes('json')) return undefined;
      return (JSON.parse(text) as { manifests?: Descriptor[] }).manifests ?? [];
    });
  }
}

function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

function withDigest(location: string, digest: string): string {
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  return u.toString();
}

function errorText(text: string): string {
  try {
    const j = JSON.parse(text) as { errors?: { code?: string; message?: string; detail?: unknown }[]; details?: string };
    if (j.errors?.length) return j.errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    if (j.details) return j.details;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 300);
}
