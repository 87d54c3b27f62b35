/**
 * Every input, read and validated before anything happens: a bad value fails with an InputError
 * that names the input, the value, what is accepted and how to fix it. Paths go through the one
 * path policy (inside the workspace or RUNNER_TEMP after symlinks), refs and names through their
 * grammar, so nothing an input holds can become an option of git or a different API path.
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { type Repo, currentRepo, parseRepo, refTag } from '@goship/core/github';
import { DEFAULT_MANIFEST_PATH } from '@goship/core/manifest';
import { confinePath, pathRoots } from '@goship/core/paths';
import { statSync } from 'node:fs';
import { type Section, parseSections } from './changelog.js';
import { checkPrefix, parseReleaseTag, parseVersionInput } from './version.js';

export const COMMANDS = ['plan', 'publish', 'tag'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Config {
  command: Command;
  tag?: string;
  /** Where `tag` came from, for messages. */
  tagSource: string;
  prefix: string;
  version?: string;
  bump: 'auto' | 'major' | 'minor' | 'patch';
  initialVersion: string;
  breakingPre1: 'minor' | 'major';
  prerelease: 'auto' | 'true' | 'false';
  prereleaseId: string;
  draft: boolean;
  makeLatest: 'auto' | 'true' | 'false';
  changelog: 'conventional' | 'github' | 'none';
  sections: Section[];
  /** Real path of the manifest (it may not exist: needed only to publish without `files`). */
  manifest: string;
  /** The manifest as given, for messages. */
  manifestInput: string;
  files: string[];
  replaceMismatched: boolean;
  maxConcurrency: number;
  floatingTags: boolean;
  announceWebhook: string;
  token: string;
  repository?: Repo;
  targetCommitish: string;
  /** Real path of the git checkout. */
  workdir: string;
}

/**
 * A ref for `target-commitish`: a commit sha or a branch or tag name. Stricter than git's own
 * rules (check-ref-format): it never starts with `-`, so git cannot read it as an option.
 */
export function checkRef(input: string, ref: string): string {
  const ok =
    /^[A-Za-z0-9_][A-Za-z0-9._/+-]*$/.test(ref) &&
    ref.length <= 255 &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !/\.lock(\/|$)/.test(ref) &&
    !/(^|\/)\./.test(ref);
  if (!ok) {
    throw new InputError(
      input,
      ref,
      'a commit sha, or a branch or tag name (letters, digits, `. _ / + -`, not starting with `-` or `.`)',
      'Leave it out to release the tag, or HEAD when the tag does not exist yet',
    );
  }
  return ref;
}

function checkWebhook(url: string): void {
  let ok: boolean;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    ok = false;
  }
  // The value is a secret: never shown, not even in the refusal.
  if (!ok) {
    throw new InputError(
      'announce-webhook',
      '***',
      'an http(s) URL of an incoming webhook (Slack or compatible)',
      'Pass it from a secret: `${{ secrets.SLACK_WEBHOOK_URL }}`',
    );
  }
}

function checkPrereleaseId(id: string): void {
  if (id && !/^[0-9A-Za-z-]{1,40}$/.test(id)) {
    throw new InputError(
      'prerelease-id',
      id,
      'one SemVer pre-release identifier: [0-9A-Za-z-], e.g. `rc`, `beta`',
      'The number (rc.1, rc.2) is added for you',
    );
  }
  if (/^\d+$/.test(id)) {
    throw new InputError('prerelease-id', id, 'a word such as `rc` or `beta`', 'The counter is added after it (rc.1)');
  }
}

/** The working directory: an existing folder inside the workspace. */
function workingDirectory(given: string, cwd: string, env: NodeJS.ProcessEnv): string {
  const dir = confinePath('working-directory', given, { base: cwd, roots: pathRoots(env, cwd), what: 'the git checkout' });
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) {
    throw new InputError(
      'working-directory',
      given,
      'an existing folder of the checkout',
      `${dir} ${st ? 'is not a folder' : 'does not exist'}; check out the repository first (actions/checkout with \`fetch-depth: 0\`) or fix the path`,
    );
  }
  return dir;
}

function needsToken(command: Command, changelog: Config['changelog'], token: string): void {
  if (command === 'plan' && changelog !== 'github') return;
  if (!token || token.includes('${{')) {
    throw new InputError(
      'token',
      token ? '(an expression that was not expanded)' : '',
      'a GitHub token with `contents: write`',
      'Leave `token` at its default (`${{ github.token }}`) and give the job `permissions: contents: write`',
    );
  }
}

export function readConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const command = inputs.oneOf('command', COMMANDS, 'plan');
  // The runner sets every declared input (action.yml's default `v` when not given), so an
  // explicit `tag-prefix: ""` arrives as an empty value and means: tags without a prefix.
  const rawPrefix = inputs.raw('tag-prefix');
  const prefix = rawPrefix === undefined ? 'v' : rawPrefix.trim();
  checkPrefix(prefix);
  const explicit = inputs.string('tag');
  const tag = explicit || (command === 'tag' ? undefined : refTag(env)) || undefined;
  const tagSource = explicit ? 'tag' : 'tag (from GITHUB_REF)';
  if (tag) parseReleaseTag(tag, prefix, tagSource);
  const version = inputs.string('version') || undefined;
  if (version) {
    parseVersionInput(version, 'version');
    // The tag it makes must be a usable ref too.
    parseReleaseTag(`${prefix}${version}`, prefix, 'version');
  }
  const initialVersion = inputs.string('initial-version', { default: '0.1.0' });
  parseVersionInput(initialVersion, 'initial-version');
  const prereleaseId = inputs.string('prerelease-id');
  checkPrereleaseId(prereleaseId);
  const announceWebhook = inputs.string('announce-webhook');
  if (announceWebhook) checkWebhook(announceWebhook);
  const changelog = inputs.oneOf('changelog', ['conventional', 'github', 'none'] as const, 'conventional');
  const token = inputs.string('token');
  needsToken(command, changelog, token);
  const repoInput = inputs.string('repository');
  const repository = repoInput ? parseRepo(repoInput, 'repository') : currentRepo(env);
  if ((command !== 'plan' || changelog === 'github') && !repository) {
    throw new InputError('repository', '', 'OWNER/REPO', 'Set `repository:` (GITHUB_REPOSITORY is not set outside GitHub Actions)');
  }
  const targetCommitish = inputs.string('target-commitish');
  if (targetCommitish) checkRef('target-commitish', targetCommitish);
  const workdir = workingDirectory(inputs.string('working-directory', { default: '.' }), cwd, env);
  const manifestInput = inputs.string('manifest', { default: DEFAULT_MANIFEST_PATH });
  const manifest = confinePath('manifest', manifestInput, { base: workdir, roots: pathRoots(env, cwd), what: 'the artifact manifest' });
  return {
    command,
    tag,
    tagSource,
    prefix,
    version,
    bump: inputs.oneOf('bump', ['auto', 'major', 'minor', 'patch'] as const, 'auto'),
    initialVersion,
    breakingPre1: inputs.oneOf('breaking-pre-1', ['minor', 'major'] as const, 'minor'),
    prerelease: inputs.oneOf('prerelease', ['auto', 'true', 'false'] as const, 'auto'),
    prereleaseId,
    draft: inputs.bool('draft', false),
    makeLatest: inputs.oneOf('make-latest', ['auto', 'true', 'false'] as const, 'auto'),
    changelog,
    sections: parseSections(inputs.list('changelog-types')),
    manifest,
    manifestInput,
    files: inputs
      .lines('files')
      .flatMap((l) => l.split(',').map((s) => s.trim()))
      .filter(Boolean),
    replaceMismatched: inputs.bool('replace-mismatched', false),
    maxConcurrency: inputs.int('max-concurrency', 3, { min: 1, max: 20 }),
    floatingTags: inputs.bool('floating-tags', false),
    announceWebhook,
    token,
    repository,
    targetCommitish,
    workdir,
  };
}
