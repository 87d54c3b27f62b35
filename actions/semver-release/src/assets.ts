/**
 * The release assets: by default every file artifact of the manifest except raw binaries (they
 * ship inside the archives, and share one name across platforms); `files` patterns select
 * manifest artifacts by name or path, or files on disk. Every file is hashed before anything is
 * sent, and a file that no longer matches its manifest digest is refused.
 */
import { hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { type Artifact, type Manifest, readManifest } from '@goship/core/manifest';
import { existsSync } from 'node:fs';
import { glob, stat } from 'node:fs/promises';
import path from 'node:path';

export interface LocalAsset {
  name: string;
  /** Absolute path. */
  file: string;
  size: number;
  sha256: string;
  contentType: string;
  kind: Artifact['kind'] | 'file';
}

export function contentType(name: string): string {
  if (/\.(tar\.gz|tgz)$/.test(name)) return 'application/gzip';
  if (name.endsWith('.zip')) return 'application/zip';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.jsonl')) return 'application/jsonl';
  if (/\.(txt|sha256|sig|pem)$/.test(name)) return 'text/plain';
  return 'application/octet-stream';
}

export interface AssetSelection {
  manifest?: Manifest;
  assets: LocalAsset[];
}

export async function loadManifest(file: string, required: boolean): Promise<Manifest | undefined> {
  if (!existsSync(file)) {
    if (!required) return undefined;
    throw new InputError(
      'manifest',
      file,
      'the artifact manifest that multiarch-build wrote (default dist/goship-manifest.json)',
      'Run multiarch-build first in this job (or download its artifact), set `manifest:` to its `manifest` output, or list the assets in `files:`',
    );
  }
  return readManifest(file);
}

/**
 * Resolves the assets to publish. `dir` is where manifest paths are relative to (the working
 * directory); patterns in `files` match artifact names and paths, then files on disk.
 */
export async function selectAssets(manifestFile: string, files: readonly string[], dir: string): Promise<AssetSelection> {
  const manifest = await loadManifest(manifestFile, files.length === 0);
  const fileArtifacts = (manifest?.artifacts ?? []).filter((a) => a.path !== undefined);
  const chosen: { name: string; file: string; expected?: string; kind: LocalAsset['kind'] }[] = [];
  if (files.length === 0) {
    for (const a of fileArtifacts)
      if (a.kind !== 'binary') chosen.push({ name: a.name, file: path.resolve(dir, a.path!), expected: a.sha256, kind: a.kind });
    if (chosen.length === 0) {
      throw new InputError(
        'manifest',
        manifestFile,
        'a manifest that lists file artifacts (archives, checksums, SBOMs, signatures)',
        'Build first, or list the assets in `files:`',
      );
    }
  } else {
    for (const pattern of files) {
      const hits = fileArtifacts.filter((a) => path.matchesGlob(a.name, pattern) || path.matchesGlob(a.path!, pattern));
      if (hits.length) {
        for (const a of hits) chosen.push({ name: a.name, file: path.resolve(dir, a.path!), expected: a.sha256, kind: a.kind });
        continue;
      }
      const onDisk: string[] = [];
      for await (const f of glob(pattern, { cwd: dir })) onDisk.push(f);
      const regular: string[] = [];
      for (const f of onDisk.sort()) if ((await stat(path.resolve(dir, f))).isFile()) regular.push(f);
      if (!regular.length) {
        throw new InputError(
          'files',
          pattern,
          'a pattern that matches artifacts of the manifest (by name or path) or files on disk',
          `Nothing matched in ${manifest ? `${manifestFile} or ` : ''}${dir}`,
        );
      }
      for (const f of regular) chosen.push({ name: path.basename(f), file: path.resolve(dir, f), kind: 'file' });
    }
  }
  const seen = new Map<string, string>();
  const assets: LocalAsset[] = [];
  for (const c of chosen) {
    const prev = seen.get(c.name);
    if (prev === c.file) continue;
    if (prev !== undefined) {
      throw new GoshipError(
        `Two assets would have the name ${c.name}: ${prev} and ${c.file}.`,
        'A release asset name must be unique; narrow `files:`',
      );
    }
    seen.set(c.name, c.file);
    if (!existsSync(c.file)) {
      throw new GoshipError(
        `The manifest lists ${c.name} at ${c.file}, but there is no such file.`,
        'Download the build artifacts into the same layout before publishing',
      );
    }
    const [sha256, st] = await Promise.all([hashFile(c.file), stat(c.file)]);
    if (c.expected && c.expected !== sha256) {
      throw new GoshipError(
        `${c.name} does not match the manifest: its sha256 is ${sha256}, the manifest says ${c.expected}.`,
        'The file changed after the build; rebuild, or download the artifacts of the same run',
      );
    }
    assets.push({ name: c.name, file: c.file, size: st.size, sha256, contentType: contentType(c.name), kind: c.kind });
  }
  assets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { manifest, assets };
}
