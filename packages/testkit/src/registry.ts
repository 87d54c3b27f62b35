/**
 * A real OCI registry for tests: the CNCF distribution `registry` binary pinned in tools.versions
 * (`scripts/install-tools registry`), on 127.0.0.1 at a free port, storing in a temp folder. Modes:
 * no auth, or htpasswd basic auth (bcrypt hashes made by a tiny Go program using
 * golang.org/x/crypto/bcrypt, run with `go run` from a temp module).
 *
 * In front of it, optionally, a proxy on 127.0.0.1 that the tests own: it logs every request (for
 * request counting), injects faults (500s or connection resets on chosen requests, then lets them
 * through) and can play a bearer-token service (WWW-Authenticate challenge, a token endpoint taking
 * basic credentials, scope checks per repository and action), as ghcr.io and Docker Hub do.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tempDir } from './fixtures.js';

const execFileP = promisify(execFile);

/** Path of a pinned tool, installing it with scripts/install-tools when absent. */
export async function pinnedTool(name: string): Promise<string> {
  const bin = path.join(repoRoot, '.tools', 'bin', name);
  if (!existsSync(bin)) {
    await execFileP(path.join(repoRoot, 'scripts', 'install-tools'), [name], { cwd: repoRoot, maxBuffer: 16 << 20 });
  }
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const BCRYPT_VERSION = 'v0.57.0';
const BCRYPT_MAIN = `package main

import (
	"bufio"
	"fmt"
	"os"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	s := bufio.NewScanner(os.Stdin)
	s.Scan()
	h, err := bcrypt.GenerateFromPassword(s.Bytes(), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(h))
}
`;

/** A bcrypt hash of `password` (cost 4), made by golang.org/x/crypto/bcrypt. */
export async function bcryptHash(password: string): Promise<string> {
  const dir = await tempDir('goship-bcrypt-');
  try {
    await writeFile(path.join(dir, 'main.go'), BCRYPT_MAIN);
    await writeFile(
      path.join(dir, 'go.mod'),
      `module goship.invalid/bcrypt\n\ngo 1.24.0\n\nrequire golang.org/x/crypto ${BCRYPT_VERSION}\n`,
    );
    const env = { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`, GOFLAGS: '-mod=mod' };
    const child = execFileP('go', ['run', '.'], { cwd: dir, env, maxBuffer: 1 << 20 });
    child.child.stdin?.end(`${password}\n`);
    const { stdout } = await child;
    if (!stdout.startsWith('$2')) throw new Error(`bcrypt helper printed ${JSON.stringify(stdout)}`);
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RegistryOptions {
  /** htpasswd basic auth with these credentials. */
  basicAuth?: { username: string; password: string };
}

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts the pinned distribution registry on 127.0.0.1 at a free port. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const bin = await pinnedTool('registry');
  const dir = await tempDir('goship-registry-');
  await mkdir(path.join(dir, 'data'));
  let authYaml = '';
  if (opts.basicAuth) {
    const hash = await bcryptHash(opts.basicAuth.password);
    await writeFile(path.join(dir, 'htpasswd'), `${opts.basicAuth.username}:${hash}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: goship-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config =
      `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n` +
      `storage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\n` +
      `http:\n  addr: ${host}\n  secret: ${randomBytes(16).toString('hex')}\n` +
      authYaml;
    await writeFile(path.join(dir, 'config.yml'), config);
    const child = spawn(bin, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ok = await waitReady(`http://${host}/v2/`, child);
    if (ok) {
      return {
        host,
        url: `http://${host}`,
        dir,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt >= 3) throw new Error(`registry did not start: ${stderr.slice(-2000)}`);
  }
}

async function waitReady(url: string, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200 || r.status === 401) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** Request body bytes received. */
  bytesIn: number;
  fault?: 'status' | 'reset';
}

export interface Fault {
  /** Which requests: e.g. blob upload PUT/PATCH. */
  match: (method: string, path: string) => boolean;
  /** Answer with this status, or reset the connection. */
  action: 'reset' | number;
  /** How many matching requests fail before they go through (default 1). */
  times?: number;
}

export interface ProxyOptions {
  /** Play a bearer-token service with these credentials (anonymous pull is refused). */
  bearer?: { username: string; password: string; service?: string };
  /**
   * Add the OCI 1.1 referrers API the registry lacks: manifests pushed with a `subject` are
   * answered with `OCI-Subject` and listed by `GET /v2/<repo>/referrers/<digest>`.
   */
  referrers?: boolean;
}

export interface RegistryProxy {
  host: string;
  url: string;
  requests: LoggedRequest[];
  /** Tokens issued by the bearer stand-in, with their scopes. */
  tokens: { scope: string[]; account: string }[];
  addFault(f: Fault): void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

/** Blob upload requests (POST/PATCH/PUT under /blobs/uploads/). */
export const isBlobUpload = (method: string, p: string): boolean =>
  (method === 'PUT' || method === 'PATCH') && /\/blobs\/uploads\//.test(p);

/** A logging, fault-injecting, optionally token-authenticating proxy in front of `target`. */
export async function startProxy(target: TestRegistry, opts: ProxyOptions = {}): Promise<RegistryProxy> {
  const [targetHost, targetPort] = target.host.split(':') as [string, string];
  const requests: LoggedRequest[] = [];
  const tokens: RegistryProxy['tokens'] = [];
  const issued = new Map<string, Set<string>>();
  let faults: (Fault & { left: number })[] = [];
  const referrers = new Map<
    string,
    { mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string> }[]
  >();
  const service = opts.bearer?.service ?? 'goship-test-registry';
  let self = '';

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    let bytesIn = 0;
    req.on('data', (d: Buffer) => (bytesIn += d.length));
    const log = (status: number, fault?: LoggedRequest['fault']): void => {
      requests.push({ method, path: p + url.search, status, bytesIn, fault });
    };

    if (opts.bearer && p === '/token') {
      const auth = req.headers.authorization ?? '';
      const want = `Basic ${Buffer.from(`${opts.bearer.username}:${opts.bearer.password}`).toString('base64')}`;
      req.resume();
      if (auth !== want || url.searchParams.get('service') !== service) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
        log(401);
        return;
      }
      const scope = url.searchParams.getAll('scope').flatMap((s) => s.split(' '));
      const token = randomBytes(16).toString('hex');
      issued.set(token, new Set(scope.flatMap(expandScope)));
      tokens.push({ scope, account: opts.bearer.username });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
      log(200);
      return;
    }

    if (opts.bearer && p.startsWith('/v2/')) {
      const m = /^\/v2\/(.+?)\/(blobs|manifests|tags|referrers)\//.exec(p);
      const repo = m?.[1];
      const action = method === 'GET' || method === 'HEAD' ? 'pull' : 'push';
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const granted = token ? issued.get(token) : undefined;
      const needed = repo ? [`${repo}:${action}`] : [];
      const from = url.searchParams.get('from');
      if (repo && from && method === 'POST' && !(granted?.has(`${from}:pull`) ?? false)) {
        // Like real registries: no pull right on the source repository → no mount, a plain upload.
        url.searchParams.delete('mount');
        url.searchParams.delete('from');
      }
      if (!granted || !needed.every((n) => granted.has(n))) {
        req.resume();
        const scope = repo ? `,scope="repository:${repo}:${action === 'pull' ? 'pull' : 'pull,push'}"` : '';
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': `Bearer realm="${self}/token",service="${service}"${scope}`,
          })
          .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        log(401);
        return;
      }
    }

    const fault = faults.find((f) => f.left > 0 && f.match(method, p));
    if (fault) {
      fault.left--;
      if (fault.action === 'reset') {
        log(0, 'reset');
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        res
          .writeHead(fault.action as number, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}');
        log(fault.action as number, 'status');
      });
      return;
    }

    const referrersGet = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(p);
    if (opts.referrers && method === 'GET' && referrersGet) {
      req.resume();
      const key = `${referrersGet[1]}@${referrersGet[2]}`;
      const want = url.searchParams.get('artifactType');
      const manifests = (referrers.get(key) ?? []).filter((d) => !want || d.artifactType === want);
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      log(200);
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const manifestPut = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(p);
    if (opts.referrers && method === 'PUT' && manifestPut) {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        let doc: {
          subject?: { digest: string };
          mediaType?: string;
          artifactType?: string;
          config?: { mediaType?: string };
          annotations?: Record<string, string>;
        } = {};
        try {
          doc = JSON.parse(body.toString('utf8')) as typeof doc;
        } catch {
          // not JSON: the registry will say so
        }
        const up = http.request({ host: targetHost, port: Number(targetPort), method, path: url.pathname + url.search, headers }, (ur) => {
          const h = { ...ur.headers };
          if (doc.subject && ur.statusCode === 201) {
            const key = `${manifestPut[1]}@${doc.subject.digest}`;
            const list = referrers.get(key) ?? [];
            list.push({
              mediaType: doc.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
              digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
              size: body.length,
              artifactType: doc.artifactType ?? doc.config?.mediaType,
              annotations: doc.annotations,
            });
            referrers.set(key, list);
            h['oci-subject'] = doc.subject.digest;
          }
          res.writeHead(ur.statusCode ?? 502, h);
          ur.pipe(res);
          ur.on('end', () => log(ur.statusCode ?? 502));
        });
        up.on('error', () => {
          res.destroy();
          log(0);
        });
        up.end(body);
      });
      return;
    }
    const up = http.request({ host: targetHost, port: Number(targetPort), method, path: url.pathname + url.search, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
      ur.on('end', () => log(ur.statusCode ?? 502));
    });
    up.on('error', () => {
      res.destroy();
      log(0);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  const host = `127.0.0.1:${port}`;
  self = `http://${host}`;
  return {
    host,
    url: self,
    requests,
    tokens,
    addFault: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    clearFaults: () => (faults = []),
    reset: () => {
      requests.length = 0;
      tokens.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function expandScope(s: string): string[] {
  const m = /^repository:(.+):([a-z,*]+)$/.exec(s);
  if (!m) return [];
  const actions = m[2]!.split(',');
  const all = actions.includes('*') ? ['pull', 'push'] : actions;
  return all.map((a) => `${m[1]}:${a}`);
}
