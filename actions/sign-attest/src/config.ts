/**
 * Every input read and checked before anything happens: a bad value is an InputError naming the
 * input, and every path goes through core's path policy (the workspace or RUNNER_TEMP after
 * symlinks). Secret inputs (key, key-password, github-token) were read and masked by runAction
 * before this runs; nothing here echoes them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { DEFAULT_MANIFEST_PATH } from '@goship/core/manifest';
import { confinePath, describeRoots, pathRoots, resolveConfined, type PathRoots } from '@goship/core/paths';

export const SIGN_KINDS = ['checksums', 'archives', 'binaries', 'sboms', 'images', 'all'] as const;
export type SignKind = Exclude<(typeof SIGN_KINDS)[number], 'all'>;
export type Mode = 'keyless' | 'key' | 'verify';
/** Where SBOM attestations go: the registry for image SBOMs, also `.intoto.jsonl` files for file SBOMs, or nowhere. */
export type SbomAttestations = 'images' | 'all' | 'none';

export const PUBLIC_FULCIO = 'https://fulcio.sigstore.dev';
export const PUBLIC_REKOR = 'https://rekor.sigstore.dev';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_SIGN: readonly SignKind[] = ['checksums', 'images'];

export interface Config {
  mode: Mode;
  /** The module folder (real path): the manifest and the paths it lists are relative to it. */
  workdir: string;
  /** The manifest (real path); undefined when `subjects` are given instead. */
  manifest?: string;
  /** The manifest as given, for outputs. */
  manifestInput: string;
  /** Globs given through `subjects` (then the manifest is not read). */
  subjects: string[];
  /** Key text (private key in key mode, public key in verify mode); '' when none. */
  key: string;
  keyPassword: string;
  sign: Set<SignKind>;
  rawSignatures: boolean;
  provenance: boolean;
  sbomAttestations: SbomAttestations;
  githubAttestations: boolean;
  githubToken: string;
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
  /** Real path of the trusted root file, '' when none. */
  trustedRoot: string;
  tlog: boolean;
  verifyAfterSign: boolean;
  identity: string;
  identityRegexp: RegExp | undefined;
  issuer: string;
  retryTimeoutMs: number;
  concurrency: number;
  roots: PathRoots;
}

/** True when the run uses Sigstore's public-good instance (whose trust root comes through TUF). */
export function isPublicGood(cfg: Pick<Config, 'fulcioURL' | 'rekorURL' | 'trustedRoot'>): boolean {
  return !cfg.trustedRoot && cfg.fulcioURL === PUBLIC_FULCIO && cfg.rekorURL === PUBLIC_REKOR;
}

function url(inputs: Inputs, name: string, def: string): string {
  const v = inputs.string(name, { default: def });
  if (v === '') return '';
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || /\s/.test(v)) {
    throw new InputError(
      name,
      // Credentials in a URL are someone's secret: not repeated.
      v.replace(/\/\/[^/@]*@/, '//***@'),
      'an http(s) base URL without credentials',
      `For example \`${name}: ${def || 'https://timestamp.example.com'}\``,
    );
  }
  return v.replace(/\/+$/, '');
}

/**
 * A key given as PEM text or as the path of a file inside the workspace or RUNNER_TEMP. The input
 * is a secret, so a refused value is never shown — not even as a path (a pasted key without its
 * PEM header would otherwise be echoed).
 */
function keyText(raw: string, mode: Mode, workdir: string, roots: PathRoots): string {
  if (raw === '') return '';
  if (raw.includes('-----BEGIN')) return raw;
  const hidden = '(hidden: the input is a secret)';
  if (/[\r\n\0]/.test(raw) || raw.length > 4096) {
    throw new InputError(
      'key',
      hidden,
      'PEM key text or the path of a key file',
      'Pass the whole key file (with its -----BEGIN line) from a secret, or a path',
    );
  }
  const { real, ok } = resolveConfined(raw, { base: workdir, roots });
  if (!ok) {
    throw new InputError(
      'key',
      hidden,
      `PEM key text, or the path of a key file: ${describeRoots(roots)}`,
      'The path leaves the workspace; pass the key from a secret (`key: ${{ secrets.COSIGN_KEY }}`) or copy the file into RUNNER_TEMP first',
    );
  }
  const st = existsSync(real) ? statSync(real) : undefined;
  if (!st?.isFile() || st.size > 64 * 1024) {
    throw new InputError(
      'key',
      hidden,
      'PEM key text or the path of an existing key file',
      `No key file there; pass the key from a secret (\`key: \${{ secrets.COSIGN_KEY }}\`)${mode === 'verify' ? ' or the path of cosign.pub' : ''}`,
    );
  }
  return readFileSync(real, 'utf8');
}

function signKinds(inputs: Inputs): Set<SignKind> {
  const sign = new Set<SignKind>();
  for (const k of inputs.list('sign', { default: [...DEFAULT_SIGN] })) {
    if (!(SIGN_KINDS as readonly string[]).includes(k)) {
      throw new InputError(
        'sign',
        k,
        `kinds from ${SIGN_KINDS.map((s) => `\`${s}\``).join(', ')}`,
        'For example `sign: checksums, images`',
      );
    }
    for (const a of k === 'all' ? SIGN_KINDS : [k]) if (a !== 'all') sign.add(a as SignKind);
  }
  return sign;
}

function sbomMode(inputs: Inputs): SbomAttestations {
  const v = inputs.string('sbom-attestations');
  if (v === '' || v === 'images') return 'images';
  if (v === 'all' || v === 'true') return 'all';
  if (v === 'none' || v === 'false') return 'none';
  throw new InputError(
    'sbom-attestations',
    v,
    '`images` (image SBOMs, attested in the registry), `all` (also an `.intoto.jsonl` beside each file SBOM) or `none`',
    'Leave it out for `images`',
  );
}

function workingDirectory(inputs: Inputs, roots: PathRoots, cwd: string): string {
  const given = inputs.string('working-directory', { default: '.' });
  const dir = confinePath('working-directory', given, { base: cwd, roots, what: 'the module folder' });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('working-directory', given, 'an existing folder', 'Use the same working-directory as multiarch-build');
  }
  return dir;
}

export function readConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const roots = pathRoots(env, cwd);
  const mode = inputs.oneOf<Mode>('mode', ['keyless', 'key', 'verify'], 'keyless');
  const workdir = workingDirectory(inputs, roots, cwd);
  const subjects = inputs.list('subjects');
  const manifestInput = inputs.string('manifest', { default: DEFAULT_MANIFEST_PATH });
  const manifest = subjects.length
    ? undefined
    : confinePath('manifest', manifestInput, { base: workdir, roots, what: 'the manifest, read and rewritten' });
  const key = keyText(inputs.string('key', { raw: true }).trim(), mode, workdir, roots);
  let githubToken = inputs.string('github-token');
  // An unexpanded expression (a local run of the action.yml default) is no token.
  if (githubToken.includes('${{')) githubToken = '';
  const identityRegexpRaw = inputs.string('certificate-identity-regexp');
  let identityRegexp: RegExp | undefined;
  if (identityRegexpRaw) {
    try {
      identityRegexp = new RegExp(identityRegexpRaw);
    } catch (e) {
      throw new InputError('certificate-identity-regexp', identityRegexpRaw, 'a regular expression', (e as Error).message);
    }
  }
  const trustedRootRaw = inputs.string('trusted-root');
  const ghRaw = inputs.string('github-attestations');
  const cfg: Config = {
    mode,
    workdir,
    manifest,
    manifestInput,
    subjects,
    key,
    keyPassword: inputs.string('key-password'),
    sign: signKinds(inputs),
    rawSignatures: inputs.bool('raw-signatures', false),
    provenance: inputs.bool('provenance', true),
    sbomAttestations: sbomMode(inputs),
    // GitHub's attestation store takes Sigstore-certified bundles only: on by default for keyless runs in Actions.
    githubAttestations:
      ghRaw === ''
        ? env.GITHUB_ACTIONS === 'true' && !env.GOSHIP_LOCAL && !!githubToken && mode === 'keyless'
        : inputs.bool('github-attestations', false),
    githubToken,
    fulcioURL: url(inputs, 'fulcio-url', PUBLIC_FULCIO),
    rekorURL: url(inputs, 'rekor-url', PUBLIC_REKOR),
    tsaURL: url(inputs, 'tsa-url', ''),
    trustedRoot: trustedRootRaw ? confinePath('trusted-root', trustedRootRaw, { base: workdir, roots, what: 'the trusted root' }) : '',
    tlog: inputs.bool('tlog', true),
    verifyAfterSign: inputs.bool('verify-after-sign', true),
    identity: inputs.string('certificate-identity'),
    identityRegexp,
    issuer: inputs.string('certificate-oidc-issuer'),
    retryTimeoutMs: inputs.duration('retry-timeout', '10m'),
    concurrency: inputs.int('concurrency', 8, { min: 1, max: 64 }),
    roots,
  };
  checkCombinations(cfg, env);
  return cfg;
}

function checkCombinations(cfg: Config, env: NodeJS.ProcessEnv): void {
  const { mode } = cfg;
  if (mode === 'key' && !cfg.key) {
    throw new InputError(
      'key',
      '',
      'the signing key in key mode',
      'Pass `key: ${{ secrets.COSIGN_KEY }}` (and `key-password: ${{ secrets.COSIGN_PASSWORD }}`), or use `mode: keyless`',
    );
  }
  if (cfg.rawSignatures && mode !== 'key') {
    throw new InputError(
      'raw-signatures',
      'true',
      '`false` unless `mode: key`',
      'Raw `.sig` copies are checked with the public key; keyless signatures need their bundle',
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
  if (cfg.githubAttestations && mode === 'key') {
    throw new InputError(
      'github-attestations',
      'true',
      '`false` in key mode',
      "GitHub's attestation store takes keyless (Fulcio-certified) bundles only; use `mode: keyless` or leave the input out",
    );
  }
  if (cfg.githubAttestations && !cfg.githubToken) {
    throw new InputError(
      'github-token',
      '',
      'a token with `attestations: write` when `github-attestations: true`',
      'Pass `github-token: ${{ github.token }}`',
    );
  }
}
