/**
 * What gets signed: artifacts of the chosen kinds from the manifest, or files matched by globs.
 * Every file is hashed before anything is signed; a file whose digest differs from the one the
 * manifest recorded is refused (it changed after the build).
 */
import { glob, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { SIGNABLE_KINDS, artifactsOf, type Artifact, type ArtifactKind, type Manifest } from '@goship/core/manifest';
import type { SignKind } from './config.js';

export interface FileSubject {
  /** Unique name: the artifact name, or the relative path for binaries (one name per platform). */
  name: string;
  /** Absolute path. */
  file: string;
  /** Path as given (relative to the working directory). */
  relPath: string;
  sha256: string;
  size: number;
  artifact?: Artifact;
}

const KIND_OF: Record<Exclude<SignKind, 'all' | 'images'>, ArtifactKind> = {
  checksums: 'checksums',
  archives: 'archive',
  binaries: 'binary',
  sboms: 'sbom',
};

export function subjectName(a: Artifact): string {
  return a.kind === 'binary' ? toPosix(a.path ?? a.name) : a.name;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

async function fileSubject(cwd: string, rel: string, name: string, artifact?: Artifact): Promise<FileSubject> {
  const file = path.resolve(cwd, rel);
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw new GoshipError(
      `${artifact ? `The manifest lists ${artifact.kind} ${artifact.name} at ${rel}, but` : `${rel}:`} there is no such file.`,
      artifact
        ? 'Run sign-attest in the job (and working directory) where multiarch-build wrote the files, or download them first'
        : undefined,
    );
  }
  const sha256 = await hashFile(file);
  if (artifact?.sha256 && artifact.sha256 !== sha256) {
    throw new GoshipError(
      `${rel} has sha256 ${sha256}, but the manifest recorded ${artifact.sha256}: the file changed after the build.`,
      'Sign exactly what was built: re-run multiarch-build, or find what modified the file',
    );
  }
  return { name, file, relPath: toPosix(rel), sha256, size, artifact };
}

/** Manifest artifacts of the selected kinds (images excluded), hashed and checked. */
export async function manifestSubjects(m: Manifest, kinds: Set<string>, cwd: string): Promise<FileSubject[]> {
  const wanted = [...kinds].filter((k): k is keyof typeof KIND_OF => k in KIND_OF).map((k) => KIND_OF[k]);
  const arts = artifactsOf(m, ...wanted).filter((a) => a.path);
  return Promise.all(arts.map((a) => fileSubject(cwd, a.path!, subjectName(a), a)));
}

/** Every file artifact of the manifest that a provenance should cover (core's SIGNABLE_KINDS: binaries, archives, packages, checksums, SBOMs). */
export async function provenanceSubjects(m: Manifest, cwd: string, already: FileSubject[]): Promise<FileSubject[]> {
  const known = new Map(already.map((s) => [s.name, s]));
  const arts = artifactsOf(m, ...SIGNABLE_KINDS).filter((a) => a.path);
  return Promise.all(arts.map(async (a) => known.get(subjectName(a)) ?? (await fileSubject(cwd, a.path!, subjectName(a), a))));
}

/** Files matched by the `subjects` globs; each glob must match at least one file. */
export async function globSubjects(patterns: string[], cwd: string): Promise<FileSubject[]> {
  const seen = new Map<string, FileSubject>();
  for (const pattern of patterns) {
    let matched = 0;
    for await (const rel of glob(pattern, { cwd })) {
      const relPath = toPosix(String(rel));
      const s = await stat(path.resolve(cwd, relPath)).catch(() => undefined);
      if (!s?.isFile() || /\.(sigstore\.json|sig|intoto\.jsonl)$/.test(relPath)) continue;
      matched++;
      if (!seen.has(relPath)) seen.set(relPath, await fileSubject(cwd, relPath, path.posix.basename(relPath)));
    }
    if (matched === 0) {
      throw new InputError(
        'subjects',
        pattern,
        'globs that match at least one file',
        `Nothing matches in ${cwd}; check the path (globs are relative to the working directory)`,
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
