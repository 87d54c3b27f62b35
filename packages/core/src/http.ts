/**
 * HTTP requests read whole, on node:http and node:https with keep-alive, for the registry client.
 * It does what the client used of fetch (status, headers, the body as bytes or text, redirects
 * followed the way fetch follows them) without Node's fetch: Node loads its fetch implementation
 * on the first call, about 60–80 ms of a fresh process before the first byte goes out, and each
 * fetch costs more CPU than a plain request (bench/results/multiarch-image.md).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** Response headers; `get` as fetch's Headers has it (case-insensitive, several values joined by `, `). */
export class HttpHeaders {
  private readonly h: Record<string, string>;
  constructor(h: IncomingHttpHeaders | Record<string, string> = {}) {
    this.h = {};
    for (const [k, v] of Object.entries(h)) if (v !== undefined) this.h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  get(name: string): string | null {
    return this.h[name.toLowerCase()] ?? null;
  }
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: HttpHeaders;
  /** The URL that answered, after redirects. */
  url: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** The whole exchange, redirects and body included (default 600 s). */
  timeoutMs?: number;
}

/** A request's error: the system's code (ECONNRESET, ECONNREFUSED, …) kept, the method and URL named. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly code: string | undefined,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/** One exchange, no redirects: the status, the headers and the whole body. */
function exchange(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, signal: AbortSignal) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!mod) return reject(new HttpError(`${method} ${url.href}: not an http(s) URL`, undefined));
    const h: Record<string, string> = { ...headers };
    if (body && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) h['content-length'] = String(body.length);
    const req = mod.request(url, { method, headers: h, agent: agents[url.protocol as 'http:' | 'https:'], signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body && body.length ? body : undefined);
  });
}

/**
 * A request, its redirects followed as fetch's `redirect: 'follow'` does (303, and 301/302 after a
 * POST, go on as a GET without the body; another origin gets no Authorization header), the answer
 * read whole.
 */
export async function httpRequest(input: string | URL, init: HttpInit = {}): Promise<HttpResponse> {
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers: Record<string, string> = { ...init.headers };
  const timeoutMs = init.timeoutMs ?? 600_000;
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; ; hop++) {
    let r: Awaited<ReturnType<typeof exchange>>;
    try {
      r = await exchange(url, method, headers, body, signal);
    } catch (e) {
      if (signal.aborted) {
        const t = new HttpError(`${method} ${url.href}: no answer within ${timeoutMs} ms`, 'ETIMEDOUT', e);
        t.name = 'TimeoutError';
        throw t;
      }
      if (e instanceof HttpError) throw e;
      const code = (e as { code?: string }).code;
      throw new HttpError(`${method} ${url.href}: ${[code, (e as Error).message].filter(Boolean).join(': ')}`, code, e);
    }
    const location = r.headers.location;
    if (REDIRECTS.has(r.status) && location && hop < MAX_REDIRECTS) {
      const next = new URL(location, url);
      if (r.status === 303 || ((r.status === 301 || r.status === 302) && method === 'POST')) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-(length|type)$/i.test(k)));
      }
      if (next.origin !== url.origin)
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      url = next;
      continue;
    }
    const bytes = r.body;
    return {
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      headers: new HttpHeaders(r.headers),
      url: url.href,
      arrayBuffer: () => Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer),
      text: () => Promise.resolve(bytes.toString('utf8')),
    };
  }
}
