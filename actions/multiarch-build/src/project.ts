/**
 * What a build is stamped with, all taken from the commit and the run (never from the clock):
 * commit hash and time, version and tag, project and module names, trace id.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { output } from '@goship/core/exec';
import { refTag, traceId } from '@goship/core/github';
import { parseGoMod } from '@goship/core/go';
import { explainInvalid, parseSemVer } from '@goship/core/semver';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Commit {
  sha: string;
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
}

export async function readCommit(workdir: string): Promise<Commit> {
  let out: string;
  try {
    out = await output('git', ['-c', 'log.showSignature=false', 'show', '-s', '--format=%H %cI'], { cwd: workdir });
  } catch (e) {
    throw new GoshipError(
      `${workdir} is not a git checkout with a commit (git said: ${(e as Error).message.split('\n').slice(-1)[0]}).`,
      'Check out the repository first with actions/checkout: version, commit and dates come from the commit, never from the clock',
    );
  }
  const [sha, iso] = out.split(' ') as [string, string];
  const ms = Date.parse(iso);
  const toplevel = await output('git', ['rev-parse', '--show-toplevel'], { cwd: workdir });
  return { sha, time: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), epoch: Math.floor(ms / 1000), toplevel };
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

export async function resolveProject(workdir: string, versionInput: string): Promise<Project> {
  const module = await readModule(workdir);
  const commit = await readCommit(workdir);
  const { version, tag } = resolveVersion(versionInput, commit.sha);
  return { project: projectName(module), module, version, tag, commit, traceId: traceId() };
}

export function templateVars(p: Project): Record<string, string> {
  return {
    Version: p.version,
    Tag: p.tag || `v${p.version}`,
    Commit: p.commit.sha,
    ShortCommit: p.commit.sha.slice(0, 7),
    Date: p.commit.time,
    TraceId: p.traceId,
    Project: p.project,
  };
}
