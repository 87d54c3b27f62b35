/**
 * Signing keys for `mode: key`, cosign-compatible: ECDSA P-256 with SHA-256. Reads cosign's
 * encrypted private key format (`ENCRYPTED SIGSTORE PRIVATE KEY` / `ENCRYPTED COSIGN PRIVATE
 * KEY`: a JSON document holding scrypt parameters, a nacl/secretbox nonce and the ciphertext of a
 * PKCS#8 DER key), plain PEM (PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`) and encrypted PKCS#8.
 */
import { createHash, createPrivateKey, createPublicKey, scryptSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { InputError } from '@goship/core/errors';
import nacl from 'tweetnacl';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key. */
  publicPEM: string;
  /** Key hint for bundles: hex SHA-256 of the DER SPKI. */
  hint: string;
}

const COSIGN_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];

interface CosignEncrypted {
  kdf: { name: string; params: { N: number; r: number; p: number }; salt: string };
  cipher: { name: string; nonce: string };
  ciphertext: string;
}

/** The first PEM block: its label and body bytes. */
export function pemBlock(text: string): { label: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  return { label: m[1]!, der: Buffer.from(m[2]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') };
}

/** Decrypts cosign's encrypted key format; returns the PKCS#8 DER private key. */
export function decryptCosignKey(der: Buffer, password: string): Buffer {
  let doc: CosignEncrypted;
  try {
    doc = JSON.parse(der.toString('utf8')) as CosignEncrypted;
  } catch {
    throw new InputError(
      'key',
      '(hidden)',
      "a cosign key: the PEM body is not cosign's JSON document",
      'Pass the cosign.key file written by `cosign generate-key-pair`',
    );
  }
  if (doc.kdf?.name !== 'scrypt' || doc.cipher?.name !== 'nacl/secretbox') {
    throw new InputError(
      'key',
      '(hidden)',
      'a cosign key encrypted with scrypt and nacl/secretbox',
      `This key uses kdf ${JSON.stringify(doc.kdf?.name)} and cipher ${JSON.stringify(doc.cipher?.name)}; re-create it with \`cosign generate-key-pair\``,
    );
  }
  const { N, r, p } = doc.kdf.params;
  const secret = scryptSync(Buffer.from(password, 'utf8'), Buffer.from(doc.kdf.salt, 'base64'), 32, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 16 * 1024 * 1024,
  });
  const opened = nacl.secretbox.open(
    new Uint8Array(Buffer.from(doc.ciphertext, 'base64')),
    new Uint8Array(Buffer.from(doc.cipher.nonce, 'base64')),
    new Uint8Array(secret),
  );
  if (!opened) {
    throw new InputError(
      'key-password',
      '(hidden)',
      'the password the key was encrypted with',
      'The key could not be decrypted with this password: check the secret passed as `key-password` (cosign reads it from COSIGN_PASSWORD)',
    );
  }
  return Buffer.from(opened);
}

/** Loads a private key from PEM text; validates that it is ECDSA P-256. */
export function loadSigningKey(pem: string, password: string): SigningKey {
  const block = pemBlock(pem);
  if (!block) {
    throw new InputError(
      'key',
      '(hidden)',
      "a PEM private key (PKCS#8, SEC1 EC or cosign's encrypted format) or a path to one",
      "Pass the key file's contents from a secret, e.g. `key: ${{ secrets.COSIGN_KEY }}`",
    );
  }
  let privateKey: KeyObject;
  try {
    if (COSIGN_LABELS.includes(block.label)) {
      privateKey = createPrivateKey({ key: decryptCosignKey(block.der, password), format: 'der', type: 'pkcs8' });
    } else if (block.label === 'ENCRYPTED PRIVATE KEY') {
      privateKey = createPrivateKey({ key: pem, format: 'pem', passphrase: password });
    } else if (block.label === 'PRIVATE KEY' || block.label === 'EC PRIVATE KEY') {
      privateKey = createPrivateKey({ key: pem, format: 'pem' });
    } else {
      throw new InputError(
        'key',
        `(a PEM block labelled ${block.label})`,
        'a private key: PRIVATE KEY, EC PRIVATE KEY, ENCRYPTED PRIVATE KEY or ENCRYPTED SIGSTORE PRIVATE KEY',
        'A public key or certificate cannot sign; pass the private key',
      );
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const msg = (e as Error).message;
    // A wrong password usually fails the padding check ("bad decrypt"), but now and then decrypts
    // to garbage that fails to parse instead: either way, the password is what to check.
    if (block.label === 'ENCRYPTED PRIVATE KEY') {
      throw new InputError(
        'key-password',
        '(hidden)',
        'the password the key was encrypted with',
        'The key could not be decrypted with this password',
      );
    }
    throw new InputError('key', `(a ${block.label} PEM block)`, 'a readable private key', `The key could not be parsed (${msg})`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    const kind =
      privateKey.asymmetricKeyType === 'ec' ? `ECDSA ${privateKey.asymmetricKeyDetails?.namedCurve}` : String(privateKey.asymmetricKeyType);
    throw new InputError(
      'key',
      `(a ${kind} key)`,
      'an ECDSA P-256 key (what `cosign generate-key-pair` makes)',
      'Create one with `cosign generate-key-pair` or `openssl ecparam -name prime256v1 -genkey`',
    );
  }
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    privateKey,
    publicKey,
    publicPEM: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    hint: createHash('sha256').update(spki).digest('hex'),
  };
}

/** Loads a public key (verify mode) from PEM text: SPKI, or derived from a private key. */
export function loadPublicKey(pem: string): KeyObject {
  const block = pemBlock(pem);
  if (!block || !/PUBLIC KEY|CERTIFICATE/.test(block.label)) {
    throw new InputError(
      'key',
      block ? `(a ${block.label} PEM block)` : '(not PEM)',
      'a PEM public key (cosign.pub) for verify mode',
      'Pass the public key that matches the signing key',
    );
  }
  try {
    return createPublicKey(pem);
  } catch (e) {
    throw new InputError(
      'key',
      `(a ${block.label} PEM block)`,
      'a readable public key',
      `It could not be parsed (${(e as Error).message})`,
    );
  }
}

/** ECDSA-SHA256 over `data`, DER-encoded (what cosign and `openssl dgst -sha256 -sign` produce). */
export function signBytes(key: KeyObject, data: Buffer): Buffer {
  return cryptoSign('sha256', data, key);
}
