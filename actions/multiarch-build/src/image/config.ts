/**
 * The image inputs of multiarch-build, read and validated before anything happens.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import type { Platform } from '@goship/core/platform';
import { parseSemVer } from '@goship/core/semver';
import { type Credentials, type ImageRef, isValidTag, parseRef } from '@goship/core/oci';

export type ImageBuilder = 'native' | 'buildx';
export type ImageOutput = 'push' | 'oci-layout';

export interface ImageFile {
  /** Local file. */
  src: string;
  /** Absolute path inside the image. */
  dest: string;
  mode: number;
}

export interface ImageInputs {
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

export const TAG_PLACEHOLDERS = ['version', 'major', 'minor', 'patch', 'commit', 'short-commit'] as const;

/** Reads the image inputs; undefined when `image` is empty (no image). Throws InputError on bad input. */
export function readImageInputs(inputs: Inputs, cwd = process.cwd()): ImageInputs | undefined {
  const imageRaw = inputs.string('image');
  if (imageRaw === '') return undefined;
  const image = parseRef(imageRaw, 'image');
  if (image.digest)
    throw new InputError('image', imageRaw, 'a repository without a digest', 'The digest is what goship computes; leave it out');
  if (image.tag) {
    throw new InputError('image', imageRaw, 'a repository without a tag, e.g. `ghcr.io/owner/app`', 'Put tags in `image-tags`');
  }
  const platformsRaw = inputs.list('image-platforms');
  const platforms = platformsRaw.length ? inputs.platforms('image-platforms', []) : undefined;
  const baseRaw = inputs.string('image-base', { default: 'scratch' });
  const base = baseRaw === 'scratch' ? undefined : parseRef(baseRaw, 'image-base');

  const tags = inputs.list('image-tags');
  for (const t of tags) {
    const unknown = [...t.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)]
      .map((m) => m[1]!)
      .filter((n) => !(TAG_PLACEHOLDERS as readonly string[]).includes(n));
    if (unknown.length) {
      throw new InputError(
        'image-tags',
        t,
        `tags or templates using ${TAG_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
        `Unknown: ${unknown.join(', ')}`,
      );
    }
    const probe = t.replace(/\{\{[^}]*\}\}/g, 'x');
    if (!isValidTag(probe)) {
      throw new InputError(
        'image-tags',
        t,
        'tags of letters, digits, _ . - (at most 128, not starting with . or -)',
        'One tag per item, comma- or newline-separated',
      );
    }
  }

  const labels: Record<string, string> = {};
  for (const line of inputs.lines('image-labels')) {
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

  const user = inputs.string('image-user', { default: '65532:65532' });
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(user)) {
    throw new InputError(
      'image-user',
      user,
      '`uid[:gid]` or `name[:group]`, e.g. `65532:65532`',
      'Distroless and scratch images use 65532 (nonroot)',
    );
  }

  const epRaw = inputs.string('image-entrypoint');
  let entrypoint: string[] | undefined;
  if (epRaw.startsWith('[')) {
    const ep = inputs.json<unknown>('image-entrypoint', []);
    if (!Array.isArray(ep) || ep.length === 0 || !ep.every((x) => typeof x === 'string')) {
      throw new InputError(
        'image-entrypoint',
        epRaw,
        'a binary name, an absolute path, or a JSON array of strings',
        'e.g. `["/usr/local/bin/app", "serve"]`',
      );
    }
    entrypoint = ep;
  } else if (epRaw !== '') {
    if (/\s/.test(epRaw)) {
      throw new InputError(
        'image-entrypoint',
        epRaw,
        'a binary name or path without spaces, or a JSON array',
        `Write \`${JSON.stringify(epRaw.split(/\s+/))}\``,
      );
    }
    entrypoint = [epRaw];
  }

  const files: ImageFile[] = [];
  for (const line of inputs.lines('image-files')) {
    // SRC[:DEST[:MODE]] — DEST is absolute; a Windows drive letter in SRC is kept.
    const m = /^(.+?)(?::(\/[^:]*))?(?::([0-7]{3,4}))?$/.exec(line);
    const src = m?.[1] ?? '';
    const dest = m?.[2] ?? (src.startsWith('/') ? src : '');
    if (!m || dest === '' || dest.endsWith('/')) {
      throw new InputError(
        'image-files',
        line,
        '`SRC:DEST[:MODE]` lines with DEST an absolute file path in the image',
        'e.g. `/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:0644`',
      );
    }
    const abs = path.resolve(cwd, src);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError('image-files', line, 'a file that exists', `${abs} was not found`);
    }
    if (!st.isFile()) throw new InputError('image-files', line, 'a regular file', `${abs} is not a file`);
    files.push({ src: abs, dest, mode: m[3] ? parseInt(m[3], 8) : 0o644 });
  }

  const builder = inputs.oneOf<ImageBuilder>('image-builder', ['native', 'buildx'], 'native');
  const dockerfile = path.resolve(cwd, inputs.string('dockerfile', { default: 'Dockerfile' }));
  if (builder === 'buildx') {
    try {
      statSync(dockerfile);
    } catch {
      throw new InputError(
        'dockerfile',
        inputs.string('dockerfile', { default: 'Dockerfile' }),
        'a Dockerfile that exists (for `image-builder: buildx`)',
        'Add one, or use `image-builder: native`',
      );
    }
  }
  const username = inputs.string('registry-username');
  const password = inputs.string('registry-password');
  if (password) core.setSecret(password);
  if ((username === '') !== (password === '')) {
    throw new InputError(
      username ? 'registry-password' : 'registry-username',
      '',
      'both `registry-username` and `registry-password`, or neither',
      'Set the other one too',
    );
  }
  const output = inputs.oneOf<ImageOutput>('image-output', ['push', 'oci-layout'], 'push');
  if (output === 'oci-layout' && builder === 'buildx') {
    throw new InputError('image-output', output, '`push` with `image-builder: buildx`', 'Use `image-builder: native` for an OCI layout');
  }
  const insecure = inputs.list('insecure-registries');
  for (const h of insecure) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(h)) {
      throw new InputError('insecure-registries', h, 'registry hosts like `localhost:5000` or `127.0.0.1:5000`', 'No scheme, no path');
    }
  }
  return {
    image,
    platforms,
    base,
    tags,
    labels,
    user,
    entrypoint,
    files,
    builder,
    dockerfile,
    credentials: username ? { username, password } : undefined,
    output,
    insecure,
  };
}

/** Before any build: every image platform must be among the platforms to build, and linux. */
export function checkImagePlatforms(inp: ImageInputs, building: readonly Platform[]): void {
  const key = (p: Platform): string => [p.os, p.arch, p.variant].filter(Boolean).join('/');
  for (const p of inp.platforms ?? []) {
    if (p.os !== 'linux') throw new InputError('image-platforms', key(p), 'linux platforms', 'Container images run linux binaries');
    if (!building.some((b) => key(b) === key(p))) {
      throw new InputError(
        'image-platforms',
        key(p),
        `platforms that are built: ${building.map(key).join(', ')}`,
        'Add it to `platforms`, or leave it out of `image-platforms`',
      );
    }
  }
  if (!inp.platforms && !building.some((b) => b.os === 'linux')) {
    throw new InputError(
      'image',
      `${inp.image.registry}/${inp.image.repository}`,
      'linux binaries to put in the image',
      'Add e.g. linux/amd64 to `platforms`',
    );
  }
}

/** Expands the tag templates (or the defaults) for a version and commit. */
export function expandTags(templates: readonly string[], version: string, commit: string): string[] {
  const v = parseSemVer(version);
  const safeVersion = version.replace(/\+/g, '_');
  const values: Record<string, string> = {
    version: safeVersion,
    major: v ? String(v.major) : '',
    minor: v ? String(v.minor) : '',
    patch: v ? String(v.patch) : '',
    commit,
    'short-commit': commit.slice(0, 7),
  };
  let tags: string[];
  if (templates.length === 0) {
    tags = [safeVersion];
    if (v && v.prerelease.length === 0) tags.push(`${v.major}.${v.minor}`, `${v.major}`, 'latest');
  } else {
    tags = templates.map((t) =>
      t.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
        const val = values[name];
        if (!val)
          throw new InputError(
            'image-tags',
            t,
            'templates whose values exist for this version',
            `{{${name}}} is empty for version ${version}`,
          );
        return val;
      }),
    );
  }
  for (const t of tags) {
    if (!isValidTag(t))
      throw new InputError(
        'image-tags',
        t,
        'a valid tag: letters, digits, _ . - (at most 128, not starting with . or -)',
        `From version ${version}`,
      );
  }
  return [...new Set(tags)];
}
