/**
 * goship's typed view of a `.goreleaser.yaml`: the v2 schema with v1 spellings folded in and
 * GoReleaser's defaults filled in where GoReleaser fills them. Strings GoReleaser renders as
 * templates are `Tmpl` (text + where), left unrendered for the template engine; every other value
 * is plain, and `GoreleaserConfig.where(path)` gives the position of any of them.
 */
import { type NotApplied } from './decode.js';
import { type Packaging } from './packaging.js';
import { type GoTarget, type IgnoreRule } from './targets.js';
import { type Tmpl, type Where } from './where.js';

export type { NotApplied };

export interface Hook {
  /** Rendered, then split with {@link splitCommand} (no shell). */
  cmd: Tmpl;
  dir: Tmpl | undefined;
  /** `KEY=value` templates added to the environment of this hook only. */
  env: Tmpl[];
  /** Show the command's output in the log. */
  output: boolean;
  where: Where;
}

export interface BuildDetails {
  /** '' (an executable), or `pie` / `exe` / `default`. */
  buildmode: string;
  /** Joined with spaces into one `-ldflags=` argument after rendering. */
  ldflags: Tmpl[];
  /** Joined with commas into one `-tags=` argument. */
  tags: Tmpl[];
  /** Passed to `go build` as they are, in order, before -asmflags/-gcflags/-tags/-ldflags. */
  flags: Tmpl[];
  /** Each becomes `-asmflags=<value>`. */
  asmflags: Tmpl[];
  /** Each becomes `-gcflags=<value>`. */
  gcflags: Tmpl[];
  /** `KEY=value` templates, rendered in order (a later one can use an earlier one via .Env). */
  env: Tmpl[];
}

export interface BuildOverride extends BuildDetails {
  /** The target this override applies to, with its default variant filled in (`linux_amd64_v1`). */
  target: string;
  where: Where;
}

export interface Build extends BuildDetails {
  /** `builds[1]`: prefix for {@link GoreleaserConfig.where}. */
  key: string;
  id: string;
  /** Always `go`: other builders are refused. */
  builder: 'go';
  /** The main package (`.`, `./cmd/tool`, or a `/...` pattern that builds every main below). */
  main: string;
  /** Folder `go build` runs in, relative to the module folder. */
  dir: string;
  /** The binary name template; may contain `/` (a sub-folder inside the archive). */
  binary: Tmpl;
  /** True when `binary` is GoReleaser's default (the project name). */
  binaryIsDefault: boolean;
  goos: string[];
  goarch: string[];
  goamd64: string[];
  go386: string[];
  goarm: string[];
  goarm64: string[];
  gomips: string[];
  goppc64: string[];
  goriscv64: string[];
  ignore: Partial<IgnoreRule>[];
  /** True when the file lists `targets:` itself (the lists above are then not used). */
  explicitTargets: boolean;
  /** What GoReleaser builds for this entry, in its order. */
  targets: GoTarget[];
  /**
   * `CGO_ENABLED` when the entry's env sets it to a literal 0 or 1; undefined when it does not
   * (Go's default then: 1 for native builds with a C compiler, 0 for cross builds) or templates it.
   */
  cgoEnabled: '0' | '1' | undefined;
  hooks: { pre: Hook[]; post: Hook[] };
  /** Template of the binaries' mtime (RFC 3339 or Unix seconds once rendered); '' = unchanged. */
  modTimestamp: Tmpl | undefined;
  /** Renders to `true` to skip this build. */
  skip: Tmpl | undefined;
  /** Renders to `true` to put the binary straight in dist/ instead of dist/<id>_<target>/. */
  noUniqueDistDir: Tmpl | undefined;
  noMainCheck: boolean;
  overrides: BuildOverride[];
}

export interface FileInfo {
  owner: Tmpl | undefined;
  group: Tmpl | undefined;
  /** Octal file mode, e.g. 0o644; undefined = the file's own mode. */
  mode: number | undefined;
  /** RFC 3339 once rendered; undefined = the file's own mtime. */
  mtime: Tmpl | undefined;
}

export interface ArchiveFile {
  /** A glob (rendered first), relative to the module folder. */
  src: Tmpl;
  /** Folder inside the archive; '' = the path as matched. */
  dst: string;
  /** Put matches straight in `dst` without their folders. */
  stripParent: boolean;
  info: FileInfo;
  /** One of GoReleaser's default globs (license*, README*, …): no warning when nothing matches. */
  isDefault: boolean;
  where: Where;
}

export type ArchiveFormat = 'tar.gz' | 'zip' | 'binary';
export type OverrideFormat = ArchiveFormat | 'none';

export interface Archive {
  key: string;
  id: string;
  /** Build ids whose binaries go in; empty = every build. */
  ids: string[];
  nameTemplate: Tmpl;
  nameIsDefault: boolean;
  formats: ArchiveFormat[];
  /** First match wins; `goos` matches as a prefix of the target's goos, as in GoReleaser. */
  formatOverrides: { goos: string; formats: OverrideFormat[]; where: Where }[];
  /** The folder every entry is put in (already resolved from `true`), or undefined. */
  wrapInDirectory: Tmpl | undefined;
  stripBinaryDirectory: boolean;
  files: ArchiveFile[];
  /** An archive of `files` only, no binaries, made once (not per target). */
  meta: boolean;
  allowDifferentBinaryCount: boolean;
  /** Owner/group/mtime of the binaries; GoReleaser always sets their mode to 0755. */
  buildsInfo: FileInfo;
}

export interface ExtraFile {
  glob: Tmpl;
  nameTemplate: Tmpl | undefined;
  where: Where;
}

export interface Checksum {
  nameTemplate: Tmpl;
  algorithm: 'sha256' | 'sha512';
  /** Artifact ids to include; empty = all. */
  ids: string[];
  disable: boolean;
  extraFiles: ExtraFile[];
}

export interface Release {
  github: { owner: Tmpl; name: Tmpl } | undefined;
  draft: boolean;
  replaceExistingDraft: boolean;
  useExistingDraft: boolean;
  targetCommitish: Tmpl | undefined;
  disable: Tmpl | undefined;
  skipUpload: Tmpl | undefined;
  /** `auto`: a SemVer pre-release tag makes a pre-release. */
  prerelease: 'auto' | boolean;
  /** Renders to `true`, `false` or `legacy`; undefined = GitHub's default. */
  makeLatest: Tmpl | undefined;
  nameTemplate: Tmpl;
  ids: string[];
  extraFiles: ExtraFile[];
  header: Tmpl | undefined;
  footer: Tmpl | undefined;
  /** What to do with the notes of an existing release. */
  mode: 'keep-existing' | 'append' | 'prepend' | 'replace';
  replaceExistingArtifacts: boolean;
}

export interface GoPattern {
  /** As written (Go RE2 syntax). */
  source: string;
  /** The same pattern in JavaScript. */
  regexp: RegExp;
  where: Where;
}

export interface Changelog {
  use: 'git' | 'github' | 'github-native';
  sort: '' | 'asc' | 'desc';
  disable: Tmpl | undefined;
  /** Entry template: `{{ .SHA }} {{ .Message }}` for git. */
  format: Tmpl;
  /** SHA length: 0 = full, -1 = none. */
  abbrev: number;
  /** When non-empty, only matching messages are kept (and `exclude` is not used). */
  include: GoPattern[];
  exclude: GoPattern[];
  /** In file order; shown sorted by `order`. A group without a regexp takes what is left. */
  groups: { title: string; regexp: GoPattern | undefined; order: number; where: Where }[];
}

export interface Sign {
  key: string;
  id: string;
  /** What to sign: checksum, archive, binary, sbom, package, source, all, none (GoReleaser's default). */
  artifacts: string;
  ids: string[];
  where: Where;
}

export interface Sbom {
  key: string;
  id: string;
  /** What to describe: archive (GoReleaser's default), binary, package, source, any. */
  artifacts: string;
  ids: string[];
  disable: Tmpl | undefined;
  where: Where;
}

export interface GoreleaserConfig extends Packaging {
  /** The file as shown in messages. */
  file: string;
  /** 1 for a file without `version: 2`. */
  schemaVersion: 1 | 2;
  projectName: string;
  /** Where projectName came from: the file, or how GoReleaser derives it. */
  projectNameFrom: 'project_name' | 'release.github.name' | 'repository' | 'go.mod';
  dist: string;
  /** Global `KEY=value` templates, rendered with access to the process environment. */
  env: Tmpl[];
  before: { hooks: Hook[] };
  builds: Build[];
  archives: Archive[];
  checksum: Checksum;
  snapshot: { versionTemplate: Tmpl };
  release: Release;
  changelog: Changelog;
  signs: Sign[];
  sboms: Sbom[];
  metadata: { modTimestamp: Tmpl | undefined };
  git: { tagSort: string; prereleaseSuffix: string; ignoreTags: Tmpl[] };
  githubUrls: { api: Tmpl | undefined; upload: Tmpl | undefined; download: Tmpl | undefined };
  /** Every key the file sets that goship does not do. */
  notApplied: NotApplied[];
  /** Where a value is written (`builds[1].ldflags[0]`), or a default's placeholder. */
  where(path: string): Where;
}
