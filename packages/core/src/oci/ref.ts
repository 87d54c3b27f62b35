/**
 * Image references: `[registry/]repository[:tag][@digest]`, with Docker's defaults (`docker.io`,
 * `library/` for one-component names on Docker Hub).
 */
import { InputError } from '../errors.js';

export interface ImageRef {
  /** As written, or `docker.io`. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export function isValidTag(t: string): boolean {
  return TAG.test(t);
}

/** Parses an image reference; throws an InputError naming `input` when it is malformed. */
export function parseRef(s: string, input = 'image'): ImageRef {
  const bad = (why: string, hint?: string): InputError =>
    new InputError(input, s, `an image reference like \`ghcr.io/owner/app\`, \`registry:5000/app:tag\` or \`app@sha256:…\` (${why})`, hint);
  let rest = s.trim();
  if (rest === '') throw bad('it is empty');
  if (/\s/.test(rest)) throw bad('it contains whitespace');
  if (/^[a-z]+:\/\//i.test(rest)) throw bad('no URL scheme', `Write \`${rest.replace(/^[a-z]+:\/\//i, '')}\``);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`the digest "${digest}" is not sha256:<64 hex digits>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag "${tag}" is not valid: letters, digits, _ . - (at most 128, not starting with . or -)`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]!))) {
    registry = parts.shift()!;
    if (!HOST.test(registry)) throw bad(`the registry host "${registry}" is not a host name`);
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const c of parts) {
    if (!COMPONENT.test(c)) {
      throw bad(
        `the path component "${c}" must be lower-case letters and digits, separated by . _ __ or -`,
        /[A-Z]/.test(c) ? `Write \`${c.toLowerCase()}\`` : undefined,
      );
    }
  }
  const repository = parts.join('/');
  if (repository.length > 255) throw bad('the repository name is longer than 255 characters');
  return { registry, repository, tag, digest };
}

/** The host the API lives on (Docker Hub's API is not at docker.io). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** `registry/repository` — the name the image is known by. */
export function repoName(r: Pick<ImageRef, 'registry' | 'repository'>): string {
  return `${r.registry}/${r.repository}`;
}

export function formatRef(r: ImageRef): string {
  return `${repoName(r)}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** A registry on this machine (`localhost`, `127.0.0.1`, `[::1]`, any port): plain http is safe there. */
export function isLoopback(registry: string): boolean {
  return /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/.test(registry);
}
