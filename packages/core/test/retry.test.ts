import { describe, expect, it } from 'vitest';
import { allInOrder, backoffMs, classifyError, classifyResponse, limiter, mapLimit, retryAfterMs, withRetry } from '../src/retry.js';

const now = Date.parse('2026-11-21T12:00:00Z');

describe('classification', () => {
  it.each([500, 502, 503, 504])('%i is transient', (status) => {
    expect(classifyResponse({ status }).transient).toBe(true);
  });

  it.each([400, 401, 404, 409, 422])('%i is permanent', (status) => {
    expect(classifyResponse({ status }).transient).toBe(false);
  });

  it('429 waits as long as retry-after says, in seconds or as an HTTP date', () => {
    expect(classifyResponse({ status: 429, headers: { 'Retry-After': '7' } }, now)).toEqual({
      transient: true,
      waitMs: 7000,
      reason: 'rate limited (429)',
    });
    const date = new Date(now + 30_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': date }, now)).toBe(30_000);
  });

  it('403 is transient only as a rate limit', () => {
    expect(classifyResponse({ status: 403 }).transient).toBe(false);
    const primary = classifyResponse(
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 60) } },
      now,
    );
    expect(primary).toMatchObject({ transient: true, waitMs: 60_000 });
    expect(classifyResponse({ status: 403, headers: new Headers({ 'retry-after': '2' }) }, now)).toMatchObject({
      transient: true,
      waitMs: 2000,
      reason: 'secondary rate limit',
    });
  });

  it('connection resets and time-outs are transient; other errors are not', () => {
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).transient).toBe(true);
    expect(
      classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) })).transient,
    ).toBe(true);
    expect(classifyError(Object.assign(new Error('nope'), { status: 404 })).transient).toBe(false);
    expect(classifyError(Object.assign(new Error('boom'), { status: 503 })).transient).toBe(true);
    expect(classifyError(new Error('invalid key')).transient).toBe(false);
  });
});

describe('withRetry', () => {
  it('retries transient failures with backoff, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const r = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('unavailable'), { status: 503 });
        return 'ok';
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 100 },
    );
    expect(r).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('fails at once on a permanent failure', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error('bad request'), { status: 400 });
        },
        { sleep: async () => {} },
      ),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('gives up after the attempts and honours the server wait', async () => {
    const delays: number[] = [];
    await expect(
      withRetry(
        async () => {
          throw Object.assign(new Error('slow down'), { status: 429, response: { status: 429, headers: { 'retry-after': '3' } } });
        },
        { attempts: 3, sleep: async (ms) => void delays.push(ms) },
      ),
    ).rejects.toThrow('slow down');
    expect(delays).toEqual([3000, 3000]);
  });

  it('backoff is capped', () => {
    expect(backoffMs(20, { baseDelayMs: 500, maxDelayMs: 30_000, random: () => 1 })).toBe(30_000);
  });
});

describe('mapLimit', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('limiter', () => {
  const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  it('runs work as it arrives, never more than the limit at once, the waiting ones in arrival order', async () => {
    const limit = limiter(2);
    let inFlight = 0;
    let peak = 0;
    const started: string[] = [];
    const task = (name: string, ms: number) => () =>
      (async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        started.push(name);
        await tick(ms);
        inFlight--;
        return name;
      })();
    const a = limit(task('a', 20));
    const b = limit(task('b', 5));
    const c = limit(task('c', 5));
    await tick(1);
    // c waits; d arrives later than c and must not start before it, even when a slot frees at once
    const d = limit(task('d', 1));
    expect(await Promise.all([a, b, c, d])).toEqual(['a', 'b', 'c', 'd']);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(peak).toBe(2);
  });
  it('frees the slot of work that failed', async () => {
    const limit = limiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(() => Promise.resolve(7))).toBe(7);
  });
});

describe('allInOrder', () => {
  /** `f`'s value (or its throw, as the rejection) after `ms`. */
  const after = <T>(ms: number, f: () => T): Promise<T> => new Promise<void>((r) => setTimeout(r, ms)).then(f);
  it('gives the results in argument order, whichever finished first', async () => {
    expect(await allInOrder([after(20, () => 'slow'), after(1, () => 2)] as const)).toEqual(['slow', 2]);
  });
  it('throws the first failure in argument order, not the first in time, after every piece has settled', async () => {
    let lastDone = false;
    const first = after(30, () => {
      throw new Error('the first argument');
    });
    const second = after(1, () => {
      throw new Error('the second argument, failing sooner');
    });
    const third = after(40, () => {
      lastDone = true;
    });
    await expect(allInOrder([first, second, third] as const)).rejects.toThrow('the first argument');
    expect(lastDone).toBe(true);
  });
});
