/**
 * Verification of Sigstore bundles, at least as strict as cosign v3 (sigstore-go):
 *
 * - the cryptography through @sigstore/verify: signature, certificate chain to the trusted root,
 *   SCTs, transparency-log inclusion (SET or checkpoint + Merkle proof) and body, RFC 3161
 *   timestamps, and the certificate identity and issuer;
 * - on top, what cosign checks and @sigstore/verify does not: a DSSE envelope carries exactly one
 *   signature whose `keyid` is empty or the verifying key's SSH SHA256 fingerprint (go-securesystemslib
 *   skips a signature whose keyid names another key), its payload is an in-toto statement
 *   (`application/vnd.in-toto+json`) of the expected predicate type, with at most 1024 subjects,
 *   one of which is the artifact's digest; a message signature's digest is the artifact's; the key
 *   or certificate a log entry records is the bundle's.
 *
 * A run signs with one certificate, so its chain and SCTs are verified once: later bundles with
 * the same certificate reuse that result, and each of their timestamps must still fall inside
 * the validity of the leaf, of its authority's chain and of the authority (the only
 * time-dependent part of chain verification). Anything else falls back to the full verification.
 */
import { X509Certificate as NodeX509, createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoshipError, InputError } from '@goship/core/errors';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { HashAlgorithm, TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type Signer, type TrustMaterial } from '@sigstore/verify';
import { INTOTO_PAYLOAD_TYPE } from './provenance.js';

export const STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];
/** sigstore-go's limits on a statement's subjects. */
export const MAX_SUBJECTS = 1024;
export const MAX_SUBJECT_DIGESTS = 32;

export const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** Reads and parses a trusted root file; errors name the `trusted-root` input. */
export async function readTrustedRoot(file: string): Promise<TrustedRoot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(
      'trusted-root',
      file,
      'a readable Sigstore trusted root JSON file',
      `It could not be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(text));
    if (!root.certificateAuthorities.length && !root.tlogs.length && !root.timestampAuthorities.length) throw new Error('empty');
    return root;
  } catch {
    // The parser's message would quote the file; a refused file's content is never shown.
    throw new InputError(
      'trusted-root',
      file,
      'a Sigstore trusted root (application/vnd.dev.sigstore.trustedroot+json) naming at least one authority',
      "Get one with `cosign trusted-root create` or from your Sigstore instance's TUF repository",
    );
  }
}

/**
 * The public-good trusted root through Sigstore's TUF repository (root of trust embedded in
 * @sigstore/tuf, metadata verified by tuf-js), cached under RUNNER_TEMP.
 */
export async function publicGoodTrustedRoot(): Promise<TrustedRoot> {
  try {
    // Loaded on demand: only the public-good path needs TUF.
    const { getTrustedRoot } = await import('@sigstore/tuf');
    return await getTrustedRoot({
      cachePath: path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'goship-sigstore-tuf'),
      retry: 2,
      timeout: 30_000,
    });
  } catch (e) {
    throw new GoshipError(
      `Could not get Sigstore's public-good trusted root through TUF (https://tuf-repo-cdn.sigstore.dev): ${(e as Error).message}.`,
      'Pass the trusted root as a file with `trusted-root:` (for example from `cosign trusted-root create`); when signing, `verify-after-sign: false` skips the check',
      { cause: e },
    );
  }
}

export interface Policy {
  /** Exact SAN or a regular expression (keyless). */
  identity?: string | RegExp;
  issuer?: string;
  /** Key mode: the public key (bundles carry only a hint). */
  publicKey?: KeyObject;
  /** Require a transparency-log entry. */
  tlog: boolean;
  /** Require an RFC 3161 timestamp. */
  tsa?: boolean;
}

/** What a bundle must be about. */
export type Expectation =
  /** A message signature over these bytes (cosign verify-blob); `sha256`, when known, is their digest. */
  | { type: 'blob'; data: Buffer; sha256?: string }
  /** A DSSE in-toto statement of one of these predicate types with `sha256` among its subjects (verify-blob-attestation). */
  | { type: 'statement'; predicateTypes: readonly string[]; sha256?: string };

export interface Statement {
  _type: string;
  subject: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate?: unknown;
}

export interface Verified {
  identity?: string;
  issuer?: string;
  statement?: Statement;
}

export function parseBundle(json: unknown, source: string): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (e) {
    throw new GoshipError(`${source} is not a Sigstore bundle (${(e as Error).message.slice(0, 200)}).`);
  }
}

/** A bundle file: the JSON document, or the first line of a `.intoto.jsonl`. */
export function parseBundleText(text: string, source: string): Bundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    try {
      json = JSON.parse(text.split('\n').find((l) => l.trim()) ?? '');
    } catch {
      throw new GoshipError(`${source} is not JSON, so it is not a Sigstore bundle.`);
    }
  }
  return parseBundle(json, source);
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function mpint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return sshString(v[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), v]) : v);
}

const SSH_CURVES: Record<string, string> = { prime256v1: 'nistp256', secp384r1: 'nistp384', secp521r1: 'nistp521' };

/**
 * The key id go-securesystemslib computes for a verifier without one (`SHA256KeyID`): the SSH
 * SHA256 fingerprint, `SHA256:<base64 without padding>` of the key in SSH wire format. Undefined
 * for key types SSH cannot express (then go-securesystemslib checks no key id either).
 */
export function sshFingerprint(key: KeyObject): string | undefined {
  const jwk = key.export({ format: 'jwk' });
  const b = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');
  let wire: Buffer;
  if (key.asymmetricKeyType === 'ec') {
    const curve = SSH_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) return undefined;
    const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
    wire = Buffer.concat([sshString(Buffer.from(`ecdsa-sha2-${curve}`)), sshString(Buffer.from(curve)), sshString(point)]);
  } else if (key.asymmetricKeyType === 'ed25519') {
    wire = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(b(jwk.x))]);
  } else if (key.asymmetricKeyType === 'rsa') {
    wire = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(b(jwk.e)), mpint(b(jwk.n))]);
  } else {
    return undefined;
  }
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}

function pemDER(pem: string): Buffer | undefined {
  const m = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END [A-Z ]+-----/.exec(pem);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

function spki(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' });
}

const CACHED_HINT = 'goship-certificate:';

interface CachedCertificate {
  hint: string;
  signer: Signer;
  /** True when every certificate on the verified path and its authority are valid at `date`. */
  validFor(date: Date): boolean;
}

class Refusal extends Error {}

export class BundleVerifier {
  private readonly material: TrustMaterial;
  private readonly certificates = new Map<string, CachedCertificate>();
  /** Bundles checked through a cached certificate path (for the summary and the tests). */
  cachedChecks = 0;

  constructor(
    root: TrustedRoot | undefined,
    readonly policy: Policy,
  ) {
    const r = root ?? TrustedRoot.fromJSON(EMPTY_TRUSTED_ROOT);
    const pk = policy.publicKey;
    this.material = toTrustMaterial(r, (hint) => {
      const cached = hint.startsWith(CACHED_HINT) ? this.certificates.get(hint.slice(CACHED_HINT.length)) : undefined;
      if (cached) return { publicKey: cached.signer.key, validFor: (d) => cached.validFor(d) };
      if (pk) return { publicKey: pk, validFor: () => true };
      throw new Refusal(`no key for hint ${hint}`);
    });
  }

  /** Verifies `bundle` against `expect`; throws a GoshipError naming `label` when anything does not hold. */
  verify(bundle: Bundle, expect: Expectation, label: string): Verified {
    try {
      const certDER = leafCertificate(bundle);
      if (!certDER && !this.policy.publicKey)
        throw new Refusal('the bundle carries a public-key hint but no public key was given to verify it with');
      if (certDER && this.policy.publicKey)
        throw new Refusal('the bundle is keyless (it carries a certificate) but a public key is expected');
      const key = certDER ? new NodeX509(certDER).publicKey : this.policy.publicKey!;
      const statement = checkContent(bundle, expect, key);
      checkLogEntryKeys(bundle, certDER, key);
      const signer = certDER ? this.verifyKeyless(bundle, expect, certDER) : this.verifyWith(bundle, expect, false);
      return { identity: signer.identity?.subjectAlternativeName, issuer: signer.identity?.extensions?.issuer, statement };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      throw new GoshipError(`${label} did not verify: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}.`, undefined, {
        cause: e,
      });
    }
  }

  private verifier(keyless: boolean, cached: boolean): Verifier {
    const timestamps = keyless ? 1 : 0;
    return new Verifier(this.material, {
      tlogThreshold: this.policy.tlog ? 1 : 0,
      // A cached certificate's SCTs were verified with its chain.
      ctlogThreshold: keyless && !cached ? 1 : 0,
      timestampThreshold: this.policy.tsa ? Math.max(timestamps, 1) : timestamps,
    });
  }

  private verifyWith(bundle: Bundle, expect: Expectation, keyless: boolean): Signer {
    const policy = keyless
      ? { subjectAlternativeName: this.policy.identity, extensions: this.policy.issuer ? { issuer: this.policy.issuer } : undefined }
      : undefined;
    return this.verifier(keyless, false).verify(toSignedEntity(bundle, artifactOf(expect)), policy);
  }

  private verifyKeyless(bundle: Bundle, expect: Expectation, der: Buffer): Signer {
    const id = createHash('sha256').update(der).digest('hex');
    const cached = this.certificates.get(id);
    if (cached) {
      // Same certificate as an earlier bundle: its chain, SCTs and identity are known good.
      const vm = bundle.verificationMaterial;
      const asKey: Bundle = {
        ...bundle,
        verificationMaterial: { ...vm, content: { $case: 'publicKey', publicKey: { hint: cached.hint } } },
      };
      try {
        this.verifier(true, true).verify(toSignedEntity(asKey, artifactOf(expect)));
        this.cachedChecks++;
        return cached.signer;
      } catch (e) {
        // A timestamp outside the cached path's validity: let the full verification decide.
        if ((e as { code?: string }).code !== 'PUBLIC_KEY_ERROR') throw e;
      }
    }
    const signer = this.verifyWith(bundle, expect, true);
    if (!cached) this.remember(id, bundle, signer);
    return signer;
  }

  /**
   * Caches a certificate the full verification just accepted. The authority that verified it is
   * the only one of the trusted root holding a possible issuer of it (by subject or key id); with
   * more than one candidate nothing is cached. A later timestamp must fall inside the validity of
   * the leaf, of every certificate of that authority's chain and of the authority itself — at
   * least what path verification would require at that time.
   */
  private remember(id: string, bundle: Bundle, signer: Signer): void {
    const leaf = toSignedEntity(bundle, Buffer.alloc(0)).key;
    if (leaf.$case !== 'certificate') return;
    const cert = leaf.certificate;
    const aki = cert.extAuthorityKeyID?.keyIdentifier;
    const issues = (c: typeof cert): boolean => c.subject.equals(cert.issuer) || (!!aki && !!c.extSubjectKeyID?.keyIdentifier.equals(aki));
    const candidates = this.material.certificateAuthorities.filter((ca) => ca.certChain.some(issues));
    if (candidates.length !== 1) return;
    const ca = candidates[0]!;
    this.certificates.set(id, {
      hint: `${CACHED_HINT}${id}`,
      signer,
      validFor: (d) =>
        d >= ca.validFor.start && d <= ca.validFor.end && cert.validForDate(d) && ca.certChain.every((c) => c.validForDate(d)),
    });
  }
}

function artifactOf(expect: Expectation): Buffer | undefined {
  return expect.type === 'blob' ? expect.data : undefined;
}

function leafCertificate(bundle: Bundle): Buffer | undefined {
  const c = bundle.verificationMaterial.content;
  if (c.$case === 'certificate') return Buffer.from(c.certificate.rawBytes);
  if (c.$case === 'x509CertificateChain')
    return c.x509CertificateChain.certificates[0] && Buffer.from(c.x509CertificateChain.certificates[0].rawBytes);
  return undefined;
}

/** The content checks cosign makes before and after the signature; returns the statement of a DSSE bundle. */
function checkContent(bundle: Bundle, expect: Expectation, key: KeyObject): Statement | undefined {
  const content = bundle.content;
  if (expect.type === 'blob') {
    if (content.$case !== 'messageSignature') throw new Refusal('expected a message signature, found a DSSE envelope');
    const md = content.messageSignature.messageDigest;
    if (!md || (md.algorithm !== HashAlgorithm.SHA2_256 && md.algorithm !== HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED)) {
      throw new Refusal('the message digest is not SHA-256');
    }
    if (Buffer.from(md.digest).toString('hex') !== (expect.sha256 ?? createHash('sha256').update(expect.data).digest('hex')))
      throw new Refusal('the artifact digest does not match the message digest');
    return undefined;
  }
  if (content.$case !== 'dsseEnvelope') throw new Refusal('expected a DSSE envelope, found a message signature');
  const env = content.dsseEnvelope;
  if (env.signatures.length !== 1)
    throw new Refusal(`a DSSE envelope in a bundle carries exactly one signature, this one ${env.signatures.length}`);
  const keyid = env.signatures[0]!.keyid;
  const fingerprint = sshFingerprint(key);
  if (keyid !== '' && fingerprint !== undefined && keyid !== fingerprint) {
    throw new Refusal(
      `the DSSE signature's keyid ${JSON.stringify(keyid.slice(0, 80))} names another key than the verifying one (${fingerprint})`,
    );
  }
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE) {
    throw new Refusal(`the DSSE payload type is ${JSON.stringify(env.payloadType.slice(0, 80))}, not ${INTOTO_PAYLOAD_TYPE}`);
  }
  let statement: Statement;
  try {
    statement = JSON.parse(env.payload.toString('utf8')) as Statement;
  } catch {
    throw new Refusal('the DSSE payload is not JSON');
  }
  if (!STATEMENT_TYPES.includes(statement._type))
    throw new Refusal(`the payload is not an in-toto statement (_type ${JSON.stringify(statement._type)})`);
  if (!Array.isArray(statement.subject) || statement.subject.length === 0) throw new Refusal('the statement has no subjects');
  if (statement.subject.length > MAX_SUBJECTS)
    throw new Refusal(`the statement has ${statement.subject.length} subjects, more than ${MAX_SUBJECTS}`);
  for (const s of statement.subject) {
    if (typeof s?.digest !== 'object' || s.digest === null || Object.keys(s.digest).length > MAX_SUBJECT_DIGESTS) {
      throw new Refusal('a subject has no digests or too many');
    }
  }
  if (!expect.predicateTypes.includes(statement.predicateType)) {
    throw new Refusal(
      `the predicate type is ${JSON.stringify(String(statement.predicateType).slice(0, 120))}, expected ${expect.predicateTypes.join(' or ')}`,
    );
  }
  if (expect.sha256 !== undefined && !statement.subject.some((s) => s.digest.sha256 === expect.sha256)) {
    throw new Refusal(`no subject of the statement has the artifact's digest sha256:${expect.sha256}`);
  }
  return statement;
}

/** The key (or certificate) a Rekor v1 entry recorded must be the one the bundle is verified with. */
function checkLogEntryKeys(bundle: Bundle, certDER: Buffer | undefined, key: KeyObject): void {
  for (const e of bundle.verificationMaterial.tlogEntries) {
    let body: { kind?: string; apiVersion?: string; spec?: Record<string, unknown> };
    try {
      body = JSON.parse(e.canonicalizedBody.toString('utf8')) as typeof body;
    } catch {
      throw new Refusal('a transparency-log entry body is not JSON');
    }
    const pems: string[] = [];
    if (body.kind === 'hashedrekord' && body.apiVersion === '0.0.1') {
      const sig = body.spec?.signature as { publicKey?: { content?: string } } | undefined;
      pems.push(Buffer.from(sig?.publicKey?.content ?? '', 'base64').toString('utf8'));
    } else if (body.kind === 'dsse' && body.apiVersion === '0.0.1') {
      for (const s of (body.spec?.signatures as { verifier?: string }[] | undefined) ?? [])
        pems.push(Buffer.from(s.verifier ?? '', 'base64').toString('utf8'));
    } else {
      continue;
    }
    const want = certDER ?? spki(key);
    for (const pem of pems) {
      const der = pemDER(pem);
      const same = der !== undefined && (der.equals(want) || (!certDER && safeSPKI(pem)?.equals(want)));
      if (!same) throw new Refusal('the transparency-log entry records another key or certificate than the bundle');
    }
  }
}

function safeSPKI(pem: string): Buffer | undefined {
  try {
    return spki(createPublicKey(pem));
  } catch {
    return undefined;
  }
}
