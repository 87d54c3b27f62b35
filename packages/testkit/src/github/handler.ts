/**
 * What a route handler of the GitHub API stand-in receives and returns. Handlers run after the
 * request passed authentication, rate limits and the OpenAPI checks; they change state and
 * return the answer, or throw an HttpError with GitHub's error.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from './faults.js';
import type { RepoState } from './model.js';
import type { Urls } from './shapes.js';

export interface HostCounters {
  requests: number;
  /** Requests that changed (or tried to change) state: POST, PATCH, PUT, DELETE. */
  mutations: number;
  /** Request body bytes received (including those of refused or dropped requests). */
  bytesReceived: number;
  /** Response body bytes sent. */
  bytesSent: number;
}

export interface Counters {
  requests: number;
  mutations: number;
  uploads: number;
  /** Bytes of upload bodies received, including those of refused or reset uploads. */
  bytesReceived: number;
  /** Upload bytes received per requested asset name. */
  bytesByName: Record<string, number>;
  releasesCreated: number;
  publishes: number;
  assetsDeleted: number;
  faultsFired: number;
  /** Requests refused by a secondary rate limit. */
  secondaryLimited: number;
  /** Requests refused by the exhausted primary rate limit. */
  primaryLimited: number;
  /** Writes refused inside a secondary window after the client had been told to wait. */
  writesAfterSecondaryNotice: number;
  /** Requests refused by the primary limit after the client had been told it was exhausted. */
  requestsAfterPrimaryNotice: number;
  /** Commits created through the API (contents writes). */
  commitsCreated: number;
  pullsCreated: number;
  byHost: { api: HostCounters; uploads: HostCounters; downloads: HostCounters };
}

export function zeroCounters(): Counters {
  const host = (): HostCounters => ({ requests: 0, mutations: 0, bytesReceived: 0, bytesSent: 0 });
  return {
    requests: 0,
    mutations: 0,
    uploads: 0,
    bytesReceived: 0,
    bytesByName: {},
    releasesCreated: 0,
    publishes: 0,
    assetsDeleted: 0,
    faultsFired: 0,
    secondaryLimited: 0,
    primaryLimited: 0,
    writesAfterSecondaryNotice: 0,
    requestsAfterPrimaryNotice: 0,
    commitsCreated: 0,
    pullsCreated: 0,
    byHost: { api: host(), uploads: host(), downloads: host() },
  };
}

/** The stand-in's services handlers use. */
export interface Core {
  readonly urls: Urls;
  readonly reportDigests: boolean;
  /** The token's contents permission: with `read`, drafts are not listed. */
  readonly contents: 'read' | 'write';
  readonly counters: Counters;
  nextId(): number;
  /** A deterministic timestamp, one second after the previous one. */
  stamp(): string;
  repository(owner: string, name: string): RepoState | undefined;
  /** The signed URL on the downloads host that serves an asset's bytes. */
  downloadUrl(repo: RepoState, assetId: number): string;
}

export interface Call {
  core: Core;
  repo: RepoState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (already checked against the description), `{}` when there is none. */
  body: Record<string, unknown>;
  raw: Buffer;
  headers: IncomingHttpHeaders;
  /** The fault that fired on this request, for handlers that model it themselves (uploads). */
  fault?: Fault;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (c: Call) => Reply;

/** One page of a list and the `link` header to the next, as GitHub paginates. */
export function paginate<T>(items: T[], query: URLSearchParams, selfUrl: string): Reply {
  const per = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const slice = items.slice((page - 1) * per, page * per);
  const headers: Record<string, string> = {};
  const last = Math.max(1, Math.ceil(items.length / per));
  const at = (n: number): string => {
    const next = new URL(selfUrl);
    next.searchParams.set('per_page', String(per));
    next.searchParams.set('page', String(n));
    return next.toString();
  };
  const links: string[] = [];
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`);
  if (links.length) headers.link = links.join(', ');
  return { status: 200, body: slice, headers };
}
