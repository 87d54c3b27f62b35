/**
 * What multiarch-build makes, in one shape whether it comes from a `.goreleaser.yaml` or from the
 * inputs alone: builds (each a main package over targets, with its binary-name template and its
 * build details per target), archives (which builds, name template, formats per goos, files,
 * wrapping), the checksums file and the before hooks. The rest of the action works on this plan,
 * so a GoReleaser file and goship's own inputs take one path through build → archive → checksum.
 *
 * With a file, the explicit inputs override it: inputs that choose one value (platforms, version,
 * archive-format, archive-name, archive-files, checksum-algorithm, cgo, main, binary-name) replace
 * the file's; ldflags, flags, tags and env are added to the file's.
 */
import {
  type ArchiveFile,
  type BuildDetails,
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_BINARY_ARCHIVE_NAME,
  type GoTarget,
  type GoreleaserConfig,
  type Hook,
  type NotApplied,
  type OverrideFormat,
  type Tmpl,
  buildDetailsFor,
  describe,
  fixTarget,
  formatsFor,
  isDefault,
  packageInputs,
  parseTarget,
  targetEnv,
  targetPlatform,
} from '@goship/core/config';
import { InputError } from '@goship/core/errors';
import { type Platform, formatPlatform, platformEnv, platformId, variantEnv } from '@goship/core/platform';
import type { ArchiveFormat, Config } from './config.js';

export interface PlanTarget {
  /** The target's part of the binary folder and its key: `linux_amd64_v1` (file) or `linux_amd64` (inputs). */
  id: string;
  /** GoReleaser's target fields (`.Os`, `.Arm`, `.Target` …). */
  go: GoTarget;
  /** goship's platform (default variants left out): `linux/arm/v7`, `linux/amd64/v3`. */
  platform: Platform;
  /** GOOS, GOARCH and the variant variables the target is built with. */
  env: Record<string, string>;
}

export interface PlanBuild {
  id: string;
  /** For messages: `builds[0] (.goreleaser.yaml:4)` or `input "main"`. */
  where: string;
  /** The package given to `go build`, relative to `dir`: `.`, `./cmd/tool`, or `./cmd/...` (inputs: found). */
  main: string;
  /** Folder `go build` runs in, relative to the module folder. */
  dir: string;
  /** Binary name template, without `.exe`. */
  binary: Tmpl;
  /** The binary name came from the main package (inputs) rather than a template. */
  binaryFromPackage: boolean;
  targets: PlanTarget[];
  details: (t: PlanTarget) => BuildDetails;
  /** True when the ldflags are the defaults (no file or input set them): version variables are then looked for. */
  defaultLdflags: boolean;
  hooks: { pre: Hook[]; post: Hook[] };
  modTimestamp?: Tmpl;
  skip?: Tmpl;
  noUniqueDistDir?: Tmpl;
  /** CGO_ENABLED as the file sets it for this build (undefined: not set, goship's default 0 applies). */
  cgo?: '0' | '1';
}

export type PlanFiles =
  /** goship's `archive-files`: globs, each match stored under its base name with mode 0644. */
  | { kind: 'globs'; patterns: string[] }
  /** GoReleaser's `archives[].files`: src/dst/strip_parent/info, the file's own mode. */
  | { kind: 'goreleaser'; files: ArchiveFile[] };

export interface PlanArchive {
  id: string;
  where: string;
  /** Build ids; empty = every build. */
  ids: string[];
  nameTemplate: Tmpl;
  formats: (goos: string) => readonly OverrideFormat[];
  /** The folder every entry is put in (a template), or undefined. */
  wrap?: Tmpl;
  stripBinaryDirectory: boolean;
  files: PlanFiles;
  meta: boolean;
  /** `.Binary` of an archive of several binaries: the first one's (GoReleaser) or the project's (goship). */
  binaryField: 'first' | 'project';
}

export interface PlanChecksum {
  nameTemplate: Tmpl;
  algorithm: 'sha256' | 'sha512';
  disable: boolean;
  /** Archive ids whose files are listed; empty = all. */
  ids: string[];
  extraFiles: { glob: Tmpl; nameTemplate?: Tmpl }[];
}

export interface Plan {
  /** The GoReleaser file used, as shown in messages; undefined: the inputs alone. */
  file?: string;
  /** Global `env` templates of the file (`.Env` sees them). */
  env: Tmpl[];
  before: Hook[];
  builds: PlanBuild[];
  archives: PlanArchive[];
  checksum: PlanChecksum;
  /** The snapshot version template (a file), else goship's `0.0.0-SNAPSHOT-<commit>`. */
  snapshot?: Tmpl;
  /** What the file sets that goship does not do, with the reason. */
  notApplied: NotApplied[];
}

const lit = (text: string, key: string): Tmpl => ({ text, where: { key, file: '', line: 0, col: 0 } });
const inputTmpl = (text: string, input: string): Tmpl => ({ text, where: { key: `input "${input}"`, file: '', line: 0, col: 0 } });

/** The GoReleaser target of a goship platform, default variants filled in (`linux/amd64` → `linux_amd64_v1`). */
export function goTargetOf(p: Platform): GoTarget {
  const v = variantEnv(p)?.value;
  const base = `${p.os}_${p.arch}`;
  return parseTarget(v ? `${base}_${v}` : fixTarget(base));
}

const DEFAULT_VARIANT: Readonly<Record<string, string>> = {
  amd64: 'v1',
  arm64: 'v8.0',
  '386': 'sse2',
  mips: 'hardfloat',
  mipsle: 'hardfloat',
  mips64: 'hardfloat',
  mips64le: 'hardfloat',
  ppc64: 'power8',
  ppc64le: 'power8',
  riscv64: 'rva20u64',
};

/** goship's platform of a GoReleaser target: the default variant left out, arm's spelled `v6`. */
export function platformOfTarget(t: GoTarget): Platform {
  const p = targetPlatform(t);
  if (p.variant === DEFAULT_VARIANT[p.arch]) return { ...p, variant: '' };
  if (p.arch === 'arm' && /^\d$/.test(p.variant)) return { ...p, variant: `v${p.variant}` };
  return p;
}

function inputTarget(p: Platform): PlanTarget {
  return { id: platformId(p), go: goTargetOf(p), platform: p, env: platformEnv(p) };
}

function fileTarget(t: GoTarget): PlanTarget {
  // GoReleaser sets every variant variable, empty ones too: the same environment builds the same binary
  return { id: t.target, go: t, platform: platformOfTarget(t), env: targetEnv(t) };
}

/** Every target of the plan once, in the order the builds list them: what `split` divides. */
export function planTargets(plan: Pick<Plan, 'builds'>): PlanTarget[] {
  const seen = new Map<string, PlanTarget>();
  for (const b of plan.builds) for (const t of b.targets) if (!seen.has(t.id)) seen.set(t.id, t);
  return [...seen.values()];
}

/** goship's own defaults when there is no GoReleaser file. */
export const GOSHIP_LDFLAGS = '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}}';
export const GOSHIP_ARCHIVE_NAME = '{{.Project}}_{{.Version}}_{{.Os}}_{{.Arch}}{{.Variant}}';
export const GOSHIP_ARCHIVE_FILES = ['LICENSE*', 'README*', 'CHANGELOG*'];
export const GOSHIP_CHECKSUM_NAME = '{{ .ProjectName }}_{{ .Version }}_checksums.txt';

function inputDetails(cfg: Config, base: BuildDetails | undefined, defaultLdflags: string): BuildDetails {
  const ldflags = [...(base?.ldflags ?? [lit(defaultLdflags, 'ldflags (default)')])];
  if (cfg.ldflags) ldflags.push(inputTmpl(cfg.ldflags, 'ldflags'));
  const flags = [...(base?.flags ?? [])];
  // the input's flags are already split with Go's quoting: one literal template each
  for (const f of cfg.flags) flags.push(inputTmpl(f.replace(/\{\{/g, '{{"{{"}}'), 'flags'));
  const tags = [...(base?.tags ?? [])];
  for (const t of cfg.tags ? cfg.tags.split(',') : []) tags.push(inputTmpl(t, 'tags'));
  const env = [...(base?.env ?? [])];
  // the env input comes last so that its keys win (GoReleaser: the last KEY= counts)
  for (const [k, v] of Object.entries(cfg.env)) env.push(inputTmpl(`${k}=${v.replace(/\{\{/g, '{{"{{"}}')}`, 'env'));
  return {
    buildmode: base?.buildmode ?? '',
    ldflags,
    flags,
    tags,
    asmflags: base?.asmflags ?? [],
    gcflags: base?.gcflags ?? [],
    env,
  };
}

/**
 * The name template of a file's archive: `archive-format: binary` over a file that names no
 * template gets GoReleaser's default for bare binaries (`{{ .Binary }}_…`), as if the file had said
 * `formats: [binary]`; a template the file gives is kept.
 */
function archiveName(t: Tmpl, format: ArchiveFormat | undefined): Tmpl {
  return format === 'binary' && isDefault(t.where) && t.text === DEFAULT_ARCHIVE_NAME ? { ...t, text: DEFAULT_BINARY_ARCHIVE_NAME } : t;
}

/** The archive formats goship's `archive-format` input means: tar.gz, with zip for Windows. */
function inputFormats(format: ArchiveFormat): (goos: string) => readonly OverrideFormat[] {
  return (goos) => (format === 'tar.gz' && goos === 'windows' ? ['zip'] : [format]);
}

/** The plan of the inputs alone: one build per main package (found when the build starts). */
export function planFromInputs(cfg: Config): Plan {
  return {
    env: [],
    before: [],
    builds: [],
    archives: [
      {
        id: 'default',
        where: 'input "archive-name"',
        ids: [],
        nameTemplate: inputTmpl(cfg.archiveName || GOSHIP_ARCHIVE_NAME, 'archive-name'),
        formats: inputFormats(cfg.archiveFormat ?? 'tar.gz'),
        stripBinaryDirectory: false,
        files: { kind: 'globs', patterns: cfg.archiveFiles ?? GOSHIP_ARCHIVE_FILES },
        meta: false,
        binaryField: 'project',
      },
    ],
    checksum: {
      nameTemplate: lit(GOSHIP_CHECKSUM_NAME, 'checksum name'),
      algorithm: cfg.checksumAlgorithm ?? 'sha256',
      disable: false,
      ids: [],
      extraFiles: [],
    },
    notApplied: [],
  };
}

/** The builds of the inputs alone: one per main package, on the platforms input. */
export function inputBuilds(cfg: Config, mains: readonly { arg: string; binary: string }[]): PlanBuild[] {
  const targets = cfg.platforms.map(inputTarget);
  return mains.map((m) => {
    const details = inputDetails(cfg, undefined, GOSHIP_LDFLAGS);
    return {
      id: m.binary,
      where: 'input "main"',
      main: m.arg,
      dir: '.',
      binary: lit(m.binary.replace(/\{\{/g, '{{"{{"}}'), 'binary-name'),
      binaryFromPackage: true,
      targets,
      details: () => details,
      defaultLdflags: !cfg.ldflags,
      hooks: { pre: [], post: [] },
      cgo: undefined,
    };
  });
}

function notAppliedOf(gr: GoreleaserConfig): NotApplied[] {
  // nfpms entries after the first (the package inputs carry one set)
  const out = [...gr.notApplied, ...packageInputs(gr).notApplied];
  const add = (key: string, where: string, reason: string): void => {
    if (!out.some((n) => n.key === key)) out.push({ key, where, reason });
  };
  const at = (t: { where: { file: string; line: number } }): string => (t.where.line ? `${t.where.file}:${t.where.line}` : 'default');
  for (const a of gr.archives) {
    for (const [j, f] of a.files.entries()) {
      for (const k of ['owner', 'group', 'mtime'] as const) {
        const v = f.info[k];
        if (v)
          add(
            `${a.key}.files[${j}].info.${k}`,
            at(v),
            'goship archives have uid/gid 0 without names and the commit time on every entry, so that rebuilds are byte-identical',
          );
      }
    }
    for (const k of ['owner', 'group', 'mtime'] as const) {
      const v = a.buildsInfo[k];
      if (v) add(`${a.key}.builds_info.${k}`, at(v), 'goship archives have uid/gid 0 without names and the commit time on every entry');
    }
    if (a.allowDifferentBinaryCount)
      add(
        `${a.key}.allow_different_binary_count`,
        gr.where(`${a.key}.allow_different_binary_count`).file
          ? at({ where: gr.where(`${a.key}.allow_different_binary_count`) })
          : 'default',
        'goship archives whatever each target built; nothing to check',
      );
  }
  if (gr.metadata.modTimestamp)
    add('metadata.mod_timestamp', at(gr.metadata.modTimestamp), 'metadata.json and artifacts.json are not written; the goship manifest is');
  return out;
}

function refuseMany(input: string, value: string, gr: GoreleaserConfig): never {
  throw new InputError(
    input,
    value,
    `no \`${input}\` when ${gr.file} has ${gr.builds.length} builds`,
    `Set it per build in ${gr.file} (builds[].${input === 'main' ? 'main' : 'binary'}), or use \`config: none\``,
  );
}

/**
 * The targets of each build when the `platforms` input is set: each build builds the input's
 * platforms that it has itself, and every build builds those that no build of the file has. So a
 * file with one build (or several over the same targets, a cmd/ layout) builds the input's platforms
 * instead of its own, and a file with one build per GOOS (k9s: builds `linux`, `windows`, `osx`,
 * `freebsd`, one binary name) builds each platform once, in the build that has it — replacing every
 * build's targets would build linux/amd64 four times under one name.
 */
function chosenTargets(cfg: Config, gr: GoreleaserConfig): (b: GoreleaserConfig['builds'][number]) => PlanTarget[] {
  const wanted = cfg.platforms.map((p) => fileTarget(goTargetOf(p)));
  const anyHas = new Set(gr.builds.flatMap((b) => b.targets.map((t) => t.target)));
  return (b) => {
    const own = new Set(b.targets.map((t) => t.target));
    return wanted.filter((t) => own.has(t.go.target) || !anyHas.has(t.go.target));
  };
}

/** The plan of a GoReleaser file, with the explicit inputs over it. */
export function planFromConfig(cfg: Config, gr: GoreleaserConfig): Plan {
  if (cfg.mains.length > 0 && gr.builds.length > 1) refuseMany('main', cfg.mains.join(','), gr);
  if (cfg.binaryName && gr.builds.length > 1) refuseMany('binary-name', cfg.binaryName, gr);
  const chosen = cfg.platformsGiven ? chosenTargets(cfg, gr) : undefined;
  const builds: PlanBuild[] = gr.builds.map((b) => {
    const targets = chosen ? chosen(b) : b.targets.map(fileTarget);
    const defaultLdflags = !cfg.ldflags && b.ldflags.length === 1 && isDefault(b.ldflags[0]!.where);
    const details = new Map(targets.map((t) => [t.id, inputDetails(cfg, buildDetailsFor(b, t.go), '')]));
    return {
      id: b.id,
      where: describe(gr.where(b.key)),
      main: cfg.mains[0] ?? b.main,
      dir: cfg.mains.length > 0 ? '.' : b.dir,
      binary: cfg.binaryName ? inputTmpl(cfg.binaryName, 'binary-name') : b.binary,
      binaryFromPackage: false,
      targets,
      details: (t) => details.get(t.id)!,
      defaultLdflags,
      hooks: b.hooks,
      modTimestamp: b.modTimestamp,
      skip: b.skip,
      noUniqueDistDir: b.noUniqueDistDir,
      cgo: b.cgoEnabled,
    };
  });
  const archives: PlanArchive[] = gr.archives.map((a) => ({
    id: a.id,
    where: describe(gr.where(a.key)),
    ids: a.ids,
    nameTemplate: cfg.archiveName ? inputTmpl(cfg.archiveName, 'archive-name') : archiveName(a.nameTemplate, cfg.archiveFormat),
    formats: cfg.archiveFormat ? inputFormats(cfg.archiveFormat) : (goos) => formatsFor(a, goos),
    wrap: a.wrapInDirectory,
    stripBinaryDirectory: a.stripBinaryDirectory,
    files: cfg.archiveFiles ? { kind: 'globs', patterns: cfg.archiveFiles } : { kind: 'goreleaser', files: a.files },
    meta: a.meta,
    binaryField: 'first',
  }));
  return {
    file: gr.file,
    env: gr.env,
    before: gr.before.hooks,
    builds,
    archives,
    checksum: {
      nameTemplate: gr.checksum.nameTemplate,
      algorithm: cfg.checksumAlgorithm ?? gr.checksum.algorithm,
      disable: gr.checksum.disable,
      ids: gr.checksum.ids,
      extraFiles: gr.checksum.extraFiles.map((e) => ({ glob: e.glob, ...(e.nameTemplate ? { nameTemplate: e.nameTemplate } : {}) })),
    },
    snapshot: gr.snapshot.versionTemplate,
    notApplied: notAppliedOf(gr),
  };
}

export function describeTarget(t: PlanTarget): string {
  return t.id === platformId(t.platform) ? formatPlatform(t.platform) : `${formatPlatform(t.platform)} (${t.id})`;
}
