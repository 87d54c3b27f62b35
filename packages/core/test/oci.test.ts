import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import {
  MEDIA,
  RegistryClient,
  RegistryError,
  authKeys,
  dockerCredentials,
  formatRef,
  isLoopback,
  parseChallenge,
  parseRef,
  sha256,
} from '../src/oci/index.js';

describe('parseRef', () => {
  it.each([
    ['ghcr.io/owner/app', { registry: 'ghcr.io', repository: 'owner/app' }],
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['user/app:v1', { registry: 'docker.io', repository: 'user/app', tag: 'v1' }],
    ['index.docker.io/user/app', { registry: 'docker.io', repository: 'user/app' }],
    ['localhost:5000/a/b/c:t', { registry: 'localhost:5000', repository: 'a/b/c', tag: 't' }],
    ['127.0.0.1:5000/app', { registry: '127.0.0.1:5000', repository: 'app' }],
    [
      `gcr.io/distroless/static@sha256:${'a'.repeat(64)}`,
      { registry: 'gcr.io', repository: 'distroless/static', digest: `sha256:${'a'.repeat(64)}` },
    ],
    [`r.io/x:1@sha256:${'b'.repeat(64)}`, { registry: 'r.io', repository: 'x', tag: '1', digest: `sha256:${'b'.repeat(64)}` }],
  ])('%s', (s, want) => {
    expect(parseRef(s)).toEqual({ tag: undefined, digest: undefined, ...want });
  });

  it.each(['', 'Ghcr.io/Owner/App', 'ghcr.io/Owner/app', 'https://ghcr.io/o/a', 'app:-bad', 'app@sha256:123', 'a b', 'ghcr.io/o/a_-b'])(
    'rejects %j with an InputError naming the input',
    (s) => {
      const e = (() => {
        try {
          parseRef(s, 'image-base');
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).input).toBe('image-base');
    },
  );

  it('round-trips through formatRef', () => {
    expect(formatRef(parseRef('ghcr.io/o/a:1.2.3'))).toBe('ghcr.io/o/a:1.2.3');
    expect(formatRef(parseRef('alpine'))).toBe('docker.io/library/alpine');
  });
});

describe('auth helpers', () => {
  it('parses bearer challenges with quoted and bare values', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:o/a:pull,push' },
    });
    expect(parseChallenge('Basic realm=registry')).toEqual({ scheme: 'basic', params: { realm: 'registry' } });
  });
  it('knows the Docker Hub config keys', () => {
    expect(authKeys('docker.io')[0]).toBe('https://index.docker.io/v1/');
    expect(authKeys('ghcr.io')).toContain('https://ghcr.io');
  });
});

describe('isLoopback', () => {
  it.each(['localhost', 'localhost:5000', '127.0.0.1:41234', '[::1]:5000'])('%s is local', (h) => expect(isLoopback(h)).toBe(true));
  it.each(['ghcr.io', '127.0.0.2:5000', 'localhost.example.com', 'registry:5000'])('%s is not', (h) => expect(isLoopback(h)).toBe(false));
});

describe('dockerCredentials', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goship-dockercfg-'));
    const auth = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString('base64');
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: auth('hub', 'hub-pw') },
          'https://ghcr.io': { auth: auth('octo', 'ghp_x:y') },
          'r.example.com': { identitytoken: 'id-token' },
          'u.example.com': { username: 'u', password: 'p' },
        },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads auths under any of the keys docker login writes', async () => {
    const env = { DOCKER_CONFIG: dir };
    expect(await dockerCredentials('docker.io', env)).toEqual({ username: 'hub', password: 'hub-pw' });
    expect(await dockerCredentials('ghcr.io', env)).toEqual({ username: 'octo', password: 'ghp_x:y' });
    expect(await dockerCredentials('r.example.com', env)).toEqual({ username: '<token>', password: 'id-token' });
    expect(await dockerCredentials('u.example.com', env)).toEqual({ username: 'u', password: 'p' });
    expect(await dockerCredentials('quay.io', env)).toBeUndefined();
  });

  it('is anonymous without a config file', async () => {
    expect(await dockerCredentials('ghcr.io', { DOCKER_CONFIG: path.join(dir, 'none') })).toBeUndefined();
  });
});

/** An in-memory registry speaking basic or bearer auth (the token service takes basic credentials). */
async function fakeRegistry(
  mode: 'basic' | 'bearer',
): Promise<{ host: string; hits: string[]; scopes: string[][]; close(): Promise<void> }> {
  const store = new Map<string, { body: Buffer; type?: string }>();
  const hits: string[] = [];
  const scopes: string[][] = [];
  const good = `Basic ${Buffer.from('user:secret').toString('base64')}`;
  let host = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${host}`);
      const body = Buffer.concat(chunks);
      hits.push(`${req.method} ${url.pathname}`);
      if (url.pathname === '/token') {
        if (req.headers.authorization !== good) return res.writeHead(401).end();
        scopes.push(url.searchParams.getAll('scope'));
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok', expires_in: 300 }));
      }
      const ok = mode === 'basic' ? req.headers.authorization === good : req.headers.authorization === 'Bearer tok';
      if (!ok) {
        const challenge = mode === 'basic' ? 'Basic realm="test"' : `Bearer realm="http://${host}/token",service="test"`;
        return res.writeHead(401, { 'www-authenticate': challenge }).end();
      }
      if (url.pathname === '/v2/') return res.writeHead(200).end();
      const blob = /^\/v2\/(.+)\/blobs\/(sha256:\w+)$/.exec(url.pathname);
      if (blob) {
        const b = store.get(`${blob[1]}@${blob[2]}`);
        return b
          ? res.writeHead(200, { 'content-length': b.body.length }).end(req.method === 'HEAD' ? undefined : b.body)
          : res.writeHead(404).end();
      }
      const upload = /^\/v2\/(.+)\/blobs\/uploads\/(\w*)$/.exec(url.pathname);
      if (upload && req.method === 'POST') return res.writeHead(202, { location: `/v2/${upload[1]}/blobs/uploads/u1` }).end();
      if (upload && req.method === 'PUT') {
        const d = url.searchParams.get('digest')!;
        if (`sha256:${createHash('sha256').update(body).digest('hex')}` !== d) return res.writeHead(400).end();
        store.set(`${upload[1]}@${d}`, { body });
        return res.writeHead(201).end();
      }
      const man = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (man && req.method === 'PUT') {
        const d = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        store.set(`${man[1]}:${man[2]}`, { body, type: req.headers['content-type'] });
        return res.writeHead(201, { 'docker-content-digest': d }).end();
      }
      if (man) {
        const m = store.get(`${man[1]}:${man[2]}`);
        return m ? res.writeHead(200, { 'content-type': m.type }).end(m.body) : res.writeHead(404).end();
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, hits, scopes, close: () => new Promise((r) => server.close(() => r())) };
}

describe('RegistryClient', () => {
  it.each(['basic', 'bearer'] as const)('%s auth: pushes a blob and a manifest and reads them back', async (mode) => {
    const reg = await fakeRegistry(mode);
    try {
      const client = new RegistryClient({ registry: reg.host, insecure: true, credentials: { username: 'user', password: 'secret' } });
      const blob = Buffer.from('hello');
      expect(await client.pushBlob('o/app', sha256(blob), blob)).toBe('uploaded');
      expect(await client.pushBlob('o/app', sha256(blob), blob)).toBe('exists');
      const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, layers: [] }));
      const put = await client.putManifest('o/app', 'v1', manifest, MEDIA.ociManifest);
      expect(put.digest).toBe(sha256(manifest));
      const got = await client.getManifest('o/app', 'v1', [MEDIA.ociManifest]);
      expect(got).toEqual({ body: manifest, mediaType: MEDIA.ociManifest, digest: sha256(manifest) });
      expect(await client.getManifest('o/app', 'missing')).toBeUndefined();
      expect((await client.getBlob('o/app', sha256(blob))).toString()).toBe('hello');
      if (mode === 'bearer') {
        expect(reg.scopes).toContainEqual(['repository:o/app:pull']);
        expect(reg.scopes).toContainEqual(['repository:o/app:pull,push']);
      }
    } finally {
      await reg.close();
    }
  });

  it('without credentials: a RegistryError with the caller’s login hint', async () => {
    const reg = await fakeRegistry('basic');
    try {
      const client = new RegistryClient({ registry: reg.host, insecure: true, loginHint: 'Log in, please', retry: { attempts: 1 } });
      const e = await client.getManifest('o/app', 'v1').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RegistryError);
      expect((e as RegistryError).status).toBe(401);
      expect((e as RegistryError).fix).toBe('Log in, please');
    } finally {
      await reg.close();
    }
  });

  it('bearer: wrong credentials are refused by the token service', async () => {
    const reg = await fakeRegistry('bearer');
    try {
      const client = new RegistryClient({ registry: reg.host, insecure: true, credentials: { username: 'user', password: 'nope' } });
      await expect(client.getManifest('o/app', 'v1')).rejects.toThrow(/token service .* refused user "user"/);
    } finally {
      await reg.close();
    }
  });
});
