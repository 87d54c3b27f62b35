/**
 * Split and merge. A part builds whole platforms — `partition` of the platform list, the split rule
 * setup-go-matrix's build groups use — packages them, and writes a part manifest naming every
 * target of the whole build. Merge finds the parts (as actions/download-artifact leaves them),
 * checks that each was written by multiarch-build (names, versions and paths of their grammar),
 * refuses duplicates and missing targets or parts, resolves every file through the path policy
 * against its recorded digest and gathers the files into `dist`.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import {
  type Artifact,
  ArtifactFileError,
  type Manifest,
  artifactKey,
  mergeManifests,
  readManifest,
  resolveArtifact,
} from '@goship/core/manifest';
import { parsePlatform, platformId } from '@goship/core/platform';
import { parseSemVer } from '@goship/core/semver';
import { chmod, readdir } from 'node:fs/promises';
import path from 'node:path';
import { BINARY_NAME } from './config.js';
import { PACKAGE_FORMATS } from './packages/naming.js';
import { fromPosix, isFileName, posixRel, realDir, replaceCopy } from './dist.js';
import type { BinaryRec } from './package.js';
import { goTargetOf } from './release-plan.js';
import { platformOf } from './targets.js';

export const PART_RE = /^goship-manifest\.part-(\d+)-of-(\d+)\.json$/;

/** Extra fields of a part manifest. */
export interface PartFields {
  /** `i/n` */
  part: string;
  /** Every `importPath@platform` of the whole split build. */
  targets: string[];
  /** The part's dist folder, relative to its working directory (artifact paths start with it). */
  dist: string;
}

export async function findParts(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    // withFileTypes does not follow symlinks: a linked folder or manifest is not read
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isFile() && PART_RE.test(e.name)) found.push(p);
      else if (e.isDirectory() && depth < 3) await walk(p, depth + 1);
    }
  };
  await walk(folder, 0);
  return found.sort();
}

export interface LoadedPart {
  file: string;
  manifest: Manifest & Partial<PartFields>;
}

/** A part's file: where it is in the part's folder and where it goes in `dist`. */
export interface PartFile {
  artifact: Artifact;
  /** The artifact as recorded in the part, its path relative to the part's folder. */
  inPart: Artifact;
  partDir: string;
}

export interface Merged {
  manifest: Manifest;
  targets: string[];
  files: PartFile[];
}

function keyOf(a: Artifact): string {
  return `${a.main ?? a.name}@${platformOf(a)}`;
}

const SAFE_PATH = /^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;

/** What a part builds for its platforms: binaries, their archives and Linux packages, an SBOM of each. */
const PART_KINDS: readonly string[] = ['binary', 'archive', 'package', 'sbom'];
/** A package's name, version (`1.2.3~rc.1`, `1.2.3_rc.1`) or arch (`armhf`, `x86_64`) as naming.ts makes them. */
const PACKAGE_FIELD = /^[A-Za-z0-9][A-Za-z0-9.+~_-]*$/;

/** What is wrong with a part manifest, field by field; empty for one multiarch-build wrote. */
export function partProblems(m: Manifest & Partial<PartFields>): string[] {
  const out: string[] = [];
  const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 80) ?? String(v);
  if (!/^\d{1,3}\/\d{1,3}$/.test(m.part ?? '')) out.push(`part ${show(m.part)} is not i/n`);
  if (!parseSemVer(m.version)) out.push(`version ${show(m.version)} is not SemVer`);
  if (!isFileName(m.project)) out.push(`project ${show(m.project)} is not a file name`);
  const dist = m.dist ?? 'dist';
  if (!SAFE_PATH.test(dist) || dist.split('/').includes('..')) out.push(`dist ${show(dist)} is not a relative folder`);
  if (!Array.isArray(m.targets) || !m.targets.every((t) => typeof t === 'string')) out.push('targets is not a list of names');
  for (const a of m.artifacts) {
    const where = `${a.kind} ${show(a.name)}`;
    if (!PART_KINDS.includes(a.kind)) out.push(`${where}: a part holds binaries, archives, Linux packages and SBOMs only`);
    if (a.kind === 'package') {
      if (!(PACKAGE_FORMATS as readonly unknown[]).includes(a.format))
        out.push(`${where}: format ${show(a.format)} is not deb, rpm or apk`);
      for (const k of ['packageName', 'packageVersion', 'packageArch'] as const) {
        if (typeof a[k] !== 'string' || !PACKAGE_FIELD.test(a[k]))
          out.push(`${where}: ${k} ${show(a[k])} is not a package name, version or arch`);
      }
    }
    if (a.kind === 'binary' ? !BINARY_NAME.test(a.name) : !isFileName(a.name)) out.push(`${where}: not a file name`);
    const p = a.path ?? '';
    if (!SAFE_PATH.test(p) || p.split('/').includes('..') || !p.startsWith(`${dist}/`))
      out.push(`${where}: path ${show(p)} is not inside ${dist}`);
    if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256)) out.push(`${where}: no sha256`);
    if (a.kind !== 'sbom') {
      try {
        parsePlatform(platformOf(a));
      } catch {
        out.push(`${where}: platform ${show([a.os, a.arch, a.variant])} is not GOOS/GOARCH[/variant]`);
      }
    }
    for (const k of ['build', 'target', 'goTarget', 'id'] as const) {
      if (a[k] !== undefined && (typeof a[k] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._,-]*$/.test(a[k])))
        out.push(`${where}: ${k} ${show(a[k])} is not a name`);
    }
    if (a.file !== undefined && (typeof a.file !== 'string' || !SAFE_PATH.test(a.file) || a.file.split('/').includes('..')))
      out.push(`${where}: file ${show(a.file)} is not a relative file name`);
    if (a.wrappedIn !== undefined && (typeof a.wrappedIn !== 'string' || !isFileName(a.wrappedIn)))
      out.push(`${where}: wrappedIn ${show(a.wrappedIn)} is not a folder name`);
    const bins = (a.binaries as unknown[] | undefined) ?? [];
    if (!Array.isArray(bins) || !bins.every((b) => typeof b === 'string' && BINARY_NAME.test(b)))
      out.push(`${where}: binaries are not names`);
  }
  return out;
}

async function loadParts(folder: string, given: string): Promise<LoadedPart[]> {
  const files = await findParts(folder);
  if (files.length === 0) {
    throw new InputError(
      'merge',
      given,
      'a folder holding part manifests (goship-manifest.part-<i>-of-<n>.json)',
      `None under ${folder}; download every build job's artifact there (actions/download-artifact with merge-multiple: true)`,
    );
  }
  const parts: LoadedPart[] = [];
  for (const file of files) {
    const manifest = (await readManifest(file).catch((e: unknown) => {
      if (e instanceof GoshipError) throw new InputError('merge', given, 'part manifests written by multiarch-build', e.message);
      throw e;
    })) as LoadedPart['manifest'];
    const problems = partProblems(manifest);
    if (problems.length) {
      throw new InputError(
        'merge',
        given,
        'part manifests written by multiarch-build',
        `${posixRel(folder, file)}: ${problems.slice(0, 5).join('; ')}`,
      );
    }
    parts.push({ file, manifest });
  }
  return parts;
}

/** Joins the parts' manifests; every target built once, by parts of one split with the same targets. */
function joinParts(parts: readonly LoadedPart[], given: string): { merged: Manifest; targets: string[] } {
  const totals = new Set(parts.map((p) => p.manifest.part!.split('/')[1]));
  if (totals.size !== 1) {
    throw new InputError(
      'merge',
      given,
      'parts of one split (the same n in every `split: i/n`)',
      `Found parts of splits into ${[...totals].join(', ')}`,
    );
  }
  const total = Number([...totals][0]);
  let merged: Manifest;
  try {
    merged = mergeManifests(
      parts.map((p) => p.manifest),
      { expectedParts: total },
    );
  } catch (e) {
    if (e instanceof GoshipError) throw new InputError('merge', given, `all ${total} parts of the split, each once`, e.message);
    throw e;
  }
  const targets = [...new Set(parts.flatMap((p) => p.manifest.targets ?? []))].sort();
  for (const p of parts) {
    if (JSON.stringify([...(p.manifest.targets ?? [])].sort()) !== JSON.stringify(targets)) {
      throw new InputError(
        'merge',
        given,
        'parts built with the same main and platforms inputs',
        `${path.basename(p.file)} lists other targets`,
      );
    }
  }
  const built = new Set(merged.artifacts.filter((a) => a.kind === 'binary').map(keyOf));
  const missing = targets.filter((t) => !built.has(t));
  if (missing.length) throw new InputError('merge', given, 'parts that together build every target', `Missing: ${missing.join(', ')}`);
  const archived = new Set(
    merged.artifacts
      .filter((a) => a.kind === 'archive')
      .flatMap((a) => ((a.binaries as string[] | undefined) ?? []).map((n) => keyOf({ ...a, name: n }))),
  );
  const unpackaged = merged.artifacts.filter((a) => a.kind === 'binary' && !archived.has(keyOf({ ...a, main: undefined })));
  if (unpackaged.length) {
    throw new InputError(
      'merge',
      given,
      'parts that packaged every platform they built',
      `Not in any archive: ${unpackaged.map((a) => `${a.name} ${platformOf(a)}`).join(', ')}; build the parts with this version of multiarch-build`,
    );
  }
  return { merged, targets };
}

/**
 * Reads and joins the parts under `folder`, each file given its place in the merge job's `dist`
 * (paths relative to `workdir`). Throws an InputError naming `merge` when they don't make a whole.
 */
export async function loadAndMerge(folder: string, given: string, o: { workdir: string; dist: string }): Promise<Merged> {
  const parts = await loadParts(folder, given);
  const { merged, targets } = joinParts(parts, given);
  const inParts = new Map<string, PartFile>();
  for (const p of parts) {
    const dist = p.manifest.dist ?? 'dist';
    for (const a of p.manifest.artifacts) {
      const relInDist = path.posix.relative(dist, a.path!);
      const artifact = { ...a, path: posixRel(o.workdir, fromPosix(o.dist, relInDist)) };
      inParts.set(artifactKey(a), { artifact, inPart: { ...a, path: relInDist }, partDir: path.dirname(p.file) });
    }
  }
  const files = merged.artifacts.map((a) => inParts.get(artifactKey(a))!);
  const { targets: _t, dist: _d, ...rest } = merged as Manifest & Partial<PartFields>;
  return { manifest: { ...rest, artifacts: files.map((f) => f.artifact) }, targets, files };
}

/**
 * Copies each part's file to its place under `dist` and checks its digest, sources and copies
 * through the path policy; a file that is missing, changed or leads outside fails naming `merge`.
 */
export async function gather(m: Merged, o: { workdir: string; dist: string; given: string }): Promise<void> {
  const refuse = (e: unknown): never => {
    if (e instanceof ArtifactFileError) throw new InputError('merge', o.given, "each part's files as its manifest lists them", e.message);
    throw e;
  };
  for (const f of m.files) {
    const where = `the part manifest in ${posixRel(o.workdir, f.partDir) || '.'}`;
    const src = await resolveArtifact(f.inPart, f.partDir, { manifestFile: where }).catch(refuse);
    const dest = fromPosix(o.workdir, f.artifact.path!);
    if (path.resolve(src.file) !== path.resolve(dest)) {
      await realDir(path.dirname(dest), o.dist);
      await replaceCopy(src.file, dest);
    }
    if (f.artifact.kind === 'binary' || f.artifact.format === 'binary') await chmod(dest, 0o755);
    // the copy is what gets released: check it too
    await resolveArtifact(f.artifact, o.workdir, { manifestFile: where }).catch(refuse);
  }
}

export function binaryRecs(artifacts: readonly Artifact[], workdir: string): BinaryRec[] {
  return artifacts
    .filter((a) => a.kind === 'binary')
    .map((a) => {
      const variant = a.variant ?? '';
      const platform = { os: a.os!, arch: a.arch!, variant };
      return {
        name: a.name,
        main: a.main ?? a.name,
        os: a.os!,
        arch: a.arch!,
        variant,
        platformName: platformOf(a),
        // manifests written before the GoReleaser layout: the binary's name is its build, the platform its target
        build: typeof a.build === 'string' ? a.build : a.name,
        target: typeof a.target === 'string' ? a.target : platformId(platform),
        goTarget: typeof a.goTarget === 'string' ? a.goTarget : goTargetOf(platform).target,
        file: typeof a.file === 'string' ? a.file : path.posix.basename(a.path!),
        abs: fromPosix(workdir, a.path!),
        sha256: a.sha256!,
        size: a.size ?? 0,
      };
    });
}
