/**
 * Input `config`: the module's `.goreleaser.yaml` (looked for under the names GoReleaser looks
 * for), `none`, or a path through the path policy. The file is read and checked completely here,
 * before anything runs: a key that would change what is built and that goship cannot honour is a
 * ConfigError naming the key and its line; keys goship does not do are kept for the not-applied
 * table.
 */
import type { Inputs } from '@goship/core/action';
import { type GoreleaserConfig, findConfig, readGoreleaserConfig } from '@goship/core/config';
import { run } from '@goship/core/exec';
import { confinePath } from '@goship/core/paths';
import path from 'node:path';

export interface GoreleaserFile {
  /** Real path of the file. */
  path: string;
  config: GoreleaserConfig;
}

/** `owner/name` of the repository, for the project name GoReleaser derives: GITHUB_REPOSITORY, else the origin remote. */
export async function repositoryOf(workdir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.GITHUB_REPOSITORY) return env.GITHUB_REPOSITORY;
  const r = await run('git', ['remote', 'get-url', 'origin'], { cwd: workdir, silent: true, allowFailure: true });
  if (r.code !== 0) return undefined;
  // https://host/owner/name(.git), git@host:owner/name(.git), ssh://git@host/owner/name
  const m = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(r.stdout.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export async function readGoreleaserFile(inputs: Inputs, workdir: string): Promise<GoreleaserFile | undefined> {
  const given = inputs.string('config');
  const file = findConfig(workdir, given, {
    resolve: (g) => confinePath('config', g, { base: workdir, what: 'the GoReleaser file' }),
  });
  if (!file) return undefined;
  const real = confinePath('config', file, { base: workdir, what: 'the GoReleaser file' });
  const rel = path.relative(workdir, real);
  const config = readGoreleaserConfig(real, {
    moduleDir: workdir,
    repository: await repositoryOf(workdir),
    env: process.env,
    displayName: rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : real,
  });
  return { path: real, config };
}
