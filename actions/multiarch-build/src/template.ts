/**
 * Every template of multiarch-build — inputs (archive-name, ldflags, image-tags, …) and the
 * GoReleaser file's fields alike — goes through core's one engine (Go text/template with
 * GoReleaser's functions), over one field map: GoReleaser's variables (`.ProjectName`,
 * `.Version`, `.ShortCommit`, `.Os`, `.Arm`, …) plus goship's own (`.Project`, `.TraceId`,
 * `.Variant`). goship's `.Date`, `.Timestamp` and `.Now` are the commit time, not the clock, so a
 * rebuild of the commit is identical; GoReleaser uses the time of the run.
 */
import { describe, type Tmpl } from '@goship/core/config';
import { GoshipError } from '@goship/core/errors';
import { type GoTarget } from '@goship/core/config';
import { type Platform } from '@goship/core/platform';
import { parseSemVer } from '@goship/core/semver';
import { TemplateError, type Value, compileTemplate, goreleaserFields } from '@goship/core/template';
import type { Project } from './project.js';

/** Where a template comes from, as errors name it: `input "archive-name"` or `builds[0].ldflags[0] (.goreleaser.yaml:12)`. */
export function inputWhere(input: string): string {
  return `input "${input}"`;
}

export function tmplWhere(t: Tmpl): string {
  // an input is named by itself; a key of the file by its line (or `default`)
  return t.where.key.startsWith('input "') ? t.where.key : describe(t.where);
}

/** Every field name a template can use, for "did you mean". */
const FIELDS = [
  'ProjectName',
  'ModulePath',
  'Version',
  'RawVersion',
  'Summary',
  'Tag',
  'PreviousTag',
  'Branch',
  'Commit',
  'ShortCommit',
  'FullCommit',
  'CommitDate',
  'CommitTimestamp',
  'GitURL',
  'IsGitDirty',
  'IsGitClean',
  'GitTreeState',
  'Env',
  'Date',
  'Timestamp',
  'Now',
  'Major',
  'Minor',
  'Patch',
  'Prerelease',
  'IsSnapshot',
  'IsSingleTarget',
  'IsNightly',
  'IsDraft',
  'ReleaseNotes',
  'ReleaseURL',
  'TagSubject',
  'TagContents',
  'TagBody',
  'Runtime',
  'Os',
  'Arch',
  'Amd64',
  'I386',
  'Arm',
  'Arm64',
  'Mips',
  'Ppc64',
  'Riscv64',
  'Target',
  'Binary',
  'ArtifactName',
  'ArtifactExt',
  'ArtifactPath',
  'Name',
  'Path',
  'Ext',
  'Project',
  'TraceId',
  'Variant',
];

function withSuggestion(e: unknown): never {
  const m = e instanceof TemplateError ? /^map has no entry for key "(.*)"$/.exec(e.reason) : null;
  if (e instanceof TemplateError && m) {
    const key = m[1]!.toLowerCase();
    const close = FIELDS.find((f) => f.toLowerCase() === key) ?? FIELDS.find((f) => near(f.toLowerCase(), key));
    if (close) throw new GoshipError(e.message, `Did you mean .${close}? (field names are case-sensitive)`);
  }
  throw e;
}

/** One edit or one swap of neighbours apart. */
function near(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0);
    return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]] && a[diff[1]] === b[diff[0]!]);
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i < l.length; i++) if (l.slice(0, i) + l.slice(i + 1) === s) return true;
  return false;
}

/** The artifact fields of one target (and binary) for `.Os`, `.Arch`, `.Arm`, `.Target`, `.Binary` … */
export interface ArtifactScope {
  target: GoTarget;
  platform: Platform;
  binary?: string;
  name?: string;
  ext?: string;
  path?: string;
}

/** What every template sees, fixed for the run: the project and the environment (`.Env`). */
export interface TemplateScope {
  project: Project;
  env: Record<string, string>;
}

function hostRuntime(): { goos: string; goarch: string } {
  const goos = process.platform === 'win32' ? 'windows' : process.platform;
  const goarch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return { goos, goarch };
}

/** The field map of a template: GoReleaser's variables with GoReleaser's Go types, and goship's. */
export function templateFields(s: TemplateScope, a?: ArtifactScope, extra: Record<string, unknown> = {}): Value {
  const p = s.project;
  const sv = parseSemVer(p.version);
  const commitDate = new Date(p.commit.epoch * 1000);
  const t = a?.target;
  return goreleaserFields({
    projectName: p.project,
    version: p.templateVersion ?? p.version,
    modulePath: p.module,
    tag: p.tag || `v${p.version}`,
    previousTag: p.git.previousTag,
    branch: p.git.branch,
    commit: p.commit.sha,
    shortCommit: p.commit.short,
    fullCommit: p.commit.sha,
    commitDate,
    gitURL: p.git.url,
    summary: p.git.summary,
    tagSubject: p.git.tagSubject,
    tagContents: p.git.tagContents,
    tagBody: p.git.tagBody,
    dirty: p.git.dirty,
    env: s.env,
    // goship: the commit time, so that names and stamps do not depend on when the job ran
    date: commitDate,
    semver: sv
      ? { major: BigInt(sv.major), minor: BigInt(sv.minor), patch: BigInt(sv.patch), prerelease: sv.prerelease.join('.') }
      : undefined,
    snapshot: p.snapshot,
    draft: false,
    runtime: hostRuntime(),
    artifact: t
      ? {
          os: t.goos,
          arch: t.goarch,
          amd64: t.goamd64,
          i386: t.go386,
          arm: t.goarm,
          arm64: t.goarm64,
          mips: t.gomips,
          ppc64: t.goppc64,
          riscv64: t.goriscv64,
          target: t.target,
          binary: a.binary,
          name: a.name,
          ext: a.ext,
          path: a.path,
        }
      : undefined,
    extra: {
      Project: p.project,
      TraceId: p.traceId,
      ...(a ? { Variant: a.platform.variant } : {}),
      ...extra,
    },
  });
}

export interface RenderOptions {
  /** goship's old image-tag placeholders: `{{short-commit}}` is `{{ short_commit }}`. */
  legacyNames?: boolean;
  funcs?: Record<string, (...args: unknown[]) => unknown>;
}

/** Parses a template now (before anything runs) so that a syntax error names its place. */
export function checkTemplateSyntax(where: string, text: string, o: RenderOptions = {}): void {
  compileTemplate(text, { where, legacyNames: o.legacyNames, funcs: o.funcs, readFile: noFiles });
}

/**
 * Templates may not read files: a name or flag must not depend on a file the path policy has not
 * checked. `readFile` is lenient in GoReleaser (an error reads as ""), so the hook's error is
 * marked and turned into a refusal rather than an empty string.
 */
const NO_FILES = 'file functions (readFile, mustReadFile, sha256 …) are not available in goship templates';
function noFiles(p: string): Uint8Array {
  throw new Error(`open ${p}: ${NO_FILES}`);
}

export function render(where: string, text: string, data: Value, o: RenderOptions = {}): string {
  let read: string | undefined;
  const hook = (p: string): Uint8Array => {
    read = p;
    return noFiles(p);
  };
  try {
    const out = compileTemplate(text, { where, legacyNames: o.legacyNames, funcs: o.funcs, readFile: hook }).execute(data);
    if (read === undefined) return out;
  } catch (e) {
    if (read === undefined) return withSuggestion(e);
  }
  throw new GoshipError(
    `${where}: the template reads the file ${JSON.stringify(read)}; ${NO_FILES}`,
    'Write the value into the template, or pass it in an environment variable ({{ .Env.NAME }})',
  );
}

export function renderTmpl(t: Tmpl, data: Value): string {
  return render(tmplWhere(t), t.text, data);
}

/** Renders a list, leaving out items that render empty (GoReleaser's tmpl.NonEmpty). */
export function renderList(ts: readonly Tmpl[], data: Value): string[] {
  return ts.map((t) => renderTmpl(t, data)).filter((s) => s !== '');
}

/** A boolean template (`skip`, `no_unique_dist_dir`): GoReleaser's tmpl.Bool — `true` after trimming, else false. */
export function renderBool(t: Tmpl | undefined, data: Value): boolean {
  if (!t) return false;
  return renderTmpl(t, data).trim() === 'true';
}

export { TemplateError };

/** A rendered value that must be one path element (archive, checksum and binary names). */
export function checkRenderedName(where: string, template: string, value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (value === '' || value === '.' || value === '..' || /[\\\u0000-\u001f\u007f]/.test(value) || value.split('/').includes('..')) {
    throw new GoshipError(
      `${where}: the template \`${template}\` renders ${JSON.stringify(value)}, which is not a ${what}.`,
      'Names are written inside dist: no `..`, backslashes or control characters, and not empty',
    );
  }
  return value;
}
