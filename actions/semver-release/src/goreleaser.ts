/**
 * What semver-release takes from a module's `.goreleaser.yaml`: the `release` and `changelog`
 * sections (and the not-applied keys of every section that is about publishing). Precedence: an
 * input given in the step wins, then a key the file sets, then goship's default — a key the file
 * does not set keeps goship's default, not GoReleaser's (so `prerelease` stays `auto`). Every
 * template is compiled here, so a template that cannot parse fails before anything happens; they
 * are rendered once the version is known, with GoReleaser's fields.
 */
import type { Inputs } from '@goship/core/action';
import {
  type Changelog,
  type ExtraFile,
  type GoreleaserConfig,
  type NotApplied,
  type Release,
  type Tmpl,
  describe,
  fileLine,
  isDefault,
} from '@goship/core/config';
import { notAppliedIn } from '@goship/core/config-input';
import { GoshipError } from '@goship/core/errors';
import { confinePath, pathRoots } from '@goship/core/paths';
import { type GoreleaserContext, compileTemplate, fileReader, goreleaserFields } from '@goship/core/template';
import { readFileSync } from 'node:fs';

/** The sections whose not-applied keys this action reports: the release and every other publisher. */
export const SECTIONS = [
  'release',
  'changelog',
  'git',
  'github_urls',
  'gitlab_urls',
  'gitea_urls',
  'env_files',
  'force_token',
  'milestones',
  'announce',
  'homebrew_casks',
  'brews',
  'scoops',
  'scoop',
  'nix',
  'winget',
  'aurs',
  'aur_sources',
  'krews',
  'chocolateys',
  'artifactories',
  'uploads',
  'blobs',
  'publishers',
  'mcp',
] as const;

/** The file's release and changelog, as this run applies them. */
export interface FileRelease {
  /** The file as shown in messages. */
  file: string;
  projectName: string;
  nameTemplate: Tmpl;
  header: Tmpl | undefined;
  footer: Tmpl | undefined;
  /** Only when the input `make-latest` is not given. */
  makeLatest: Tmpl | undefined;
  disable: Tmpl | undefined;
  skipUpload: Tmpl | undefined;
  extraFiles: ExtraFile[];
  /** What happens to the notes of a release that goship did not make. */
  mode: Release['mode'];
  /** The changelog section, when the changelog comes from the file. */
  changelog: Changelog | undefined;
  notApplied: NotApplied[];
}

/** Values the file gives for inputs that were not given; undefined = goship's default. */
export interface FileDefaults {
  draft?: boolean;
  prerelease?: 'auto' | 'true' | 'false';
  replaceMismatched?: boolean;
  changelog?: 'conventional' | 'github' | 'none' | 'goreleaser';
  repository?: string;
  targetCommitish?: string;
}

const hasAction = (t: Tmpl): boolean => t.text.includes('{{');

function check(t: Tmpl | undefined): void {
  if (t) compileTemplate(t.text, { where: describe(t.where) });
}

export function fileRelease(gr: GoreleaserConfig, inputs: Inputs): { release: FileRelease; defaults: FileDefaults } {
  const given = (name: string): boolean => inputs.string(name) !== '';
  const set = (key: string): boolean => !isDefault(gr.where(key));
  const rows: NotApplied[] = [...notAppliedIn(gr, SECTIONS)];
  const row = (key: string, reason: string): void => {
    rows.push({ key, where: fileLine(gr.where(key)), reason });
  };
  const defaults: FileDefaults = {};
  const r = gr.release;

  const fromFile = (key: string, input: string): boolean => {
    if (!set(key)) return false;
    if (given(input)) {
      row(key, `the input \`${input}\` is given and overrides it`);
      return false;
    }
    return true;
  };
  if (fromFile('release.draft', 'draft')) defaults.draft = r.draft;
  if (fromFile('release.prerelease', 'prerelease'))
    defaults.prerelease = r.prerelease === 'auto' ? 'auto' : r.prerelease ? 'true' : 'false';
  if (fromFile('release.replace_existing_artifacts', 'replace-mismatched')) defaults.replaceMismatched = r.replaceExistingArtifacts;
  const makeLatest = fromFile('release.make_latest', 'make-latest') ? r.makeLatest : undefined;

  if (r.github && fromFile('release.github', 'repository')) {
    if (hasAction(r.github.owner) || hasAction(r.github.name)) {
      row('release.github', 'templated repositories are not rendered; the release goes to the run’s repository (or input `repository`)');
    } else defaults.repository = `${r.github.owner.text}/${r.github.name.text}`;
  }
  if (r.targetCommitish && fromFile('release.target_commitish', 'target-commitish')) {
    if (hasAction(r.targetCommitish)) {
      row(
        'release.target_commitish',
        'a templated commitish is not rendered: the version is decided from the commit, so the commit must be known first',
      );
    } else defaults.targetCommitish = r.targetCommitish.text;
  }
  if (r.ids.length) row('release.ids', 'the release takes the manifest’s assets (select them with `files`)');
  if (r.replaceExistingDraft)
    row('release.replace_existing_draft', 'semver-release resumes its own draft of the tag and never deletes a draft made by hand');
  if (r.useExistingDraft)
    row('release.use_existing_draft', 'semver-release always resumes a draft of the tag (its own first, else one made by hand)');

  let changelog: Changelog | undefined;
  if (given('changelog')) {
    if (set('changelog')) row('changelog', 'the input `changelog` is given and overrides it');
  } else if (gr.changelog.use === 'github-native') {
    // GitHub's generator is semver-release's `changelog: github`: applied (the core lists it as not).
    const i = rows.findIndex((n) => n.key === 'changelog.use');
    if (i >= 0) rows.splice(i, 1);
    defaults.changelog = 'github';
  } else {
    // A GoReleaser user's notes look like GoReleaser's, whether or not the file has the section.
    defaults.changelog = 'goreleaser';
    changelog = gr.changelog;
    if (gr.changelog.use === 'github') {
      row(
        'changelog.use',
        'the entries come from the local git history (the same commits, oldest first as GitHub compares them); GitHub logins are not looked up, so `.AuthorUsername` and `.Logins` are empty and the default format shows `Name <email>`',
      );
    }
  }

  const release: FileRelease = {
    file: gr.file,
    projectName: gr.projectName,
    nameTemplate: r.nameTemplate,
    header: r.header,
    footer: r.footer,
    makeLatest,
    disable: r.disable,
    skipUpload: r.skipUpload,
    extraFiles: r.extraFiles,
    mode: r.mode,
    changelog,
    notApplied: rows,
  };
  for (const t of [r.nameTemplate, r.header, r.footer, makeLatest, r.disable, r.skipUpload, changelog?.format, changelog?.disable])
    check(t);
  for (const x of r.extraFiles) {
    check(x.glob);
    check(x.nameTemplate);
  }
  return { release, defaults };
}

/** The environment templates see as `.Env`: the runner's, without inputs (tokens arrive as INPUT_*) and runner credentials. */
export function templateEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || /^(INPUT_|ACTIONS_)/.test(k) || k === 'GITHUB_TOKEN') continue;
    out[k] = v;
  }
  return out;
}

/** What the templates of one release see. */
export interface ReleaseFacts {
  projectName: string;
  /** Without the prefix: 1.4.0-rc.1. */
  version: string;
  semver: { major: number; minor: number; patch: number; prerelease: string };
  tag: string;
  previousTag?: string;
  commit: string;
  /** RFC 3339 of the release commit. */
  commitDate?: string;
  draft: boolean;
  releaseNotes?: string;
  gitURL?: string;
  env?: Record<string, string>;
  /** The checkout: `readFile` in a template reads inside it (the path policy), nowhere else. */
  dir?: string;
}

export function fieldsOf(f: ReleaseFacts, extra: Record<string, unknown> = {}): unknown {
  const c: GoreleaserContext = {
    projectName: f.projectName,
    version: f.version,
    tag: f.tag,
    previousTag: f.previousTag ?? '',
    commit: f.commit,
    fullCommit: f.commit,
    shortCommit: f.commit.slice(0, 7),
    ...(f.commitDate ? { commitDate: new Date(f.commitDate) } : {}),
    ...(f.gitURL ? { gitURL: f.gitURL } : {}),
    semver: f.semver,
    draft: f.draft,
    releaseNotes: f.releaseNotes ?? '',
    env: f.env ?? templateEnv(),
    extra,
  };
  return goreleaserFields(c);
}

export function render(t: Tmpl, facts: ReleaseFacts, extra: Record<string, unknown> = {}): string {
  const where = describe(t.where);
  const dir = facts.dir;
  const readFile = dir
    ? fileReader({ readFileSync }, (p) => confinePath(where, p, { base: dir, roots: pathRoots(), what: 'a file a template reads' }))
    : undefined;
  return compileTemplate(t.text, { where, ...(readFile ? { readFile, cwd: dir } : {}) }).execute(fieldsOf(facts, extra));
}

/** GoReleaser's tmpl.Bool: true when the rendered text is `true` (any case, spaces around). */
export function renderBool(t: Tmpl | undefined, facts: ReleaseFacts): boolean {
  return t !== undefined && render(t, facts).trim().toLowerCase() === 'true';
}

/** `make_latest` rendered: `true`, `false`, `legacy`, or '' (goship decides, as `auto`). */
export function renderMakeLatest(t: Tmpl, facts: ReleaseFacts): 'true' | 'false' | 'legacy' | '' {
  const v = render(t, facts).trim();
  if (v === '' || v === 'true' || v === 'false' || v === 'legacy') return v;
  throw new GoshipError(
    `${describe(t.where)} renders to ${JSON.stringify(v.slice(0, 40))}; expected true, false, legacy or empty.`,
    'Make the template give one of these (GitHub’s make_latest values)',
  );
}

/** The release body as GoReleaser's release pipe assembles it: header, notes, footer. */
export function wrapNotes(notes: string, header: string, footer: string): string {
  return `${header ? `${header}\n` : ''}${notes}${footer ? `\n${footer}` : ''}\n`;
}
