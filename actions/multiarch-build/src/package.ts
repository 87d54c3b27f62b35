/**
 * Packaging over the plan's archives, as GoReleaser's archive pipe does it: each archive takes the
 * binaries of its builds (`ids`), grouped by target; a group gets the formats of its goos (the
 * first matching `format_overrides`), one archive per format named by `name_template` (with the
 * first binary's fields), or the binaries themselves (`binary`), or nothing (`none`); entries are
 * the binaries and the archive's files, all inside `wrap_in_directory` when set. An SBOM per
 * release file; the checksums file over them. Works the same on fresh builds and on binaries
 * joined from part manifests.
 */
import { type DigestAlgorithm, formatChecksums, hashBytes, hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { type BuildInfo, buildInfo } from '@goship/core/go';
import { parseTarget } from '@goship/core/config';
import { type Artifact, globFiles } from '@goship/core/manifest';
import { type Platform, parsePlatform } from '@goship/core/platform';
import { allInOrder, limiter } from '@goship/core/retry';
import { chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ExtraFile, archiveFiles, goreleaserFiles, readEntries, tarGzAsync, zipBytesAsync } from './archive.js';
import type { SbomFormat } from './config.js';
import { distFile, posixRel, realDir, replaceCopy, replaceFile } from './dist.js';
import { deflatePool } from './gzip.js';
import type { PlanArchive, PlanChecksum } from './release-plan.js';
import { type SbomSubject, cyclonedx, sbomJson, spdx } from './sbom.js';
import { type TemplateScope, checkRenderedName, render, renderTmpl, templateFields, tmplWhere } from './template.js';

/** A built binary, from this job or from a part manifest. */
export interface BinaryRec {
  name: string;
  main: string;
  os: string;
  arch: string;
  variant: string;
  platformName: string;
  /** Build id. */
  build: string;
  /** The target's id (`linux_amd64_v1`, or `linux_amd64` without a file). */
  target: string;
  /** GoReleaser's target string for the template fields (`linux_arm_7`). */
  goTarget: string;
  /** File name, with .exe on Windows; inside the archive (a `/` is a sub-folder). */
  file: string;
  /** Absolute path. */
  abs: string;
  sha256: string;
  size: number;
}

export interface PackageOptions {
  workdir: string;
  dist: string;
  archives: readonly PlanArchive[];
  /** No GoReleaser file and archive-name left at its default: the binary format names files by binary. */
  goshipDefaultName: boolean;
  sbom: SbomFormat;
  algorithm: DigestAlgorithm;
  scope: TemplateScope;
  version: string;
  /** UTC ISO commit time. */
  created: string;
  /** Told about files skipped or missing. */
  warn: (message: string) => void;
  /** Read build info (default: `go version -m -json`). */
  readInfo?: (file: string) => Promise<BuildInfo>;
  /**
   * Plan the names and render the `files` templates without reading the files: before hooks have
   * not run yet and may write them (GoReleaser runs them first too). They are read when packaging.
   */
  filesLater?: boolean;
}

export interface Unit {
  name: string;
  format: 'tar.gz' | 'zip' | 'binary';
  archive: PlanArchive;
  binaries: BinaryRec[];
  /** The folder every entry is in, or ''. */
  wrap: string;
  files: ExtraFile[];
}

function recPlatform(b: BinaryRec): Platform {
  return { os: b.os, arch: b.arch, variant: b.variant };
}

/** The template fields of a release file named after binary `b`. */
function fieldsOf(o: Pick<PackageOptions, 'scope'>, b: BinaryRec | undefined, binaryField?: string) {
  if (!b) return templateFields(o.scope);
  const ext = b.file.endsWith('.exe') ? '.exe' : '';
  return templateFields(o.scope, {
    target: parseTarget(b.goTarget),
    platform: recPlatform(b),
    binary: binaryField ?? b.name,
    name: b.file,
    ext,
    path: b.abs,
  });
}

function groupByTarget(bins: readonly BinaryRec[]): BinaryRec[][] {
  const groups = new Map<string, BinaryRec[]>();
  for (const b of bins) groups.set(b.goTarget, [...(groups.get(b.goTarget) ?? []), b]);
  return [...groups.values()];
}

async function filesOf(
  a: PlanArchive,
  o: PackageOptions,
  data: ReturnType<typeof fieldsOf>,
  cache: Map<string, ExtraFile[]>,
): Promise<ExtraFile[]> {
  if (a.files.kind === 'globs') {
    const key = `globs:${a.files.patterns.join('\n')}`;
    if (!cache.has(key)) cache.set(key, await archiveFiles(o.workdir, a.files.patterns, o.warn));
    return cache.get(key)!;
  }
  const files = a.files.files.map((f) => ({
    src: renderTmpl(f.src, data),
    where: tmplWhere(f.src),
    dst: f.dst,
    stripParent: f.stripParent,
    ...(f.info.mode ? { mode: f.info.mode } : {}),
    isDefault: f.isDefault,
  }));
  if (o.filesLater) return [];
  const key = JSON.stringify(files);
  if (!cache.has(key)) cache.set(key, await goreleaserFiles(o.workdir, files, o.warn));
  return cache.get(key)!;
}

/** The release files to make, every name rendered and checked before anything is written. */
export async function planUnits(bins: readonly BinaryRec[], o: PackageOptions): Promise<Unit[]> {
  const units: Unit[] = [];
  const cache = new Map<string, ExtraFile[]>();
  for (const a of o.archives) {
    const nameWhere = tmplWhere(a.nameTemplate);
    const name = (data: ReturnType<typeof fieldsOf>): string =>
      checkRenderedName(nameWhere, a.nameTemplate.text, renderTmpl(a.nameTemplate, data), 'file name');
    const wrapOf = (data: ReturnType<typeof fieldsOf>): string =>
      a.wrap ? checkRenderedName(tmplWhere(a.wrap), a.wrap.text, renderTmpl(a.wrap, data), 'folder name').replace(/\/+$/, '') : '';
    if (a.meta) {
      const data = fieldsOf(o, undefined);
      for (const format of a.formats('')) {
        if (format === 'none' || format === 'binary') continue;
        const files = await filesOf(a, o, data, cache);
        if (files.length === 0 && !o.filesLater)
          throw new GoshipError(`${a.where}: a meta archive with no files.`, 'Give it `files` that exist');
        units.push({ name: `${name(data)}.${format}`, format, archive: a, binaries: [], wrap: wrapOf(data), files });
      }
      continue;
    }
    const mine = bins.filter((b) => a.ids.length === 0 || a.ids.includes(b.build));
    for (const group of groupByTarget(mine)) {
      const first = group[0]!;
      for (const format of a.formats(first.os)) {
        if (format === 'none') continue;
        if (format === 'binary') {
          for (const b of group) {
            const data = fieldsOf(o, b);
            const text = o.goshipDefaultName ? a.nameTemplate.text.replace('{{.Project}}', '{{.Binary}}') : a.nameTemplate.text;
            const n = checkRenderedName(nameWhere, text, render(nameWhere, text, data), 'file name');
            units.push({ name: n + (b.os === 'windows' ? '.exe' : ''), format: 'binary', archive: a, binaries: [b], wrap: '', files: [] });
          }
          continue;
        }
        // goship's inputs name an archive of several binaries after the project; GoReleaser after the first binary
        const binary = a.binaryField === 'project' && group.length > 1 ? o.scope.project.project : first.name;
        const data = fieldsOf(o, first, binary);
        const files = await filesOf(a, o, data, cache);
        units.push({ name: `${name(data)}.${format}`, format, archive: a, binaries: group, wrap: wrapOf(data), files });
      }
    }
  }
  const seen = new Map<string, string>();
  for (const u of units) {
    const prev = seen.get(u.name);
    const here = u.binaries.length ? u.binaries.map((b) => `${b.name} ${b.platformName}`).join(', ') : `${u.archive.id} (meta)`;
    if (prev) {
      const input = u.archive.where.startsWith('input ') ? 'archive-name' : undefined;
      const why = `${prev} and ${here} would both be ${u.name}; add {{ .Os }}, {{ .Arch }}, {{ .Arm }} or {{ .Binary }}`;
      if (input) throw new InputError(input, u.archive.nameTemplate.text, 'a template that gives every release file its own name', why);
      throw new GoshipError(`${tmplWhere(u.archive.nameTemplate)}: two release files get one name: ${why}.`);
    }
    seen.set(u.name, here);
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface Packaged {
  archives: Artifact[];
  sboms: Artifact[];
}

type Digests = { sha256: string; sha512?: string; size: number };

/** The digests of bytes in memory: an archive just made is hashed before it is written, not read back. */
function bytesDigests(data: Uint8Array, algorithm: DigestAlgorithm): Digests {
  const out: Digests = { sha256: hashBytes(data, 'sha256'), size: data.length };
  if (algorithm === 'sha512') out.sha512 = hashBytes(data, 'sha512');
  return out;
}

/** The name of a binary inside its archive: its file (GoReleaser: the binary's name, sub-folders and all). */
function entryName(u: Unit, b: BinaryRec): string {
  const name = u.archive.stripBinaryDirectory ? path.posix.basename(b.file) : b.file;
  return u.wrap ? `${u.wrap}/${name}` : name;
}

/**
 * Writes one release file: an archive of the unit's binaries and files, or the binary itself; its
 * digests from what is already known (a copied binary's from its build, an archive's from the
 * bytes written), so no release file is read back. Each binary of an archive is read once: its
 * build info for the SBOMs (`infos`, when `withInfo`) comes from the bytes that are then handed to
 * the deflate worker, not copied.
 */
async function writeUnit(
  u: Unit,
  out: string,
  mtime: Date,
  algorithm: DigestAlgorithm,
  withInfo: boolean,
): Promise<{ digests: Digests; infos: Map<string, Promise<BuildInfo>> }> {
  const infos = new Map<string, Promise<BuildInfo>>();
  if (u.format === 'binary') {
    const b = u.binaries[0]!;
    await replaceCopy(b.abs, out);
    await chmod(out, 0o755);
    const digests =
      algorithm === 'sha512'
        ? { sha256: b.sha256, size: b.size, sha512: await hashFile(out, 'sha512') }
        : { sha256: b.sha256, size: b.size };
    return { digests, infos };
  }
  const entries = await readEntries(
    u.binaries.map((b) => ({ file: entryName(u, b), path: b.abs })),
    u.files.map((f) => ({ ...f, name: u.wrap ? `${u.wrap}/${f.name}` : f.name })),
  );
  for (const [i, b] of withInfo ? u.binaries.entries() : []) {
    const info = buildInfo(b.abs, 'go', entries[i]!.data);
    info.catch(() => undefined); // reported by writeSboms, which awaits it; not if the archive fails first
    infos.set(b.abs, info);
  }
  // the build info above has been read from the bytes (synchronously) before they move
  const bytes = u.format === 'zip' ? await zipBytesAsync(entries, mtime, true) : await tarGzAsync(entries, mtime, true);
  await replaceFile(out, bytes);
  return { digests: bytesDigests(bytes, algorithm), infos };
}

/** The SBOM documents of one release file, written beside it. */
async function writeSboms(u: Unit, sha256: string, o: PackageOptions, known: ReadonlyMap<string, Promise<BuildInfo>>): Promise<Artifact[]> {
  if (o.sbom === 'none' || u.binaries.length === 0) return [];
  const readInfo = o.readInfo ?? ((f: string) => known.get(f) ?? buildInfo(f));
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
    const bytes = Buffer.from(sbomJson(doc));
    await replaceFile(file, bytes);
    // the checksums file lists SBOMs too, in the run's algorithm
    const sd = bytesDigests(bytes, o.algorithm);
    out.push({ kind: 'sbom', name, path: posixRel(o.workdir, file), describes: u.name, format, ...sd });
  }
  return out;
}

/** Release files made at once: each takes a deflate worker (deflate/pool.ts) and holds its binaries in memory. */
const PACK_CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));

/**
 * Makes the release files of `bins`, each with its SBOMs. With `ready`, packaging starts before
 * every binary is built: `ready(b)` resolves to `b` with its digest once it is built (or rejects
 * when the build failed), and each release file is made as soon as all its binaries are there, so
 * the archives of the first targets are compressed while the last ones still build.
 */
export async function packageBinaries(
  bins: readonly BinaryRec[],
  o: PackageOptions,
  ready: (b: BinaryRec) => Promise<BinaryRec> = (b) => Promise.resolve(b),
): Promise<Packaged> {
  await realDir(o.dist);
  const units = await planUnits(bins, o);
  // the deflate workers start now, while the first binaries build
  const compressed = units.filter((u) => u.format !== 'binary').length;
  if (compressed) deflatePool().warm(compressed);
  const mtime = new Date(o.created);
  const limit = limiter(PACK_CONCURRENCY);
  const results = await allInOrder(
    units.map(async (planned) => {
      const u: Unit = { ...planned, binaries: await Promise.all(planned.binaries.map(ready)) };
      return limit(async () => {
        const out = distFile(o.dist, u.name);
        const { digests: d, infos } = await writeUnit(u, out, mtime, o.algorithm, o.sbom !== 'none' && !o.readInfo);
        const first = u.binaries[0];
        const archive: Artifact = {
          kind: 'archive',
          name: u.name,
          path: posixRel(o.workdir, out),
          format: u.format,
          id: u.archive.id,
          ...(first ? { os: first.os, arch: first.arch, variant: first.variant, target: first.target, goTarget: first.goTarget } : {}),
          ...(u.wrap ? { wrappedIn: u.wrap } : {}),
          binaries: u.binaries.map((b) => b.name).sort(),
          // the binaries' entries inside the wrapping folder: what a reader of the archive looks for
          ...(u.format === 'binary' ? {} : { binaryFiles: u.binaries.map((b) => entryName({ ...u, wrap: '' }, b)).sort() }),
          ...d,
        };
        return { archive, sboms: await writeSboms(u, d.sha256, o, infos) };
      });
    }),
  );
  return { archives: results.map((r) => r.archive), sboms: results.flatMap((r) => r.sboms) };
}

export interface ChecksumOptions {
  workdir: string;
  dist: string;
  checksum: PlanChecksum;
  /** The algorithm (the input over the file's). */
  algorithm: DigestAlgorithm;
  scope: TemplateScope;
  warn: (message: string) => void;
}

/** The checksums file's name: `checksum.name_template` rendered (goship's default: `<project>_<version>_checksums.txt`). */
export function checksumsName(o: Pick<ChecksumOptions, 'checksum' | 'scope'>): string {
  const t = o.checksum.nameTemplate;
  return checkRenderedName(tmplWhere(t), t.text, renderTmpl(t, templateFields(o.scope)), 'file name');
}

/**
 * The checksums file over the release files (archives, or binaries with the binary format) of the
 * archives `checksum.ids` names, and `checksum.extra_files`; undefined with `checksum.disable`.
 */
export async function writeChecksumsFile(archives: readonly Artifact[], o: ChecksumOptions): Promise<Artifact | undefined> {
  if (o.checksum.disable) return undefined;
  const listed = archives.filter((a) => o.checksum.ids.length === 0 || o.checksum.ids.includes(typeof a.id === 'string' ? a.id : ''));
  const lines: { digest: string; name: string }[] = listed.map((a) => {
    const digest = o.algorithm === 'sha512' ? a.sha512 : a.sha256;
    if (typeof digest !== 'string') {
      throw new GoshipError(`${a.name} has no ${o.algorithm} digest in the manifest.`, 'Build all parts with the same checksum-algorithm');
    }
    return { digest, name: a.name };
  });
  for (const e of o.checksum.extraFiles) {
    const data = templateFields(o.scope);
    const glob = renderTmpl(e.glob, data);
    for (const f of await globFiles(tmplWhere(e.glob), [glob], o.workdir, { warn: o.warn })) {
      const name = e.nameTemplate ? renderTmpl(e.nameTemplate, templateFields(o.scope, undefined, { ArtifactName: f.name })) : f.name;
      lines.push({ digest: o.algorithm === 'sha512' ? await hashFile(f.file, 'sha512') : f.sha256, name });
    }
  }
  if (lines.length === 0) throw new GoshipError('There is nothing to checksum.');
  const name = checksumsName(o);
  const file = distFile(o.dist, name);
  const bytes = Buffer.from(formatChecksums(lines));
  await replaceFile(file, bytes);
  const d = bytesDigests(bytes, 'sha256');
  return { kind: 'checksums', name, path: posixRel(o.workdir, file), algorithm: o.algorithm, sha256: d.sha256, size: d.size };
}

/**
 * With `sha512` every release file the checksums file lists carries that digest: the Linux
 * packages and their SBOMs are hashed with sha256 where nFPM's output is recorded.
 */
export async function withDigest(artifacts: readonly Artifact[], algorithm: DigestAlgorithm, workdir: string): Promise<Artifact[]> {
  if (algorithm !== 'sha512') return [...artifacts];
  return Promise.all(
    artifacts.map(async (a) => (a.sha512 || !a.path ? a : { ...a, sha512: await hashFile(path.join(workdir, a.path), 'sha512') })),
  );
}

/** A platform of a manifest's binary, checked (merge reads them from part manifests). */
export function platformOfRec(b: Pick<BinaryRec, 'os' | 'arch' | 'variant'>): Platform {
  return parsePlatform([b.os, b.arch, b.variant].filter(Boolean).join('/'));
}
