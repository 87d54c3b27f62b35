/**
 * Local stand-ins for the Sigstore services and GitHub's OIDC token endpoint, each a real HTTP
 * server on 127.0.0.1 with a random port, built from `@sigstore/mock`'s building blocks:
 *
 * - OIDC: the Actions ID-token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL` +
 *   `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, as `@actions/core` getIDToken calls it) issuing ES256 JWTs
 *   with GitHub's claims, plus discovery and JWKS documents.
 * - Fulcio (`POST /api/v2/signingCert`): verifies the token's signature, expiry and audience and
 *   the proof of possession, then issues a certificate from the mock CA (SCT from the mock CT log
 *   embedded) with SAN `https://github.com/<job_workflow_ref>` and GitHub's OID extensions.
 * - Rekor (`POST /api/v1/log/entries`): the mock transparency log (SET, inclusion proof, signed
 *   checkpoint).
 * - TSA (`POST /api/v1/timestamp`): the mock RFC 3161 timestamp authority.
 *
 * The trusted root (Sigstore's protobuf-specs JSON) that covers all four is written by
 * `writeTrustedRoot`; both `@sigstore/verify` and `cosign --trusted-root` read it. Faults can be
 * queued per service (`fail('rekor', 503, 2)`), and every request is recorded.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomUUID, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import type { CA, ExtensionValue } from '@sigstore/mock/dist/fulcio/ca.js';
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';

export type SigstoreService = 'oidc' | 'fulcio' | 'rekor' | 'tsa';

export interface RecordedRequest {
  service: SigstoreService;
  method: string;
  path: string;
  status: number;
}

interface Fault {
  status: number;
  message: string;
}

export interface SigstoreStandInOptions {
  /** Claims merged into (or, with undefined, removed from) every ID token. */
  claims?: Record<string, unknown>;
}

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

const ec = (): KeyPair => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** GitHub's Fulcio OID extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). */
function extensionsFromClaims(c: Record<string, unknown>): ExtensionValue[] {
  const gh = 'https://github.com';
  const s = (k: string): string | undefined => (typeof c[k] === 'string' ? c[k] : undefined);
  const out: ExtensionValue[] = [];
  const add = (oid: string, value: string | undefined, legacy = false): void => {
    if (value !== undefined) out.push({ oid: `1.3.6.1.4.1.57264.1.${oid}`, value, legacy });
  };
  add('1', s('iss'), true);
  add('8', s('iss'));
  add('2', s('event_name'), true);
  add('20', s('event_name'));
  add('3', s('sha'), true);
  add('13', s('sha'));
  add('4', s('workflow'), true);
  add('5', s('repository'), true);
  add('12', s('repository') && `${gh}/${s('repository')}`);
  add('6', s('ref'), true);
  add('14', s('ref'));
  add('9', s('job_workflow_ref') && `${gh}/${s('job_workflow_ref')}`);
  add('10', s('job_workflow_sha'));
  add('11', s('runner_environment'));
  add('15', s('repository_id'));
  add('16', s('repository_owner') && `${gh}/${s('repository_owner')}`);
  add('17', s('repository_owner_id'));
  add('18', s('workflow_ref') && `${gh}/${s('workflow_ref')}`);
  add('19', s('workflow_sha'));
  add('22', s('repository_visibility'));
  if (s('repository') && s('run_id') && s('run_attempt')) {
    add('21', `${gh}/${s('repository')}/actions/runs/${s('run_id')}/attempts/${s('run_attempt')}`);
  }
  return out;
}

function toPEM(der: ArrayBufferView | Buffer, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class SigstoreStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Every ID token issued (tests use them to check that none leaks). */
  readonly issuedTokens: string[] = [];
  /** The bearer token the OIDC endpoint expects, i.e. ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken = `goship-request-token-${randomUUID()}`;
  private readonly faults = new Map<SigstoreService, Fault[]>();
  private readonly servers: Server[] = [];
  private readonly oidcKey = ec();
  private readonly oidcKid = randomUUID();
  private readonly startedAt = new Date(Date.now() - 60_000);
  urls = { oidc: '', fulcio: '', rekor: '', tsa: '' };
  private ca!: CA;
  private ctlogKey = Buffer.alloc(0);
  private tlogKey = Buffer.alloc(0);
  private tsaCerts: Buffer[] = [];

  private readonly opts: SigstoreStandInOptions;
  constructor(opts: SigstoreStandInOptions = {}) {
    this.opts = { ...opts, claims: { ...opts.claims } };
  }

  /**
   * Issues the next tokens for another workflow run: these claims are merged into (or, with
   * undefined, removed from) the defaults. The local runner signs as the module's own repository
   * and release workflow this way, so the certificate identity is the one a user would see.
   */
  actAs(claims: Record<string, unknown>): void {
    Object.assign(this.opts.claims!, claims);
  }

  /** The claims of a push workflow run of `repository`'s release workflow at `ref` (`refs/tags/v1.2.0`). */
  static workflowClaims(repository: string, ref: string, sha: string, workflow = '.github/workflows/release.yml'): Record<string, unknown> {
    const owner = repository.split('/')[0]!;
    const workflowRef = `${repository}/${workflow}@${ref}`;
    return {
      sub: `repo:${repository}:ref:${ref}`,
      ref,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      sha,
      repository,
      repository_owner: owner,
      workflow: 'release',
      workflow_ref: workflowRef,
      workflow_sha: sha,
      job_workflow_ref: workflowRef,
      job_workflow_sha: sha,
    };
  }

  /** The OIDC issuer URL (the `iss` of every token; `certificate-oidc-issuer`). */
  get issuer(): string {
    return this.urls.oidc;
  }

  /** Environment a step needs to request an ID token, as the runner sets it with `id-token: write`. */
  tokenEnv(): Record<string, string> {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: `${this.urls.oidc}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken };
  }

  /** The claims a token carries for the testkit's runner context (see runner.ts contextEnv). */
  claims(audience = 'sigstore'): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const base: Record<string, unknown> = {
      iss: this.issuer,
      aud: audience,
      sub: 'repo:goship-test/hello:ref:refs/heads/main',
      iat: now,
      nbf: now - 5,
      exp: now + 600,
      jti: randomUUID(),
      ref: 'refs/heads/main',
      sha: '0000000000000000000000000000000000000000',
      repository: 'goship-test/hello',
      repository_owner: 'goship-test',
      repository_id: '1000',
      repository_owner_id: '2000',
      repository_visibility: 'public',
      run_id: '1000',
      run_number: '1',
      run_attempt: '1',
      actor: 'goship-bot',
      workflow: 'test',
      event_name: 'push',
      ref_type: 'branch',
      workflow_ref: 'goship-test/hello/.github/workflows/release.yml@refs/heads/main',
      workflow_sha: '0000000000000000000000000000000000000000',
      job_workflow_ref: 'goship-test/hello/.github/workflows/release.yml@refs/heads/main',
      job_workflow_sha: '0000000000000000000000000000000000000000',
      runner_environment: 'github-hosted',
    };
    for (const [k, v] of Object.entries(this.opts.claims ?? {})) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  }

  /** The certificate identity (SAN) Fulcio puts in certificates for the default claims. */
  get identity(): string {
    const c = this.claims();
    return typeof c.job_workflow_ref === 'string' ? `https://github.com/${c.job_workflow_ref}` : String(c.sub);
  }

  /** A signed ID token (ES256) for the given claims. */
  token(claims: Record<string, unknown> = this.claims()): string {
    const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: this.oidcKid }));
    const payload = b64url(JSON.stringify(claims));
    const sig = cryptoSign('sha256', Buffer.from(`${header}.${payload}`), { key: this.oidcKey.privateKey, dsaEncoding: 'ieee-p1363' });
    const jwt = `${header}.${payload}.${b64url(sig)}`;
    this.issuedTokens.push(jwt);
    return jwt;
  }

  /** Queues `times` failures with `status` before the service answers normally again. */
  fail(service: SigstoreService, status: number, times = 1, message = `injected failure (${status})`): void {
    const q = this.faults.get(service) ?? [];
    for (let i = 0; i < times; i++) q.push({ status, message });
    this.faults.set(service, q);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  count(service: SigstoreService, status?: number): number {
    return this.requests.filter((r) => r.service === service && (status === undefined || r.status === status)).length;
  }

  /** Sigstore trusted root (protobuf-specs JSON, `application/vnd.dev.sigstore.trustedroot+json;version=0.1`). */
  trustedRoot(): Record<string, unknown> {
    const start = this.startedAt.toISOString();
    const key = (raw: Buffer): Record<string, unknown> => ({
      rawBytes: raw.toString('base64'),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start },
    });
    const keyId = (raw: Buffer): string => createHash('sha256').update(raw).digest('base64');
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [{ baseUrl: this.urls.rekor, hashAlgorithm: 'SHA2_256', publicKey: key(this.tlogKey), logId: { keyId: keyId(this.tlogKey) } }],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: this.urls.fulcio,
          certChain: { certificates: [{ rawBytes: Buffer.from(this.ca.rootCertificate.buffer).toString('base64') }] },
          validFor: { start },
        },
      ],
      ctlogs: [
        { baseUrl: this.urls.fulcio, hashAlgorithm: 'SHA2_256', publicKey: key(this.ctlogKey), logId: { keyId: keyId(this.ctlogKey) } },
      ],
      timestampAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'tsa' },
          uri: this.urls.tsa,
          certChain: { certificates: this.tsaCerts.map((c) => ({ rawBytes: c.toString('base64') })) },
          validFor: { start },
        },
      ],
    };
  }

  async writeTrustedRoot(file: string): Promise<string> {
    await writeFile(file, `${JSON.stringify(this.trustedRoot(), null, 2)}\n`);
    return file;
  }

  /** The Fulcio root certificate in PEM (for `cosign --certificate-chain`). */
  rootPEM(): string {
    return toPEM(this.ca.rootCertificate);
  }

  async start(): Promise<this> {
    this.urls.oidc = await this.listen('oidc', (req, body) => this.oidc(req, body));
    this.urls.fulcio = await this.listen('fulcio', (req, body) => this.fulcio(req, body));
    this.urls.rekor = await this.listen('rekor', (req, body) => this.rekor(req, body));
    this.urls.tsa = await this.listen('tsa', (req, body) => this.tsa(req, body));

    const caKeys = ec();
    const ctKeys = ec();
    const ctlog = await initializeCTLog(ctKeys);
    this.ctlogKey = Buffer.from(ctlog.publicKey);
    this.ca = await initializeCA(caKeys, ctlog);
    const tlog = await initializeTLog(this.urls.rekor, ec());
    this.tlogKey = Buffer.from(tlog.publicKey);
    this.rekorFn = rekorHandler(tlog).fn;
    const tsa = await initializeTSA(ec());
    // Whole seconds, as Sigstore's timestamp authority writes genTime: @sigstore/core's DER time
    // parser (like RFC 5280 time) rejects fractional seconds, which the mock's clock would add.
    (tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () => new Date(Math.floor(Date.now() / 1000) * 1000);
    this.tsaCerts = [Buffer.from(tsa.intCertificate.buffer), Buffer.from(tsa.rootCertificate.buffer)];
    this.tsaFn = tsaHandler(tsa).fn;
    return this;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  /** The last Fulcio request body (for diagnosing clients). */
  lastFulcioRequest = '';
  private rekorFn?: (body: string) => Promise<{ statusCode: number; response: unknown; contentType?: string }>;
  private tsaFn?: (body: string) => Promise<{ statusCode: number; response: unknown; contentType?: string }>;

  private async listen(
    service: SigstoreService,
    handle: (
      req: IncomingMessage,
      body: string,
    ) => Promise<{ status: number; body: string | Buffer; type: string; headers?: Record<string, string> }>,
  ): Promise<string> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const body = await readBody(req);
        const fault = this.faults.get(service)?.shift();
        type Reply = { status: number; body: string | Buffer; type: string; headers?: Record<string, string> };
        const {
          status,
          body: out,
          type,
          headers,
        } = await (async (): Promise<Reply> => {
          try {
            if (fault) throw new HttpError(fault.status, fault.message);
            return await handle(req, body);
          } catch (e) {
            const code = e instanceof HttpError ? e.status : 500;
            // Fulcio and Rekor answer errors as {"code": …, "message": …}.
            return { status: code, body: JSON.stringify({ code, message: (e as Error).message }), type: 'application/json' };
          }
        })();
        this.requests.push({ service, method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status });
        res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(out) });
        res.end(out);
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async oidc(req: IncomingMessage, _body: string): Promise<{ status: number; body: string; type: string }> {
    const url = new URL(req.url ?? '/', this.urls.oidc);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/.well-known/jwks` }),
      };
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks') {
      const jwk = { ...this.oidcKey.publicKey.export({ format: 'jwk' }), kid: this.oidcKid, alg: 'ES256', use: 'sig' };
      return { status: 200, type: 'application/json', body: JSON.stringify({ keys: [jwk] }) };
    }
    if (req.method === 'GET' && url.pathname === '/token') {
      if (req.headers.authorization !== `Bearer ${this.requestToken}`) throw new HttpError(401, 'bad request token');
      const audience = url.searchParams.get('audience') ?? 'sigstore';
      return { status: 200, type: 'application/json', body: JSON.stringify({ value: this.token(this.claims(audience)) }) };
    }
    throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
  }

  /** Verifies an ID token as Fulcio does; returns its claims. */
  verifyToken(jwt: string): Record<string, unknown> {
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) throw new HttpError(400, 'The OIDC token is not a JWT');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; kid?: string };
    if (header.alg !== 'ES256' || header.kid !== this.oidcKid) throw new HttpError(401, 'Error processing the identity token: unknown key');
    const ok = cryptoVerify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: this.oidcKey.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    if (!ok) throw new HttpError(401, 'Error processing the identity token: bad signature');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < now) throw new HttpError(401, 'Error processing the identity token: token expired');
    if (claims.aud !== 'sigstore')
      throw new HttpError(401, `Error processing the identity token: audience ${String(claims.aud)} is not sigstore`);
    if (claims.iss !== this.issuer) throw new HttpError(401, 'Error processing the identity token: unknown issuer');
    return claims;
  }

  private async fulcio(req: IncomingMessage, body: string): Promise<{ status: number; body: string; type: string }> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/api/v2/signingCert')
      throw new HttpError(404, `no route ${req.method} ${req.url}`);
    let json: {
      credentials?: { oidcIdentityToken?: string };
      publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: string };
    };
    try {
      json = JSON.parse(body) as typeof json;
    } catch {
      throw new HttpError(400, 'request body is not JSON');
    }
    // Fulcio takes the token from the body or, as cosign sends it, from the Authorization header.
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    this.lastFulcioRequest = body;
    const claims = this.verifyToken(json.credentials?.oidcIdentityToken || bearer || '');
    const pem = json.publicKeyRequest?.publicKey?.content;
    const pop = json.publicKeyRequest?.proofOfPossession;
    if (!pem || !pop) throw new HttpError(400, 'publicKeyRequest with publicKey and proofOfPossession is required');
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new HttpError(400, 'The public key is not a valid PEM public key');
    }
    if (key.asymmetricKeyType !== 'ec') throw new HttpError(400, 'unsupported key type');
    if (!cryptoVerify('sha256', Buffer.from(String(claims.sub)), key, Buffer.from(pop, 'base64'))) {
      throw new HttpError(400, 'The signature supplied in the request could not be verified (proof of possession)');
    }
    const san = typeof claims.job_workflow_ref === 'string' ? `https://github.com/${claims.job_workflow_ref}` : String(claims.sub);
    const der = key.export({ format: 'der', type: 'spki' });
    const cert = await this.ca.issueCertificate({
      publicKey: new Uint8Array(der.buffer, der.byteOffset, der.byteLength),
      subjectAltName: san,
      extensions: extensionsFromClaims(claims),
    });
    // Fulcio's gRPC gateway answers 200 (sigstore-go's client accepts only 200; the mock said 201).
    return {
      status: 200,
      type: 'application/json',
      body: JSON.stringify({ signedCertificateEmbeddedSct: { chain: { certificates: [toPEM(cert), toPEM(this.ca.rootCertificate)] } } }),
    };
  }

  private async rekor(
    req: IncomingMessage,
    body: string,
  ): Promise<{ status: number; body: string | Buffer; type: string; headers?: Record<string, string> }> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/api/v1/log/entries')
      throw new HttpError(404, `no route ${req.method} ${req.url}`);
    const r = await this.rekorFn!(canonicalEntry(body));
    if (r.statusCode >= 400) throw new HttpError(r.statusCode, String(r.response));
    // Rekor names the new entry in ETag and Location (sigstore-go reads the entry by its ETag).
    const uuid = Object.keys(JSON.parse(r.response as string) as Record<string, unknown>)[0] ?? '';
    return {
      status: r.statusCode,
      body: r.response as string,
      type: r.contentType ?? 'application/json',
      headers: { etag: uuid, location: `/api/v1/log/entries/${uuid}` },
    };
  }

  private async tsa(req: IncomingMessage, body: string): Promise<{ status: number; body: string | Buffer; type: string }> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/api/v1/timestamp')
      throw new HttpError(404, `no route ${req.method} ${req.url}`);
    const r = await this.tsaFn!(body);
    if (r.statusCode >= 400) throw new HttpError(r.statusCode, String(r.response));
    const v = r.response as ArrayBufferView;
    return {
      status: r.statusCode,
      body: Buffer.from(v.buffer, v.byteOffset, v.byteLength),
      type: r.contentType ?? 'application/timestamp-reply',
    };
  }
}

/**
 * What Rekor stores for a proposed entry. A `dsse` proposal ({envelope, verifiers}) is checked (each
 * signature must verify over the DSSE PAE with one of the verifiers) and stored as Rekor does:
 * envelope and payload hashes plus the signatures with the verifier that matched. Other kinds are
 * stored as proposed.
 */
export function canonicalEntry(body: string): string {
  let entry: { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope?: string; verifiers?: string[] } } };
  try {
    entry = JSON.parse(body) as typeof entry;
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
  if (entry.kind !== 'dsse') return body;
  const envText = entry.spec?.proposedContent?.envelope ?? '';
  let env: { payload?: string; payloadType?: string; signatures?: { sig: string }[] };
  try {
    env = JSON.parse(envText) as typeof env;
  } catch {
    throw new HttpError(400, 'dsse: the envelope is not JSON');
  }
  const payload = Buffer.from(env.payload ?? '', 'base64');
  const type = Buffer.from(env.payloadType ?? '');
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
  const verifiers = (entry.spec?.proposedContent?.verifiers ?? []).map((v) => Buffer.from(v, 'base64').toString('utf8'));
  const signatures = (env.signatures ?? []).map((sig) => {
    const verifier = verifiers.find((pem) => {
      try {
        return cryptoVerify('sha256', pae, createPublicKey(pem), Buffer.from(sig.sig, 'base64'));
      } catch {
        return false;
      }
    });
    if (!verifier) throw new HttpError(400, 'dsse: a signature does not verify with any of the given verifiers');
    return { signature: sig.sig, verifier: Buffer.from(verifier).toString('base64') };
  });
  if (!signatures.length) throw new HttpError(400, 'dsse: the envelope has no signatures');
  return JSON.stringify({
    apiVersion: entry.apiVersion ?? '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(envText).digest('hex') },
      payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
      signatures,
    },
  });
}

export async function startSigstore(opts: SigstoreStandInOptions = {}): Promise<SigstoreStandIn> {
  return new SigstoreStandIn(opts).start();
}
