import { InputError } from '@goship/core/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inputs } from '@goship/core/action';
import { readConfig as readConfigFrom } from '../src/config.js';

const readConfig = () => readConfigFrom(Inputs.fromEnv());

const saved = { ...process.env };

function withInputs(inputs: Record<string, string>, env: Record<string, string> = {}): void {
  for (const k of Object.keys(process.env)) if (/^(INPUT_|GITHUB_ACTIONS|ACTIONS_ID_TOKEN)/.test(k)) delete process.env[k];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
  Object.assign(process.env, env);
}

const TOKEN_ENV = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?x=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };

describe('readConfig', () => {
  beforeEach(() => withInputs({}));
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('defaults: keyless, checksums, provenance, tlog, verify-after-sign, public-good URLs, 10m retry budget', () => {
    withInputs({}, TOKEN_ENV);
    const c = readConfig();
    expect(c.mode).toBe('keyless');
    expect([...c.sign]).toEqual(['checksums']);
    expect(c.provenance && c.tlog && c.verifyAfterSign).toBe(true);
    expect(c.fulcioURL).toBe('https://fulcio.sigstore.dev');
    expect(c.rekorURL).toBe('https://rekor.sigstore.dev');
    expect(c.tsaURL).toBe('');
    expect(c.retryTimeoutMs).toBe(600_000);
    expect(c.githubAttestations).toBe(false);
  });

  it('`all` expands to every kind; trailing slashes leave the URLs', () => {
    withInputs({ sign: 'all', 'rekor-url': 'https://rekor.example.com/', 'retry-timeout': '90s' }, TOKEN_ENV);
    const c = readConfig();
    expect([...c.sign].sort()).toEqual(['archives', 'binaries', 'checksums', 'images', 'sboms']);
    expect(c.rekorURL).toBe('https://rekor.example.com');
    expect(c.retryTimeoutMs).toBe(90_000);
  });

  it('GitHub attestations default on only for keyless runs inside GitHub Actions with a token', () => {
    withInputs({ 'github-token': 'ghs_x' }, { ...TOKEN_ENV, GITHUB_ACTIONS: 'true' });
    expect(readConfig().githubAttestations).toBe(true);
    withInputs(
      { 'github-token': 'ghs_x', mode: 'key', key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' },
      { GITHUB_ACTIONS: 'true' },
    );
    expect(readConfig().githubAttestations).toBe(false);
    withInputs({ 'github-token': '${{ github.token }}' }, { ...TOKEN_ENV, GITHUB_ACTIONS: 'true' });
    expect(readConfig().githubAttestations).toBe(false);
  });

  const bad: [string, Record<string, string>, Record<string, string>, string][] = [
    ['keyless without the token variables', {}, {}, 'mode'],
    ['keyless without tlog and TSA', { tlog: 'false' }, TOKEN_ENV, 'tlog'],
    ['an unknown mode', { mode: 'sigstore' }, TOKEN_ENV, 'mode'],
    ['a bad URL', { 'fulcio-url': 'fulcio.example.com' }, TOKEN_ENV, 'fulcio-url'],
    ['a bad regexp', { mode: 'verify', 'certificate-identity-regexp': '(' }, {}, 'certificate-identity-regexp'],
    ['a missing key file', { mode: 'key', key: '/nonexistent/cosign.key' }, {}, 'key'],
    ['a bad duration', { 'retry-timeout': 'soon' }, TOKEN_ENV, 'retry-timeout'],
  ];
  for (const [name, inputs, env, input] of bad) {
    it(`rejects ${name} with an InputError on ${input}`, () => {
      withInputs(inputs, env);
      let err: unknown;
      try {
        readConfig();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).input).toBe(input);
    });
  }

  it('never echoes a key given as text in an error', () => {
    withInputs({ mode: 'key', key: 'super-secret-key-material-not-a-path' });
    expect(() => readConfig()).toThrow(/got "\(hidden\)"/);
  });
});
