/**
 * Retries with exponential backoff and full jitter. Failures are classified: transient ones (5xx,
 * 408, 429, GitHub's rate limits, connection resets and time-outs) are retried, honouring
 * `retry-after` and `x-ratelimit-reset`; permanent ones (other 4xx, bad input) fail at once.
 */

export type FailureClass = { transient: true; waitMs?: number; reason: string } | { transient: false; reason: string };

export interface HttpLike {
  status: number;
  headers?: Record<string, string | string[] | undefined> | Headers;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function header(h: HttpLike['headers'], name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const rec = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : v;
}

/** `retry-after` as seconds or an HTTP date → milliseconds from `now`. */
export function retryAfterMs(h: HttpLike['headers'], now = Date.now()): number | undefined {
  const v = header(h, 'retry-after');
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Classifies an HTTP response status with its headers. */
export function classifyResponse(r: HttpLike, now = Date.now()): FailureClass {
  const after = retryAfterMs(r.headers, now);
  if (r.status === 429) return { transient: true, waitMs: after, reason: 'rate limited (429)' };
  if (r.status === 403 || r.status === 429) {
    if (header(r.headers, 'x-ratelimit-remaining') === '0') {
      const reset = Number(header(r.headers, 'x-ratelimit-reset'));
      return {
        transient: true,
        waitMs: after ?? (Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : undefined),
        reason: 'primary rate limit exhausted',
      };
    }
    if (after !== undefined) return { transient: true, waitMs: after, reason: 'secondary rate limit' };
  }
  if (r.status === 408) return { transient: true, waitMs: after, reason: 'request time-out (408)' };
  if (r.status >= 500) return { transient: true, waitMs: after, reason: `server error (${r.status})` };
  return { transient: false, reason: `HTTP ${r.status}` };
}

/** Classifies a thrown error: a network error code, an HTTP-like `status`, or permanent. */
export function classifyError(e: unknown, now = Date.now()): FailureClass {
  const err = e as { code?: string; status?: number; response?: HttpLike; cause?: unknown; name?: string };
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return { transient: true, reason: 'timed out' };
  if (typeof err?.code === 'string' && TRANSIENT_CODES.has(err.code)) return { transient: true, reason: err.code };
  if (typeof err?.status === 'number' && err.status > 0) {
    return classifyResponse({ status: err.status, headers: err.response?.headers }, now);
  }
  if (err?.cause && err.cause !== e) return classifyError(err.cause, now);
  if (e instanceof TypeError && /fetch failed|socket|network/i.test(e.message)) return { transient: true, reason: e.message };
  return { transient: false, reason: e instanceof Error ? e.message : String(e) };
}

export interface RetryOptions {
  /** Attempts in all, including the first (default 5). */
  attempts?: number;
  /** Give up once this much time has passed since the first attempt (default: no limit). */
  timeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  classify?: (e: unknown) => FailureClass;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Full-jitter backoff: uniform in [0, min(max, base·2^attempt)], or the server's wait when it gave one. */
export function backoffMs(
  attempt: number,
  opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
  serverWait?: number,
): number {
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  if (serverWait !== undefined) return Math.min(Math.max(serverWait, 0), Math.max(max, serverWait));
  const cap = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round((opts.random ?? Math.random)() * cap);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const classify = opts.classify ?? ((e: unknown) => classifyError(e));
  const wait = opts.sleep ?? sleep;
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const c = classify(e);
      if (!c.transient || attempt >= attempts) throw e;
      const delayMs = backoffMs(attempt, opts, c.waitMs);
      if (opts.timeoutMs !== undefined && Date.now() - start + delayMs > opts.timeoutMs) throw e;
      opts.onRetry?.({ attempt, delayMs, reason: c.reason });
      await wait(delayMs);
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined) {
      const i = next++;
      if (i >= items.length) return;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (e) {
        failed ??= e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
