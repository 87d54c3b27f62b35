/**
 * The artifact manifest: the contract between the actions (see DESIGN.md). Every action that
 * produces or consumes files reads and writes one JSON document; split builds write parts that
 * `merge` joins. The shape is extended, never broken: unknown extra fields are kept.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GoshipError } from '../errors.js';

export const MANIFEST_SCHEMA_VERSION = 1;
export const DEFAULT_MANIFEST_PATH = 'dist/goship-manifest.json';

export const ARTIFACT_KINDS = [
  'binary',
  'archive',
  'checksums',
  'sbom',
  'image',
  'signature',
  'provenance',
  'attestation',
  'sbom-image',
  /** The public key of a key-mode signing run (`cosign.pub`), so a consumer can verify. */
  'public-key',
  /** A Linux package (deb, rpm, apk) built from the release's binaries: `format`, `os`/`arch`/`variant`, `binaries`. */
  'package',
] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface Artifact {
  kind: ArtifactKind;
  /** Unique within a manifest per kind: a file name, or an image repository. */
  name: string;
  /** File artifacts: path relative to the manifest's working directory. */
  path?: string;
  os?: string;
  arch?: string;
  variant?: string;
  /** For binaries: the main package's import path. */
  main?: string;
  sha256?: string;
  sha512?: string;
  size?: number;
  /** sbom: the artifact it describes. */
  describes?: string;
  /** signature: the artifact it signs. */
  signs?: string;
  /** image: `repo@sha256:…` */
  ref?: string;
  digest?: string;
  platforms?: string[];
  tags?: string[];
  format?: string;
  [extra: string]: unknown;
}

export interface Manifest {
  schemaVersion: number;
  project: string;
  module: string;
  version: string;
  tag: string;
  commit: string;
  commitTime: string;
  traceId: string;
  /** Set on split builds: `i/n`. */
  part?: string;
  artifacts: Artifact[];
  [extra: string]: unknown;
}

/** Fields every artifact of a kind must have. */
const REQUIRED: Record<ArtifactKind, (keyof Artifact)[]> = {
  binary: ['path', 'os', 'arch', 'sha256'],
  archive: ['path', 'sha256'],
  checksums: ['path'],
  sbom: ['path', 'describes'],
  image: ['ref'],
  'sbom-image': ['ref', 'describes'],
  signature: ['path', 'signs'],
  provenance: ['path'],
  attestation: ['path'],
  'public-key': ['path'],
  package: ['path', 'sha256', 'format'],
};

const TOP_LEVEL: (keyof Manifest)[] = ['project', 'module', 'version', 'commit'];

export type ManifestHeader = Pick<Manifest, 'project' | 'module' | 'version' | 'tag' | 'commit' | 'commitTime' | 'traceId'> & {
  part?: string;
};

export function emptyManifest(fields: ManifestHeader): Manifest {
  return { schemaVersion: MANIFEST_SCHEMA_VERSION, ...fields, artifacts: [] };
}

/** Returns every problem found; an empty list means valid. */
export function manifestProblems(m: unknown): string[] {
  const problems: string[] = [];
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return ['the manifest is not a JSON object'];
  const o = m as Record<string, unknown>;
  if (o.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    problems.push(`schemaVersion is ${JSON.stringify(o.schemaVersion)}; this goship reads ${MANIFEST_SCHEMA_VERSION}`);
  }
  for (const f of TOP_LEVEL) {
    if (typeof o[f] !== 'string' || o[f] === '') problems.push(`"${f}" is missing or not a string`);
  }
  if (!Array.isArray(o.artifacts)) {
    problems.push('"artifacts" is missing or not a list');
    return problems;
  }
  const seen = new Map<string, number>();
  (o.artifacts as unknown[]).forEach((a, i) => {
    const where = `artifacts[${i}]`;
    if (typeof a !== 'object' || a === null) {
      problems.push(`${where} is not an object`);
      return;
    }
    const art = a as Record<string, unknown>;
    const kind = art.kind as ArtifactKind;
    if (!ARTIFACT_KINDS.includes(kind)) {
      problems.push(`${where} has unknown kind ${JSON.stringify(art.kind)} (known: ${ARTIFACT_KINDS.join(', ')})`);
      return;
    }
    if (typeof art.name !== 'string' || art.name === '') problems.push(`${where} (${kind}) has no name`);
    for (const f of REQUIRED[kind]) {
      if (art[f] === undefined || art[f] === '') problems.push(`${where} (${kind} ${String(art.name)}) is missing "${f}"`);
    }
    if (art.sha256 !== undefined && (typeof art.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(art.sha256))) {
      problems.push(`${where} (${kind} ${String(art.name)}) has a sha256 that is not 64 hex digits`);
    }
    const key = artifactKey(art as Artifact);
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${where} duplicates artifacts[${first}] (${kind} ${String(art.name)})`);
    else seen.set(key, i);
  });
  return problems;
}

/** Identity of an artifact within a manifest. Binaries are per platform, the rest by name. */
export function artifactKey(a: Artifact): string {
  if (a.kind === 'binary') return `binary:${a.name}:${a.os}/${a.arch}/${a.variant ?? ''}`;
  return `${a.kind}:${a.name}`;
}

export function validateManifest(m: unknown, source = 'manifest'): Manifest {
  const problems = manifestProblems(m);
  if (problems.length) {
    throw new GoshipError(
      `${source} is not a valid goship manifest:\n  - ${problems.join('\n  - ')}`,
      'It is written by multiarch-build; pass the file that action wrote (its `manifest` output)',
    );
  }
  return m as Manifest;
}

export async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GoshipError(
      `No manifest at ${file}${code === 'ENOENT' ? '' : ` (${code})`}.`,
      'Run multiarch-build first in this job (or download its artifact), or set `manifest:` to the file it wrote',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message quotes the text; a refused file's content is never shown.
    throw new GoshipError(
      `${file} is not a JSON document, so it is not a goship manifest.`,
      'Pass the file multiarch-build wrote (its `manifest` output)',
    );
  }
  return validateManifest(data, file);
}

/** Writes atomically (temp file + rename) with stable key order and a trailing newline. */
export async function writeManifest(file: string, m: Manifest): Promise<void> {
  validateManifest(m, file);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sortManifest(m), null, 2)}\n`);
  await rename(tmp, file);
}

const KIND_ORDER = new Map(ARTIFACT_KINDS.map((k, i) => [k, i]));

/** Artifacts ordered by kind, then name, then platform: equal content gives equal bytes. */
export function sortManifest(m: Manifest): Manifest {
  const artifacts = [...m.artifacts].sort((a, b) => {
    const k = KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)!;
    if (k !== 0) return k;
    const ka = artifactKey(a);
    const kb = artifactKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return { ...m, artifacts };
}

/** Adds artifacts, replacing ones with the same identity (a re-run converges). */
export function upsertArtifacts(m: Manifest, add: readonly Artifact[]): Manifest {
  const keys = new Set(add.map(artifactKey));
  return { ...m, artifacts: [...m.artifacts.filter((a) => !keys.has(artifactKey(a))), ...add] };
}

/**
 * Joins part manifests of one split build. The parts must agree on project, module, version,
 * commit and trace id; the same artifact in two parts is refused (a target was built twice);
 * with `expectedParts`, every part `i/n` must be present exactly once.
 */
export function mergeManifests(parts: readonly Manifest[], opts: { expectedParts?: number } = {}): Manifest {
  if (parts.length === 0)
    throw new GoshipError(
      'There are no part manifests to merge.',
      "Download the build jobs' artifacts (actions/download-artifact with `merge-multiple: true`) into the folder given to `merge`",
    );
  const first = parts[0]!;
  for (const p of parts.slice(1)) {
    for (const f of ['project', 'module', 'version', 'commit'] as const) {
      if (p[f] !== first[f]) {
        throw new GoshipError(
          `Part manifests disagree on ${f}: ${JSON.stringify(first[f])} (part ${first.part ?? '?'}) vs ${JSON.stringify(p[f])} (part ${p.part ?? '?'}).`,
          'All parts must come from the same commit and version of one run',
        );
      }
    }
  }
  if (opts.expectedParts !== undefined) {
    const got = parts.map((p) => p.part ?? '').sort();
    const want = Array.from({ length: opts.expectedParts }, (_, i) => `${i + 1}/${opts.expectedParts}`);
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g, i) => !want.includes(g) || got.indexOf(g) !== i);
    if (missing.length || extra.length) {
      throw new GoshipError(
        `Part manifests do not make a whole: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected or repeated ${extra.join(', ')}` : ''}.`,
        'Check that every split build job finished and uploaded its part',
      );
    }
  }
  const seen = new Map<string, string>();
  const artifacts: Artifact[] = [];
  for (const p of parts) {
    for (const a of p.artifacts) {
      const key = artifactKey(a);
      const prev = seen.get(key);
      if (prev !== undefined) {
        throw new GoshipError(
          `${a.kind} ${a.name}${a.os ? ` (${a.os}/${a.arch}${a.variant ? `/${a.variant}` : ''})` : ''} appears in part ${prev} and part ${p.part ?? '?'}.`,
          'Each target must be built by exactly one part; use the same `split: i/n` total in every job',
        );
      }
      seen.set(key, p.part ?? '?');
      artifacts.push(a);
    }
  }
  const { part: _part, ...rest } = first;
  return sortManifest({ ...rest, artifacts });
}

export {
  type ResolvedFile,
  ArtifactFileError,
  RELEASE_ASSET_KINDS,
  SIGNABLE_KINDS,
  globFiles,
  matchGlob,
  resolveArtifact,
  resolveArtifacts,
  selectArtifacts,
  subjectName,
} from './select.js';

export function artifactsOf(m: Manifest, ...kinds: ArtifactKind[]): Artifact[] {
  return m.artifacts.filter((a) => kinds.includes(a.kind));
}
