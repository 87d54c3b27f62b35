/**
 * Every input read and checked before anything runs: a bad value fails with an InputError that
 * names the input, what was given and what is accepted.
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { DEFAULT_PLATFORMS, type Platform } from '@goship/core/platform';
import { explainInvalid, parseSemVer } from '@goship/core/semver';
import path from 'node:path';
import { LDFLAGS_VARS, NAME_VARS, checkTemplate } from './template.js';

export const DEFAULT_LDFLAGS = '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}}';
export const DEFAULT_ARCHIVE_NAME = '{{.Project}}_{{.Version}}_{{.Os}}_{{.Arch}}{{.Variant}}';

export type ArchiveFormat = 'tar.gz' | 'zip' | 'binary';
export type SbomFormat = 'spdx' | 'cyclonedx' | 'both' | 'none';

export interface Split {
  index: number;
  total: number;
}

export interface Config {
  workdir: string;
  mains: string[];
  binaryName: string;
  platforms: Platform[];
  version: string;
  ldflags: string;
  flags: string[];
  tags: string;
  cgo: boolean;
  env: Record<string, string>;
  reproducible: boolean;
  verifyReproducible: boolean;
  archiveFormat: ArchiveFormat;
  archiveName: string;
  archiveNameSet: boolean;
  archiveFiles: string[];
  checksumAlgorithm: 'sha256' | 'sha512';
  sbom: SbomFormat;
  smokeTest: string[];
  parallelism: 'auto' | number;
  dist: string;
  split?: Split;
  /** Folder holding the part manifests, when merging. */
  merge?: string;
  manifest: string;
}

export function parseSplit(v: string): Split {
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(v.trim());
  const expected = '`i/n` with 1 ≤ i ≤ n, e.g. `2/3`';
  if (!m) throw new InputError('split', v, expected, 'Use one job per part: `split: ${{ matrix.part }}/3`');
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total || total > 256) {
    throw new InputError('split', v, expected, `Part ${index} does not exist in a split of ${total}`);
  }
  return { index, total };
}

/** Splits a flag string on whitespace like a shell would split words, honouring '…' and "…" (no expansion). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  let quote: string | undefined;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur ??= '';
    } else if (/\s/.test(c)) {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + c;
  }
  if (quote) throw new InputError('flags', s, 'balanced quotes', `A ${quote} is not closed`);
  if (cur !== undefined) out.push(cur);
  return out;
}

export function readConfig(inputs: Inputs): Config {
  const workdir = path.resolve(inputs.string('working-directory', { default: '.' }));
  const mains = inputs.list('main');
  const binaryName = inputs.string('binary-name');
  if (binaryName && mains.length > 1) {
    throw new InputError(
      'binary-name',
      binaryName,
      'a name only when `main` names one package',
      `main lists ${mains.length}: ${mains.join(', ')}`,
    );
  }
  if (binaryName && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(binaryName)) {
    throw new InputError(
      'binary-name',
      binaryName,
      'a file name of letters, digits, `.`, `_` and `-`',
      'Leave it out to use the package name',
    );
  }
  const platforms = inputs.platforms('platforms', [...DEFAULT_PLATFORMS]);
  if (platforms.length === 0) throw new InputError('platforms', '', 'at least one GOOS/GOARCH', 'Leave it out for the defaults');

  let version = inputs.string('version');
  if (version) {
    const bare = version.replace(/^v(?=\d)/, '');
    if (!parseSemVer(bare)) {
      throw new InputError('version', version, 'a SemVer 2.0.0 version such as `1.4.0` or `1.4.0-rc.1`', explainInvalid(bare));
    }
    version = bare;
  }

  const ldflags = inputs.string('ldflags');
  checkTemplate('ldflags', ldflags, LDFLAGS_VARS);
  const archiveNameRaw = inputs.string('archive-name');
  const archiveName = archiveNameRaw || DEFAULT_ARCHIVE_NAME;
  checkTemplate('archive-name', archiveName, NAME_VARS);
  if (/[/\\]/.test(archiveName)) {
    throw new InputError('archive-name', archiveName, 'a file name without `/` or `\\`', 'Archives are written straight into `dist`');
  }

  const parallelism = inputs.intOr('parallelism', ['auto'] as const, 'auto', { min: 1, max: 256 });
  const splitRaw = inputs.string('split');
  const mergeRaw = inputs.string('merge');
  const dist = inputs.string('dist', { default: 'dist' });
  if (splitRaw && mergeRaw && !['false'].includes(mergeRaw)) {
    throw new InputError(
      'merge',
      mergeRaw,
      'no merge in a split job',
      'Build parts with `split: i/n` in one job each, then merge them in a later job without `split`',
    );
  }
  const merge =
    !mergeRaw || mergeRaw === 'false' ? undefined : mergeRaw === 'true' ? path.resolve(workdir, dist) : path.resolve(workdir, mergeRaw);
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
  const manifestRaw = inputs.string('manifest');
  const split = splitRaw ? parseSplit(splitRaw) : undefined;
  const distAbs = path.resolve(workdir, dist);
  const manifest = manifestRaw
    ? path.resolve(workdir, manifestRaw)
    : path.join(distAbs, split ? `goship-manifest.part-${split.index}-of-${split.total}.json` : 'goship-manifest.json');

  return {
    workdir,
    mains,
    binaryName,
    platforms,
    version,
    ldflags,
    flags: splitArgs(inputs.string('flags', { default: '-trimpath' })),
    tags: inputs
      .string('tags')
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(','),
    cgo: inputs.bool('cgo', false),
    env: inputs.keyValues('env'),
    reproducible,
    verifyReproducible,
    archiveFormat: inputs.oneOf('archive-format', ['tar.gz', 'zip', 'binary'] as const, 'tar.gz'),
    archiveName,
    archiveNameSet: archiveNameRaw !== '' && archiveNameRaw !== DEFAULT_ARCHIVE_NAME,
    archiveFiles: inputs.list('archive-files'),
    checksumAlgorithm: inputs.oneOf('checksum-algorithm', ['sha256', 'sha512'] as const, 'sha256'),
    sbom: inputs.oneOf('sbom', ['spdx', 'cyclonedx', 'both', 'none'] as const, 'spdx'),
    smokeTest: splitArgs(inputs.string('smoke-test')),
    parallelism,
    dist: distAbs,
    split,
    merge,
    manifest,
  };
}
