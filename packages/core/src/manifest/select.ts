/**
 * The manifest's consumer side: artifacts selected by kind or glob (one glob engine), resolved to
 * files inside the workspace, hashed, and checked against the digests the manifest recorded — with
 * one vocabulary of errors. sign-attest and semver-release both go through here.
 */
import { glob, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../digest.js';
import { GoshipError, InputError } from '../errors.js';
import { type PathRoots, describeRoots, pathRoots, resolveConfined } from '../paths.js';
import type { Artifact, ArtifactKind, Manifest } from './index.js';

/**
 * Kinds a signature can cover (images are signed in the registry, not as files); also the file
 * subjects of a provenance. The checksums file lists the release files among them.
 */
export const SIGNABLE_KINDS: readonly ArtifactKind[] = ['binary', 'archive', 'package', 'checksums', 'sbom'];

/**
 * Kinds published as release assets by default. Raw binaries ship inside the archives (and share
 * one name across platforms); `archive-format: binary` records them as archives.
 */
export const RELEASE_ASSET_KINDS: readonly ArtifactKind[] = [
  'archive',
  'package',
  'checksums',
  'sbom',
  'signature',
  'provenance',
  'attestation',
  'public-key',
];

export interface ResolvedFile {
  /** Unique name: the artifact's name, or for binaries the relative path (one name per platform). */
  name: string;
  /** Absolute real path. */
  file: string;
  /** Path relative to the base folder, with forward slashes. */
  relPath: string;
  sha256: string;
  size: number;
  artifact?: Artifact;
}

/** A file the manifest (or a pattern) names cannot be used: missing, changed, or outside the workspace. */
export class ArtifactFileError extends GoshipError {
  override name = 'ArtifactFileError';
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The glob engine of goship: `*`, `**`, `?`, `[…]`, `{a,b}` on forward-slash paths (Node's matchesGlob). */
export function matchGlob(pattern: string, s: string): boolean {
  return path.posix.matchesGlob(toPosix(s), pattern);
}

export function subjectName(a: Artifact): string {
  return a.kind === 'binary' ? toPosix(a.path ?? a.name) : a.name;
}

/** Artifacts of `kinds` (all kinds when empty) whose name or path matches one of `patterns` (all when empty). */
export function selectArtifacts(m: Manifest, sel: { kinds?: readonly ArtifactKind[]; patterns?: readonly string[] } = {}): Artifact[] {
  return m.artifacts.filter(
    (a) =>
      (!sel.kinds?.length || sel.kinds.includes(a.kind)) &&
      (!sel.patterns?.length || sel.patterns.some((p) => matchGlob(p, a.name) || (a.path !== undefined && matchGlob(p, a.path)))),
  );
}

export interface ResolveOptions {
  roots?: PathRoots;
  /** Where the manifest is, for messages. */
  manifestFile?: string;
}

/** Resolves one file artifact (paths relative to `base`), hashes it and checks its recorded digest. */
export async function resolveArtifact(a: Artifact, base: string, opts: ResolveOptions = {}): Promise<ResolvedFile> {
  const rel = a.path;
  const from = opts.manifestFile ? ` in ${opts.manifestFile}` : '';
  if (!rel) throw new ArtifactFileError(`${a.kind} ${a.name}${from} has no file path.`);
  const roots = opts.roots ?? pathRoots();
  const { real, ok } = resolveConfined(rel, { base, roots });
  if (!ok) {
    throw new ArtifactFileError(
      `The manifest${from} lists ${a.kind} ${a.name} at ${rel}, which resolves to ${real}: not ${describeRoots(roots)}.`,
      'Manifest paths are relative to the module folder; a manifest that points elsewhere was not written by this build',
    );
  }
  const st = await stat(real).catch(() => undefined);
  if (!st?.isFile()) {
    throw new ArtifactFileError(
      `The manifest${from} lists ${a.kind} ${a.name} at ${rel}, but there is no such file.`,
      'Run this step in the job (and working directory) where multiarch-build wrote the files, or download them into the same layout first',
    );
  }
  const sha256 = await hashFile(real);
  if (a.sha256 && a.sha256 !== sha256) {
    throw new ArtifactFileError(
      `${rel} has sha256 ${sha256}, but the manifest recorded ${a.sha256}: the file changed after the build.`,
      'Use exactly what was built: re-run the build, or download the artifacts of the same run',
    );
  }
  return { name: subjectName(a), file: real, relPath: toPosix(rel), sha256, size: st.size, artifact: a };
}

export async function resolveArtifacts(arts: readonly Artifact[], base: string, opts: ResolveOptions = {}): Promise<ResolvedFile[]> {
  return Promise.all(arts.map((a) => resolveArtifact(a, base, opts)));
}

export interface GlobOptions {
  roots?: PathRoots;
  /** Files matched but left out (e.g. signatures when selecting what to sign). */
  exclude?: (relPath: string) => boolean;
  /** Told about each file skipped because it is a symlink that leads outside. */
  warn?: (message: string) => void;
  /** A pattern may match nothing (best-effort extras such as `CHANGELOG*`). */
  optional?: boolean;
}

/**
 * Files on disk matched by `patterns` (relative to `base`), hashed. Each pattern must match at
 * least one file (unless `optional`); a symlink that leads outside the workspace is skipped with a warning; a pattern
 * that names a path outside is refused.
 */
export async function globFiles(input: string, patterns: readonly string[], base: string, opts: GlobOptions = {}): Promise<ResolvedFile[]> {
  const roots = opts.roots ?? pathRoots();
  const seen = new Map<string, ResolvedFile>();
  for (const pattern of patterns) {
    const literal = pattern.replace(/[*?[{].*$/, '');
    const target = resolveConfined(literal || '.', { base, roots });
    if (path.isAbsolute(pattern) || !target.ok || toPosix(pattern).split('/').includes('..')) {
      throw new InputError(
        input,
        pattern,
        `a glob relative to ${base} that stays inside it (${describeRoots(roots)})`,
        'Patterns may not be absolute or climb out with `..`',
      );
    }
    let matched = 0;
    for await (const hit of glob(pattern, { cwd: base })) {
      const relPath = toPosix(String(hit));
      if (opts.exclude?.(relPath)) continue;
      const abs = path.resolve(base, relPath);
      const l = await lstat(abs).catch(() => undefined);
      if (!l) continue;
      const { real, ok } = resolveConfined(abs, { roots });
      if (!ok) {
        opts.warn?.(`${relPath} is a symlink to ${real}, outside the workspace: skipped.`);
        continue;
      }
      const st = await stat(real).catch(() => undefined);
      if (!st?.isFile()) continue;
      matched++;
      if (!seen.has(relPath)) {
        seen.set(relPath, { name: path.posix.basename(relPath), file: real, relPath, sha256: await hashFile(real), size: st.size });
      }
    }
    if (matched === 0 && !opts.optional) {
      throw new InputError(
        input,
        pattern,
        'globs that match at least one file',
        `Nothing matches in ${base}; globs are relative to the working directory`,
      );
    }
  }
  const list = [...seen.values()].sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
  // Names must be unique: fall back to the relative path when two files share a base name.
  const counts = new Map<string, number>();
  for (const s of list) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  for (const s of list) if ((counts.get(s.name) ?? 0) > 1) s.name = s.relPath;
  return list;
}
