import { createHash, generateKeyPairSync } from 'node:crypto';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { envelopeToJSON, toDSSEBundle, toMessageSignatureBundle } from '@sigstore/bundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposedEntry, rekorEntry, timestamp } from '../src/transparency.js';
import { pae } from '../src/signing.js';
import { sign } from 'node:crypto';

describe('transparency: Rekor v1 entries and RFC 3161 timestamps against the stand-ins', () => {
  let sigstore: SigstoreStandIn;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

  beforeAll(async () => {
    sigstore = await startSigstore();
  });
  afterAll(async () => {
    await sigstore?.close();
  });

  it('records a message signature as hashedrekord 0.0.1 and returns the entry with its inclusion promise and proof', async () => {
    const data = Buffer.from('artifact');
    const b = toMessageSignatureBundle({
      digest: createHash('sha256').update(data).digest(),
      signature: sign('sha256', data, privateKey),
      keyHint: 'h',
      certificateChain: false,
    });
    const entry = await rekorEntry(sigstore.urls.rekor, b.content, pem);
    expect(entry.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    expect(entry.inclusionPromise?.signedEntryTimestamp.length).toBeGreaterThan(0);
    expect(entry.inclusionProof?.hashes).toBeDefined();
    const body = JSON.parse(entry.canonicalizedBody.toString('utf8'));
    expect(body.spec.data.hash.value).toBe(createHash('sha256').update(data).digest('hex'));
    expect(Buffer.from(body.spec.signature.publicKey.content, 'base64').toString()).toBe(pem);
  });

  it('records an envelope as dsse 0.0.1 over exactly the JSON text a cosign .att layer carries', async () => {
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
    const b = toDSSEBundle({
      artifact: payload,
      artifactType: 'application/vnd.in-toto+json',
      signature: sign('sha256', pae('application/vnd.in-toto+json', payload), privateKey),
      keyHint: '',
      certificateChain: false,
    });
    if (b.content.$case !== 'dsseEnvelope') throw new Error('not dsse');
    const text = JSON.stringify(envelopeToJSON(b.content.dsseEnvelope));
    expect((proposedEntry(b.content, pem) as { spec: { proposedContent: { envelope: string } } }).spec.proposedContent.envelope).toBe(text);
    const entry = await rekorEntry(sigstore.urls.rekor, b.content, pem);
    const body = JSON.parse(entry.canonicalizedBody.toString('utf8'));
    expect(body.spec.envelopeHash.value).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('a refused entry is an error with the status and the server message; a timestamp is DER from the TSA', async () => {
    sigstore.fail('rekor', 400, 1, 'entry rejected (test)');
    const data = Buffer.from('x');
    const b = toMessageSignatureBundle({
      digest: createHash('sha256').update(data).digest(),
      signature: sign('sha256', data, privateKey),
      keyHint: 'h',
      certificateChain: false,
    });
    await expect(rekorEntry(sigstore.urls.rekor, b.content, pem)).rejects.toMatchObject({
      statusCode: 400,
      message: 'entry rejected (test)',
    });
    const ts = await timestamp(sigstore.urls.tsa, Buffer.from('signature'));
    expect(ts[0]).toBe(0x30); // a DER SEQUENCE
  });
});
