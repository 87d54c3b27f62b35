/**
 * readGoreleaserConfig: a `.goreleaser.yaml` (schema v1 or v2) → goship's typed settings, with
 * GoReleaser v2.15.1's defaults applied where its Default() methods apply them (internal/pipe/*
 * and internal/builders/golang), v1 spellings folded into v2, and every problem reported at once
 * before anything runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { type Decoded, type Raw, type RawObject, decode } from './decode.js';
import { GoRegexpError, goRegexp } from './go-regexp.js';
import { checkHookTemplate } from './hooks.js';
import { readPackaging } from './packaging.js';
import { isTmpl, listOf, objOf, strOf, strsOf, tmplOf, tmplsOf } from './raw.js';
import {
  type Archive,
  type ArchiveFile,
  type ArchiveFormat,
  type Build,
  type BuildDetails,
  type BuildOverride,
  type Changelog,
  type ExtraFile,
  type FileInfo,
  type GoPattern,
  type GoreleaserConfig,
  type Hook,
  type OverrideFormat,
  type Release,
  type Sbom,
  type Sign,
} from './settings.js';
import {
  DEFAULT_GOARCH,
  DEFAULT_GOOS,
  DEFAULT_VARIANTS,
  type IgnoreRule,
  VARIANT_KEYS,
  expandTargets,
  fixTarget,
  invalidTargetValues,
} from './targets.js';
import { type Tmpl, type Where, defaultWhere, tmpl } from './where.js';

export interface ReadOptions {
  /** The module folder (holds go.mod); default: the file's folder. */
  moduleDir?: string;
  /**
   * `owner/name` of the repository being released (GITHUB_REPOSITORY, or the git remote):
   * GoReleaser names the project after it when the file does not.
   */
  repository?: string;
  /** For `$VAR` in builds[].env (GoReleaser expands them on load) and GORELEASER_EXPERIMENTAL. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How the file is named in messages; default: its path relative to moduleDir. */
  displayName?: string;
}

export const DEFAULT_LDFLAGS =
  '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser';
const ARCHIVE_NAME_SUFFIX =
  '{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}';
export const DEFAULT_ARCHIVE_NAME = `{{ .ProjectName }}_${ARCHIVE_NAME_SUFFIX}`;
export const DEFAULT_BINARY_ARCHIVE_NAME = `{{ .Binary }}_${ARCHIVE_NAME_SUFFIX}`;
export const DEFAULT_ARCHIVE_FILES = ['license*', 'LICENSE*', 'readme*', 'README*', 'changelog*', 'CHANGELOG*'] as const;
export const DEFAULT_CHECKSUM_NAME = '{{ .ProjectName }}_{{ .Version }}_checksums.txt';
export const DEFAULT_SNAPSHOT_VERSION = '{{ .Version }}-SNAPSHOT-{{ .ShortCommit }}';
export const DEFAULT_RELEASE_NAME = '{{.Tag}}';
export const DEFAULT_CHANGELOG_FORMAT_GIT = '{{ .SHA }} {{ .Message }}';
export const DEFAULT_CHANGELOG_FORMAT_SCM =
  '{{ .SHA }}: {{ .Message }} ({{ with .AuthorUsername }}@{{ . }}{{ else }}{{ .AuthorName }} <{{ .AuthorEmail }}>{{ end }})';

/** Reads and checks a GoReleaser file; throws ConfigError listing every problem. */
export function readGoreleaserConfig(file: string, opts: ReadOptions = {}): GoreleaserConfig {
  const moduleDir = opts.moduleDir ?? path.dirname(file);
  const rel = path.relative(moduleDir, file);
  const display = opts.displayName ?? (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file);
  return goreleaserConfigFromText(readFileSync(file, 'utf8'), { ...opts, moduleDir, displayName: display });
}

/** The settings GoReleaser uses when a module has no configuration file. */
export function goreleaserDefaults(opts: ReadOptions & { moduleDir: string }): GoreleaserConfig {
  return goreleaserConfigFromText('', { displayName: '(no GoReleaser file)', ...opts });
}

export function goreleaserConfigFromText(text: string, opts: ReadOptions = {}): GoreleaserConfig {
  const file = opts.displayName ?? '.goreleaser.yaml';
  const decoded = decode(text, file);
  if (decoded.problems.some((p) => p.where.key === '(YAML)')) throw new ConfigError(file, decoded.problems);
  // Defaults and cross-checks run even after decoding problems, so one pass reports them all.
  const b = new Builder(decoded, opts);
  const cfg = b.build(file);
  const problems = [...decoded.problems, ...b.problems].sort((x, y) => x.where.line - y.where.line || x.where.col - y.where.col);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return cfg;
}

/** Go's os.ExpandEnv, which GoReleaser applies to every builds[].env entry on load. */
export function expandEnv(s: string, env: Readonly<Record<string, string | undefined>>): string {
  const special = (c: string | undefined): boolean => c !== undefined && /[*#$@!?\-0-9]/.test(c);
  const name = (rest: string): [string, number] => {
    if (rest[0] === '{') {
      if (rest.length > 2 && special(rest[1]) && rest[2] === '}') return [rest[1]!, 3];
      for (let i = 1; i < rest.length; i++) {
        if (rest[i] === '}') return i === 1 ? ['', 2] : [rest.slice(1, i), i + 1];
      }
      return ['', 1];
    }
    if (special(rest[0])) return [rest[0]!, 1];
    let i = 0;
    while (i < rest.length && /[A-Za-z0-9_]/.test(rest[i]!)) i++;
    return [rest.slice(0, i), i];
  };
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(i, j);
      const [n, w] = name(s.slice(j + 1));
      if (n === '' && w > 0) {
        // invalid syntax: Go drops the characters
      } else if (n === '') out += '$';
      else out += env[n] ?? '';
      j += w;
      i = j + 1;
    }
  }
  return out + s.slice(i);
}

/** The last path element of go.mod's module path, as GoReleaser takes it from `go list -m`. */
export function moduleNameOf(moduleDir: string): string | undefined {
  const gomod = path.join(moduleDir, 'go.mod');
  if (!existsSync(gomod)) return undefined;
  const m = /^\s*module\s+("?)([^\s"/]*(?:\/[^\s"/]+)*)\1\s*(?:\/\/.*)?$/m.exec(readFileSync(gomod, 'utf8'));
  const mod = m?.[2];
  if (!mod || mod === 'command-line-arguments') return undefined;
  return mod.split('/').at(-1)?.trim() || undefined;
}

class Builder {
  readonly problems: ConfigProblem[] = [];
  private readonly raw: RawObject;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(
    private readonly d: Decoded,
    private readonly opts: ReadOptions,
  ) {
    this.raw = d.raw;
    this.env = opts.env ?? process.env;
  }

  private where(p: string): Where {
    return this.d.positions.get(p) ?? defaultWhere(p);
  }

  private problem(where: Where, got: string, expected: string, fix?: string): void {
    this.problems.push(fix ? { where, got, expected, fix } : { where, got, expected });
  }

  private dflt(text: string, p: string): Tmpl {
    return tmpl(text, defaultWhere(p));
  }

  private uniqueIds(kind: string, items: { id: string; key: string }[]): void {
    const seen = new Map<string, string>();
    for (const it of items) {
      const first = seen.get(it.id);
      if (first !== undefined) {
        this.problem(
          this.where(`${it.key}.id`).line ? this.where(`${it.key}.id`) : this.where(it.key),
          it.id,
          `an id no other entry of \`${kind}\` has (${first} has it too)`,
          `Give each entry of \`${kind}\` its own \`id\``,
        );
      } else seen.set(it.id, it.key);
    }
  }

  build(file: string): GoreleaserConfig {
    const projectName = this.projectName();
    const cfg: GoreleaserConfig = {
      file,
      schemaVersion: this.d.version,
      projectName: projectName.name,
      projectNameFrom: projectName.from,
      dist: strOf(this.raw.dist) || 'dist',
      env: tmplsOf(this.raw.env),
      before: { hooks: this.hooks(listOf(objOf(this.raw.before)?.hooks), 'before.hooks') },
      builds: this.builds(projectName.name),
      archives: [],
      checksum: this.checksum(),
      snapshot: this.snapshot(),
      release: this.release(),
      changelog: this.changelog(),
      signs: this.signs(),
      sboms: this.sboms(),
      metadata: { modTimestamp: tmplOf(objOf(this.raw.metadata)?.mod_timestamp) },
      git: {
        tagSort: strOf(objOf(this.raw.git)?.tag_sort) || '-version:refname',
        prereleaseSuffix: strOf(objOf(this.raw.git)?.prerelease_suffix) ?? '',
        ignoreTags: tmplsOf(objOf(this.raw.git)?.ignore_tags),
      },
      githubUrls: {
        api: tmplOf(objOf(this.raw.github_urls)?.api),
        upload: tmplOf(objOf(this.raw.github_urls)?.upload),
        download: tmplOf(objOf(this.raw.github_urls)?.download),
      },
      ...readPackaging({ raw: this.raw, projectName: projectName.name, where: (p) => this.where(p) }),
      notApplied: this.d.notApplied,
      where: (p) => this.where(p),
    };
    cfg.archives = this.archives();
    return cfg;
  }

  // project (internal/pipe/project, after internal/pipe/release has read the git remote)
  private projectName(): { name: string; from: GoreleaserConfig['projectNameFrom'] } {
    const given = strOf(this.raw.project_name);
    if (given) return { name: given, from: 'project_name' };
    const release = objOf(this.raw.release);
    const releaseOn = strOf(release?.disable) !== 'true';
    const gh = strOf(objOf(release?.github)?.name);
    if (releaseOn && gh) return { name: gh, from: 'release.github.name' };
    const repoName =
      this.opts.repository
        ?.split('/')
        .at(-1)
        ?.replace(/\.git$/, '') || undefined;
    // The release pipe fills release.github from the git remote before the project name is
    // guessed, so the repository wins over go.mod unless the release is disabled.
    if (releaseOn && repoName) return { name: repoName, from: 'repository' };
    const mod = this.opts.moduleDir ? moduleNameOf(this.opts.moduleDir) : undefined;
    if (mod) return { name: mod, from: 'go.mod' };
    if (repoName) return { name: repoName, from: 'repository' };
    this.problem(
      defaultWhere('project_name'),
      '',
      'a project name',
      'No `project_name`, go.mod or repository to name the project after: add `project_name:` to the file',
    );
    return { name: '', from: 'project_name' };
  }

  private hook(raw: Raw, p: string): Hook | undefined {
    const o = objOf(raw);
    const cmd = tmplOf(o?.cmd);
    if (!o || !cmd) return undefined;
    const bad = checkHookTemplate(cmd.text, { windows: process.platform === 'win32' });
    if (bad) {
      this.problem(
        cmd.where,
        cmd.text,
        'a command goship can run without a shell, as GoReleaser does',
        `${bad.detail.explain}. Write the shell explicitly: \`sh -c '${cmd.text.replace(/'/g, "'\\''")}'\``,
      );
    }
    return { cmd, dir: tmplOf(o.dir), env: tmplsOf(o.env), output: o.output === true, where: this.where(p) };
  }

  private hooks(list: Raw[], p: string): Hook[] {
    return list.map((h, i) => this.hook(h, `${p}[${i}]`)).filter((h): h is Hook => h !== undefined);
  }

  // builds (internal/pipe/build, internal/builders/golang)
  private builds(projectName: string): Build[] {
    let raws = listOf(this.raw.builds);
    let prefix = 'builds';
    if (raws.length === 0 && objOf(this.raw.build)) {
      raws = [this.raw.build!];
      prefix = 'build';
    }
    if (raws.length === 0) raws = [{}];
    const defaultGoarm = (this.env.GORELEASER_EXPERIMENTAL ?? '').split(',').includes('defaultgoarm') ? '7' : DEFAULT_VARIANTS.goarm;
    const globalCgo = this.cgoOf(tmplsOf(this.raw.env));
    const builds = raws.map((r, i) =>
      this.buildOne(objOf(r) ?? {}, prefix === 'build' ? 'build' : `builds[${i}]`, projectName, defaultGoarm, globalCgo),
    );
    this.uniqueIds('builds', builds);
    return builds;
  }

  private cgoOf(env: Tmpl[]): '0' | '1' | undefined {
    let v: '0' | '1' | undefined;
    for (const e of env) {
      const m = /^CGO_ENABLED=(.*)$/.exec(e.text);
      if (m) v = m[1] === '0' || m[1] === '1' ? m[1] : undefined;
    }
    return v;
  }

  private details(o: RawObject): BuildDetails {
    return {
      buildmode: strOf(o.buildmode) ?? '',
      ldflags: tmplsOf(o.ldflags),
      tags: tmplsOf(o.tags),
      flags: tmplsOf(o.flags),
      asmflags: tmplsOf(o.asmflags),
      gcflags: tmplsOf(o.gcflags),
      env: tmplsOf(o.env).map((t) => ({ ...t, text: expandEnv(t.text, this.env) })),
    };
  }

  private buildOne(o: RawObject, key: string, projectName: string, defaultGoarm: string, globalCgo: '0' | '1' | undefined): Build {
    const details = this.details(o);
    if (details.ldflags.length === 0) details.ldflags = [this.dflt(DEFAULT_LDFLAGS, `${key}.ldflags[0]`)];
    const explicitTargets = strsOf(o.targets).length > 0;
    const list = (k: string, def: readonly string[]): string[] => {
      const v = strsOf(o[k]);
      return v.length > 0 || explicitTargets ? v : [...def];
    };
    const variants = Object.fromEntries(
      VARIANT_KEYS.map((k) => [k, list(k, [k === 'goarm' ? defaultGoarm : DEFAULT_VARIANTS[k]])]),
    ) as Record<(typeof VARIANT_KEYS)[number], string[]>;
    const ignore = listOf(o.ignore).map((r) => {
      const io = objOf(r) ?? {};
      const rule: Partial<IgnoreRule> = {};
      for (const k of ['goos', 'goarch', ...VARIANT_KEYS] as const) {
        const v = strOf(io[k]);
        if (v) rule[k] = v;
      }
      return rule;
    });
    const matrix = {
      goos: list('goos', DEFAULT_GOOS),
      goarch: list('goarch', DEFAULT_GOARCH),
      ...variants,
      ignore,
      targets: strsOf(o.targets),
    };
    for (const bad of invalidTargetValues(matrix)) {
      const p = `${key}.${bad.key}[${bad.index}]`;
      this.problem(this.where(p).line ? this.where(p) : { ...this.where(`${key}.${bad.key}`), key: p }, bad.value, bad.expected);
    }
    const main = strOf(o.main) || '.';
    const binary = tmplOf(o.binary);
    if (main.endsWith('/...') && binary) {
      this.problem(
        binary.where,
        binary.text,
        'no `binary` when `main` ends in `/...` (every main package below is built under its own name)',
        'Set `main` to one package, or remove `binary`',
      );
    }
    const overrides: BuildOverride[] = listOf(o.overrides).map((r, j) => {
      const ov = objOf(r) ?? {};
      const p = `${key}.overrides[${j}]`;
      const extra = VARIANT_KEYS.map((k) => strOf(ov[k]) ?? '').join('');
      const target = `${strOf(ov.goos) ?? ''}_${strOf(ov.goarch) ?? ''}${extra ? `_${extra}` : ''}`;
      return { ...this.details(ov), target: fixTarget(target, { defaultGoarm }), where: this.where(p) };
    });
    return {
      key,
      id: strOf(o.id) || projectName,
      builder: 'go',
      main,
      dir: strOf(o.dir) || '.',
      binary: binary ?? this.dflt(projectName, `${key}.binary`),
      binaryIsDefault: binary === undefined,
      ...matrix,
      ignore,
      explicitTargets,
      targets: expandTargets(matrix, { defaultGoarm }),
      ...details,
      // The build's env comes after the global one, so its CGO_ENABLED wins.
      cgoEnabled: details.env.some((e) => e.text.startsWith('CGO_ENABLED=')) ? this.cgoOf(details.env) : globalCgo,
      hooks: {
        pre: this.hooks(listOf(objOf(o.hooks)?.pre), `${key}.hooks.pre`),
        post: this.hooks(listOf(objOf(o.hooks)?.post), `${key}.hooks.post`),
      },
      modTimestamp: tmplOf(o.mod_timestamp),
      skip: tmplOf(o.skip),
      noUniqueDistDir: tmplOf(o.no_unique_dist_dir),
      noMainCheck: o.no_main_check === true,
      overrides,
    };
  }

  // archives (internal/pipe/archive)
  private fileInfo(v: Raw | undefined): FileInfo {
    const o = objOf(v) ?? {};
    return {
      owner: tmplOf(o.owner),
      group: tmplOf(o.group),
      mode: typeof o.mode === 'number' && o.mode !== 0 ? o.mode : undefined,
      mtime: tmplOf(o.mtime),
    };
  }

  private archives(): Archive[] {
    let raws = listOf(this.raw.archives);
    if (raws.length === 0) raws = [{}];
    const archives = raws.map((r, i) => this.archiveOne(objOf(r) ?? {}, `archives[${i}]`));
    this.uniqueIds('archives', archives);
    return archives;
  }

  private archiveOne(o: RawObject, key: string): Archive {
    // archives.format (deprecated) is appended to formats, as GoReleaser does.
    const formats = [...strsOf(o.formats), ...(strOf(o.format) ? [strOf(o.format)!] : [])] as ArchiveFormat[];
    if (formats.length === 0) formats.push('tar.gz');
    const formatOverrides = listOf(o.format_overrides).map((r, j) => {
      const fo = objOf(r) ?? {};
      const f = [...strsOf(fo.formats), ...(strOf(fo.format) ? [strOf(fo.format)!] : [])] as OverrideFormat[];
      return { goos: strOf(fo.goos) ?? '', formats: f, where: this.where(`${key}.format_overrides[${j}]`) };
    });
    const given = tmplOf(o.name_template);
    const nameTemplate =
      given ?? this.dflt(formats.includes('binary') ? DEFAULT_BINARY_ARCHIVE_NAME : DEFAULT_ARCHIVE_NAME, `${key}.name_template`);
    const wrap = isTmpl(o.wrap_in_directory) ? o.wrap_in_directory : undefined;
    const wrapInDirectory =
      wrap === undefined || wrap.text === 'false' || wrap.text === ''
        ? undefined
        : wrap.text === 'true'
          ? tmpl(nameTemplate.text, wrap.where)
          : wrap;
    let files: ArchiveFile[] = listOf(o.files).map((r, j) => {
      const fo = objOf(r) ?? {};
      return {
        src: tmplOf(fo.src) ?? tmpl('', this.where(`${key}.files[${j}]`)),
        dst: strOf(fo.dst) ?? '',
        stripParent: fo.strip_parent === true,
        info: this.fileInfo(fo.info),
        isDefault: false,
        where: this.where(`${key}.files[${j}]`),
      };
    });
    if (files.length === 0) {
      files = DEFAULT_ARCHIVE_FILES.map((g, j) => ({
        src: this.dflt(g, `${key}.files[${j}]`),
        dst: '',
        stripParent: false,
        info: { owner: undefined, group: undefined, mode: undefined, mtime: undefined },
        isDefault: true,
        where: defaultWhere(`${key}.files[${j}]`),
      }));
    }
    return {
      key,
      id: strOf(o.id) || 'default',
      ids: [...strsOf(o.ids), ...strsOf(o.builds)],
      nameTemplate,
      nameIsDefault: given === undefined,
      formats,
      formatOverrides,
      wrapInDirectory,
      stripBinaryDirectory: o.strip_binary_directory === true || o.strip_parent_binary_folder === true,
      files,
      meta: o.meta === true,
      allowDifferentBinaryCount: o.allow_different_binary_count === true,
      buildsInfo: { ...this.fileInfo(o.builds_info), mode: 0o755 },
    };
  }

  private extraFiles(v: Raw | undefined, p: string): ExtraFile[] {
    return listOf(v).flatMap((r, i) => {
      const o = objOf(r) ?? {};
      const glob = tmplOf(o.glob);
      return glob ? [{ glob, nameTemplate: tmplOf(o.name_template), where: this.where(`${p}[${i}]`) }] : [];
    });
  }

  // checksums (internal/pipe/checksums)
  private checksum(): GoreleaserConfig['checksum'] {
    const o = objOf(this.raw.checksum) ?? {};
    return {
      nameTemplate: tmplOf(o.name_template) ?? this.dflt(DEFAULT_CHECKSUM_NAME, 'checksum.name_template'),
      algorithm: (strOf(o.algorithm) || 'sha256') as 'sha256' | 'sha512',
      ids: strsOf(o.ids),
      disable: o.disable === true,
      extraFiles: this.extraFiles(o.extra_files, 'checksum.extra_files'),
    };
  }

  // snapshot (internal/pipe/snapshot): the deprecated name_template wins when both are set.
  private snapshot(): GoreleaserConfig['snapshot'] {
    const o = objOf(this.raw.snapshot) ?? {};
    return {
      versionTemplate:
        tmplOf(o.name_template) ?? tmplOf(o.version_template) ?? this.dflt(DEFAULT_SNAPSHOT_VERSION, 'snapshot.version_template'),
    };
  }

  // release (internal/pipe/release)
  private release(): Release {
    const o = objOf(this.raw.release) ?? {};
    const gh = objOf(o.github);
    const prerelease = strOf(o.prerelease) ?? '';
    return {
      github:
        gh && (tmplOf(gh.owner) || tmplOf(gh.name))
          ? {
              owner: tmplOf(gh.owner) ?? this.dflt('', 'release.github.owner'),
              name: tmplOf(gh.name) ?? this.dflt('', 'release.github.name'),
            }
          : undefined,
      draft: o.draft === true,
      replaceExistingDraft: o.replace_existing_draft === true,
      useExistingDraft: o.use_existing_draft === true,
      targetCommitish: tmplOf(o.target_commitish),
      disable: tmplOf(o.disable),
      skipUpload: tmplOf(o.skip_upload),
      prerelease: prerelease === 'auto' ? 'auto' : prerelease === 'true',
      makeLatest: tmplOf(o.make_latest),
      nameTemplate: tmplOf(o.name_template) ?? this.dflt(DEFAULT_RELEASE_NAME, 'release.name_template'),
      ids: strsOf(o.ids),
      extraFiles: this.extraFiles(o.extra_files, 'release.extra_files'),
      header: tmplOf(o.header),
      footer: tmplOf(o.footer),
      mode: (strOf(o.mode) || 'keep-existing') as Release['mode'],
      replaceExistingArtifacts: o.replace_existing_artifacts === true,
    };
  }

  // changelog (internal/pipe/changelog)
  private pattern(v: Raw | undefined, p: string): GoPattern | undefined {
    const source = strOf(v);
    if (source === undefined || source === '') return undefined;
    try {
      return { source, regexp: goRegexp(source), where: this.where(p) };
    } catch (e) {
      if (!(e instanceof GoRegexpError)) throw e;
      this.problem(this.where(p), source, 'a Go regular expression goship can match the same way', e.reason);
      return undefined;
    }
  }

  private changelog(): Changelog {
    const o = objOf(this.raw.changelog) ?? {};
    const use = (strOf(o.use) || 'git') as Changelog['use'];
    const filters = objOf(o.filters) ?? {};
    const patterns = (k: 'include' | 'exclude'): GoPattern[] =>
      listOf(filters[k])
        .map((v, i) => this.pattern(v, `changelog.filters.${k}[${i}]`))
        .filter((x): x is GoPattern => x !== undefined);
    return {
      use,
      sort: (strOf(o.sort) ?? '') as Changelog['sort'],
      disable: tmplOf(o.disable) ?? tmplOf(o.skip),
      format:
        tmplOf(o.format) ?? this.dflt(use === 'git' ? DEFAULT_CHANGELOG_FORMAT_GIT : DEFAULT_CHANGELOG_FORMAT_SCM, 'changelog.format'),
      abbrev: typeof o.abbrev === 'number' ? o.abbrev : 0,
      include: patterns('include'),
      exclude: patterns('exclude'),
      groups: listOf(o.groups).map((r, i) => {
        const g = objOf(r) ?? {};
        const p = `changelog.groups[${i}]`;
        return {
          title: strOf(g.title) ?? '',
          regexp: this.pattern(g.regexp, `${p}.regexp`),
          order: typeof g.order === 'number' ? g.order : 0,
          where: this.where(p),
        };
      }),
    };
  }

  // signs (internal/pipe/sign): `artifacts` defaults to none, so an entry without it signs nothing.
  private signs(): Sign[] {
    const signs = listOf(this.raw.signs).map((r, i) => {
      const o = objOf(r) ?? {};
      const key = `signs[${i}]`;
      if (strOf(o.cmd) === undefined) {
        this.d.notApplied.push({
          key,
          where: this.where(key).line ? `${this.where(key).file}:${this.where(key).line}` : 'default',
          reason: 'GoReleaser would run gpg here (its default `cmd`); sign-attest signs with Sigstore instead',
        });
      }
      return { key, id: strOf(o.id) || 'default', artifacts: strOf(o.artifacts) || 'none', ids: strsOf(o.ids), where: this.where(key) };
    });
    this.uniqueIds('signs', signs);
    return signs;
  }

  // sboms (internal/pipe/sbom)
  private sboms(): Sbom[] {
    const sboms = listOf(this.raw.sboms).map((r, i) => {
      const o = objOf(r) ?? {};
      const key = `sboms[${i}]`;
      return {
        key,
        id: strOf(o.id) || 'default',
        artifacts: strOf(o.artifacts) || 'archive',
        ids: strsOf(o.ids),
        disable: tmplOf(o.disable),
        where: this.where(key),
      };
    });
    this.uniqueIds('sboms', sboms);
    return sboms;
  }
}
