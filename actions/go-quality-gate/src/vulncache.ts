/**
 * The key of govulncheck's result cache (the one check the go command's caches don't cover). The key is
 * everything that decides the result: the module's Go files, go.mod and go.sum (which pin every
 * dependency's source), the Go version (standard library), the target platform, build tags and
 * package patterns, govulncheck's version and the database's `modified` stamp. A module whose
 * sources can change outside it (a local `replace`, a go.work) is never cached.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { resultCache } from './result-cache.js';

/** `$GOSHIP_GOVULNCHECK_CACHE`, else `<user cache dir>/goship/govulncheck`. */
export const vulnCache = resultCache('govulncheck', 'GOSHIP_GOVULNCHECK_CACHE');

/** The database's last-modified stamp (index/db.json), or undefined when it cannot be read. */
export async function dbModified(db: string | undefined): Promise<string | undefined> {
  const url = db ?? 'https://vuln.go.dev';
  try {
    let body: Buffer;
    if (url.startsWith('file://')) {
      const dir = fileURLToPath(url);
      const plain = path.join(dir, 'index', 'db.json');
      body = existsSync(plain) ? await readFile(plain) : gunzipSync(await readFile(`${plain}.gz`));
    } else {
      const res = await fetch(`${url}/index/db.json.gz`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return undefined;
      const raw = Buffer.from(await res.arrayBuffer());
      body = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    }
    const m = (JSON.parse(body.toString('utf8')) as { modified?: string }).modified;
    return m ? `${url}@${m}` : undefined;
  } catch {
    return undefined;
  }
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (existsSync(path.join(p, 'go.mod'))) continue;
      await walk(p, root, out);
    } else if (e.isFile() && (e.name.endsWith('.go') || e.name.endsWith('.s') || e.name.endsWith('.c') || e.name === 'modules.txt')) {
      out.push(p);
    }
  }
}

/** Whether go.mod points a replacement at a local folder (sources outside the module). */
export function hasLocalReplace(goMod: string): boolean {
  return /^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s+=>\s+(?:\.{1,2}[\\/]|\/|[A-Za-z]:[\\/])/m.test(goMod);
}

export interface KeyInput {
  moduleDir: string;
  toolVersion: string;
  toolGo?: string;
  goVersion: string;
  goEnv: Record<string, string>;
  args: readonly string[];
  db: string;
}

export async function cacheKey(k: KeyInput): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: 1, tool: k.toolVersion, toolGo: k.toolGo, go: k.goVersion, env: k.goEnv, args: k.args, db: k.db }));
  for (const f of ['go.mod', 'go.sum']) {
    const p = path.join(k.moduleDir, f);
    h.update(`\0${f}\0`);
    if (existsSync(p)) h.update(await readFile(p));
  }
  const files: string[] = [];
  await walk(k.moduleDir, k.moduleDir, files);
  for (const f of files.sort()) {
    h.update(`\0${path.relative(k.moduleDir, f)}\0`);
    h.update(await readFile(f));
  }
  return h.digest('hex');
}
