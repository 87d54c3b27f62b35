/**
 * Split and merge: a part builds a contiguous slice of the (main, platform) pairs and writes a
 * part manifest naming every target of the whole build; merge finds the parts (as
 * actions/download-artifact leaves them), refuses duplicates and missing targets or parts, checks
 * every file against its recorded digest and gathers the files into `dist`.
 */
import { hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { type Artifact, type Manifest, mergeManifests, readManifest } from '@goship/core/manifest';
import { chmod, copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BinaryRec } from './package.js';

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
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
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

export interface Merged {
  manifest: Manifest;
  targets: string[];
  /** Absolute source path of each artifact file, by artifact name/kind key. */
  sources: Map<Artifact, string>;
}

function keyOf(a: Artifact): string {
  return `${a.main ?? a.name}@${[a.os, a.arch, a.variant].filter(Boolean).join('/')}`;
}

/** Reads and joins the parts under `folder`. Throws an InputError naming `merge` when they don't make a whole. */
export async function loadAndMerge(folder: string, inputValue: string): Promise<Merged> {
  const files = await findParts(folder);
  if (files.length === 0) {
    throw new InputError(
      'merge',
      inputValue,
      'a folder holding part manifests (goship-manifest.part-<i>-of-<n>.json)',
      `None under ${folder}; download every build job's artifact there (actions/download-artifact with merge-multiple: true)`,
    );
  }
  const parts: LoadedPart[] = [];
  for (const file of files) parts.push({ file, manifest: await readManifest(file) });
  const totals = new Set(parts.map((p) => p.manifest.part?.split('/')[1]));
  if (totals.size !== 1 || [...totals][0] === undefined) {
    throw new InputError(
      'merge',
      inputValue,
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
    if (e instanceof GoshipError) throw new InputError('merge', inputValue, `all ${total} parts of the split, each once`, e.message);
    throw e;
  }
  const targets = [...new Set(parts.flatMap((p) => p.manifest.targets ?? []))].sort();
  for (const p of parts) {
    if (JSON.stringify([...(p.manifest.targets ?? [])].sort()) !== JSON.stringify(targets)) {
      throw new InputError(
        'merge',
        inputValue,
        'parts built with the same main and platforms inputs',
        `${path.basename(p.file)} lists other targets`,
      );
    }
  }
  const built = new Set(merged.artifacts.filter((a) => a.kind === 'binary').map(keyOf));
  const missing = targets.filter((t) => !built.has(t));
  if (missing.length) throw new InputError('merge', inputValue, 'parts that together build every target', `Missing: ${missing.join(', ')}`);
  const sources = new Map<Artifact, string>();
  for (const p of parts) {
    const dist = p.manifest.dist ?? 'dist';
    for (const a of p.manifest.artifacts) {
      if (!a.path) continue;
      const relInDist = path.posix.relative(dist, a.path);
      sources.set(
        merged.artifacts.find((m) => m.kind === a.kind && keyOf(m) === keyOf(a) && m.name === a.name)!,
        path.join(path.dirname(p.file), ...relInDist.split('/')),
      );
    }
  }
  const { targets: _t, dist: _d, ...rest } = merged as Manifest & Partial<PartFields>;
  return { manifest: rest, targets, sources };
}

/** Copies each part's files to their place under `workdir` and checks their digests. */
export async function gather(m: Merged, workdir: string): Promise<void> {
  const bad: string[] = [];
  for (const [a, src] of m.sources) {
    const dest = path.join(workdir, ...a.path!.split('/'));
    if (path.resolve(src) !== path.resolve(dest)) {
      await mkdir(path.dirname(dest), { recursive: true });
      try {
        await copyFile(src, dest);
      } catch {
        bad.push(`${a.name}: not found at ${src}`);
        continue;
      }
    }
    if (a.kind === 'binary' || a.format === 'binary') await chmod(dest, 0o755);
    if (a.sha256) {
      const got = await hashFile(dest).catch(() => '(missing)');
      if (got !== a.sha256) bad.push(`${a.name}${a.os ? ` (${a.os}/${a.arch})` : ''}: sha256 ${got} ≠ ${a.sha256} in its part manifest`);
    }
  }
  if (bad.length) {
    throw new GoshipError(
      `Merged files do not match their part manifests:\n  - ${bad.join('\n  - ')}`,
      "Download every part's whole dist folder (manifest and files from the same job) and re-run the merge",
    );
  }
}

export function binaryRecs(artifacts: readonly Artifact[], workdir: string): BinaryRec[] {
  return artifacts
    .filter((a) => a.kind === 'binary')
    .map((a) => {
      const variant = a.variant ?? '';
      return {
        name: a.name,
        main: a.main ?? a.name,
        os: a.os!,
        arch: a.arch!,
        variant,
        platformName: [a.os, a.arch, variant].filter(Boolean).join('/'),
        file: path.posix.basename(a.path!),
        abs: path.join(workdir, ...a.path!.split('/')),
        sha256: a.sha256!,
        size: a.size ?? 0,
      };
    });
}
