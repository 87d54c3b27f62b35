/**
 * The packaging sections of a GoReleaser file, typed: `nfpms` (Linux packages), `homebrew_casks`
 * and `brews` (Homebrew), `scoops` (Scoop; v1's single `scoop`), with GoReleaser v2.15.1's
 * defaults (internal/pipe/nfpm, cask, brew, scoop `Default()`), and their mapping onto the inputs
 * of multiarch-build (`package-*`) and semver-release (`homebrew-*`, `scoop-*`, `tap-*`).
 *
 * Template fields stay unrendered (`Tmpl`); so do the input values the mapping returns, for the
 * caller to render with core/template, as every template input is.
 */
import { stringify } from 'yaml';
import { type NotApplied, type Raw, type RawObject } from './decode.js';
import { listOf, objOf, strOf, strsOf, tmplOf, tmplsOf } from './raw.js';
import { type FileInfo, type GoreleaserConfig } from './settings.js';
import { type Tmpl, type Where, defaultWhere, fileLine, tmpl } from './where.js';

/** GoReleaser's default `nfpms[].file_name_template`. */
export const DEFAULT_PACKAGE_FILE_NAME =
  '{{ .PackageName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}';

export interface NfpmContent {
  /** A file or glob relative to the module folder; for a symlink, the link's target. */
  src: Tmpl | undefined;
  dst: Tmpl;
  /** '' (a file), config, config|noreplace, dir, symlink, doc, license, ghost … as nFPM spells them. */
  type: string;
  /** '' (every format), or deb / rpm / apk. */
  packager: string;
  info: FileInfo;
  where: Where;
}

export interface NfpmScripts {
  preinstall: Tmpl | undefined;
  postinstall: Tmpl | undefined;
  preremove: Tmpl | undefined;
  postremove: Tmpl | undefined;
}

export interface Nfpm {
  /** `nfpms[0]`: prefix for {@link GoreleaserConfig.where}. */
  key: string;
  id: string;
  /** As written; goship builds deb, rpm and apk (others are reported as not applied). */
  formats: string[];
  packageName: Tmpl;
  fileNameTemplate: Tmpl;
  fileNameIsDefault: boolean;
  vendor: string;
  homepage: Tmpl | undefined;
  maintainer: Tmpl | undefined;
  description: Tmpl | undefined;
  license: string;
  section: string;
  priority: string;
  bindir: Tmpl;
  dependencies: string[];
  recommends: string[];
  conflicts: string[];
  contents: NfpmContent[];
  scripts: NfpmScripts;
  lintianOverrides: string[];
  /** Which GOAMD64 levels are packaged; empty = every one built. */
  goamd64: string[];
  where: Where;
}

export interface TapRepository {
  owner: Tmpl | undefined;
  name: Tmpl | undefined;
  branch: Tmpl | undefined;
  pullRequest: {
    enabled: boolean;
    draft: boolean;
    base: { owner: Tmpl | undefined; name: Tmpl | undefined; branch: Tmpl | undefined };
  };
  where: Where;
}

export interface Tap {
  key: string;
  /** homebrew_casks → cask, brews → formula, scoops → scoop. */
  kind: 'cask' | 'formula' | 'scoop';
  /** The cask, formula or app name (default: the project name). */
  name: Tmpl;
  repository: TapRepository | undefined;
  commitAuthor: { name: Tmpl | undefined; email: Tmpl | undefined };
  /** Folder in the repository: Casks, Formula, or '' (the bucket's root) by default. */
  directory: string;
  description: string;
  homepage: string;
  license: string;
  /** Casks: the binaries linked onto PATH (default: the cask name). */
  binaries: Tmpl[];
  where: Where;
}

export interface Packaging {
  nfpms: Nfpm[];
  homebrewCasks: Tap[];
  brews: Tap[];
  scoops: Tap[];
}

interface ReadContext {
  raw: RawObject;
  projectName: string;
  where(path: string): Where;
}

function fileInfoOf(v: Raw | undefined): FileInfo {
  const o = objOf(v) ?? {};
  return {
    owner: tmplOf(o.owner),
    group: tmplOf(o.group),
    mode: typeof o.mode === 'number' && o.mode !== 0 ? o.mode : undefined,
    mtime: tmplOf(o.mtime),
  };
}

function nfpmOf(o: RawObject, key: string, c: ReadContext): Nfpm {
  const given = tmplOf(o.file_name_template);
  const scripts = objOf(o.scripts) ?? {};
  const deb = objOf(o.deb) ?? {};
  return {
    key,
    id: strOf(o.id) || 'default',
    formats: strsOf(o.formats),
    packageName: tmplOf(o.package_name) ?? tmpl(c.projectName, defaultWhere(`${key}.package_name`)),
    fileNameTemplate: given ?? tmpl(DEFAULT_PACKAGE_FILE_NAME, defaultWhere(`${key}.file_name_template`)),
    fileNameIsDefault: given === undefined,
    vendor: strOf(o.vendor) ?? '',
    homepage: tmplOf(o.homepage),
    maintainer: tmplOf(o.maintainer),
    description: tmplOf(o.description),
    license: strOf(o.license) ?? '',
    section: strOf(o.section) ?? '',
    priority: strOf(o.priority) ?? '',
    bindir: tmplOf(o.bindir) ?? tmpl('/usr/bin', defaultWhere(`${key}.bindir`)),
    dependencies: strsOf(o.dependencies),
    recommends: strsOf(o.recommends),
    conflicts: strsOf(o.conflicts),
    contents: listOf(o.contents).map((r, i) => {
      const x = objOf(r) ?? {};
      const where = c.where(`${key}.contents[${i}]`);
      return {
        src: tmplOf(x.src),
        dst: tmplOf(x.dst) ?? tmpl('', where),
        type: strOf(x.type) ?? '',
        packager: strOf(x.packager) ?? '',
        info: fileInfoOf(x.file_info),
        where,
      };
    }),
    scripts: {
      preinstall: tmplOf(scripts.preinstall),
      postinstall: tmplOf(scripts.postinstall),
      preremove: tmplOf(scripts.preremove),
      postremove: tmplOf(scripts.postremove),
    },
    lintianOverrides: strsOf(deb.lintian_overrides),
    goamd64: strsOf(o.goamd64),
    where: c.where(key),
  };
}

function repositoryOf(v: Raw | undefined, key: string, c: ReadContext): TapRepository | undefined {
  const o = objOf(v);
  if (!o) return undefined;
  const pr = objOf(o.pull_request) ?? {};
  const base = objOf(pr.base) ?? {};
  return {
    owner: tmplOf(o.owner),
    name: tmplOf(o.name),
    branch: tmplOf(o.branch),
    pullRequest: {
      enabled: pr.enabled === true,
      draft: pr.draft === true,
      base: { owner: tmplOf(base.owner), name: tmplOf(base.name), branch: tmplOf(base.branch) },
    },
    where: c.where(`${key}.repository`),
  };
}

function tapOf(o: RawObject, key: string, kind: Tap['kind'], c: ReadContext): Tap {
  const name = tmplOf(o.name) ?? tmpl(c.projectName, defaultWhere(`${key}.name`));
  const author = objOf(o.commit_author) ?? {};
  const binaries = [...tmplsOf(o.binaries), ...(tmplOf(o.binary) ? [tmplOf(o.binary)!] : [])];
  return {
    key,
    kind,
    name,
    repository: repositoryOf(o.repository, key, c),
    commitAuthor: { name: tmplOf(author.name), email: tmplOf(author.email) },
    directory: strOf(o.directory) ?? (kind === 'cask' ? 'Casks' : kind === 'formula' ? 'Formula' : ''),
    description: strOf(o.description) ?? '',
    homepage: strOf(o.homepage) ?? '',
    license: strOf(o.license) ?? '',
    binaries: kind === 'cask' && binaries.length === 0 ? [tmpl(name.text, defaultWhere(`${key}.binaries[0]`))] : binaries,
    where: c.where(key),
  };
}

/** Reads the four sections from the decoded file (called by readGoreleaserConfig). */
export function readPackaging(c: ReadContext): Packaging {
  const list = (k: string, kind: Tap['kind']): Tap[] => listOf(c.raw[k]).map((r, i) => tapOf(objOf(r) ?? {}, `${k}[${i}]`, kind, c));
  const scoops = list('scoops', 'scoop');
  const v1 = objOf(c.raw.scoop);
  if (scoops.length === 0 && v1) scoops.push(tapOf(v1, 'scoop', 'scoop', c));
  return {
    nfpms: listOf(c.raw.nfpms).map((r, i) => nfpmOf(objOf(r) ?? {}, `nfpms[${i}]`, c)),
    homebrewCasks: list('homebrew_casks', 'cask'),
    brews: list('brews', 'formula'),
    scoops,
  };
}

// ---- the mapping onto action inputs ----

/** One input value and the config value it came from. */
export interface InputValue {
  /** The input's text, templates unrendered. */
  value: string;
  where: Where;
}

export interface InputMapping {
  /** Input name (kebab-case, as in action.yml) → value; only inputs the file sets. */
  inputs: Record<string, InputValue>;
  /** What the file sets that these inputs cannot carry. */
  notApplied: NotApplied[];
}

function skipped(key: string, where: Where, reason: string): NotApplied {
  return { key, where: fileLine(where), reason };
}

function contentsYaml(contents: readonly NfpmContent[]): string {
  const items = contents.map((x) => {
    const info: Record<string, unknown> = {};
    if (x.info.mode !== undefined) info.mode = `0${x.info.mode.toString(8)}`;
    if (x.info.owner) info.owner = x.info.owner.text;
    if (x.info.group) info.group = x.info.group.text;
    return {
      ...(x.src ? { src: x.src.text } : {}),
      dst: x.dst.text,
      ...(x.type ? { type: x.type } : {}),
      ...(x.packager ? { packager: x.packager } : {}),
      ...(Object.keys(info).length ? { file_info: info } : {}),
    };
  });
  return stringify(items, { lineWidth: 0 });
}

/**
 * The multiarch-build inputs `nfpms` sets (the first entry; further entries are reported). Keys
 * GoReleaser fills by default (bindir, package name, file name) are only given when the file
 * sets them, so the action's own defaults apply otherwise.
 */
export function packageInputs(cfg: Pick<GoreleaserConfig, 'nfpms' | 'where'>): InputMapping {
  const out: InputMapping = { inputs: {}, notApplied: [] };
  const [n, ...rest] = cfg.nfpms;
  for (const r of rest) {
    out.notApplied.push(skipped(r.key, r.where, 'multiarch-build builds one set of packages: only `nfpms[0]` is applied'));
  }
  if (!n) return out;
  const set = (input: string, value: string, where: Where): void => {
    if (value !== '') out.inputs[input] = { value, where };
  };
  const w = (field: string): Where => cfg.where(`${n.key}.${field}`);
  set('packages', n.formats.filter((f) => ['deb', 'rpm', 'apk'].includes(f)).join(','), w('formats'));
  if (!/^\{\{\s*\.ProjectName\s*\}\}$/.test(n.packageName.text) && n.packageName.where.line) {
    set('package-name', n.packageName.text, n.packageName.where);
  }
  if (!n.fileNameIsDefault) set('package-file-name', n.fileNameTemplate.text, n.fileNameTemplate.where);
  if (n.bindir.where.line) set('package-bindir', n.bindir.text, n.bindir.where);
  for (const [input, t] of [
    ['package-maintainer', n.maintainer],
    ['package-description', n.description],
    ['package-homepage', n.homepage],
  ] as const) {
    if (t) set(input, t.text, t.where);
  }
  set('package-vendor', n.vendor, w('vendor'));
  set('package-license', n.license, w('license'));
  set('package-section', n.section, w('section'));
  set('package-priority', n.priority, w('priority'));
  set('package-depends', n.dependencies.join('\n'), w('dependencies'));
  set('package-recommends', n.recommends.join('\n'), w('recommends'));
  set('package-conflicts', n.conflicts.join('\n'), w('conflicts'));
  if (n.contents.length) set('package-contents', contentsYaml(n.contents), w('contents'));
  const scripts = Object.entries(n.scripts).filter((e): e is [string, Tmpl] => e[1] !== undefined);
  if (scripts.length) set('package-scripts', scripts.map(([k, t]) => `${k}=${t.text}`).join('\n'), w('scripts'));
  set('package-lintian-overrides', n.lintianOverrides.join('\n'), w('deb.lintian_overrides'));
  return out;
}

/**
 * The semver-release inputs `homebrew_casks` / `brews` and `scoops` set: the tap and bucket
 * repositories, pull request or direct commit, the commit author, and the manifest fields.
 */
export function tapInputs(cfg: Pick<GoreleaserConfig, 'homebrewCasks' | 'brews' | 'scoops' | 'where'>): InputMapping {
  const out: InputMapping = { inputs: {}, notApplied: [] };
  const set = (input: string, value: string, where: Where): void => {
    if (value !== '' && !(input in out.inputs)) out.inputs[input] = { value, where };
  };
  const homebrew = cfg.homebrewCasks[0] ?? cfg.brews[0];
  const others = [...cfg.homebrewCasks, ...cfg.brews].filter((t) => t !== homebrew);
  for (const t of others)
    out.notApplied.push(skipped(t.key, t.where, 'semver-release updates one Homebrew tap entry: the first cask (or formula)'));
  for (const t of cfg.scoops.slice(1))
    out.notApplied.push(skipped(t.key, t.where, 'semver-release updates one Scoop manifest: the first entry'));
  const repoOf = (t: Tap, input: string): void => {
    const r = t.repository;
    if (!r?.owner || !r.name) return;
    set(input, `${r.owner.text}/${r.name.text}${r.branch ? `@${r.branch.text}` : ''}`, r.where);
    if (r.pullRequest.enabled)
      set('tap-pull-request', r.pullRequest.draft ? 'draft' : 'true', cfg.where(`${t.key}.repository.pull_request.enabled`));
    if (r.pullRequest.base.owner || r.pullRequest.base.name || r.pullRequest.base.branch) {
      out.notApplied.push(
        skipped(
          `${t.key}.repository.pull_request.base`,
          cfg.where(`${t.key}.repository.pull_request.base`),
          'the pull request goes to the tap repository’s own branch, not to another repository',
        ),
      );
    }
  };
  for (const t of [homebrew, cfg.scoops[0]]) {
    if (!t) continue;
    repoOf(t, t.kind === 'scoop' ? 'scoop-bucket' : 'homebrew-tap');
    if (t.kind === 'formula') set('homebrew-formula', 'true', t.where);
    if (t.name.where.line && t.name.text !== '{{ .ProjectName }}') {
      out.notApplied.push(skipped(`${t.key}.name`, t.name.where, 'the cask, formula and Scoop app are named after the project'));
    }
    const defaultDir = t.kind === 'cask' ? 'Casks' : t.kind === 'formula' ? 'Formula' : '';
    if (t.directory !== defaultDir) {
      out.notApplied.push(
        skipped(
          `${t.key}.directory`,
          cfg.where(`${t.key}.directory`),
          `semver-release writes to \`${defaultDir || '(the root)'}\` as Homebrew and Scoop expect`,
        ),
      );
    }
    const a = t.commitAuthor;
    if (a.name && a.email) set('tap-commit-author', `${a.name.text} <${a.email.text}>`, a.name.where);
    set('package-description', t.description, cfg.where(`${t.key}.description`));
    set('package-homepage', t.homepage, cfg.where(`${t.key}.homepage`));
    set('package-license', t.license, cfg.where(`${t.key}.license`));
  }
  return out;
}
