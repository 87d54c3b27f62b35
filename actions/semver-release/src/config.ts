/**
 * Every input, read and validated before anything happens: a bad value fails with an InputError
 * that names the input, the value, what is accepted and how to fix it.
 */
import * as core from '@actions/core';
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { type Repo, currentRepo, parseRepo, refTag } from '@goship/core/github';
import path from 'node:path';
import { type Section, parseSections } from './changelog.js';
import { checkPrefix, parseReleaseTag, parseVersionInput } from './version.js';

export const COMMANDS = ['plan', 'publish', 'tag'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Config {
  command: Command;
  tag?: string;
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
  manifest: string;
  files: string[];
  replaceMismatched: boolean;
  maxConcurrency: number;
  floatingTags: boolean;
  announceWebhook: string;
  token: string;
  repository?: Repo;
  targetCommitish: string;
  workdir: string;
}

export function readConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): Config {
  const command = inputs.oneOf('command', COMMANDS, 'plan');
  // The runner sets every declared input (action.yml's default `v` when not given), so an
  // explicit `tag-prefix: ""` arrives as an empty value and means: tags without a prefix.
  const rawPrefix = inputs.raw('tag-prefix');
  const effectivePrefix = rawPrefix === undefined ? 'v' : rawPrefix.trim();
  checkPrefix(effectivePrefix);
  const explicit = inputs.string('tag');
  const fromRef = command === 'tag' ? undefined : refTag(env);
  const tag = explicit || fromRef || undefined;
  const tagSource = explicit ? 'tag' : 'tag (from GITHUB_REF)';
  if (tag) parseReleaseTag(tag, effectivePrefix, tagSource);
  const version = inputs.string('version') || undefined;
  if (version) parseVersionInput(version, 'version');
  const initialVersion = inputs.string('initial-version', { default: '0.1.0' });
  parseVersionInput(initialVersion, 'initial-version');
  const prereleaseId = inputs.string('prerelease-id');
  if (prereleaseId && !/^[0-9A-Za-z-]+$/.test(prereleaseId)) {
    throw new InputError(
      'prerelease-id',
      prereleaseId,
      'one SemVer pre-release identifier: [0-9A-Za-z-], e.g. `rc`, `beta`',
      'The number (rc.1, rc.2) is added for you',
    );
  }
  if (/^\d+$/.test(prereleaseId)) {
    throw new InputError('prerelease-id', prereleaseId, 'a word such as `rc` or `beta`', 'The counter is added after it (rc.1)');
  }
  const announceWebhook = inputs.string('announce-webhook');
  if (announceWebhook) {
    core.setSecret(announceWebhook);
    let ok: boolean;
    try {
      ok = ['https:', 'http:'].includes(new URL(announceWebhook).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new InputError(
        'announce-webhook',
        '***',
        'an http(s) URL of an incoming webhook (Slack or compatible)',
        'Pass it from a secret: `${{ secrets.SLACK_WEBHOOK_URL }}`',
      );
  }
  const token = inputs.string('token');
  if (token) core.setSecret(token);
  const repoInput = inputs.string('repository');
  const repository = repoInput ? parseRepo(repoInput, 'repository') : currentRepo();
  if (command !== 'plan' && !repository) {
    throw new InputError('repository', '', 'OWNER/REPO', 'Set `repository:` (GITHUB_REPOSITORY is not set outside GitHub Actions)');
  }
  return {
    command,
    tag,
    tagSource,
    prefix: effectivePrefix,
    version,
    bump: inputs.oneOf('bump', ['auto', 'major', 'minor', 'patch'] as const, 'auto'),
    initialVersion,
    breakingPre1: inputs.oneOf('breaking-pre-1', ['minor', 'major'] as const, 'minor'),
    prerelease: inputs.oneOf('prerelease', ['auto', 'true', 'false'] as const, 'auto'),
    prereleaseId,
    draft: inputs.bool('draft', false),
    makeLatest: inputs.oneOf('make-latest', ['auto', 'true', 'false'] as const, 'auto'),
    changelog: inputs.oneOf('changelog', ['conventional', 'github', 'none'] as const, 'conventional'),
    sections: parseSections(inputs.list('changelog-types')),
    manifest: inputs.string('manifest', { default: 'dist/goship-manifest.json' }),
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
    targetCommitish: inputs.string('target-commitish'),
    workdir: path.resolve(inputs.string('working-directory', { default: '.' })),
  };
}
