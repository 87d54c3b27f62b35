/**
 * Git credentials for private modules over https: the token goes into a git config file of its
 * own in RUNNER_TEMP (folder 0700, file 0600) as `url.<https://x-access-token:TOKEN@host/>.insteadOf`
 * rules; later steps reach it through a GIT_CONFIG_* `include.path` entry, so neither the
 * environment nor any git config of the checkout holds the token. The post step removes the file.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Host names git may be told about: DNS labels and an optional port, nothing config syntax could trip on. */
const HOST_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?$/;

/** Hosts of GOPRIVATE patterns with no wildcard in the host (github.com when none). */
export function privateHosts(goprivate: string): string[] {
  const hosts = goprivate
    .split(',')
    .map((s) => s.trim().split('/')[0]!)
    .filter((h) => HOST_RE.test(h));
  return hosts.length ? [...new Set(hosts)].sort() : ['github.com'];
}

/** The config file's text. The token is percent-encoded (git decodes URL credentials), so no character of it can end the quoted section name. */
export function credentialsConfig(token: string, hosts: readonly string[]): string {
  const user = `x-access-token:${encodeURIComponent(token)}`;
  return hosts.map((h) => `[url "https://${user}@${h}/"]\n\tinsteadOf = https://${h}/\n`).join('');
}

export interface GitCredentials {
  /** The config file (inside RUNNER_TEMP). */
  file: string;
  hosts: string[];
}

const PREFIX = 'goship-git-';

export function runnerTemp(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNNER_TEMP || os.tmpdir();
}

export async function writeGitCredentials(token: string, goprivate: string, temp = runnerTemp()): Promise<GitCredentials> {
  const hosts = privateHosts(goprivate);
  await mkdir(temp, { recursive: true });
  const dir = await mkdtemp(path.join(temp, PREFIX)); // 0700
  const file = path.join(dir, 'config');
  await writeFile(file, credentialsConfig(token, hosts), { mode: 0o600, flag: 'wx' });
  return { file, hosts };
}

/**
 * Removes a file {@link writeGitCredentials} wrote (its folder with it). Anything else — a state
 * value that does not name one of ours — is left alone: false.
 */
export async function removeGitCredentials(file: string, temp = runnerTemp()): Promise<boolean> {
  const dir = path.dirname(path.resolve(file));
  if (path.basename(file) !== 'config' || path.dirname(dir) !== path.resolve(temp) || !path.basename(dir).startsWith(PREFIX)) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}
