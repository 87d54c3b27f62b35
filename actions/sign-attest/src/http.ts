/**
 * The few HTTP calls signing makes (Fulcio, Rekor, the timestamp authority), on node:http(s)
 * with keep-alive: Node's global fetch loads undici on first use and @sigstore/sign's clients
 * load make-fetch-happen with its cache stack — each costs more startup time than a run signing
 * a release spends talking to the services (bench/sign-attest). Retries are the caller's
 * (callService); a failed call throws an error carrying the status and the server's message.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** One request; resolves with any status (the caller decides), rejects on connection errors and timeouts. */
export function request(
  method: string,
  url: string,
  opts: { body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method,
        agent: agents[u.protocol as keyof typeof agents],
        headers: {
          'user-agent': 'goship-sign-attest',
          ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${method} ${u.origin}${u.pathname} timed out`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** An error for a non-2xx answer: the status and what the server said (Fulcio and Rekor answer `{"message": …}`). */
export function httpError(res: HttpResponse): Error {
  const text = res.body.toString('utf8').trim();
  let message = text.slice(0, 500) || `HTTP ${res.status}`;
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string' && m) message = m;
  } catch {
    // not JSON: the text stands
  }
  return Object.assign(new Error(message), { statusCode: res.status });
}

/** POSTs JSON and parses the JSON answer; non-2xx answers throw httpError. */
export async function postJSON<T>(url: string, body: unknown, timeoutMs?: number): Promise<{ data: T; res: HttpResponse }> {
  const res = await request('POST', url, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    timeoutMs,
  });
  if (res.status < 200 || res.status >= 300) throw httpError(res);
  return { data: JSON.parse(res.body.toString('utf8')) as T, res };
}
