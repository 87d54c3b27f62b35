import { createPublicKey, generateKeyPairSync, randomBytes, scryptSync, verify } from 'node:crypto';
import { InputError } from '@goship/core/errors';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { decryptCosignKey, loadPublicKey, loadSigningKey, pemBlock, signBytes } from '../src/keys.js';

/** Encrypts a PKCS#8 key the way cosign does (scrypt N=2^15 here to keep the test fast, nacl secretbox). */
function cosignKey(password: string, label = 'ENCRYPTED SIGSTORE PRIVATE KEY', curve = 'prime256v1'): { pem: string; publicPEM: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const params = { N: 32768, r: 8, p: 1 };
  const key = scryptSync(password, salt, 32, { ...params, maxmem: 256 * 1024 * 1024 });
  const ciphertext = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), new Uint8Array(key));
  const doc = {
    kdf: { name: 'scrypt', params, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  const body = Buffer.from(JSON.stringify(doc))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return {
    pem: `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`,
    publicPEM: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

describe('cosign encrypted keys', () => {
  it('decrypts scrypt + secretbox and signs verifiably with ECDSA P-256 SHA-256', () => {
    const { pem, publicPEM } = cosignKey('s3cret');
    const key = loadSigningKey(pem, 's3cret');
    expect(key.publicPEM).toBe(publicPEM);
    expect(key.hint).toMatch(/^[0-9a-f]{64}$/);
    const data = Buffer.from('hello');
    const sig = signBytes(key.privateKey, data);
    expect(verify('sha256', data, createPublicKey(publicPEM), sig)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), createPublicKey(publicPEM), sig)).toBe(false);
  });

  it('accepts the older ENCRYPTED COSIGN PRIVATE KEY label', () => {
    const { pem } = cosignKey('pw', 'ENCRYPTED COSIGN PRIVATE KEY');
    expect(loadSigningKey(pem, 'pw').privateKey.asymmetricKeyType).toBe('ec');
  });

  it('a wrong password is an InputError on key-password that does not echo the password', () => {
    const { pem } = cosignKey('right');
    const block = pemBlock(pem)!;
    let err: unknown;
    try {
      decryptCosignKey(block.der, 'wrong-password-canary');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('key-password');
    expect((err as Error).message).not.toContain('wrong-password-canary');
  });

  it('refuses other curves and key types, public keys and non-PEM text', () => {
    const { pem } = cosignKey('pw', 'ENCRYPTED SIGSTORE PRIVATE KEY', 'secp384r1');
    expect(() => loadSigningKey(pem, 'pw')).toThrow(/expected an ECDSA P-256 key/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadSigningKey(ed, '')).toThrow(/got "\(a ed25519 key\)"/);
    const pub = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => loadSigningKey(pub, '')).toThrow(/A public key or certificate cannot sign/);
    expect(() => loadSigningKey('not a key', '')).toThrow(/Input "key"/);
  });

  it('reads plain PKCS#8, SEC1 and password-protected PKCS#8 PEM', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(loadSigningKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), '').hint).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSigningKey(privateKey.export({ format: 'pem', type: 'sec1' }).toString(), '').hint).toMatch(/^[0-9a-f]{64}$/);
    const enc = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pp' }).toString();
    expect(loadSigningKey(enc, 'pp').privateKey.asymmetricKeyType).toBe('ec');
    expect(() => loadSigningKey(enc, 'bad')).toThrow(/Input "key-password"/);
  });

  it('loads a public key for verify mode and refuses a private one', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(loadPublicKey(publicKey.export({ format: 'pem', type: 'spki' }).toString()).asymmetricKeyType).toBe('ec');
    expect(() => loadPublicKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(/a PEM public key/);
  });
});
