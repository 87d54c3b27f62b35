/**
 * Linux packages from the binaries already built (never a rebuild): one nFPM config per
 * (platform, format), written by goship and run through the pinned nFPM CLI. Reproducible:
 * every file, folder and archive header carries the commit time (nFPM `mtime` and
 * SOURCE_DATE_EPOCH), modes are set explicitly (never the checkout's umask), owners are root
 * unless given, nFPM sorts the entries, rpm's build host is fixed, and nFPM runs with a clean
 * environment (its CLI expands `$VAR` in many fields).
 */
import { hashFile } from '@goship/core/digest';
import { GoshipError, InputError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { type GoTool, installGoTool } from '@goship/core/tools';
import { type ResolvedFile, globFiles } from '@goship/core/manifest';
import type { Artifact } from '@goship/core/manifest';
import { confinePath } from '@goship/core/paths';
import { mapLimit } from '@goship/core/retry';
import { parseSemVer } from '@goship/core/semver';
import { compileTemplate, goreleaserFields } from '@goship/core/template';
import { gzipSync } from 'fflate';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { BinaryRec } from '../package.js';
import { conventionalFileName, formatArch, formatVersion, goamd64, goarm, infoArch, type PackageFormat } from './naming.js';
import { NFPM_MODULE, type PackageSettings, refuseDollar } from './settings.js';
import { debianChangelog, debianCopyright } from './metadata.js';

/** What the package says about itself, defaults filled in (metadata.ts). */
export interface ResolvedMetadata {
  maintainer: string;
  description: string;
  license: string;
  homepage: string;
  vendor: string;
  /** The LICENSE file, when the module has one. */
  licenseFile?: string;
}

export interface PackageContext {
  workdir: string;
  dist: string;
  /** Where staged files and nFPM configs go (removed afterwards). */
  tmp: string;
  project: string;
  module: string;
  version: string;
  tag: string;
  commit: string;
  /** RFC 3339 UTC commit time. */
  commitTime: string;
  /** Built without cgo: Go binaries are static, and lintian is told so. */
  staticBinaries: boolean;
  warn: (message: string) => void;
}

export interface BuiltPackage {
  artifact: Artifact;
  file: string;
  format: PackageFormat;
  platform: string;
  /** Name, version and arch as the format stores them (what verification expects). */
  expect: { name: string; version: string; arch: string; files: string[] };
  /** Lintian tags overridden by goship (shown in the summary). */
  overridden: string[];
}

const render = (input: string, text: string, fields: unknown): string => {
  const out = compileTemplate(text, { where: `input "${input}"` }).execute(fields);
  refuseDollar(input, out);
  return out;
};

function fieldsFor(c: PackageContext, b: BinaryRec, extra: Record<string, unknown>): unknown {
  const sv = parseSemVer(c.version);
  return goreleaserFields({
    projectName: c.project,
    version: c.version,
    modulePath: c.module,
    tag: c.tag,
    commit: c.commit,
    shortCommit: c.commit.slice(0, 7),
    fullCommit: c.commit,
    commitDate: new Date(c.commitTime),
    date: new Date(c.commitTime),
    semver: sv ? { major: sv.major, minor: sv.minor, patch: sv.patch, prerelease: sv.prerelease.join('.') } : undefined,
    artifact: {
      os: b.os,
      arch: b.arch,
      amd64: goamd64(b),
      arm: goarm(b),
      target: `${b.os}_${b.arch}${b.variant ? `_${b.variant}` : ''}`,
      binary: b.name,
    },
    extra,
  });
}

const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

interface NfpmContent {
  src?: string;
  dst: string;
  type?: string;
  packager?: string;
  file_info: { mode?: number; owner?: string; group?: string; mtime: string };
}

/** The content entries of one package: binaries, goship's policy files, then the user's files. */
async function contentsFor(
  s: PackageSettings,
  c: PackageContext,
  group: readonly BinaryRec[],
  meta: ResolvedMetadata,
  name: string,
  format: PackageFormat,
  fields: unknown,
  staged: string,
): Promise<{ contents: NfpmContent[]; overridden: string[] }> {
  const mtime = c.commitTime;
  const contents: NfpmContent[] = [];
  const bindir = render('package-bindir', s.bindir, fields).replace(/\/+$/, '');
  for (const b of [...group].sort((x, y) => (x.file < y.file ? -1 : 1))) {
    contents.push({ src: b.abs, dst: `${bindir}/${b.file}`, file_info: { mode: 0o755, mtime } });
  }
  const overridden: string[] = [];
  const write = async (rel: string, data: Uint8Array | string): Promise<string> => {
    const f = path.join(staged, format, rel);
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, data);
    return f;
  };
  const licenseText = meta.licenseFile ? await readFile(meta.licenseFile, 'utf8') : undefined;
  if (format === 'deb') {
    const copyright = debianCopyright({ name, source: meta.homepage, license: meta.license, text: licenseText });
    contents.push({ src: await write('copyright', copyright), dst: `/usr/share/doc/${name}/copyright`, file_info: { mode: 0o644, mtime } });
    const version = formatVersion('deb', c.version);
    // A version with a `-` reads as non-native to dpkg, whose changelog is then changelog.Debian.gz.
    const changelogName = version.includes('-') ? 'changelog.Debian.gz' : 'changelog.gz';
    const changelog = debianChangelog({ name, version, maintainer: meta.maintainer, date: c.commitTime, tag: c.tag || `v${c.version}` });
    const gz = gzipSync(new TextEncoder().encode(changelog), { level: 9, mtime: 0 });
    gz[9] = 3;
    contents.push({
      src: await write('changelog.gz', gz),
      dst: `/usr/share/doc/${name}/${changelogName}`,
      file_info: { mode: 0o644, mtime },
    });
    const overrides = [...s.lintianOverrides];
    if (c.staticBinaries) {
      // Go binaries are static by design (no cgo); lintian asks for an override for such exceptions.
      overrides.unshift('statically-linked-binary');
      overridden.push('statically-linked-binary');
    }
    if (overrides.length) {
      const text = `${[...new Set(overrides)].map((o) => `${name}: ${o}`).join('\n')}\n`;
      contents.push({ src: await write('lintian', text), dst: `/usr/share/lintian/overrides/${name}`, file_info: { mode: 0o644, mtime } });
    }
  } else if (meta.licenseFile) {
    const type = format === 'rpm' ? { type: 'license' } : {};
    contents.push({
      src: meta.licenseFile,
      dst: `/usr/share/licenses/${name}/${path.basename(meta.licenseFile)}`,
      ...type,
      file_info: { mode: 0o644, mtime },
    });
  }
  // goship's own policy files (copyright, changelog, lintian overrides, license) give way to a
  // file the user puts at the same path, as GoReleaser projects do (fzf ships LICENSE as copyright)
  const generated = contents.length - group.length;
  for (const x of s.contents) {
    if (x.packager && x.packager !== format) continue;
    const dst = render('package-contents', x.dst, fields);
    if (!dst.startsWith('/') || dst.split('/').includes('..')) {
      throw new InputError('package-contents', x.dst, `${x.label}: an absolute path in the package`, `It renders to ${dst}`);
    }
    const info = { owner: x.owner, group: x.group, mtime };
    if (x.type === 'dir') {
      contents.push({ dst, type: 'dir', file_info: { ...info, mode: x.mode ?? 0o755 } });
      continue;
    }
    if (x.type === 'symlink') {
      contents.push({ src: render('package-contents', x.src, fields), dst, type: 'symlink', file_info: info });
      continue;
    }
    const src = render('package-contents', x.src, fields);
    const glob = /[*?[{]/.test(src);
    const files: ResolvedFile[] = glob
      ? await globFiles('package-contents', [src], c.workdir, { warn: c.warn })
      : [await single(src, c.workdir, x.label)];
    for (const f of files) {
      const mode = x.mode ?? ((await stat(f.file)).mode & 0o111 ? 0o755 : 0o644);
      const type = x.type === 'file' ? {} : { type: x.type };
      contents.push({
        src: f.file,
        dst: glob ? `${dst.replace(/\/+$/, '')}/${path.posix.basename(f.relPath)}` : dst,
        ...type,
        file_info: { ...info, mode },
      });
    }
  }
  const userPaths = new Set(contents.slice(group.length + generated).map((e) => e.dst));
  const kept = contents.filter((e, i) => i < group.length || i >= group.length + generated || !userPaths.has(e.dst));
  const seen = new Set<string>();
  for (const e of kept) {
    if (seen.has(e.dst)) {
      throw new InputError(
        'package-contents',
        e.dst,
        'one file per path in the package',
        `${e.dst} is given twice (binaries go to the bindir)`,
      );
    }
    seen.add(e.dst);
  }
  return { contents: kept, overridden };
}

async function single(src: string, workdir: string, label: string): Promise<ResolvedFile> {
  const file = confinePath('package-contents', src, { base: workdir, what: label });
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile())
    throw new InputError('package-contents', src, `${label}: a file in the module`, `There is no file ${src} in ${workdir}`);
  return { name: path.basename(file), file, relPath: src, sha256: '', size: st.size };
}

/** The description nFPM gets: the synopsis, then an extended description (Debian wants both). */
export function fullDescription(description: string, o: { bins: string[]; module: string }): string {
  const lines = description.trim().split('\n');
  const synopsis = lines[0]!.trim().replace(/\.$/, '');
  const rest = lines.slice(1).join('\n').trim();
  return `${synopsis}\n${rest || `Provides ${o.bins.join(', ')}, built from the Go module ${o.module}.`}`;
}

/**
 * Copies of the maintainer scripts carrying the commit time: nFPM's apk packager stamps a script's
 * own mtime (the checkout time) into the control stream, which would make apks differ per checkout.
 */
async function stageScripts(scripts: PackageSettings['scripts'], dir: string, commitTime: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const t = new Date(commitTime);
  for (const [kind, file] of Object.entries(scripts)) {
    await mkdir(dir, { recursive: true });
    const copy = path.join(dir, kind);
    await copyFile(file, copy);
    await utimes(copy, t, t);
    out[kind] = copy;
  }
  return out;
}

export interface NfpmRunner {
  bin: string;
}

export async function installNfpm(version: string): Promise<NfpmRunner> {
  const tool: GoTool = { name: 'nfpm', module: NFPM_MODULE, version };
  return { bin: await installGoTool(tool) };
}

/** Builds every (linux platform × format) package of `bins`. */
export async function buildPackages(
  s: PackageSettings,
  c: PackageContext,
  bins: readonly BinaryRec[],
  meta: ResolvedMetadata,
  nfpm: NfpmRunner,
): Promise<BuiltPackage[]> {
  const groups = new Map<string, BinaryRec[]>();
  for (const b of bins.filter((x) => x.os === 'linux')) groups.set(b.platformName, [...(groups.get(b.platformName) ?? []), b]);
  await mkdir(c.dist, { recursive: true });
  const staged = await mkdtemp(path.join(c.tmp, 'goship-packages-'));
  const out: BuiltPackage[] = [];
  const jobs: {
    cfgFile: string;
    target: string;
    dir: string;
    format: PackageFormat;
    platform: string;
    fileName: string;
    name: string;
    first: BinaryRec;
    group: BinaryRec[];
    contents: NfpmContent[];
    overridden: string[];
  }[] = [];
  const names = new Map<string, string>();
  try {
    for (const [platform, group] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const first = group[0]!;
      for (const format of s.formats) {
        const base = fieldsFor(c, first, { Format: format, Release: '', Epoch: '' });
        const name = render('package-name', s.name, base);
        if (!PACKAGE_NAME.test(name)) {
          throw new InputError(
            'package-name',
            s.name,
            'a package name of lower-case letters, digits, `+`, `-` and `.` (at least two)',
            `It renders to ${JSON.stringify(name)}`,
          );
        }
        const conventional = conventionalFileName(format, name, c.version, first);
        const ext = `.${format}`;
        const fields = fieldsFor(c, first, {
          Format: format,
          Release: '',
          Epoch: '',
          PackageName: name,
          ConventionalFileName: conventional,
          ConventionalExtension: ext,
        });
        let fileName = render('package-file-name', s.fileName, fields);
        if (!fileName.endsWith(ext)) fileName += ext;
        if (/[/\\]/.test(fileName) || fileName.startsWith('.')) {
          throw new InputError(
            'package-file-name',
            s.fileName,
            'a file name without `/` or `\\`',
            `It renders to ${fileName}; packages are written straight into \`dist\``,
          );
        }
        const prev = names.get(fileName);
        if (prev) {
          throw new GoshipError(
            `Two packages would be written as ${fileName} (${prev} and ${platform} ${format}).`,
            'Give `package-file-name` the fields that tell them apart: {{ .Arch }}, {{ .Arm }}, {{ .Amd64 }} or {{ .ConventionalFileName }}',
          );
        }
        names.set(fileName, `${platform} ${format}`);
        const dir = path.join(staged, platform.replaceAll('/', '_'));
        const { contents, overridden } = await contentsFor(s, c, group, meta, name, format, fields, dir);
        const bindir = render('package-bindir', s.bindir, fields).replace(/\/+$/, '');
        const scripts = await stageScripts(s.scripts, path.join(dir, 'scripts'), c.commitTime);
        const config: Record<string, unknown> = {
          name,
          arch: infoArch(first),
          platform: 'linux',
          version: c.version,
          version_schema: 'semver',
          section: s.section,
          priority: s.priority,
          maintainer: meta.maintainer,
          description: fullDescription(meta.description, { bins: group.map((b) => `${bindir}/${b.file}`).sort(), module: c.module }),
          vendor: meta.vendor || undefined,
          homepage: meta.homepage,
          license: meta.license,
          mtime: c.commitTime,
          disable_globbing: true,
          depends: s.depends.length ? s.depends : undefined,
          recommends: s.recommends.length ? s.recommends : undefined,
          conflicts: s.conflicts.length ? s.conflicts : undefined,
          contents,
          scripts: Object.keys(scripts).length ? scripts : undefined,
          rpm: { buildhost: 'goship' },
          ...(first.arch === 'amd64' && first.variant && first.variant !== 'v1' ? { deb: { arch_variant: `amd64${first.variant}` } } : {}),
        };
        const cfgFile = path.join(dir, `nfpm-${format}.yaml`);
        await mkdir(dir, { recursive: true });
        await writeFile(cfgFile, stringify(config, { lineWidth: 0 }));
        const target = path.join(c.dist, fileName);
        jobs.push({ cfgFile, target, dir, format, platform, fileName, name, first, group, contents, overridden });
      }
    }
    // nFPM processes are independent: as many at once as there are cores (GoReleaser runs its
    // packagers in parallel too); results keep the planned order.
    const built = await mapLimit(jobs, Math.max(1, os.availableParallelism()), async (j) => {
      await run(nfpm.bin, ['package', '--config', j.cfgFile, '--packager', j.format, '--target', j.target], {
        cleanEnv: true,
        env: {
          PATH: process.env.PATH,
          HOME: j.dir,
          TMPDIR: j.dir,
          TZ: 'UTC',
          SOURCE_DATE_EPOCH: String(Math.floor(Date.parse(c.commitTime) / 1000)),
        },
        silent: true,
        fix: `nFPM could not build the ${j.format} package for ${j.platform}; its message is above`,
      });
      const [sha256, st] = await Promise.all([hashFile(j.target), stat(j.target)]);
      const pkg: BuiltPackage = {
        file: j.target,
        format: j.format,
        platform: j.platform,
        overridden: j.overridden,
        expect: {
          name: j.name,
          version: formatVersion(j.format, c.version),
          arch: formatArch(j.format, j.first),
          files: j.contents.filter((e) => e.type !== 'dir').map((e) => e.dst),
        },
        artifact: {
          kind: 'package',
          name: j.fileName,
          path: path.relative(c.workdir, j.target).split(path.sep).join('/'),
          format: j.format,
          os: j.first.os,
          arch: j.first.arch,
          variant: j.first.variant,
          binaries: j.group.map((b) => b.name).sort(),
          packageName: j.name,
          packageVersion: formatVersion(j.format, c.version),
          packageArch: formatArch(j.format, j.first),
          sha256,
          size: st.size,
        },
      };
      return pkg;
    });
    out.push(...built);
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  return out;
}
