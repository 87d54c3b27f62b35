import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPublicGood, readConfig } from '../src/config.js';

const TOKEN_ENV = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?x=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };
const PEM = '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----';

let ws: string;
let outside: string;
const cfg = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  readConfig(
    Inputs.of(inputs, new Map(['key', 'key-password', 'github-token'].map((k) => [k, inputs[k] ?? '']))),
    { GITHUB_WORKSPACE: ws, ...env },
    ws,
  );

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

beforeAll(async () => {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'goship-sign-cfg-')));
  ws = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(ws, 'keys'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(ws, 'keys', 'cosign.key'), PEM);
  await writeFile(path.join(outside, 'cosign.key'), PEM);
  await writeFile(path.join(outside, 'root.json'), '{}');
  await symlink(outside, path.join(ws, 'escape'));
});

describe('readConfig', () => {
  it('defaults: keyless, the checksums and images signed, provenance, image SBOM attestations, tlog, verify-after-sign, public good', () => {
    const c = cfg({}, TOKEN_ENV);
    expect(c.mode).toBe('keyless');
    expect([...c.sign]).toEqual(['checksums', 'images']);
    expect(c.provenance && c.tlog && c.verifyAfterSign).toBe(true);
    expect(c.sbomAttestations).toBe('images');
    expect(c.rawSignatures).toBe(false);
    expect(c.fulcioURL).toBe('https://fulcio.sigstore.dev');
    expect(c.rekorURL).toBe('https://rekor.sigstore.dev');
    expect(isPublicGood(c)).toBe(true);
    expect(c.retryTimeoutMs).toBe(600_000);
    expect(c.githubAttestations).toBe(false);
    expect(c.workdir).toBe(ws);
    expect(c.manifest).toBe(path.join(ws, 'dist', 'goship-manifest.json'));
  });

  it('`all` expands to every kind; trailing slashes leave the URLs; `sbom-attestations` takes true/false too', () => {
    const c = cfg(
      { sign: 'all', 'rekor-url': 'https://rekor.example.com/', 'retry-timeout': '90s', 'sbom-attestations': 'true' },
      TOKEN_ENV,
    );
    expect([...c.sign].sort()).toEqual(['archives', 'binaries', 'checksums', 'images', 'sboms']);
    expect(c.rekorURL).toBe('https://rekor.example.com');
    expect(isPublicGood(c)).toBe(false);
    expect(c.retryTimeoutMs).toBe(90_000);
    expect(c.sbomAttestations).toBe('all');
    expect(cfg({ 'sbom-attestations': 'false' }, TOKEN_ENV).sbomAttestations).toBe('none');
  });

  it('GitHub attestations default on only for keyless runs inside GitHub Actions with a token', () => {
    expect(cfg({ 'github-token': 'ghs_x' }, { ...TOKEN_ENV, GITHUB_ACTIONS: 'true' }).githubAttestations).toBe(true);
    expect(cfg({ 'github-token': 'ghs_x', mode: 'key', key: PEM }, { GITHUB_ACTIONS: 'true' }).githubAttestations).toBe(false);
    expect(cfg({ 'github-token': '${{ github.token }}' }, { ...TOKEN_ENV, GITHUB_ACTIONS: 'true' }).githubAttestations).toBe(false);
  });

  it('reads a key file inside the workspace', () => {
    expect(cfg({ mode: 'key', key: 'keys/cosign.key' }).key).toBe(PEM);
  });

  const bad: [string, Record<string, string>, Record<string, string>, string][] = [
    ['keyless without the token variables', {}, {}, 'mode'],
    ['keyless without tlog and TSA', { tlog: 'false' }, TOKEN_ENV, 'tlog'],
    ['an unknown mode', { mode: 'sigstore' }, TOKEN_ENV, 'mode'],
    ['a bad URL', { 'fulcio-url': 'fulcio.example.com' }, TOKEN_ENV, 'fulcio-url'],
    ['a URL with credentials', { 'rekor-url': 'https://user:pw@rekor.example.com' }, TOKEN_ENV, 'rekor-url'],
    ['a bad regexp', { mode: 'verify', 'certificate-identity-regexp': '(' }, {}, 'certificate-identity-regexp'],
    ['a missing key file', { mode: 'key', key: 'keys/nope.key' }, {}, 'key'],
    ['a key file outside the workspace', { mode: 'key', key: '../outside/cosign.key' }, {}, 'key'],
    ['a key file through a symlink out', { mode: 'key', key: 'escape/cosign.key' }, {}, 'key'],
    ['a bad duration', { 'retry-timeout': 'soon' }, TOKEN_ENV, 'retry-timeout'],
    ['a manifest outside the workspace', { manifest: '../outside/m.json' }, TOKEN_ENV, 'manifest'],
    ['a trusted root outside the workspace', { 'trusted-root': 'escape/root.json' }, TOKEN_ENV, 'trusted-root'],
    ['a working directory outside', { 'working-directory': '/' }, TOKEN_ENV, 'working-directory'],
    ['raw signatures without a key', { 'raw-signatures': 'true' }, TOKEN_ENV, 'raw-signatures'],
    [
      'GitHub attestations in key mode',
      { mode: 'key', key: PEM, 'github-attestations': 'true', 'github-token': 't' },
      {},
      'github-attestations',
    ],
    ['an unknown SBOM attestation mode', { 'sbom-attestations': 'some' }, TOKEN_ENV, 'sbom-attestations'],
    ['an unknown sign kind', { sign: 'checksums, tarballs' }, TOKEN_ENV, 'sign'],
  ];
  for (const [name, inputs, env, input] of bad) {
    it(`rejects ${name} with an InputError on ${input}`, () => {
      expect(inputError(() => cfg(inputs, env)).input).toBe(input);
    });
  }

  it('never echoes a key input, not even as a path', () => {
    const text = 'super-secret-key-material-not-a-path';
    const e = inputError(() => cfg({ mode: 'key', key: text }));
    expect(e.message).toMatch(/got "\(hidden: the input is a secret\)"/);
    expect(e.message).not.toContain(text);
    expect(inputError(() => cfg({ mode: 'key', key: '../outside/cosign.key' })).message).not.toContain('outside');
  });
});
