/**
 * Registry credentials and challenges. Credentials come from the inputs or from the Docker client
 * configuration that `docker login` / docker/login-action write (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`): `auths` entries, or a credential helper (`credHelpers`, `credsStore`) run
 * with argv only.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { currentPort } from '../action/port.js';
import { GoshipError } from '../errors.js';
import { run } from '../exec.js';
import { DOCKER_HUB } from './ref.js';

export interface Credentials {
  username: string;
  password: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The keys a registry may be stored under in `auths`. */
export function authKeys(registry: string): string[] {
  if (registry === DOCKER_HUB) {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'];
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
}

/** Credentials for `registry` from the Docker configuration, or undefined (anonymous); the secret is masked. */
export async function dockerCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
  const c = await lookup(registry, env);
  if (c) currentPort().mask(c.password);
  return c;
}

async function lookup(registry: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const file = dockerConfigPath(env);
  let cfg: DockerConfig;
  try {
    cfg = JSON.parse(await readFile(file, 'utf8')) as DockerConfig;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GoshipError(`Could not read the Docker configuration ${file}: ${(e as Error).message}.`, 'Fix or remove the file');
  }
  const keys = authKeys(registry);
  const helper = keys.map((k) => cfg.credHelpers?.[k]).find(Boolean) ?? cfg.credsStore;
  if (helper) {
    const r = await run(`docker-credential-${helper}`, ['get'], {
      input: registry === DOCKER_HUB ? keys[0] : registry,
      silent: true,
      allowFailure: true,
    });
    if (r.code === 0) {
      const out = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
      if (out.Secret) return { username: out.Username || '<token>', password: out.Secret };
    }
  }
  const entry = keys.map((k) => cfg.auths?.[k]).find((e) => e !== undefined);
  if (!entry) return undefined;
  if (entry.identitytoken) return { username: '<token>', password: entry.identitytoken };
  if (entry.auth) {
    const dec = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = dec.indexOf(':');
    if (i > 0) return { username: dec.slice(0, i), password: dec.slice(i + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string): Challenge {
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!m) return { scheme: '', params: {} };
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!)) !== null) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  return { scheme: m[1]!.toLowerCase(), params };
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
