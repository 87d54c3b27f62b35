/**
 * What a build is stamped with, all taken from the commit and the run (never from the clock):
 * commit hash and time, version and tag, project and module names, trace id.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { output, run } from '@goship/core/exec';
import { refTag, traceId } from '@goship/core/github';
import { parseGoMod } from '@goship/core/go';
import { explainInvalid, parseSemVer } from '@goship/core/semver';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Commit {
  sha: string;
  /** `git show --format=%h`: git's own abbreviation (7 characters or more), as GoReleaser's .ShortCommit. */
  short: string;
  /** UTC, `2026-01-01T00:00:00Z`. */
  time: string;
  /** Unix seconds (SOURCE_DATE_EPOCH). */
  epoch: number;
  /** The git work tree's top folder. */
  toplevel: string;
}

export interface Project {
  project: string;
  module: string;
  version: string;
  tag: string;
  commit: Commit;
  traceId: string;
  /** No release tag: the version is a snapshot's. */
  snapshot: boolean;
  /**
   * GoReleaser's `.Version` where it is not `version`: a snapshot template that renders the tag
   * (`{{ .Tag }}-next` → `v0.64.1-next`, lazygit and k9s). Templates (names, ldflags) get it as
   * GoReleaser does; `version` (the manifest's, the packages') is the SemVer without the `v`.
   */
  templateVersion?: string;
  git: GitFacts;
}

/** What GoReleaser's templates know of the repository besides the commit (all read-only git queries). */
export interface GitFacts {
  branch: string;
  previousTag: string;
  /** The origin remote, credentials removed. */
  url: string;
  /** `git describe --always --dirty --tags`. */
  summary: string;
  dirty: boolean;
  tagSubject: string;
  tagContents: string;
  tagBody: string;
}

export async function readCommit(workdir: string): Promise<Commit> {
  // one `git show` for the commit, its date and git's abbreviation; the top folder meanwhile
  const toplevel = output('git', ['rev-parse', '--show-toplevel'], { cwd: workdir });
  toplevel.catch(() => undefined); // awaited once the show succeeded; its own failure says less
  let out: string;
  try {
    out = await output('git', ['-c', 'log.showSignature=false', 'show', '-s', '--format=%H %cI %h'], { cwd: workdir });
  } catch (e) {
    throw new GoshipError(
      `${workdir} is not a git checkout with a commit (git said: ${(e as Error).message.split('\n').slice(-1)[0]}).`,
      'Check out the repository first with actions/checkout: version, commit and dates come from the commit, never from the clock',
    );
  }
  const [sha, iso, short] = out.split(' ') as [string, string, string];
  const ms = Date.parse(iso);
  return { sha, short, time: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), epoch: Math.floor(ms / 1000), toplevel: await toplevel };
}

export async function readModule(workdir: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.join(workdir, 'go.mod'), 'utf8');
  } catch {
    throw new InputError('working-directory', workdir, 'a folder with a go.mod', 'Point it at the Go module (the folder holding go.mod)');
  }
  const mod = parseGoMod(text).module;
  if (!mod) throw new GoshipError(`${path.join(workdir, 'go.mod')} has no module line.`);
  return mod;
}

/** The last element of a module path, without a `/vN` major-version suffix. */
export function moduleBase(mod: string): string {
  const parts = mod.split('/');
  let last = parts.pop() ?? mod;
  if (/^v\d+$/.test(last) && parts.length) last = parts.pop()!;
  return last;
}

/** From GITHUB_REPOSITORY's name, else the module path's last element — never the folder name. */
export function projectName(mod: string, env: NodeJS.ProcessEnv = process.env): string {
  const repo = env.GITHUB_REPOSITORY?.split('/')[1];
  return repo || moduleBase(mod);
}

/** The version: the input, else the tag of GITHUB_REF, else a snapshot of the commit. */
export function resolveVersion(input: string, commit: string, env: NodeJS.ProcessEnv = process.env): { version: string; tag: string } {
  const tag = refTag(env);
  if (input) return { version: input, tag: tag && tag.replace(/^.*?v(?=\d)/, '') === input ? tag : `v${input}` };
  if (tag) {
    const bare = tag.replace(/^(.*\/)?v(?=\d)/, '');
    if (!parseSemVer(bare)) {
      throw new InputError(
        'version',
        `(from the tag ${tag})`,
        'a tag vMAJOR.MINOR.PATCH, or an explicit `version:`',
        `The tag is not SemVer: ${explainInvalid(bare)}`,
      );
    }
    return { version: bare, tag };
  }
  return { version: `0.0.0-SNAPSHOT-${commit.slice(0, 7)}`, tag: '' };
}

/** The tag resolveVersion gives, when it gives one (undefined: it refuses the tag; that error comes later, in order). */
function tagOf(versionInput: string): string | undefined {
  try {
    return resolveVersion(versionInput, '').tag;
  } catch {
    return undefined;
  }
}

/** A git query whose failure means "no such thing" (no remote, no tag before this one). */
async function gitOr(workdir: string, args: readonly string[], fallback = ''): Promise<string> {
  const r = await run('git', ['-c', 'log.showSignature=false', ...args], { cwd: workdir, silent: true, allowFailure: true });
  return r.code === 0 ? r.stdout.trim() : fallback;
}

/** The release tags on HEAD, newest version first, as GoReleaser finds the current tag. */
export async function tagsAtHead(workdir: string): Promise<string[]> {
  return (await gitOr(workdir, ['tag', '--points-at', 'HEAD', '--sort', '-version:refname'])).split('\n').filter(Boolean);
}

/** The remote URL without credentials (GoReleaser's .GitURL). */
export function cleanURL(url: string): string {
  if (!url.startsWith('https://') && !url.startsWith('http://')) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

export async function readGitFacts(workdir: string, tag: string): Promise<GitFacts> {
  // the tag's subject, contents and body from one `git tag -l`, NUL between them (%00)
  const tagText = async (): Promise<string[]> => {
    if (!tag) return ['', '', ''];
    const parts = (await gitOr(workdir, ['tag', '-l', '--format=%(contents:subject)%00%(contents)%00%(contents:body)', tag])).split('\0');
    return [0, 1, 2].map((i) => (parts[i] ?? '').trim());
  };
  // independent read-only queries: all at once (one after another they were ~0.15 s of every run)
  const [previousTag, status, branch, url, summary, [tagSubject, tagContents, tagBody]] = await Promise.all([
    tag ? gitOr(workdir, ['describe', '--tags', '--abbrev=0', `${tag}^`]) : '',
    gitOr(workdir, ['status', '--porcelain'], 'unknown'),
    gitOr(workdir, ['rev-parse', '--abbrev-ref', 'HEAD', '--quiet']),
    gitOr(workdir, ['remote', 'get-url', 'origin']),
    gitOr(workdir, ['describe', '--always', '--dirty', '--tags']),
    tagText(),
  ]);
  return {
    branch,
    previousTag,
    url: cleanURL(url),
    summary,
    dirty: status !== '',
    tagSubject: tagSubject!,
    tagContents: tagContents!,
    tagBody: tagBody!,
  };
}

export interface ProjectOptions {
  /** The project name from the GoReleaser file (else GITHUB_REPOSITORY's name, else the module's). */
  projectName?: string;
  /**
   * Version the way GoReleaser does (a GoReleaser file is used): the tag of GITHUB_REF, else a
   * release tag on HEAD, else a snapshot of the last tag rendered by `snapshot`.
   */
  goreleaser?: { snapshot: (p: Project) => string };
}

export async function resolveProject(workdir: string, versionInput: string, o: ProjectOptions = {}): Promise<Project> {
  const direct = !o.goreleaser || versionInput || refTag();
  // the commit and, when the tag is known without git (the input, GITHUB_REF), the facts of the tag: at once
  const commitQuery = readCommit(workdir);
  commitQuery.catch(() => undefined); // awaited below, after go.mod is read
  const tagNow = direct ? tagOf(versionInput) : undefined;
  const facts = tagNow === undefined ? undefined : readGitFacts(workdir, tagNow);
  facts?.catch(() => undefined); // awaited below
  const module = await readModule(workdir);
  const commit = await commitQuery;
  const project = o.projectName || projectName(module);
  if (direct) {
    const { version, tag } = resolveVersion(versionInput, commit.sha);
    const snapshot = tag === '' && !versionInput;
    const git = tag === tagNow && facts ? await facts : await readGitFacts(workdir, tag);
    return { project, module, version, tag, commit, traceId: traceId(), snapshot, git };
  }
  const head = (await tagsAtHead(workdir)).find((t) => parseSemVer(t.replace(/^(.*\/)?v(?=\d)/, '')));
  if (head) {
    const { version, tag } = resolveVersion('', commit.sha, { GITHUB_REF: `refs/tags/${head}` });
    return { project, module, version, tag, commit, traceId: traceId(), snapshot: false, git: await readGitFacts(workdir, tag) };
  }
  // a snapshot: .Version is the last tag's until the snapshot template has rendered
  const last = (await gitOr(workdir, ['describe', '--tags', '--abbrev=0'])) || 'v0.0.0';
  const bare = last.replace(/^(.*\/)?v(?=\d)/, '');
  const base: Project = {
    project,
    module,
    version: parseSemVer(bare) ? bare : '0.0.0',
    tag: last,
    commit,
    traceId: traceId(),
    snapshot: true,
    git: await readGitFacts(workdir, last === 'v0.0.0' ? '' : last),
  };
  const rendered = o.goreleaser!.snapshot(base);
  const version = rendered.replace(/^v(?=\d)/, '');
  if (!parseSemVer(version)) {
    throw new InputError(
      'config',
      `snapshot.version_template → ${rendered}`,
      'a snapshot version that is SemVer, with or without a leading v (goship names files and stamps binaries with it)',
      'Write snapshot.version_template as e.g. `{{ incpatch .Version }}-devel`',
    );
  }
  return { ...base, version, ...(rendered !== version ? { templateVersion: rendered } : {}) };
}
