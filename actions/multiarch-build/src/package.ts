/**
 * Packaging: one archive per platform (all of its binaries plus archive-files), or the binaries
 * themselves with `archive-format: binary`; an SBOM per archive; the checksums file. Works the
 * same on fresh builds and on binaries joined from part manifests.
 */
import { type DigestAlgorithm, formatChecksums, hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { type BuildInfo, buildInfo } from '@goship/core/go';
import type { Artifact } from '@goship/core/manifest';
import { mapLimit } from '@goship/core/retry';
import { chmod, stat } from 'node:fs/promises';
import os from 'node:os';
import { type ExtraFile, archiveFiles, readEntries, tarGz, zipBytes } from './archive.js';
import type { ArchiveFormat, SbomFormat } from './config.js';
import { distFile, posixRel, realDir, replaceCopy, replaceFile } from './dist.js';
import { type SbomSubject, cyclonedx, sbomJson, spdx } from './sbom.js';
import { expand } from './template.js';

/** A built binary, from this job or from a part manifest. */
export interface BinaryRec {
  name: string;
  main: string;
  os: string;
  arch: string;
  variant: string;
  platformName: string;
  /** File name, with .exe on Windows. */
  file: string;
  /** Absolute path. */
  abs: string;
  sha256: string;
  size: number;
}

export interface PackageOptions {
  workdir: string;
  dist: string;
  format: ArchiveFormat;
  nameTemplate: string;
  /** The template was left at its default (binary format then names files by binary). */
  nameDefault: boolean;
  archiveFiles: string[];
  sbom: SbomFormat;
  algorithm: DigestAlgorithm;
  vars: Record<string, string>;
  version: string;
  /** UTC ISO commit time. */
  created: string;
  /** Told about archive-files skipped (symlinks that lead outside). */
  warn: (message: string) => void;
  /** Read build info (default: `go version -m -json`). */
  readInfo?: (file: string) => Promise<BuildInfo>;
}

interface Unit {
  name: string;
  ext: string;
  format: 'tar.gz' | 'zip' | 'binary';
  binaries: BinaryRec[];
}

/** The release files to make: one per platform (archives) or per binary (binary format). */
export function planUnits(bins: readonly BinaryRec[], o: Pick<PackageOptions, 'format' | 'nameTemplate' | 'nameDefault' | 'vars'>): Unit[] {
  const units: Unit[] = [];
  const vars = (b: BinaryRec, binary: string): Record<string, string> => ({
    ...o.vars,
    Os: b.os,
    Arch: b.arch,
    Variant: b.variant,
    Binary: binary,
  });
  if (o.format === 'binary') {
    const template = o.nameDefault ? o.nameTemplate.replace('{{.Project}}', '{{.Binary}}') : o.nameTemplate;
    for (const b of bins) {
      const ext = b.os === 'windows' ? '.exe' : '';
      units.push({ name: expand(template, vars(b, b.name)) + ext, ext, format: 'binary', binaries: [b] });
    }
  } else {
    const groups = new Map<string, BinaryRec[]>();
    for (const b of bins) groups.set(b.platformName, [...(groups.get(b.platformName) ?? []), b]);
    for (const group of groups.values()) {
      const b = group[0]!;
      const format = o.format === 'tar.gz' && b.os === 'windows' ? 'zip' : o.format;
      const binary = group.length === 1 ? b.name : (o.vars.Project ?? b.name);
      units.push({ name: `${expand(o.nameTemplate, vars(b, binary))}.${format}`, ext: `.${format}`, format, binaries: group });
    }
  }
  const seen = new Map<string, string>();
  for (const u of units) {
    const prev = seen.get(u.name);
    const here = u.binaries.map((b) => `${b.name} ${b.platformName}`).join(', ');
    if (prev) {
      throw new InputError(
        'archive-name',
        o.nameTemplate,
        'a template that gives every release file its own name',
        `${prev} and ${here} would both be ${u.name}; add {{.Os}}, {{.Arch}}, {{.Variant}} or {{.Binary}}`,
      );
    }
    seen.set(u.name, here);
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface Packaged {
  archives: Artifact[];
  sboms: Artifact[];
}

async function digests(file: string, algorithm: DigestAlgorithm): Promise<{ sha256: string; sha512?: string; size: number }> {
  const [sha256, st] = await Promise.all([hashFile(file, 'sha256'), stat(file)]);
  const out: { sha256: string; sha512?: string; size: number } = { sha256, size: st.size };
  if (algorithm === 'sha512') out.sha512 = await hashFile(file, 'sha512');
  return out;
}

/** Writes one release file: an archive of the unit's binaries and the extra files, or the binary itself. */
async function writeUnit(u: Unit, out: string, extra: readonly ExtraFile[], mtime: Date): Promise<void> {
  if (u.format === 'binary') {
    await replaceCopy(u.binaries[0]!.abs, out);
    await chmod(out, 0o755);
    return;
  }
  const entries = await readEntries(
    u.binaries.map((b) => ({ file: b.file, path: b.abs })),
    extra,
  );
  await replaceFile(out, u.format === 'zip' ? zipBytes(entries, mtime) : tarGz(entries, mtime));
}

/** The SBOM documents of one release file, written beside it. */
async function writeSboms(u: Unit, sha256: string, o: PackageOptions): Promise<Artifact[]> {
  if (o.sbom === 'none') return [];
  const readInfo = o.readInfo ?? ((f: string) => buildInfo(f));
  const subject: SbomSubject = {
    name: u.name,
    sha256,
    kind: u.format === 'binary' ? 'binary' : 'archive',
    version: o.version,
    created: o.created,
    binaries: await Promise.all(
      u.binaries.map(async (b) => ({ file: b.file, sha256: b.sha256, platform: b.platformName, info: await readInfo(b.abs) })),
    ),
  };
  const docs: [string, string, Record<string, unknown>][] = [];
  if (o.sbom === 'spdx' || o.sbom === 'both') docs.push([`${u.name}.spdx.json`, 'spdx-2.3', spdx(subject)]);
  if (o.sbom === 'cyclonedx' || o.sbom === 'both') docs.push([`${u.name}.cdx.json`, 'cyclonedx-1.6', cyclonedx(subject)]);
  const out: Artifact[] = [];
  for (const [name, format, doc] of docs) {
    const file = distFile(o.dist, name);
    await replaceFile(file, sbomJson(doc));
    const sd = await digests(file, 'sha256');
    out.push({ kind: 'sbom', name, path: posixRel(o.workdir, file), describes: u.name, format, sha256: sd.sha256, size: sd.size });
  }
  return out;
}

export async function packageBinaries(bins: readonly BinaryRec[], o: PackageOptions): Promise<Packaged> {
  await realDir(o.dist);
  const units = planUnits(bins, o);
  const extra = o.format === 'binary' ? [] : await archiveFiles(o.workdir, o.archiveFiles, o.warn);
  const mtime = new Date(o.created);
  const results = await mapLimit(units, Math.max(1, Math.min(4, os.availableParallelism())), async (u) => {
    const out = distFile(o.dist, u.name);
    await writeUnit(u, out, extra, mtime);
    const d = await digests(out, o.algorithm);
    const first = u.binaries[0]!;
    const archive: Artifact = {
      kind: 'archive',
      name: u.name,
      path: posixRel(o.workdir, out),
      format: u.format,
      os: first.os,
      arch: first.arch,
      variant: first.variant,
      binaries: u.binaries.map((b) => b.name).sort(),
      ...d,
    };
    return { archive, sboms: await writeSboms(u, d.sha256, o) };
  });
  return { archives: results.map((r) => r.archive), sboms: results.flatMap((r) => r.sboms) };
}

export function checksumsName(project: string, version: string): string {
  return `${project}_${version}_checksums.txt`;
}

/** The checksums file over the release files (archives, or binaries with the binary format). */
export async function writeChecksumsFile(
  archives: readonly Artifact[],
  o: { workdir: string; dist: string; project: string; version: string; algorithm: DigestAlgorithm },
): Promise<Artifact> {
  if (archives.length === 0) throw new GoshipError('There is nothing to checksum.');
  const name = checksumsName(o.project, o.version);
  const file = distFile(o.dist, name);
  const lines = archives.map((a) => {
    const digest = o.algorithm === 'sha512' ? a.sha512 : a.sha256;
    if (typeof digest !== 'string') {
      throw new GoshipError(`${a.name} has no ${o.algorithm} digest in the manifest.`, 'Build all parts with the same checksum-algorithm');
    }
    return { digest, name: a.name };
  });
  await replaceFile(file, formatChecksums(lines));
  const d = await digests(file, 'sha256');
  return { kind: 'checksums', name, path: posixRel(o.workdir, file), algorithm: o.algorithm, sha256: d.sha256, size: d.size };
}
