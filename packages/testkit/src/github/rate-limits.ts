/**
 * GitHub's rate limits as windows, not one-shot refusals.
 *
 * Primary: a budget of requests per window; once it is spent every request is refused (403 or 429
 * with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`, the epoch second the budget returns)
 * until the reset. Secondary: once tripped, every write is refused with `retry-after` until the
 * window ends. GitHub asks clients not to send anything the limit covers before then ("Continuing
 * to make requests while you are rate limited may result in the banning of your integration"), so
 * every refused request is recorded with whether it was sent after the client had been told: a
 * test can prove a client paused.
 */
import type { HostKind } from './model.js';

export interface SecondaryRule {
  /** Writes allowed within `windowMs` before the limit trips. */
  limit: number;
  windowMs: number;
  /** Seconds the writes stay refused once it trips, sent in `retry-after` (default 1). */
  retryAfter?: number;
  /** 403 (default) or 429. */
  status?: 403 | 429;
}

export interface PrimaryLimitOptions {
  /** Requests per window (default 5000). */
  limit?: number;
  /** Window length in ms (default one hour). */
  windowMs?: number;
  /** Status of a refusal (default 403). */
  status?: 403 | 429;
}

export interface PrimaryLimit {
  limit: number;
  remaining: number;
  windowMs: number;
  /** When the budget returns, in ms since the epoch (always a whole second, as GitHub's header). */
  resetAt: number;
  status: 403 | 429;
}

export interface RefusedRequest {
  host: HostKind;
  method: string;
  path: string;
  /** Path and query (an upload's query names the asset). */
  url: string;
  at: number;
  /**
   * Arrived after the window's first refusal had been sent. A client that pauses sends none once
   * it has read that refusal; one it sent before the refusal reached it may still arrive here.
   */
  afterNotice: boolean;
}

export interface RefusalWindow {
  kind: 'primary' | 'secondary';
  openedAt: number;
  until: number;
  status: number;
  /** The arrival number of the last request that came in before the first refusal was sent. */
  noticeSeq?: number;
  refused: RefusedRequest[];
}

export interface Refusal {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  window: RefusalWindow;
  afterNotice: boolean;
}

export interface Arrival {
  host: HostKind;
  method: string;
  path: string;
  url: string;
  /** Arrival order of the request (1, 2, …). */
  seq: number;
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
export const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';
const PRIMARY_MESSAGE =
  'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.';

const wholeSecond = (ms: number): number => Math.ceil(ms / 1000) * 1000;

export class RateLimits {
  readonly primary: PrimaryLimit;
  secondaryRule: SecondaryRule | undefined;
  readonly windows: RefusalWindow[] = [];
  private primaryWindow: RefusalWindow | undefined;
  private secondary: RefusalWindow | undefined;
  private writes: number[] = [];

  constructor(now: number, primary: PrimaryLimitOptions = {}, secondaryRule?: SecondaryRule) {
    const windowMs = primary.windowMs ?? 3_600_000;
    const limit = primary.limit ?? 5000;
    this.primary = { limit, remaining: limit, windowMs, resetAt: wholeSecond(now + windowMs), status: primary.status ?? 403 };
    this.secondaryRule = secondaryRule;
  }

  /** The `x-ratelimit-*` headers of every API answer. */
  headers(now: number): Record<string, string> {
    this.refill(now);
    const p = this.primary;
    return {
      'x-ratelimit-limit': String(p.limit),
      'x-ratelimit-remaining': String(p.remaining),
      'x-ratelimit-used': String(p.limit - p.remaining),
      'x-ratelimit-reset': String(p.resetAt / 1000),
      'x-ratelimit-resource': 'core',
    };
  }

  /** Spends the primary budget now; it returns `resetInMs` later (rounded up to a whole second). */
  exhaustPrimary(now: number, resetInMs: number, status?: 403 | 429): void {
    this.refill(now);
    this.primary.remaining = 0;
    this.primary.resetAt = wholeSecond(now + resetInMs);
    if (status) this.primary.status = status;
    if (this.primaryWindow) this.primaryWindow.until = this.primary.resetAt;
  }

  /** Counts a request against the primary budget; a refusal once the budget is spent. */
  admitPrimary(now: number, a: Arrival): Refusal | undefined {
    this.refill(now);
    const p = this.primary;
    if (p.remaining > 0) {
      p.remaining--;
      return undefined;
    }
    if (!this.primaryWindow) {
      this.primaryWindow = { kind: 'primary', openedAt: now, until: p.resetAt, status: p.status, refused: [] };
      this.windows.push(this.primaryWindow);
    }
    const w = this.primaryWindow;
    return this.refuse(
      w,
      now,
      a,
      { message: PRIMARY_MESSAGE, documentation_url: DOCS, status: String(p.status) },
      {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(p.limit),
        'x-ratelimit-reset': String(p.resetAt / 1000),
      },
    );
  }

  /** Trips the secondary limit: writes are refused for `seconds` (an open window is extended). */
  openSecondary(now: number, seconds: number, status: number): void {
    const until = now + seconds * 1000;
    if (this.secondary && now < this.secondary.until) {
      this.secondary.until = Math.max(this.secondary.until, until);
      this.secondary.status = status;
      return;
    }
    this.secondary = { kind: 'secondary', openedAt: now, until, status, refused: [] };
    this.windows.push(this.secondary);
  }

  /** Admits a write, or refuses it inside a secondary window (tripping the rule's window first). */
  admitWrite(now: number, a: Arrival): Refusal | undefined {
    if (!this.secondary || now >= this.secondary.until) {
      const rule = this.secondaryRule;
      if (!rule) return undefined;
      this.writes = this.writes.filter((t) => now - t < rule.windowMs);
      if (this.writes.length < rule.limit) {
        this.writes.push(now);
        return undefined;
      }
      this.openSecondary(now, rule.retryAfter ?? 1, rule.status ?? 403);
    }
    return this.secondaryRefusal(now, a);
  }

  /** The refusal of a request inside the open secondary window. */
  secondaryRefusal(now: number, a: Arrival): Refusal {
    const w = this.secondary!;
    const retryAfter = Math.max(1, Math.ceil((w.until - now) / 1000));
    return this.refuse(
      w,
      now,
      a,
      { message: SECONDARY_MESSAGE, documentation_url: `${DOCS}#about-secondary-rate-limits`, status: String(w.status) },
      { 'retry-after': String(retryAfter) },
    );
  }

  /** Marks that the first refusal of a window reached the client (sent after arrival `seq`). */
  noticeSent(w: RefusalWindow, seq: number): void {
    w.noticeSeq ??= seq;
  }

  private refuse(w: RefusalWindow, now: number, a: Arrival, body: Record<string, unknown>, headers: Record<string, string>): Refusal {
    const afterNotice = w.noticeSeq !== undefined && a.seq > w.noticeSeq;
    w.refused.push({ host: a.host, method: a.method, path: a.path, url: a.url, at: now, afterNotice });
    return { status: w.status, body, headers, window: w, afterNotice };
  }

  private refill(now: number): void {
    const p = this.primary;
    if (now < p.resetAt) return;
    p.remaining = p.limit;
    p.resetAt = wholeSecond(now + p.windowMs);
    this.primaryWindow = undefined;
  }
}
