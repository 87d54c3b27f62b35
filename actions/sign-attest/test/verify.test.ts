/**
 * verify-after-sign is at least as strict as cosign: envelopes cosign v3.1.3 (the pinned one)
 * rejects are refused by our verifier too — and cosign is run on the very same files to prove it
 * rejects them. The good envelopes are the controls: both accept them.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTool, tempDir } from '@goship/testkit';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { bundleFromJSON, bundleToJSON, toDSSEBundle, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../src/keys.js';
import { INTOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, SPDX_PREDICATE } from '../src/provenance.js';
import { KeySigner, KeylessSigner, pae, signBlob, signStatement, type WitnessOptions } from '../src/signing.js';
import { BundleVerifier, sshFingerprint, type Expectation } from '../src/verify.js';

const cosign = (args: string[]) => runTool('cosign', args, { SIGSTORE_NO_CACHE: '1', TUF_ROOT: '/nonexistent', HOME: '/nonexistent' });
const NO_LOG: WitnessOptions = { policy: { timeoutMs: 1000 } };
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const clone = (b: Bundle): Bundle => bundleFromJSON(bundleToJSON(b));

function statement(subjectSha: string, predicateType = SLSA_PROVENANCE_V1): object {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'f.tar.gz', digest: { sha256: subjectSha } }],
    predicateType,
    predicate: { buildDefinition: {} },
  };
}

describe('DSSE envelopes cosign rejects are refused by our verifier (key mode)', () => {
  let dir: string;
  let artifact: string;
  let artifactSha: string;
  let signer: KeySigner;
  let pub: string;
  let verifier: BundleVerifier;

  beforeAll(async () => {
    dir = await tempDir('goship-strict-');
    artifact = path.join(dir, 'f.tar.gz');
    await writeFile(artifact, 'the release archive');
    artifactSha = sha('the release archive');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = loadSigningKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), '');
    signer = new KeySigner(key);
    pub = path.join(dir, 'cosign.pub');
    await writeFile(pub, key.publicPEM);
    verifier = new BundleVerifier(undefined, { publicKey: key.publicKey, tlog: false });
  });

  /** A DSSE bundle signed over `payloadType` and `payload` by the key, with `keyid`. */
  function envelope(payload: Buffer, payloadType = INTOTO_PAYLOAD_TYPE, keyid = ''): Bundle {
    const b = toDSSEBundle({
      artifact: payload,
      artifactType: payloadType,
      signature: signer.sign(pae(payloadType, payload)),
      keyHint: 'hint',
      certificateChain: false,
    });
    if (b.content.$case === 'dsseEnvelope') b.content.dsseEnvelope.signatures[0]!.keyid = keyid;
    return b;
  }

  async function both(
    b: Bundle,
    expect_: Expectation,
    type = 'slsaprovenance1',
  ): Promise<{ ours: string | undefined; cosign: { code: number; out: string } }> {
    const file = path.join(dir, `b-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(bundleToJSON(b)));
    let ours: string | undefined;
    try {
      verifier.verify(b, expect_, 'the envelope');
    } catch (e) {
      ours = (e as Error).message;
    }
    const c = await cosign(['verify-blob-attestation', '--key', pub, '--bundle', file, '--type', type, '--insecure-ignore-tlog', artifact]);
    return { ours, cosign: c };
  }

  const provenance = (): Expectation => ({ type: 'statement', predicateTypes: [SLSA_PROVENANCE_V1], sha256: artifactSha });

  it('control: a well-formed envelope (empty keyid) verifies with both', async () => {
    const r = await both(await signStatement(signer, statement(artifactSha), NO_LOG, 'x'), provenance());
    expect(r.ours).toBeUndefined();
    expect(r.cosign.out).toContain('Verified OK');
    expect(r.cosign.code).toBe(0);
  });

  it("control: a keyid equal to the key's SSH SHA256 fingerprint verifies with both (the fingerprint is cosign's)", async () => {
    const fp = sshFingerprint(signer.publicKey)!;
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const r = await both(envelope(Buffer.from(JSON.stringify(statement(artifactSha))), INTOTO_PAYLOAD_TYPE, fp), provenance());
    expect(r.ours).toBeUndefined();
    expect(r.cosign.code).toBe(0);
  });

  it("keyid mismatch: the public key's hex sha256 (what goship used to write) — refused by both", async () => {
    const hint = sha(signer.publicKey.export({ format: 'der', type: 'spki' }));
    const r = await both(envelope(Buffer.from(JSON.stringify(statement(artifactSha))), INTOTO_PAYLOAD_TYPE, hint), provenance());
    expect(r.cosign.code).not.toBe(0);
    expect(r.cosign.out).toContain('accepted signatures do not match threshold');
    expect(r.ours).toMatch(/keyid .* names another key/);
  });

  it('wrong predicate type: SLSA v0.2 checked as slsaprovenance1 — refused by both', async () => {
    const r = await both(
      await signStatement(signer, statement(artifactSha, 'https://slsa.dev/provenance/v0.2'), NO_LOG, 'x'),
      provenance(),
    );
    expect(r.cosign.code).not.toBe(0);
    expect(r.ours).toMatch(/predicate type is "https:\/\/slsa.dev\/provenance\/v0.2"/);
  });

  it("wrong predicate type: SPDX's versioned URI checked as spdxjson — refused by both; in-toto's SPDX type verifies", async () => {
    const spdx = (t: string): Expectation => ({ type: 'statement', predicateTypes: [t === 'x' ? SPDX_PREDICATE : t], sha256: artifactSha });
    const bad = await both(
      await signStatement(signer, statement(artifactSha, 'https://spdx.dev/Document/v2.3'), NO_LOG, 'x'),
      spdx('x'),
      'spdxjson',
    );
    expect(bad.cosign.code).not.toBe(0);
    expect(bad.cosign.out).toContain('expected spdxjson got https://spdx.dev/Document/v2.3');
    expect(bad.ours).toMatch(/predicate type/);
    const good = await both(await signStatement(signer, statement(artifactSha, SPDX_PREDICATE), NO_LOG, 'x'), spdx('x'), 'spdxjson');
    expect(good.ours).toBeUndefined();
    expect(good.cosign.code).toBe(0);
  });

  it('tampered subject: a properly signed statement about another file — refused by both', async () => {
    const r = await both(await signStatement(signer, statement(sha('another file')), NO_LOG, 'x'), provenance());
    expect(r.cosign.code).not.toBe(0);
    expect(r.ours).toMatch(/no subject of the statement has the artifact's digest/);
  });

  it('tampered payload: the subject digest changed after signing — refused by both', async () => {
    const b = await signStatement(signer, statement(sha('another file')), NO_LOG, 'x');
    if (b.content.$case === 'dsseEnvelope') b.content.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement(artifactSha)));
    const r = await both(b, provenance());
    expect(r.cosign.code).not.toBe(0);
    expect(r.ours).toMatch(/SIGNATURE_ERROR|signature verification failed/);
  });

  it('wrong payload type: a signed envelope that is not application/vnd.in-toto+json — refused by both', async () => {
    const r = await both(envelope(Buffer.from(JSON.stringify(statement(artifactSha))), 'application/json'), provenance());
    expect(r.cosign.code).not.toBe(0);
    expect(r.ours).toMatch(/payload type is "application\/json"/);
  });

  it('two signatures in one envelope — refused by both', async () => {
    const b = await signStatement(signer, statement(artifactSha), NO_LOG, 'x');
    if (b.content.$case === 'dsseEnvelope') b.content.dsseEnvelope.signatures.push({ ...b.content.dsseEnvelope.signatures[0]! });
    const r = await both(b, provenance());
    expect(r.cosign.code).not.toBe(0);
    expect(r.ours).toMatch(/exactly one signature/);
  });

  it('message signatures: a bundle whose digest is not the artifact’s is refused', async () => {
    const { bundle } = await signBlob(signer, Buffer.from('the release archive'), NO_LOG, 'x');
    expect(() => verifier.verify(bundle, { type: 'blob', data: Buffer.from('the release archive') }, 'ok')).not.toThrow();
    expect(() => verifier.verify(bundle, { type: 'blob', data: Buffer.from('tampered') }, 'f')).toThrow(
      /f did not verify: .*digest does not match/,
    );
    expect(() => verifier.verify(bundle, provenance(), 'f')).toThrow(/expected a DSSE envelope/);
  });
});

describe('keyless: the certificate chain is verified once per run, every bundle still on its own', () => {
  let sigstore: SigstoreStandIn;
  let root: TrustedRoot;
  let signer: KeylessSigner;
  let witness: WitnessOptions;

  beforeAll(async () => {
    sigstore = await startSigstore();
    root = TrustedRoot.fromJSON(sigstore.trustedRoot());
    signer = new KeylessSigner(sigstore.urls.fulcio, sigstore.token(), { timeoutMs: 5000 });
    witness = { rekorURL: sigstore.urls.rekor, policy: { timeoutMs: 5000 } };
  });
  afterAll(async () => {
    await sigstore?.close();
  });

  it('reuses the verified path for later bundles of the same certificate, and still refuses a tampered one', async () => {
    const blobs = Array.from({ length: 5 }, (_, i) => Buffer.from(`file ${i}`));
    const signed = await Promise.all(blobs.map((b) => signBlob(signer, b, witness, 'f')));
    const v = new BundleVerifier(root, { identity: sigstore.identity, issuer: sigstore.issuer, tlog: true });
    for (const [i, s] of signed.entries()) {
      const r = v.verify(s.bundle, { type: 'blob', data: blobs[i]! }, `file ${i}`);
      expect(r.identity).toBe(sigstore.identity);
    }
    expect(v.cachedChecks).toBe(4);
    expect(() => v.verify(signed[1]!.bundle, { type: 'blob', data: blobs[2]! }, 'swapped')).toThrow(/swapped did not verify/);
    const att = await signStatement(signer, statement(sha(blobs[0]!)), witness, 'p');
    expect(() => v.verify(att, { type: 'statement', predicateTypes: [SPDX_PREDICATE], sha256: sha(blobs[0]!) }, 'p')).toThrow(
      /predicate type/,
    );
    // A tampered log entry body fails in the cached path too.
    const tampered = clone(signed[3]!.bundle);
    tampered.verificationMaterial.tlogEntries[0]!.integratedTime = String(
      Number(tampered.verificationMaterial.tlogEntries[0]!.integratedTime) + 1,
    );
    expect(() => v.verify(tampered, { type: 'blob', data: blobs[3]! }, 'log')).toThrow(/log did not verify/);
    // Another identity is refused even with the chain cached.
    const other = new BundleVerifier(root, {
      identity: 'https://github.com/evil/x/.github/workflows/x.yml@refs/heads/main',
      issuer: sigstore.issuer,
      tlog: true,
    });
    expect(() => other.verify(signed[0]!.bundle, { type: 'blob', data: blobs[0]! }, 'who')).toThrow(/who did not verify/);
  });

  it('caches nothing when two authorities of the trusted root could have issued the certificate', async () => {
    const json = sigstore.trustedRoot() as { certificateAuthorities: unknown[] };
    const twice = TrustedRoot.fromJSON({
      ...json,
      certificateAuthorities: [...json.certificateAuthorities, ...json.certificateAuthorities],
    });
    const signed = await Promise.all([0, 1, 2].map((i) => signBlob(signer, Buffer.from(`t${i}`), witness, 't')));
    const v = new BundleVerifier(twice, { identity: sigstore.identity, issuer: sigstore.issuer, tlog: true });
    for (const [i, s] of signed.entries()) v.verify(s.bundle, { type: 'blob', data: Buffer.from(`t${i}`) }, `t${i}`);
    expect(v.cachedChecks).toBe(0);
  });

  it('refuses a bundle whose log entry records another key than its certificate', async () => {
    const other = new KeylessSigner(sigstore.urls.fulcio, sigstore.token(), { timeoutMs: 5000 });
    const a = await signBlob(signer, Buffer.from('x'), witness, 'a');
    const b = await signBlob(other, Buffer.from('x'), witness, 'b');
    const mixed = clone(a.bundle);
    mixed.verificationMaterial.tlogEntries = b.bundle.verificationMaterial.tlogEntries;
    const v = new BundleVerifier(root, { identity: sigstore.identity, issuer: sigstore.issuer, tlog: true });
    expect(() => v.verify(mixed, { type: 'blob', data: Buffer.from('x') }, 'mixed')).toThrow(/records another key or certificate/);
  });
});
