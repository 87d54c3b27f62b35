/**
 * The image settings of multiarch-build, read and checked with the other inputs (config.ts)
 * before anything happens: references, tags, labels, user, entrypoint, extra files (their sources
 * through the path policy), builder, credentials, output. Also the one rule for image platforms.
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { type Credentials, type ImageRef, parseRef, repoName } from '@goship/core/oci';
import { confinePath } from '@goship/core/paths';
import { type Platform, formatPlatform } from '@goship/core/platform';
import { statSync } from 'node:fs';
import { imagePath } from './layer.js';
import { checkTagTemplate } from './tags.js';

export type ImageBuilder = 'native' | 'buildx';
export type ImageOutput = 'push' | 'oci-layout';

export interface ImageFile {
  /** Local file: a real path inside the workspace. */
  src: string;
  /** Absolute path inside the image. */
  dest: string;
  mode: number;
}

export interface ImageConfig {
  image: ImageRef;
  /** Undefined: the linux platforms that were built. */
  platforms?: Platform[];
  /** Undefined: scratch. */
  base?: ImageRef;
  /** Tag templates; empty: the defaults (version, MAJOR.MINOR, MAJOR, latest for a stable release). */
  tags: string[];
  labels: Record<string, string>;
  user: string;
  /** A binary name, an absolute path or an argv array; undefined: the binary. */
  entrypoint?: string[];
  files: ImageFile[];
  builder: ImageBuilder;
  dockerfile: string;
  credentials?: Credentials;
  output: ImageOutput;
  /** Registries spoken to over plain http. */
  insecure: string[];
}

const isFile = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The one image-platform rule: every platform asked for is linux and among `available` (what is
 * built, or what the parts built); without a list, the linux ones of `available`. Checked before
 * the build against the platforms to build, and again against the binaries at publish time.
 */
export function imagePlatforms(
  image: Pick<ImageConfig, 'image' | 'platforms'>,
  available: readonly Platform[],
  what = 'platforms that were built',
): Platform[] {
  const have = available.map(formatPlatform);
  for (const p of image.platforms ?? []) {
    if (p.os !== 'linux')
      throw new InputError('image-platforms', formatPlatform(p), 'linux platforms', 'Container images run linux binaries');
    if (!have.includes(formatPlatform(p))) {
      throw new InputError(
        'image-platforms',
        formatPlatform(p),
        `${what}: ${have.join(', ') || 'none'}`,
        'Add it to `platforms`, or leave it out of `image-platforms`',
      );
    }
  }
  if (image.platforms) return image.platforms;
  const linux = [...new Map(available.filter((p) => p.os === 'linux').map((p) => [formatPlatform(p), p])).values()];
  if (linux.length === 0) {
    throw new InputError(
      'image',
      repoName(image.image),
      'linux binaries to put in the image',
      `${what[0]!.toUpperCase()}${what.slice(1)}: ${have.join(', ') || 'nothing'}; add e.g. linux/amd64 to \`platforms\``,
    );
  }
  return linux.sort((a, b) => (formatPlatform(a) < formatPlatform(b) ? -1 : 1));
}

function readLabels(lines: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key)) {
      throw new InputError(
        'image-labels',
        line,
        '`key=value` lines, e.g. `org.opencontainers.image.title=hello`',
        'Put one label on each line',
      );
    }
    labels[key] = line.slice(eq + 1).trim();
  }
  return labels;
}

function readEntrypoint(inputs: Inputs): string[] | undefined {
  const raw = inputs.string('image-entrypoint');
  if (raw === '') return undefined;
  if (raw.startsWith('[')) {
    const ep = inputs.json<unknown>('image-entrypoint', []);
    if (!Array.isArray(ep) || ep.length === 0 || !ep.every((x) => typeof x === 'string' && x !== '' && !CONTROL.test(x))) {
      throw new InputError(
        'image-entrypoint',
        raw,
        'a binary name, an absolute path, or a JSON array of non-empty strings',
        'e.g. `["/usr/local/bin/app", "serve"]`',
      );
    }
    return ep as string[];
  }
  if (/\s/.test(raw) || CONTROL.test(raw)) {
    throw new InputError(
      'image-entrypoint',
      raw,
      'a binary name or path without spaces, or a JSON array',
      `Write \`${JSON.stringify(raw.split(/\s+/))}\``,
    );
  }
  return [raw];
}

/** `SRC:DEST[:MODE]` lines; SRC through the path policy (relative to the module), DEST a file path in the image. */
function readImageFiles(lines: readonly string[], workdir: string): ImageFile[] {
  const files: ImageFile[] = [];
  for (const line of lines) {
    // DEST is absolute; a Windows drive letter in SRC is kept.
    const m = /^(.+?)(?::(\/[^:]*))?(?::([0-7]{3,4}))?$/.exec(line);
    const src = m?.[1] ?? '';
    const dest = m?.[2] ?? (src.startsWith('/') ? src : '');
    if (!m || dest.endsWith('/') || imagePath(dest) === undefined) {
      throw new InputError(
        'image-files',
        line,
        '`SRC:DEST[:MODE]` lines with DEST an absolute file path in the image (no `..`)',
        'e.g. `certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:0644`',
      );
    }
    const real = confinePath('image-files', src, { base: workdir, what: 'a file to put in the image' });
    if (!isFile(real)) {
      throw new InputError('image-files', line, 'a regular file that exists', `${real} is not one`);
    }
    files.push({ src: real, dest, mode: m[3] ? parseInt(m[3], 8) : 0o644 });
  }
  return files;
}

function readCredentials(inputs: Inputs): Credentials | undefined {
  const username = inputs.string('registry-username');
  // a declared secret: masked and checked for line breaks by runAction before any input was read
  const password = inputs.string('registry-password');
  if (CONTROL.test(username)) {
    throw new InputError('registry-username', username.replace(CONTROL, ' '), 'a user name on one line', 'Remove the control characters');
  }
  if ((username === '') !== (password === '')) {
    throw new InputError(
      username ? 'registry-password' : 'registry-username',
      '',
      'both `registry-username` and `registry-password`, or neither',
      'Set the other one too',
    );
  }
  return username ? { username, password } : undefined;
}

function readRefs(inputs: Inputs): Pick<ImageConfig, 'image' | 'base' | 'insecure'> {
  const raw = inputs.string('image');
  const image = parseRef(raw, 'image');
  if (image.digest) throw new InputError('image', raw, 'a repository without a digest', 'The digest is what goship computes; leave it out');
  if (image.tag) throw new InputError('image', raw, 'a repository without a tag, e.g. `ghcr.io/owner/app`', 'Put tags in `image-tags`');
  const baseRaw = inputs.string('image-base', { default: 'scratch' });
  const insecure = inputs.list('insecure-registries');
  for (const h of insecure) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(h)) {
      throw new InputError('insecure-registries', h, 'registry hosts like `localhost:5000` or `127.0.0.1:5000`', 'No scheme, no path');
    }
  }
  return { image, base: baseRaw === 'scratch' ? undefined : parseRef(baseRaw, 'image-base'), insecure };
}

/** Reads the image settings; undefined when `image` is empty (no image). Throws InputError on bad input. */
export function readImageConfig(inputs: Inputs, workdir: string): ImageConfig | undefined {
  if (inputs.string('image') === '') return undefined;
  const refs = readRefs(inputs);
  const platforms = inputs.list('image-platforms').length ? inputs.platforms('image-platforms', []) : undefined;
  const tags = inputs.list('image-tags').map(checkTagTemplate);
  const labels = readLabels(inputs.lines('image-labels'));
  const user = inputs.string('image-user', { default: '65532:65532' });
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(user)) {
    throw new InputError(
      'image-user',
      user,
      '`uid[:gid]` or `name[:group]`, e.g. `65532:65532`',
      'Distroless and scratch images use 65532 (nonroot)',
    );
  }
  const entrypoint = readEntrypoint(inputs);
  const files = readImageFiles(inputs.lines('image-files'), workdir);
  const builder = inputs.oneOf<ImageBuilder>('image-builder', ['native', 'buildx'], 'native');
  const dockerfileGiven = inputs.string('dockerfile', { default: 'Dockerfile' });
  const dockerfile = confinePath('dockerfile', dockerfileGiven, { base: workdir, what: 'the Dockerfile' });
  if (builder === 'buildx' && !isFile(dockerfile)) {
    throw new InputError(
      'dockerfile',
      dockerfileGiven,
      'a Dockerfile that exists (for `image-builder: buildx`)',
      'Add one, or use `image-builder: native`',
    );
  }
  const credentials = readCredentials(inputs);
  const output = inputs.oneOf<ImageOutput>('image-output', ['push', 'oci-layout'], 'push');
  if (output === 'oci-layout' && builder === 'buildx') {
    throw new InputError('image-output', output, '`push` with `image-builder: buildx`', 'Use `image-builder: native` for an OCI layout');
  }
  return { ...refs, platforms, tags, labels, user, entrypoint, files, builder, dockerfile, credentials, output };
}
