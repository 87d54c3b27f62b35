/**
 * The witnesses of a signature: a Rekor v1 transparency-log entry (`hashedrekord` for a message
 * signature, `dsse` for an envelope, as cosign and @sigstore/sign propose them) and an RFC 3161
 * timestamp over the signature, turned into the bundle's verification material. A 409 from Rekor
 * (the entry exists, e.g. on a retried request) reads the existing entry back.
 */
import { createHash } from 'node:crypto';
import { envelopeToJSON, type Bundle, type TransparencyLogEntry } from '@sigstore/bundle';
import { httpError, request } from './http.js';

/** Rekor's answer: `{ <uuid>: entry }`. */
interface RekorEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification?: {
    signedEntryTimestamp?: string;
    inclusionProof?: { checkpoint: string; hashes: string[]; logIndex: number; rootHash: string; treeSize: number };
  };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** The entry Rekor is asked to record for a bundle's content, verified by `pem` (a certificate or public key). */
export function proposedEntry(content: Bundle['content'], pem: string): object {
  if (content.$case === 'messageSignature') {
    return {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: content.messageSignature.messageDigest.digest.toString('hex') } },
        signature: { content: content.messageSignature.signature.toString('base64'), publicKey: { content: b64(pem) } },
      },
    };
  }
  // The envelope as JSON text: Rekor hashes exactly these bytes (envelopeHash), and cosign's
  // `.att` layer must be the same bytes (publish.ts).
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: { proposedContent: { envelope: JSON.stringify(envelopeToJSON(content.dsseEnvelope)), verifiers: [b64(pem)] } },
  };
}

function toLogEntry(entry: RekorEntry): TransparencyLogEntry {
  const body = Buffer.from(entry.body, 'base64');
  const kind = JSON.parse(body.toString('utf8')) as { kind: string; apiVersion: string };
  const proof = entry.verification?.inclusionProof;
  const set = entry.verification?.signedEntryTimestamp;
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: Buffer.from(entry.logID, 'hex') },
    kindVersion: { kind: kind.kind, version: kind.apiVersion },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: set ? { signedEntryTimestamp: Buffer.from(set, 'base64') } : undefined,
    inclusionProof: proof
      ? {
          logIndex: String(proof.logIndex),
          treeSize: String(proof.treeSize),
          rootHash: Buffer.from(proof.rootHash, 'hex'),
          hashes: proof.hashes.map((h) => Buffer.from(h, 'hex')),
          checkpoint: { envelope: proof.checkpoint },
        }
      : undefined,
    canonicalizedBody: body,
  };
}

function firstEntry(doc: Record<string, RekorEntry>): RekorEntry {
  const e = Object.values(doc)[0];
  if (!e?.body || !e.logID) throw new Error('Rekor answered without an entry');
  return e;
}

/** Records the bundle's signature in Rekor; returns the log entry. */
export async function rekorEntry(
  rekorURL: string,
  content: Bundle['content'],
  pem: string,
  timeoutMs = 30_000,
): Promise<TransparencyLogEntry> {
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  let res = await request('POST', `${rekorURL}/api/v1/log/entries`, {
    body: JSON.stringify(proposedEntry(content, pem)),
    headers: json,
    timeoutMs,
  });
  // Conflict: the entry is already in the log (a retried request whose answer was lost); Rekor names it in Location.
  if (res.status === 409 && typeof res.headers.location === 'string') {
    res = await request('GET', new URL(res.headers.location, rekorURL).toString(), { headers: { accept: 'application/json' }, timeoutMs });
  }
  if (res.status < 200 || res.status >= 300) throw httpError(res);
  return toLogEntry(firstEntry(JSON.parse(res.body.toString('utf8')) as Record<string, RekorEntry>));
}

/** An RFC 3161 timestamp over the signature from a timestamp authority (Sigstore's TSA API). */
export async function timestamp(tsaURL: string, signature: Buffer, timeoutMs = 30_000): Promise<Buffer> {
  const url = new URL(tsaURL).pathname === '/' ? `${tsaURL}/api/v1/timestamp` : tsaURL;
  const res = await request('POST', url, {
    body: JSON.stringify({ artifactHash: createHash('sha256').update(signature).digest('base64'), hashAlgorithm: 'sha256' }),
    headers: { 'content-type': 'application/json' },
    timeoutMs,
  });
  if (res.status < 200 || res.status >= 300) throw httpError(res);
  return res.body;
}
