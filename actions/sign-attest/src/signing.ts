/**
 * Signing in process: one key for the whole run (an ephemeral key with one Fulcio certificate in
 * keyless mode, or the user's key), Sigstore bundles v0.3 assembled with @sigstore/bundle, and
 * their witnesses (transparency.ts) called with goship's own retry policy: transient failures
 * (5xx, 408, 429, resets) are retried with backoff until the time budget is spent, permanent ones
 * fail at once with the server's message.
 */
import { X509Certificate, createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GoshipError } from '@goship/core/errors';
import { classifyError, withRetry, type FailureClass } from '@goship/core/retry';
import { toDSSEBundle, toMessageSignatureBundle, type Bundle } from '@sigstore/bundle';
import { signBytes, type SigningKey } from './keys.js';
import { postJSON } from './http.js';
import { INTOTO_PAYLOAD_TYPE } from './provenance.js';
import { rekorEntry, timestamp } from './transparency.js';

export interface RetryPolicy {
  timeoutMs: number;
  baseDelayMs?: number;
  /** Told about each retry (the step's log). */
  log?: (message: string) => void;
}

/** HTTP status of a failed call (the error or one of its causes). */
export function httpStatus(e: unknown): number | undefined {
  for (let cur = e as { statusCode?: number; status?: number; cause?: unknown } | undefined, i = 0; cur && i < 5; i++) {
    if (typeof cur.statusCode === 'number') return cur.statusCode;
    if (typeof cur.status === 'number') return cur.status;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

/** The innermost message: for an HTTP failure, what the server said. */
export function serverMessage(e: unknown): string {
  let cur = e as { message?: string; cause?: unknown } | undefined;
  let msg = cur?.message ?? String(e);
  for (let i = 0; cur && i < 5; i++) {
    if (typeof cur.message === 'string' && cur.message) msg = cur.message;
    cur = cur.cause as typeof cur;
  }
  return msg.replace(/^\(\d{3}\)\s*/, '');
}

export function classifySigstoreError(e: unknown): FailureClass {
  const status = httpStatus(e);
  if (status !== undefined) {
    if (status >= 500 || status === 408 || status === 429) return { transient: true, reason: `HTTP ${status}` };
    return { transient: false, reason: `HTTP ${status}` };
  }
  return classifyError(e);
}

/** Runs one call to a Sigstore service with the retry policy; a failure becomes a GoshipError. */
export async function callService<T>(service: string, what: string, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  try {
    return await withRetry(() => fn(), {
      attempts: Number.MAX_SAFE_INTEGER,
      timeoutMs: policy.timeoutMs,
      baseDelayMs: policy.baseDelayMs ?? 500,
      maxDelayMs: 15_000,
      classify: classifySigstoreError,
      onRetry: ({ attempt, delayMs, reason }) => policy.log?.(`${service}: ${what} failed (${reason}); retry ${attempt} in ${delayMs} ms`),
    });
  } catch (e) {
    if (e instanceof GoshipError) throw e;
    const status = httpStatus(e);
    const c = classifySigstoreError(e);
    throw new GoshipError(
      `${service} refused ${what}: ${status !== undefined ? `HTTP ${status}: ` : ''}${serverMessage(e)}${c.transient ? ` (still failing after retries within retry-timeout)` : ''}.`,
      c.transient
        ? 'The service is unavailable; re-run the job, or raise `retry-timeout`'
        : status === 401 || status === 403
          ? 'The identity token was rejected: check `permissions: id-token: write` and that the OIDC issuer is one this Sigstore instance trusts'
          : 'This is a permanent error; check the service URLs and the identity',
      { cause: e },
    );
  }
}

export interface KeyMaterial {
  /** PEM of what Rekor should record: the certificate (keyless) or the public key. */
  rekorPEM: string;
  /** DER certificate for keyless bundles. */
  certificate?: Buffer;
  /** Key hint for public-key bundles. */
  hint?: string;
}

export interface Signer {
  readonly mode: 'keyless' | 'key';
  material(): Promise<KeyMaterial>;
  sign(data: Buffer): Buffer;
  publicKey: KeyObject;
}

export class KeySigner implements Signer {
  readonly mode = 'key' as const;
  constructor(private readonly key: SigningKey) {}
  get publicKey(): KeyObject {
    return this.key.publicKey;
  }
  material(): Promise<KeyMaterial> {
    return Promise.resolve({ rekorPEM: this.key.publicPEM, hint: this.key.hint });
  }
  sign(data: Buffer): Buffer {
    return signBytes(this.key.privateKey, data);
  }
}

export interface TokenClaims {
  iss?: string;
  sub?: string;
  job_workflow_ref?: string;
  workflow_ref?: string;
  [k: string]: unknown;
}

export function decodeClaims(jwt: string): TokenClaims {
  const part = jwt.split('.')[1];
  if (!part) throw new GoshipError('The OIDC token is not a JWT.', 'Check the ID token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)');
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    throw new GoshipError('The OIDC token payload is not JSON.');
  }
}

/** Keyless: one ephemeral P-256 key and one Fulcio certificate for the whole run. */
export class KeylessSigner implements Signer {
  readonly mode = 'keyless' as const;
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  private cert?: Promise<KeyMaterial>;
  /** Chain as Fulcio returned it (leaf first), PEM. */
  chain: string[] = [];
  constructor(
    private readonly fulcioURL: string,
    private readonly token: string,
    private readonly policy: RetryPolicy,
  ) {}
  get publicKey(): KeyObject {
    return this.keys.publicKey;
  }
  get claims(): TokenClaims {
    return decodeClaims(this.token);
  }
  /** The certificate's identity (its URI or e-mail SAN), once Fulcio issued it. */
  get identity(): string | undefined {
    if (!this.chain[0]) return undefined;
    const san = new X509Certificate(this.chain[0]).subjectAltName ?? '';
    return /(?:URI|email):([^,]+)/.exec(san)?.[1]?.trim();
  }
  material(): Promise<KeyMaterial> {
    this.cert ??= this.requestCertificate();
    return this.cert;
  }
  sign(data: Buffer): Buffer {
    return signBytes(this.keys.privateKey, data);
  }
  private async requestCertificate(): Promise<KeyMaterial> {
    const sub = this.claims.sub ?? '';
    const body = {
      credentials: { oidcIdentityToken: this.token },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: this.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
        proofOfPossession: signBytes(this.keys.privateKey, Buffer.from(sub)).toString('base64'),
      },
    };
    const url = `${this.fulcioURL.replace(/\/$/, '')}/api/v2/signingCert`;
    type Answer = {
      signedCertificateEmbeddedSct?: { chain: { certificates: string[] } };
      signedCertificateDetachedSct?: { chain: { certificates: string[] } };
    };
    const json = await callService(
      'Fulcio',
      'the signing certificate request',
      this.policy,
      async () => (await postJSON<Answer>(url, body)).data,
    );
    const chain = (json.signedCertificateEmbeddedSct ?? json.signedCertificateDetachedSct)?.chain.certificates ?? [];
    if (!chain[0]) throw new GoshipError('Fulcio answered without a certificate.', 'Check `fulcio-url`');
    this.chain = chain;
    return { rekorPEM: chain[0], certificate: pemToDER(chain[0]) };
  }
}

export function pemToDER(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export interface WitnessOptions {
  rekorURL?: string;
  tsaURL?: string;
  policy: RetryPolicy;
}

/** Adds transparency-log entries and RFC 3161 timestamps to a bundle (in place). */
export async function witness(bundle: Bundle, material: KeyMaterial, opts: WitnessOptions, label: string): Promise<void> {
  const signature =
    bundle.content.$case === 'messageSignature'
      ? bundle.content.messageSignature.signature
      : bundle.content.dsseEnvelope.signatures[0]!.sig;
  const [tlog, tsa] = await Promise.all([
    opts.rekorURL
      ? callService('Rekor', `the transparency-log entry for ${label}`, opts.policy, () =>
          rekorEntry(opts.rekorURL!, bundle.content, material.rekorPEM),
        )
      : undefined,
    opts.tsaURL ? callService('TSA', `the timestamp for ${label}`, opts.policy, () => timestamp(opts.tsaURL!, signature)) : undefined,
  ]);
  bundle.verificationMaterial.tlogEntries = tlog ? [tlog] : [];
  bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: tsa ? [{ signedTimestamp: tsa }] : [] };
}

/** A message-signature bundle (v0.3) over a blob: what `cosign sign-blob --bundle` makes. */
export async function signBlob(
  signer: Signer,
  data: Buffer,
  opts: WitnessOptions,
  label: string,
): Promise<{ bundle: Bundle; signature: Buffer }> {
  const material = await signer.material();
  const signature = signer.sign(data);
  const bundle = toMessageSignatureBundle({
    digest: createHash('sha256').update(data).digest(),
    signature,
    certificate: material.certificate,
    keyHint: material.hint,
    certificateChain: false,
  });
  await witness(bundle, material, opts, label);
  return { bundle, signature };
}

/** DSSE pre-authentication encoding. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const t = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

/**
 * A DSSE bundle (v0.3) over an in-toto statement. The envelope's signature carries no keyid:
 * cosign (go-securesystemslib) skips a signature whose keyid is not the verifying key's SSH
 * fingerprint, and the key hint of the bundle's verification material is what names the key.
 */
export async function signStatement(signer: Signer, statement: object, opts: WitnessOptions, label: string): Promise<Bundle> {
  const material = await signer.material();
  const payload = Buffer.from(JSON.stringify(statement));
  const signature = signer.sign(pae(INTOTO_PAYLOAD_TYPE, payload));
  const bundle = toDSSEBundle({
    artifact: payload,
    artifactType: INTOTO_PAYLOAD_TYPE,
    signature,
    certificate: material.certificate,
    keyHint: material.hint,
    certificateChain: false,
  });
  if (bundle.content.$case === 'dsseEnvelope') for (const s of bundle.content.dsseEnvelope.signatures) s.keyid = '';
  await witness(bundle, material, opts, label);
  return bundle;
}
