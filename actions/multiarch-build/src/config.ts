/**
 * Every input read and checked before anything runs, into one typed `Config`: the one place the
 * action's settings come from (a `.goreleaser.yaml` reader plugs in here). A bad value fails with
 * an InputError that names the input, what was given and what is accepted. Paths go through core's
 * path policy (workspace or RUNNER_TEMP, symlinks followed), package patterns and build tags
 * through their grammar, flags through the go command's quoting.
 */
import type { Inputs } from '@goship/core/action';
import { checkBuildTags, checkPackagePattern, splitArgs } from '@goship/core/args';
import { InputError } from '@goship/core/errors';
import { DEFAULT_PLATFORMS, type Platform } from '@goship/core/platform';
import { confinePath, isInside } from '@goship/core/paths';
import { partitionBounds } from '@goship/core/partition';
import { explainInvalid, parseSemVer } from '@goship/core/semver';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { archiveFiles } from './archive.js';
import { isFileName } from './dist.js';
import { type ImageConfig, imagePlatforms, readImageConfig } from './image/config.js';
import { type GoreleaserFile, readGoreleaserFile } from './goreleaser-file.js';
import { GOSHIP_ARCHIVE_FILES, GOSHIP_ARCHIVE_NAME } from './release-plan.js';
import { checkTemplateSyntax, inputWhere } from './template.js';

export const DEFAULT_ARCHIVE_NAME = GOSHIP_ARCHIVE_NAME;
/** `go build` flags goship sets itself or takes from their own inputs; `-C` and `-o` would move what is read or written. */
export const OWNED_FLAGS = ['o', 'C', 'ldflags', 'tags'] as const;
export const BINARY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export type ArchiveFormat = 'tar.gz' | 'zip' | 'binary';
export type SbomFormat = 'spdx' | 'cyclonedx' | 'both' | 'none';

export interface Split {
  index: number;
  total: number;
}

export interface BuildConfig {
  /** The module folder: a real path inside the workspace. */
  workdir: string;
  /** Package patterns, checked against their grammar. */
  mains: string[];
  binaryName: string;
  platforms: Platform[];
  /** `platforms` was given (with a GoReleaser file it then replaces every build's targets). */
  platformsGiven: boolean;
  version: string;
  ldflags: string;
  flags: string[];
  /** Comma-joined, each checked. */
  tags: string;
  /** The `cgo` input; undefined when not given (the file's CGO_ENABLED, else 0). */
  cgo: boolean | undefined;
  env: Record<string, string>;
  reproducible: boolean;
  verifyReproducible: boolean;
  smokeTest: string[];
  parallelism: 'auto' | number;
}

/** Packaging inputs; each is undefined (or '') when not given, so a GoReleaser file's setting applies. */
export interface PackageConfig {
  archiveFormat: ArchiveFormat | undefined;
  /** '' when not given. */
  archiveName: string;
  archiveNameSet: boolean;
  /** Glob patterns relative to workdir (checked against the path policy); undefined when not given. */
  archiveFiles: string[] | undefined;
  checksumAlgorithm: 'sha256' | 'sha512' | undefined;
  sbom: SbomFormat;
}

export interface Config extends BuildConfig, PackageConfig {
  /** The GoReleaser file read (input `config`), undefined with `none` or when the module has none. */
  goreleaser?: GoreleaserFile;
  /** The output folder: a real path inside the workspace. */
  dist: string;
  split?: Split;
  /** The folder holding the part manifests, when merging; `given` is the input as written. */
  merge?: { dir: string; given: string };
  manifest: string;
  /** Undefined: no image. */
  image?: ImageConfig;
}

export function parseSplit(v: string): Split {
  const m = /^(\d{1,3})\s*\/\s*(\d{1,3})$/.exec(v.trim());
  const expected = '`i/n` with 1 ≤ i ≤ n ≤ 256, e.g. `2/3`';
  if (!m) throw new InputError('split', v, expected, 'Use one job per part: `split: ${{ matrix.part }}/3`');
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total || total > 256) {
    throw new InputError('split', v, expected, `Part ${index} does not exist in a split of ${total}`);
  }
  return { index, total };
}

/** A split of the platform list; more parts than platforms would leave a part with nothing to build. */
export function checkSplit(split: Split, platforms: readonly Platform[]): Split {
  if (split.total > platforms.length) {
    throw new InputError(
      'split',
      `${split.index}/${split.total}`,
      `at most ${platforms.length} parts (one platform at least in each: there are ${platforms.length} platforms)`,
      'Use fewer parts, or add platforms',
    );
  }
  partitionBounds(platforms.length, split.index, split.total);
  return split;
}

/** `flags`: go build flags only (each field starts with `-`), none of those goship owns. */
export function checkFlags(flags: readonly string[]): string[] {
  for (const f of flags) {
    const name = /^--?([^=]*)/.exec(f)?.[1];
    if (name === undefined || name === '') {
      throw new InputError('flags', f, '`go build` flags, each starting with `-` (e.g. `-trimpath -v`)', 'Packages go in `main`');
    }
    if ((OWNED_FLAGS as readonly string[]).includes(name)) {
      throw new InputError(
        'flags',
        f,
        `flags other than ${OWNED_FLAGS.map((o) => `-${o}`).join(', ')}`,
        name === 'ldflags' || name === 'tags' ? `Use the \`${name}\` input` : 'goship decides where binaries are written and read from',
      );
    }
  }
  return [...flags];
}

export function parseVersion(given: string): string {
  if (given === '') return '';
  const bare = given.replace(/^v(?=\d)/, '');
  if (!parseSemVer(bare)) {
    throw new InputError('version', given, 'a SemVer 2.0.0 version such as `1.4.0` or `1.4.0-rc.1`', explainInvalid(bare));
  }
  return bare;
}

/** `main`: package patterns of the module; a folder must really be inside it (symlinks followed). */
export function checkMains(mains: readonly string[], workdir: string): string[] {
  for (const m of mains) {
    checkPackagePattern('main', m, workdir);
    if (m.startsWith('./')) {
      const real = confinePath('main', m.replace(/\/\.\.\.$/, ''), { base: workdir, what: 'a main package folder' });
      if (!isInside(real, workdir)) {
        throw new InputError('main', m, 'a folder inside the module', `It resolves to ${real}, outside ${workdir}`);
      }
    }
  }
  return [...mains];
}

function readBuild(inputs: Inputs, workdir: string): BuildConfig {
  const mains = checkMains(inputs.list('main'), workdir);
  const binaryName = inputs.string('binary-name');
  if (binaryName && mains.length > 1) {
    throw new InputError(
      'binary-name',
      binaryName,
      'a name only when `main` names one package',
      `main lists ${mains.length}: ${mains.join(', ')}`,
    );
  }
  if (binaryName && !BINARY_NAME.test(binaryName)) {
    throw new InputError(
      'binary-name',
      binaryName,
      'a file name of letters, digits, `.`, `_` and `-`',
      'Leave it out to use the package name',
    );
  }
  const platformsGiven = inputs.string('platforms') !== '';
  const platforms = inputs.platforms('platforms', DEFAULT_PLATFORMS);
  if (platforms.length === 0) throw new InputError('platforms', '', 'at least one GOOS/GOARCH', 'Leave it out for the defaults');
  const ldflags = inputs.string('ldflags');
  checkTemplateSyntax(inputWhere('ldflags'), ldflags);
  const reproducible = inputs.bool('reproducible', true);
  const verifyReproducible = inputs.bool('verify-reproducible', false);
  if (verifyReproducible && !reproducible) {
    throw new InputError(
      'verify-reproducible',
      'true',
      '`false` when `reproducible: false`',
      'Only a reproducible build can be proven; set `reproducible: true`',
    );
  }
  return {
    workdir,
    mains,
    binaryName,
    platforms,
    platformsGiven,
    version: parseVersion(inputs.string('version')),
    ldflags,
    flags: checkFlags(splitArgs(inputs.string('flags'), 'flags')),
    tags: checkBuildTags(
      'tags',
      inputs
        .string('tags')
        .split(/[\s,]+/)
        .filter(Boolean),
    ).join(','),
    cgo: inputs.string('cgo') === '' ? undefined : inputs.bool('cgo', false),
    env: inputs.keyValues('env'),
    reproducible,
    verifyReproducible,
    smokeTest: splitArgs(inputs.string('smoke-test'), 'smoke-test'),
    parallelism: inputs.intOr('parallelism', ['auto'] as const, 'auto', { min: 1, max: 256 }),
  };
}

async function readPackaging(inputs: Inputs, workdir: string): Promise<PackageConfig> {
  const archiveNameRaw = inputs.string('archive-name');
  const archiveName = archiveNameRaw || DEFAULT_ARCHIVE_NAME;
  checkTemplateSyntax(inputWhere('archive-name'), archiveName);
  if (!isFileName(archiveName.replace(/\{\{.*?\}\}/gs, 'x'))) {
    throw new InputError(
      'archive-name',
      archiveName,
      'a file name without `/`, `\\` or control characters',
      'Archives are written straight into `dist`',
    );
  }
  const archiveFormat =
    inputs.string('archive-format') === '' ? undefined : inputs.oneOf('archive-format', ['tar.gz', 'zip', 'binary'] as const, 'tar.gz');
  const patterns = inputs.string('archive-files') === '' ? undefined : inputs.list('archive-files');
  // Checked now, before anything is written; collected again when the archives are made.
  await archiveFiles(workdir, patterns ?? GOSHIP_ARCHIVE_FILES, () => undefined);
  return {
    archiveFormat,
    archiveName: archiveNameRaw === DEFAULT_ARCHIVE_NAME ? '' : archiveNameRaw,
    archiveNameSet: archiveNameRaw !== '' && archiveNameRaw !== DEFAULT_ARCHIVE_NAME,
    archiveFiles: patterns,
    checksumAlgorithm:
      inputs.string('checksum-algorithm') === '' ? undefined : inputs.oneOf('checksum-algorithm', ['sha256', 'sha512'] as const, 'sha256'),
    sbom: inputs.oneOf('sbom', ['spdx', 'cyclonedx', 'both', 'none'] as const, 'spdx'),
  };
}

async function readWorkdir(inputs: Inputs): Promise<string> {
  const given = inputs.string('working-directory', { default: '.' });
  const workdir = confinePath('working-directory', given, { what: 'the module folder' });
  if (!(await stat(workdir).catch(() => undefined))?.isDirectory()) {
    throw new InputError('working-directory', given, 'a folder that exists', 'Point it at the Go module (the folder holding go.mod)');
  }
  return workdir;
}

/** `dist`, `manifest` and `merge`: confined, and `dist` a folder of its own (not the module or above it). */
function readOutputs(
  inputs: Inputs,
  workdir: string,
  split: Split | undefined,
  fileDist: string | undefined,
): Pick<Config, 'dist' | 'merge' | 'manifest'> {
  const distGiven = inputs.string('dist', { default: fileDist ?? 'dist' });
  const dist = confinePath('dist', distGiven, { base: workdir, what: 'the output folder' });
  if (isInside(workdir, dist)) {
    throw new InputError(
      'dist',
      distGiven,
      'a folder of its own for the outputs, e.g. `dist`',
      `It resolves to ${dist}, which holds the module`,
    );
  }
  const manifestGiven = inputs.string('manifest');
  const manifest = manifestGiven
    ? confinePath('manifest', manifestGiven, { base: workdir, what: 'the manifest' })
    : confinePath(
        'manifest',
        path.join(dist, split ? `goship-manifest.part-${split.index}-of-${split.total}.json` : 'goship-manifest.json'),
        {
          what: 'the default manifest in dist',
        },
      );
  const mergeGiven = inputs.string('merge');
  if (split && mergeGiven && mergeGiven !== 'false') {
    throw new InputError(
      'merge',
      mergeGiven,
      'no merge in a split job',
      'Build parts with `split: i/n` in one job each, then merge them in a later job without `split`',
    );
  }
  const merge =
    !mergeGiven || mergeGiven === 'false'
      ? undefined
      : {
          dir: mergeGiven === 'true' ? dist : confinePath('merge', mergeGiven, { base: workdir, what: 'the parts folder' }),
          given: mergeGiven,
        };
  return { dist, manifest, merge };
}

export async function readConfig(inputs: Inputs): Promise<Config> {
  const workdir = await readWorkdir(inputs);
  const build = readBuild(inputs, workdir);
  const goreleaser = await readGoreleaserFile(inputs, workdir);
  const splitGiven = inputs.string('split');
  const split = splitGiven ? parseSplit(splitGiven) : undefined;
  // without a file the platforms are known now; a file's targets are counted when the plan is made
  if (split && !goreleaser) checkSplit(split, build.platforms);
  const outputs = readOutputs(inputs, workdir, split, goreleaser?.config.dist);
  const packaging = await readPackaging(inputs, workdir);
  const image = readImageConfig(inputs, workdir);
  // A merge learns its platforms from the parts and checks the image platforms then.
  if (image && !outputs.merge && !goreleaser) imagePlatforms(image, build.platforms, 'platforms that are built');
  return { ...build, ...packaging, ...outputs, split, image, goreleaser };
}
