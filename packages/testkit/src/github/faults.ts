/**
 * Scripted faults: what can go wrong between a client and GitHub, including the cases where
 * GitHub applied the change and the client never hears so.
 */
import type { HostKind } from './model.js';

export type FaultKind =
  /** Refused before any effect with `status` (default 500). */
  | 'status'
  /** The connection drops after the request arrived, before any effect. */
  | 'reset'
  /** The connection drops after `afterBytes` bytes of the body; an upload leaves a `starter` asset (see `leaves`). */
  | 'reset-during'
  /** The change takes effect, then the answer is `status` (default 500). */
  | 'applied-status'
  /** The change takes effect, then the connection drops. */
  | 'reset-after'
  /** Uploads: 502 Bad Gateway, and an empty asset in state `starter` stays behind (as GitHub documents). */
  | 'starter'
  /** The primary rate limit is exhausted until `resetIn` seconds from now: every request is refused. */
  | 'primary'
  /** A secondary rate limit: every write is refused for `retryAfter` seconds. */
  | 'secondary';

export interface Fault {
  /** Host to match: `api`, `uploads` or `downloads` (default: any). */
  host?: HostKind;
  /** HTTP method to match (default: any). */
  method?: string;
  /** Path (without query) to match: a substring or a regular expression (default: any). */
  path?: string | RegExp;
  /** OpenAPI route template to match, e.g. `/repos/{owner}/{repo}/releases` (default: any). */
  route?: string;
  /** Let this many matching requests through before the fault fires (default 0). */
  skip?: number;
  /** How many matching requests the fault fires on (default 1; Infinity for a lasting fault). */
  times?: number;
  kind: FaultKind;
  /** For `status`/`applied-status` (default 500), `primary` and `secondary` (403 or 429, default 403). */
  status?: number;
  /** Seconds of the secondary-limit window, sent in `retry-after` (default 1). */
  retryAfter?: number;
  /** Seconds until the primary limit resets (default 1). */
  resetIn?: number;
  /** Message of a `status`/`applied-status` fault. */
  message?: string;
  /** `reset-during`: body bytes received before the connection drops (default 0). */
  afterBytes?: number;
  /** `reset-during` on an upload: `starter` (default) leaves an empty asset behind, `nothing` leaves none. */
  leaves?: 'starter' | 'nothing';
}

export interface FaultTarget {
  host: HostKind;
  method: string;
  path: string;
  route: string;
}

/** The first armed fault that matches, consumed by one (after its skips). */
export function takeFault(faults: Fault[], t: FaultTarget): Fault | undefined {
  for (const f of faults) {
    if (f.host && f.host !== t.host) continue;
    if (f.method && f.method.toUpperCase() !== t.method) continue;
    if (f.route && f.route !== t.route) continue;
    if (f.path !== undefined && !(typeof f.path === 'string' ? t.path.includes(f.path) : f.path.test(t.path))) continue;
    if ((f.times ?? 1) <= 0) continue;
    if ((f.skip ?? 0) > 0) {
      f.skip = (f.skip ?? 0) - 1;
      continue;
    }
    f.times = (f.times ?? 1) - 1;
    return f;
  }
  return undefined;
}
