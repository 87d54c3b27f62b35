/**
 * Every input read and checked before anything happens: a bad value is an InputError naming the
 * input. Secrets (key, password) are masked the moment they are read.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { InputError } from '@goship/core/errors';
import type { Inputs } from '@goship/core/action';

export const SIGN_KINDS = ['checksums', 'archives', 'binaries', 'sboms', 'images', 'all'] as const;
export type SignKind = (typeof SIGN_KINDS)[number];
export type Mode = 'keyless' | 'key' | 'verify';

export const PUBLIC_FULCIO = 'https://fulcio.sigstore.dev';
export const PUBLIC_REKOR = 'https://rekor.sigstore.dev';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface Config {
  mode: Mode;
  manifest: string;
  /** Globs given through `subjects` (then the manifest is not read). */
  subjects: string[];
  /** Key text (private key in key mode, public key in verify mode). */
  key: string;
  keyPassword: string;
  sign: Set<Exclude<SignKind, 'all'>>;
  provenance: boolean;
  sbomAttestations: boolean | undefined;
  githubAttestations: boolean;
  githubToken: string;
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
  trustedRoot: string;
  tlog: boolean;
  verifyAfterSign: boolean;
  identity: string;
  identityRegexp: RegExp | undefined;
  issuer: string;
  retryTimeoutMs: number;
  concurrency: number;
}

function url(inputs: Inputs, name: string, def: string): string {
  const v = inputs.string(name, { default: def });
  if (v === '') return '';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InputError(name, v, 'an http(s) URL', `For example \`${name}: ${def || 'https://timestamp.example.com'}\``);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new InputError(name, v, 'an http(s) URL', 'Use the https base URL of the service');
  return v.replace(/\/+$/, '');
}

/** A key given as PEM text or as a file path. */
function keyText(raw: string, mode: Mode): string {
  if (raw === '') return '';
  if (raw.includes('-----BEGIN')) return raw;
  const file = path.resolve(raw);
  if (!existsSync(file)) {
    throw new InputError(
      'key',
      mode === 'verify' ? raw : '(hidden)',
      'PEM key text or the path of a key file',
      'Pass the key from a secret (`key: ${{ secrets.COSIGN_KEY }}`) or a path that exists',
    );
  }
  return readFileSync(file, 'utf8');
}

export function readConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): Config {
  // Mask secrets first, before any error could echo them.
  const rawKey = inputs.string('key', { raw: true });
  const keyPassword = inputs.string('key-password', { raw: true });
  const mode = inputs.oneOf<Mode>('mode', ['keyless', 'key', 'verify'], 'keyless');
  if (rawKey && mode !== 'verify') {
    core.setSecret(rawKey);
    for (const line of rawKey.split('\n')) if (line.trim().length >= 8) core.setSecret(line.trim());
  }
  if (keyPassword) core.setSecret(keyPassword);

  const key = keyText(rawKey.trim(), mode);
  if (key && mode !== 'verify')
    for (const line of key.split('\n')) if (line.trim().length >= 8 && !line.startsWith('-----')) core.setSecret(line.trim());

  const kinds = inputs.list('sign', { default: ['checksums'] });
  const sign = new Set<Exclude<SignKind, 'all'>>();
  for (const k of kinds) {
    if (!(SIGN_KINDS as readonly string[]).includes(k)) {
      throw new InputError(
        'sign',
        k,
        `kinds from ${SIGN_KINDS.map((s) => `\`${s}\``).join(', ')}`,
        'For example `sign: checksums, archives`',
      );
    }
    if (k === 'all') {
      for (const a of SIGN_KINDS) if (a !== 'all') sign.add(a);
    } else {
      sign.add(k as Exclude<SignKind, 'all'>);
    }
  }
  const sbomRaw = inputs.string('sbom-attestations');
  const ghRaw = inputs.string('github-attestations');
  let githubToken = inputs.string('github-token');
  if (githubToken.includes('${{')) githubToken = '';
  if (githubToken) core.setSecret(githubToken);

  const identityRegexpRaw = inputs.string('certificate-identity-regexp');
  let identityRegexp: RegExp | undefined;
  if (identityRegexpRaw) {
    try {
      identityRegexp = new RegExp(identityRegexpRaw);
    } catch (e) {
      throw new InputError('certificate-identity-regexp', identityRegexpRaw, 'a regular expression', (e as Error).message);
    }
  }
  const trustedRoot = inputs.string('trusted-root');
  const cfg: Config = {
    mode,
    manifest: inputs.string('manifest', { default: 'dist/goship-manifest.json' }),
    subjects: inputs.list('subjects'),
    key,
    keyPassword,
    sign,
    provenance: inputs.bool('provenance', true),
    sbomAttestations: sbomRaw === '' ? undefined : inputs.bool('sbom-attestations', true),
    // GitHub's attestation store takes Sigstore-certified bundles only: on by default for keyless runs in Actions.
    githubAttestations:
      ghRaw === ''
        ? env.GITHUB_ACTIONS === 'true' && !env.GOSHIP_LOCAL && !!githubToken && mode === 'keyless'
        : inputs.bool('github-attestations', false),
    githubToken,
    fulcioURL: url(inputs, 'fulcio-url', PUBLIC_FULCIO),
    rekorURL: url(inputs, 'rekor-url', PUBLIC_REKOR),
    tsaURL: url(inputs, 'tsa-url', ''),
    trustedRoot: trustedRoot ? path.resolve(trustedRoot) : '',
    tlog: inputs.bool('tlog', true),
    verifyAfterSign: inputs.bool('verify-after-sign', true),
    identity: inputs.string('certificate-identity'),
    identityRegexp,
    issuer: inputs.string('certificate-oidc-issuer'),
    retryTimeoutMs: inputs.duration('retry-timeout', '10m'),
    concurrency: inputs.int('concurrency', 8, { min: 1, max: 64 }),
  };

  if (mode === 'key' && !cfg.key) {
    throw new InputError(
      'key',
      '',
      'the signing key in key mode',
      'Pass `key: ${{ secrets.COSIGN_KEY }}` (and `key-password: ${{ secrets.COSIGN_PASSWORD }}`), or use `mode: keyless`',
    );
  }
  if (mode === 'keyless' && !cfg.tlog && !cfg.tsaURL) {
    throw new InputError(
      'tlog',
      'false',
      '`true` in keyless mode unless `tsa-url` is set',
      'A short-lived certificate needs a trusted time: keep the transparency log on or give a timestamp authority',
    );
  }
  if (mode === 'keyless' && (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)) {
    throw new InputError(
      'mode',
      'keyless',
      'an OIDC token from the workflow (`permissions: id-token: write`)',
      'Add `permissions: { id-token: write, contents: read }` to the job (pull requests from forks never get one), or use `mode: key` with a cosign key',
    );
  }
  if (mode === 'verify' && !cfg.key && !cfg.identity && !cfg.identityRegexp) {
    throw new InputError(
      'certificate-identity',
      '',
      'the expected signer in verify mode: `certificate-identity`, `certificate-identity-regexp` or a public `key`',
      'For a release signed by goship in GitHub Actions: `certificate-identity-regexp: ^https://github.com/OWNER/REPO/`',
    );
  }
  return cfg;
}
