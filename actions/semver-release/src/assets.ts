/**
 * The release assets, through core's manifest consumer side: by default every artifact of the
 * release kinds (archives, checksums, SBOMs, signatures, provenance, attestations, public keys);
 * `files` patterns select manifest artifacts by name or path, else files on disk. Every file is
 * resolved inside the workspace, hashed and checked against its manifest digest before anything is
 * sent, and the name GitHub will store it under is known up front, because GitHub renames assets
 * whose names have special characters — what it stores is what a re-run must compare with.
 */
import type { Log } from '@goship/core/action';
import { githubAssetName } from '@goship/core/asset-name';
import { GoshipError, InputError, isGoshipError } from '@goship/core/errors';
import {
  type Artifact,
  type ArtifactKind,
  ArtifactFileError,
  type Manifest,
  RELEASE_ASSET_KINDS,
  type ResolvedFile,
  globFiles,
  readManifest,
  resolveArtifacts,
  selectArtifacts,
} from '@goship/core/manifest';
import { existsSync } from 'node:fs';

export interface LocalAsset {
  /** The name in the manifest, or the file's name on disk. */
  name: string;
  /** The name GitHub stores it under (what the release lists); equal to `name` for plain names. */
  storedName: string;
  /** Absolute real path. */
  file: string;
  size: number;
  sha256: string;
  contentType: string;
  kind: ArtifactKind | 'file';
}

export interface AssetSelection {
  manifest?: Manifest;
  assets: LocalAsset[];
}

export interface AssetSource {
  /** Real path of the manifest, and the input as given (for messages). */
  manifest: string;
  manifestInput: string;
  files: readonly string[];
  /** Where manifest paths and `files` patterns are relative to. */
  workdir: string;
}

/** What the release is: the manifest must have been built for it. */
export interface ReleaseIdentity {
  tag: string;
  version: string;
  commit: string;
}

export function contentType(name: string): string {
  if (/\.(tar\.gz|tgz)$/.test(name)) return 'application/gzip';
  if (name.endsWith('.zip')) return 'application/zip';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.jsonl')) return 'application/jsonl';
  if (/\.(txt|sha256|sig|pem|pub)$/.test(name)) return 'text/plain';
  return 'application/octet-stream';
}

async function loadManifest(src: AssetSource, required: boolean): Promise<Manifest | undefined> {
  if (!existsSync(src.manifest)) {
    if (!required) return undefined;
    throw new InputError(
      'manifest',
      src.manifestInput,
      'the artifact manifest that multiarch-build wrote (default dist/goship-manifest.json)',
      'Run multiarch-build first in this job (or download its artifact), set `manifest:` to its `manifest` output, or list the assets in `files:`',
    );
  }
  try {
    return await readManifest(src.manifest);
  } catch (e) {
    // readManifest never quotes the file; the input is named here.
    if (isGoshipError(e)) throw new InputError('manifest', src.manifestInput, 'a goship artifact manifest (JSON)', e.message);
    throw e;
  }
}

/** Refuses a manifest of another build: its version and commit must be the tag's. */
export function checkBuiltFor(m: Manifest, release: ReleaseIdentity, manifestInput: string): void {
  const sameCommit = m.commit === release.commit || (/^[0-9a-f]{7,}$/.test(m.commit) && release.commit.startsWith(m.commit));
  if (m.version === release.version && sameCommit) return;
  throw new InputError(
    'manifest',
    manifestInput,
    `a manifest built for ${release.tag}: version ${release.version} at commit ${release.commit}`,
    `It was built for version ${m.version} at commit ${m.commit}. Publish the manifest of the tag's own build (build the tag's commit, or download that run's artifacts)`,
  );
}

/** Manifest artifacts, resolved; a manifest entry that points outside or changed names the input. */
async function resolveFromManifest(arts: readonly Artifact[], src: AssetSource): Promise<ResolvedFile[]> {
  try {
    return await resolveArtifacts(arts, src.workdir, { manifestFile: src.manifestInput });
  } catch (e) {
    if (e instanceof ArtifactFileError) throw new GoshipError(`Input "manifest": ${e.what}`, e.fix);
    throw e;
  }
}

/**
 * Resolves and hashes the assets to publish. Patterns in `files` match artifact names and paths
 * first; a pattern that matches none is a glob on disk relative to the working directory.
 */
export async function selectAssets(src: AssetSource, release: ReleaseIdentity, log: Pick<Log, 'warning'>): Promise<AssetSelection> {
  const manifest = await loadManifest(src, src.files.length === 0);
  if (manifest) checkBuiltFor(manifest, release, src.manifestInput);
  const fromManifest: Artifact[] = [];
  const onDisk: string[] = [];
  if (src.files.length === 0) {
    fromManifest.push(...selectArtifacts(manifest!, { kinds: RELEASE_ASSET_KINDS }).filter((a) => a.path !== undefined));
    if (fromManifest.length === 0) {
      throw new InputError(
        'manifest',
        src.manifestInput,
        'a manifest that lists file artifacts (archives, checksums, SBOMs, signatures)',
        'Build first, or list the assets in `files:`',
      );
    }
  } else {
    for (const pattern of src.files) {
      const hits = manifest ? selectArtifacts(manifest, { patterns: [pattern] }).filter((a) => a.path !== undefined) : [];
      if (hits.length) fromManifest.push(...hits);
      else onDisk.push(pattern);
    }
  }
  const resolved = [
    ...(await resolveFromManifest(fromManifest, src)).map((r) => ({ ...r, name: r.artifact!.name, kind: r.artifact!.kind })),
    ...(onDisk.length ? await globFiles('files', onDisk, src.workdir, { warn: (m) => log.warning(m) }) : []).map((r) => ({
      ...r,
      kind: 'file' as const,
    })),
  ];
  return { manifest, assets: uniqueAssets(resolved, log) };
}

/** One asset per stored name: the same file twice is one asset, two files under one name an error. */
function uniqueAssets(files: readonly (ResolvedFile & { kind: LocalAsset['kind'] })[], log: Pick<Log, 'warning'>): LocalAsset[] {
  const byStored = new Map<string, LocalAsset>();
  for (const f of files) {
    const storedName = githubAssetName(f.name);
    const prev = byStored.get(storedName);
    if (prev?.file === f.file) continue;
    if (prev) {
      const same = prev.name === f.name;
      throw new GoshipError(
        same
          ? `Two assets would have the name ${f.name}: ${prev.file} and ${f.file}.`
          : `GitHub would store both ${prev.name} and ${f.name} as ${storedName}: ${prev.file} and ${f.file}.`,
        'A release asset name must be unique; narrow `files:` or rename one of them',
      );
    }
    byStored.set(storedName, {
      name: f.name,
      storedName,
      file: f.file,
      size: f.size,
      sha256: f.sha256,
      contentType: contentType(storedName),
      kind: f.kind,
    });
  }
  const assets = [...byStored.values()].sort((a, b) => (a.storedName < b.storedName ? -1 : a.storedName > b.storedName ? 1 : 0));
  const renamed = assets.filter((a) => a.storedName !== a.name);
  if (renamed.length) {
    log.warning(
      `GitHub renames asset names with special characters or leading/trailing periods; ${renamed.length === 1 ? 'this asset' : `these ${renamed.length} assets`} will be stored (and compared) as: ${renamed.map((a) => `${a.name} → ${a.storedName}`).join(', ')}.`,
    );
  }
  return assets;
}
