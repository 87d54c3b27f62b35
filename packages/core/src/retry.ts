/**
 * Retries with exponential backoff and full jitter. Failures are classified: transient ones (5xx,
 * 408, 429, GitHub's rate limits, connection resets and time-outs) are retried, honouring
 * `retry-after` and `x-ratelimit-reset`; permanent ones (other 4xx, bad input) fail at once.
 * `PauseGate` is the shared "hold every request back until" that a rate limit needs.
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

/**
 * A limit on how much work runs at once, for work that becomes ready at different times (mapLimit
 * takes its items in order; a limiter takes them as they come): `limit(fn)` runs `fn` when fewer
 * than `n` are running, else when one ends; the rest wait in arrival order.
 */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, n);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // a finished task hands its slot straight to the next one waiting, so none can overtake it
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Awaits independent work started together and gives its results in order; when some fail, the
 * first failure in argument order is thrown (not the first in time), so the error a run reports
 * does not depend on which process happened to finish first.
 */
export async function allInOrder<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleepOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Why the signal aborted, as an Error (what AbortController.abort(reason) was given, when it is one). */
function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

/** What a pause covers: every write, or every request. */
export type PauseScope = 'writes' | 'all';

export interface PauseGateOptions {
  /** The gap between writes while throttled (default 1000 ms). */
  spacingMs?: number;
  /** How long after the last pause ended writes stay spaced (default 60 s). */
  coolDownMs?: number;
  /** At most this many writes in any rolling window while not throttled (default 60 a minute). */
  burst?: { limit: number; windowMs: number };
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * One gate every request of a client passes before it is sent, so that a rate limit told to one
 * request holds back all of them: `pause('writes', until)` stops every write (every upload worker,
 * not only the refused one) until `until`; `pause('all', until)` stops reads too.
 *
 * Writes are spaced `spacingMs` apart only while throttled — from the first pause until
 * `coolDownMs` after the last one ended. Otherwise they go out at once, but never more than
 * `burst.limit` in any `burst.windowMs`, so an unthrottled client stays below the service's
 * documented ceilings instead of paying a fixed gap on every write.
 */
export class PauseGate {
  private readonly spacingMs: number;
  private readonly coolDownMs: number;
  private readonly burst: { limit: number; windowMs: number };
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private writesUntil = 0;
  private allUntil = 0;
  private throttledUntil = 0;
  private nextWriteAt = 0;
  private readonly recentWrites: number[] = [];
  /** How many times a pause was set or extended. */
  pauses = 0;
  /** Milliseconds callers spent waiting at the gate, summed over callers. */
  waitedMs = 0;

  constructor(opts: PauseGateOptions = {}) {
    this.spacingMs = opts.spacingMs ?? 1000;
    this.coolDownMs = opts.coolDownMs ?? 60_000;
    this.burst = opts.burst ?? { limit: 60, windowMs: 60_000 };
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? sleepOrAbort;
  }

  /** Holds back `scope` until `until` (ms since the epoch); an earlier `until` never shortens a pause. */
  pause(scope: PauseScope, until: number): void {
    if (scope === 'all') this.allUntil = Math.max(this.allUntil, until);
    this.writesUntil = Math.max(this.writesUntil, until);
    this.throttledUntil = Math.max(this.throttledUntil, until + this.coolDownMs);
    this.pauses++;
  }

  /** When a request of this kind may go out next, ignoring spacing (0: now). */
  pausedUntil(write: boolean): number {
    return write ? Math.max(this.writesUntil, this.allUntil) : this.allUntil;
  }

  get throttled(): boolean {
    return this.now() < this.throttledUntil;
  }

  /** Waits until a request may be sent; a write also takes its slot. Rejects when `signal` aborts. */
  async ready(write: boolean, signal?: AbortSignal): Promise<void> {
    const start = this.now();
    // Answers already on their way in are read first: a refusal that arrived together with the
    // answer that let this write go closes the gate before the write is sent.
    if (write) await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const now = this.now();
      let at = this.pausedUntil(write);
      // One clock reading per decision: the slot claimed below is the time the checks were made at.
      if (write && at <= now) at = now < this.throttledUntil ? this.nextWriteAt : this.burstFreeAt(now);
      if (at > now) {
        await this.sleep(at - now, signal);
        continue;
      }
      // Checked and claimed in one synchronous step: two waiters never take the same slot.
      if (write) {
        this.nextWriteAt = now + this.spacingMs;
        this.recentWrites.push(now);
      }
      this.waitedMs += now - start;
      return;
    }
  }

  /**
   * Waits out a pause without taking a write slot: the last look before a request goes on the
   * wire, so a refusal that arrived while the request was being prepared still holds it back.
   */
  async hold(write: boolean, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const now = this.now();
      const at = this.pausedUntil(write);
      if (at <= now) return;
      const start = now;
      await this.sleep(at - now, signal);
      this.waitedMs += this.now() - start;
    }
  }

  private burstFreeAt(now: number): number {
    const w = this.recentWrites;
    while (w.length && now - w[0]! >= this.burst.windowMs) w.shift();
    return w.length < this.burst.limit ? 0 : w[0]! + this.burst.windowMs;
  }
}
