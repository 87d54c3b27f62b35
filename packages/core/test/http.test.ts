import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../src/http.js';
import { classifyError } from '../src/retry.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/** A server that records what it was sent; `routes` answer by path. */
async function server(routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void>) {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const route = routes[new URL(req.url!, 'http://x').pathname];
      if (route) route(req, res, body);
      else res.writeHead(404).end('not here');
    });
  });
  // the server keeps idle connections a minute: a client that held its process open for them would show
  s.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { base, seen, server: s, close: () => new Promise<void>((r) => s.close(() => r())) };
}

describe('httpRequest', () => {
  let other: Awaited<ReturnType<typeof server>>;
  let main: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    other = await server({ '/blob': (_q, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('from the CDN') });
    main = await server({
      '/hello': (_q, res) => res.writeHead(200, { 'Docker-Content-Digest': 'sha256:abc', 'X-Two': ['a', 'b'] }).end('héllo'),
      '/see-other': (_q, res) => res.writeHead(303, { location: '/hello' }).end(),
      '/keep': (_q, res) => res.writeHead(307, { location: '/echo' }).end(),
      '/echo': (q, res, body) => res.writeHead(201).end(`${q.method} ${body}`),
      '/moved-post': (_q, res) => res.writeHead(302, { location: '/echo' }).end(),
      '/cdn': (_q, res) => res.writeHead(307, { location: `${other.base}/blob?sig=1` }).end(),
      '/loop': (_q, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/slow': () => undefined, // never answers
    });
  });
  afterAll(async () => {
    main.server.closeAllConnections();
    other.server.closeAllConnections();
    await main.close();
    await other.close();
  });

  it('gives the status, case-insensitive headers and the body as bytes and text', async () => {
    const r = await httpRequest(`${main.base}/hello`);
    expect([r.status, r.ok, r.headers.get('docker-content-digest'), r.headers.get('x-two'), r.headers.get('nope')]).toEqual([
      200,
      true,
      'sha256:abc',
      'a, b',
      null,
    ]);
    expect(await r.text()).toBe('héllo');
    expect(Buffer.from(await r.arrayBuffer()).equals(Buffer.from('héllo'))).toBe(true);
    const missing = await httpRequest(`${main.base}/none`, { method: 'HEAD' });
    expect([missing.status, missing.ok, await missing.text()]).toEqual([404, false, '']);
  });

  it('follows redirects as fetch does: 307 keeps method and body, 303 and a POST after 302 become a GET without it', async () => {
    const body = new TextEncoder().encode('the bytes');
    const kept = await httpRequest(`${main.base}/keep`, { method: 'PUT', body });
    expect([kept.status, await kept.text(), kept.url]).toEqual([201, 'PUT the bytes', `${main.base}/echo`]);
    const posted = await httpRequest(`${main.base}/moved-post`, { method: 'POST', body });
    expect(await posted.text()).toBe('GET ');
    const other303 = await httpRequest(`${main.base}/see-other`, { method: 'PUT', body });
    expect(await other303.text()).toBe('héllo');
    await expect(httpRequest(`${main.base}/loop`)).resolves.toMatchObject({ status: 302 });
  });

  it('sends the Authorization header to the same origin only, never on to a redirect elsewhere', async () => {
    main.seen.length = 0;
    other.seen.length = 0;
    const r = await httpRequest(`${main.base}/cdn`, { headers: { Authorization: 'Bearer secret' } });
    expect(await r.text()).toBe('from the CDN');
    expect(main.seen.map((s) => s.authorization)).toEqual(['Bearer secret']);
    expect(other.seen.map((s) => [s.url, s.authorization])).toEqual([['/blob?sig=1', undefined]]);
  });

  it('fails with a transient, named error on a refused connection and on a time-out', async () => {
    const closed = await server({});
    await closed.close();
    const refused = await httpRequest(`${closed.base}/x`).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(String(refused)).toContain(`GET ${closed.base}/x: ECONNREFUSED`);
    expect(classifyError(refused).transient).toBe(true);
    const slow = await httpRequest(`${main.base}/slow`, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ name: 'TimeoutError' });
    expect(classifyError(slow)).toMatchObject({ transient: true, reason: 'timed out' });
  });

  it('lets the process exit while its kept-alive connections idle', async () => {
    // a fresh process makes a request and then has nothing left to do: it must end on its own
    const src = path.join(import.meta.dirname, '..', 'src', 'http.ts');
    const script = `import { httpRequest } from ${JSON.stringify(src)};
      const r = await httpRequest(${JSON.stringify(`${main.base}/hello`)});
      console.log(r.status, await r.text());`;
    // (this process serves the request, so the child runs beside it, not blocking it)
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 15_000 },
    );
    expect(stdout.trim()).toBe('200 héllo');
  });
});
