/**
 * A stateful stand-in for the part of GitHub's REST API that goship uses, on three loopback
 * listeners as GitHub has three hosts: the API (api.github.com), uploads (uploads.github.com, where
 * `upload_url` points; the API host refuses upload paths) and downloads (the signed object-store
 * URL an asset download redirects to).
 *
 * Faithful where a release's convergence depends on it:
 *   - every request and response is checked against GitHub's OpenAPI description and each
 *     violation is recorded in `violations` (a malformed body is refused as GitHub refuses it);
 *   - faults where GitHub applied the change and then answered 5xx, dropped the connection, or
 *     left an empty `starter` asset behind a 502; connections that drop in the middle of an
 *     upload body;
 *   - asset names normalised as GitHub stores them, one name per release;
 *   - several drafts per tag, but one published release per tag;
 *   - rate limits as windows (see rate-limits.ts), with an injectable clock;
 *   - repository contents, git refs and pull requests for more than one repository.
 * Counters and views let tests prove what a client sent, re-sent, or sent when told to wait.
 */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { contentRoutes } from './contents.js';
import { type Fault, takeFault } from './faults.js';
import { gitRoutes } from './git.js';
import { type Call, type Core, type Counters, type Handler, type Reply, zeroCounters } from './handler.js';
import { HttpError, type HostKind, RepoState, type StoredAsset, type StoredCommit, type StoredRelease } from './model.js';
import { OpenApi, type RouteMatch } from './openapi.js';
import { pullRoutes } from './pulls.js';
import {
  type PrimaryLimit,
  type PrimaryLimitOptions,
  RateLimits,
  type RefusalWindow,
  type RefusedRequest,
  type SecondaryRule,
} from './rate-limits.js';
import { releaseRoutes, storeAsset, uploadTarget } from './releases.js';
import { type Urls, assetJson, commitJson, refJson, releaseJson } from './shapes.js';

const execFileP = promisify(execFile);

export interface StandInOptions {
  owner?: string;
  repo?: string;
  /** The token requests must carry (default `test-token`). */
  token?: string;
  /** Repository setting of the main repository: published releases are immutable. */
  immutableReleases?: boolean;
  /** `read`: every mutation is refused with 403 like a token without `contents: write`; drafts are hidden. */
  contents?: 'read' | 'write';
  secondaryRule?: SecondaryRule;
  primaryLimit?: PrimaryLimitOptions;
  /** The time source of rate-limit windows and the log (ms since the epoch; default Date.now). */
  clock?: () => number;
  /** Check requests and responses against GitHub's OpenAPI description (default true). */
  validate?: boolean;
  /** Default branch of the main repository (default `main`). */
  defaultBranch?: string;
}

export interface LoggedResponse {
  host: HostKind;
  method: string;
  /** The OpenAPI path template that served the request, e.g. `/repos/{owner}/{repo}/releases`. */
  route: string;
  path: string;
  /** Path and query, e.g. `/repos/…/assets?name=a.tar.gz`. */
  url: string;
  /** 0 when the connection was dropped instead of answered. */
  status: number;
  body: unknown;
  at: number;
  /** Arrival order of the request. */
  seq: number;
  mutation: boolean;
  /** When the answer was sent (`at` is when the request arrived). */
  answeredAt: number;
  /** The answer's `retry-after`, `x-ratelimit-remaining` and `x-ratelimit-reset`, as sent. */
  limits: { retryAfter?: string; remaining?: string; reset?: string };
}

export interface Violation {
  host: HostKind;
  method: string;
  url: string;
  route?: string;
  status?: number;
  /** `route`: GitHub has no such route; `host`: served by another host; `request`/`response`: schema;
   * `stand-in`: a documented request the stand-in does not serve, or a stand-in failure. */
  where: 'route' | 'host' | 'request' | 'response' | 'stand-in';
  problems: string[];
}

export interface WebhookDelivery {
  path: string;
  body: unknown;
}

export interface TagView {
  id: number;
  draft: boolean;
  prerelease: boolean;
  publishCount: number;
  assets: { name: string; requestedName: string; state: StoredAsset['state']; size: number; digest: string | null }[];
}

export type { Fault, FaultKind } from './faults.js';
export type { Counters, HostCounters } from './handler.js';
export type { HostKind, StoredAsset, StoredCommit, StoredPull, StoredRelease } from './model.js';
export type { PrimaryLimit, RefusalWindow, RefusedRequest, SecondaryRule } from './rate-limits.js';
export { RepoState } from './model.js';

const DOCS = 'https://docs.github.com/rest';

export class GitHubApiStandIn implements Core {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  /** The API host. */
  url = '';
  /** The uploads host (`upload_url` points here). */
  uploadsUrl = '';
  /** The host asset downloads redirect to. */
  downloadsUrl = '';
  contents: 'read' | 'write';
  /** false: assets report `digest: null`, like assets uploaded before GitHub computed digests. */
  reportDigests = true;
  readonly validate: boolean;
  readonly clock: () => number;
  readonly repos = new Map<string, RepoState>();
  readonly faults: Fault[] = [];
  readonly log: LoggedResponse[] = [];
  /** Every request or response that breaks GitHub's OpenAPI description (tests assert none). */
  readonly violations: Violation[] = [];
  readonly webhooks: WebhookDelivery[] = [];
  counters: Counters = zeroCounters();
  readonly limits: RateLimits;

  private openapi: OpenApi | undefined;
  private readonly servers: http.Server[] = [];
  private lastId = 999;
  private seq = 0;
  private stampAt = Date.UTC(2026, 10, 20, 10, 0, 0);
  private readonly signKey = randomBytes(16);
  private readonly routes: Record<string, Handler> = { ...releaseRoutes, ...gitRoutes, ...contentRoutes, ...pullRoutes };

  constructor(opts: StandInOptions = {}) {
    this.owner = opts.owner ?? 'goship-test';
    this.repo = opts.repo ?? 'hello';
    this.token = opts.token ?? 'test-token';
    this.contents = opts.contents ?? 'write';
    this.validate = opts.validate ?? true;
    this.clock = opts.clock ?? Date.now;
    this.limits = new RateLimits(this.clock(), opts.primaryLimit, opts.secondaryRule);
    const main = this.addRepository(this.owner, this.repo, { defaultBranch: opts.defaultBranch });
    main.immutableReleases = opts.immutableReleases ?? false;
  }

  static zeroCounters(): Counters {
    return zeroCounters();
  }

  static async start(opts: StandInOptions = {}): Promise<GitHubApiStandIn> {
    const s = new GitHubApiStandIn(opts);
    await s.listen();
    return s;
  }

  async listen(): Promise<void> {
    if (this.validate) this.openapi = await OpenApi.load();
    const listen = async (host: HostKind): Promise<string> => {
      const server = http.createServer((req, res) => {
        this.handle(host, req, res).catch((e: unknown) => {
          this.violations.push({
            host,
            method: req.method ?? '',
            url: req.url ?? '',
            where: 'stand-in',
            problems: [`the stand-in failed: ${(e as Error).stack ?? String(e)}`],
          });
          res.destroy();
        });
      });
      // Longer than any idle gap of a client (Octokit spaces mutations ≥ 1 s): a socket closed by
      // the server just as the client reuses it would add retries the tests did not script.
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    this.url = await listen('api');
    this.uploadsUrl = await listen('uploads');
    this.downloadsUrl = await listen('downloads');
  }

  async close(): Promise<void> {
    const all = this.servers.splice(0);
    await Promise.all(
      all.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }

  /** The URL of the webhook receiver at `/hooks/<name>` (not GitHub: a place announcements go). */
  hookUrl(name = 'slack'): string {
    return `${this.url}/hooks/${name}`;
  }

  inject(...faults: Fault[]): void {
    this.faults.push(...faults.map((f) => ({ ...f })));
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Zeroes the counters and empties the log (violations and rate-limit windows stay). */
  resetCounters(): void {
    this.counters = zeroCounters();
    this.log.length = 0;
  }

  clearViolations(): void {
    this.violations.length = 0;
  }

  // ---------- repositories ----------

  /** Serves another repository (e.g. a Homebrew tap) from the same stand-in. */
  addRepository(owner: string, name: string, opts: { defaultBranch?: string } = {}): RepoState {
    const key = `${owner}/${name}`.toLowerCase();
    const existing = this.repos.get(key);
    if (existing) return existing;
    const r = new RepoState(owner, name, 100_000 + this.repos.size, opts.defaultBranch ?? 'main');
    this.repos.set(key, r);
    return r;
  }

  /** A repository by owner and name (GitHub matches them case-insensitively). */
  repository(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The main repository (`owner/repo` of the options). */
  get main(): RepoState {
    return this.repository(this.owner, this.repo)!;
  }

  get releases(): Map<number, StoredRelease> {
    return this.main.releases;
  }
  get assets(): Map<number, StoredAsset> {
    return this.main.assets;
  }
  /** `refs/tags/v1.0.0` → commit sha, of the main repository. */
  get refs(): Map<string, string> {
    return this.main.refs;
  }
  get commits(): Map<string, StoredCommit> {
    return this.main.commits;
  }
  get latestReleaseId(): number | undefined {
    return this.main.latestReleaseId;
  }
  get immutableReleases(): boolean {
    return this.main.immutableReleases;
  }
  set immutableReleases(v: boolean) {
    this.main.immutableReleases = v;
  }
  get secondaryRule(): SecondaryRule | undefined {
    return this.limits.secondaryRule;
  }
  set secondaryRule(v: SecondaryRule | undefined) {
    this.limits.secondaryRule = v;
  }
  /** The primary budget reported in `x-ratelimit-*` headers. */
  get rateLimit(): PrimaryLimit {
    return this.limits.primary;
  }
  /** Every rate-limit window so far, with the requests it refused. */
  get windows(): readonly RefusalWindow[] {
    return this.limits.windows;
  }
  get urls(): Urls {
    return { api: this.url, uploads: this.uploadsUrl };
  }

  private repoOf(key?: string): RepoState {
    if (!key) return this.main;
    const [owner, name] = key.split('/') as [string, string];
    const r = this.repository(owner, name);
    if (!r) throw new Error(`the stand-in serves no repository ${key} (addRepository first)`);
    return r;
  }

  // ---------- seeding ----------

  addCommit(c: StoredCommit, repo?: string): void {
    this.repoOf(repo).commits.set(c.sha, c);
  }

  /** Copies the commits, branches and tags of a local git repository into the stand-in. */
  async seedFromGit(dir: string, opts: { repo?: string } = {}): Promise<void> {
    const target = this.repoOf(opts.repo);
    const git = async (...args: string[]): Promise<string> => (await execFileP('git', args, { cwd: dir, maxBuffer: 64 << 20 })).stdout;
    const out = await git('log', '--all', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e');
    for (const rec of out.split('\x1e')) {
      const [sha, parents, author, email, date, message] = rec.replace(/^\n/, '').split('\x1f');
      if (!sha || !/^[0-9a-f]{40}$/.test(sha)) continue;
      target.commits.set(sha, {
        sha,
        parents: (parents ?? '').split(' ').filter(Boolean),
        author: author ?? '',
        email: email ?? '',
        date: date ?? '',
        message: (message ?? '').replace(/\n+$/, ''),
      });
    }
    const refs = await git('for-each-ref', '--format=%(refname) %(objectname) %(*objectname)', 'refs/heads', 'refs/tags');
    for (const line of refs.split('\n').filter(Boolean)) {
      const [ref, obj, peeled] = line.split(' ');
      target.refs.set(ref!, peeled || obj!);
    }
  }

  /** A commit on `branch` with these files (created when missing), as if pushed. Not counted. */
  seedFiles(branch: string, files: Record<string, Buffer | string>, opts: { repo?: string; message?: string } = {}): StoredCommit {
    return this.repoOf(opts.repo).commitFiles(
      branch,
      files,
      opts.message ?? 'seed',
      { name: 'goship-test', email: 'test@goship.invalid' },
      this.stamp(),
    );
  }

  /** Puts an asset in place directly (e.g. a leftover from an earlier, different build). */
  seedAsset(releaseId: number, name: string, data: Buffer, state: StoredAsset['state'] = 'uploaded', repo?: string): StoredAsset {
    return storeAsset(this, this.repoOf(repo), releaseId, name, data, { state });
  }

  /** Creates a release directly (no request counted). */
  seedRelease(
    tag: string,
    opts: { draft?: boolean; prerelease?: boolean; target?: string; body?: string; repo?: string } = {},
  ): StoredRelease {
    const repo = this.repoOf(opts.repo);
    const t = this.stamp();
    const r: StoredRelease = {
      id: this.nextId(),
      tagName: tag,
      targetCommitish: opts.target ?? repo.defaultBranch,
      name: tag,
      body: opts.body ?? '',
      draft: opts.draft ?? true,
      prerelease: opts.prerelease ?? false,
      immutable: false,
      createdAt: t,
      publishedAt: null,
      updatedAt: t,
      publishCount: 0,
    };
    repo.releases.set(r.id, r);
    if (!r.draft) {
      r.publishedAt = t;
      r.immutable = repo.immutableReleases;
    }
    return r;
  }

  // ---------- views used by tests ----------

  releaseByTag(tag: string, repo?: string): StoredRelease[] {
    return this.repoOf(repo).releaseByTag(tag);
  }

  assetsOf(releaseId: number, repo?: string): StoredAsset[] {
    return this.repoOf(repo).assetsOf(releaseId);
  }

  /** Every release of a tag (oldest first) with its assets and their states. */
  tagView(tag: string, repo?: string): TagView[] {
    const r = this.repoOf(repo);
    return r.releaseByTag(tag).map((rel) => ({
      id: rel.id,
      draft: rel.draft,
      prerelease: rel.prerelease,
      publishCount: rel.publishCount,
      assets: r.assetsOf(rel.id).map((a) => ({
        name: a.name,
        requestedName: a.requestedName,
        state: a.state,
        size: a.data.length,
        digest: a.state === 'uploaded' ? a.digest : null,
      })),
    }));
  }

  /**
   * Drafts a converged release leaves behind: every draft of a tag that has a published
   * release, and every draft but the oldest of a tag that has none.
   */
  orphanDrafts(tag?: string, repo?: string): StoredRelease[] {
    const r = this.repoOf(repo);
    const tags = tag ? [tag] : [...new Set([...r.releases.values()].map((x) => x.tagName))];
    return tags.flatMap((t) => {
      const all = r.releaseByTag(t);
      const drafts = all.filter((x) => x.draft);
      return all.some((x) => !x.draft) ? drafts : drafts.slice(1);
    });
  }

  /** Requests refused by a rate-limit window after the client had been told to wait. */
  sentAfterNotice(kind?: 'primary' | 'secondary'): RefusedRequest[] {
    return this.limits.windows.filter((w) => !kind || w.kind === kind).flatMap((w) => w.refused.filter((x) => x.afterNotice));
  }

  /** Spends the primary budget: every request is refused until `resetInMs` from now. */
  exhaustPrimary(resetInMs: number, status?: 403 | 429): void {
    this.limits.exhaustPrimary(this.clock(), resetInMs, status);
  }

  /** Trips the secondary limit: every write is refused for `seconds`. */
  tripSecondary(seconds: number, status: 403 | 429 = 403): void {
    this.limits.openSecondary(this.clock(), seconds, status);
  }

  // ---------- JSON shapes (checked against GitHub's OpenAPI description) ----------

  releaseJson(r: StoredRelease, repo?: string): Record<string, unknown> {
    return releaseJson(this.urls, this.repoOf(repo), r, this.reportDigests);
  }

  assetJson(a: StoredAsset, repo?: string): Record<string, unknown> {
    return assetJson(this.urls, this.repoOf(repo), a, this.reportDigests);
  }

  refJson(ref: string, repo?: string): Record<string, unknown> {
    return refJson(this.urls, this.repoOf(repo), ref);
  }

  commitJson(c: StoredCommit, repo?: string): Record<string, unknown> {
    return commitJson(this.urls, this.repoOf(repo), c);
  }

  // ---------- Core ----------

  nextId(): number {
    return ++this.lastId;
  }

  stamp(): string {
    this.stampAt += 1000;
    return new Date(this.stampAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  downloadUrl(repo: RepoState, assetId: number): string {
    const path = `/${repo.owner}/${repo.name}/assets/${assetId}`;
    return `${this.downloadsUrl}${path}?X-Amz-Signature=${this.sign(path)}`;
  }

  private sign(path: string): string {
    return createHmac('sha256', this.signKey).update(path).digest('hex');
  }

  // ---------- HTTP ----------

  private async handle(host: HostKind, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const seq = ++this.seq;
    const at = this.clock();
    const method = (req.method ?? 'GET').toUpperCase();
    const base = host === 'api' ? this.url : host === 'uploads' ? this.uploadsUrl : this.downloadsUrl;
    const u = new URL(req.url ?? '/', base);
    const mutation = !['GET', 'HEAD'].includes(method);
    const hook = host === 'api' && u.pathname.startsWith('/hooks/');
    const hc = this.counters.byHost[host];
    this.counters.requests++;
    hc.requests++;
    if (mutation && !hook) {
      this.counters.mutations++;
      hc.mutations++;
    }
    const match =
      host === 'downloads' || hook ? undefined : (this.openapi?.find(method, u.pathname) ?? this.fallbackMatch(method, u.pathname));
    const route = match?.route ?? '';
    const fault = takeFault(this.faults, { host, method, path: u.pathname, route });
    if (fault) this.counters.faultsFired++;

    const entry = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const limits = {
        retryAfter: headers['retry-after'],
        remaining: headers['x-ratelimit-remaining'],
        reset: headers['x-ratelimit-reset'],
      };
      const answeredAt = this.clock();
      this.log.push({
        host,
        method,
        route,
        path: u.pathname,
        url: u.pathname + u.search,
        status,
        body,
        at,
        seq,
        mutation,
        answeredAt,
        limits,
      });
    };
    // Kept here: ending the body iteration early detaches the socket from the request.
    const socket = req.socket;
    const drop = (): void => {
      entry(0, undefined);
      socket.destroy();
    };

    // The body, counted as it arrives; a `reset-during` fault drops the connection part-way.
    const cutAt = fault?.kind === 'reset-during' ? (fault.afterBytes ?? 0) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let cut = false;
    const count = (n: number): void => {
      received += n;
      hc.bytesReceived += n;
      if (host === 'uploads') {
        this.counters.bytesReceived += n;
        const name = u.searchParams.get('name') ?? '';
        this.counters.bytesByName[name] = (this.counters.bytesByName[name] ?? 0) + n;
      }
    };
    if (cutAt !== undefined && cutAt <= 0) cut = true;
    else {
      try {
        for await (const c of req) {
          let chunk = c as Buffer;
          if (cutAt !== undefined && received + chunk.length >= cutAt) {
            chunk = chunk.subarray(0, cutAt - received);
            cut = true;
          }
          count(chunk.length);
          chunks.push(chunk);
          if (cut) {
            socket.destroy();
            break;
          }
        }
      } catch {
        // The client gave up in the middle of its body (an aborted upload): nothing was applied.
        entry(0, undefined);
        return;
      }
    }
    const body = Buffer.concat(chunks);
    if (cut) {
      if (match?.uploads && host === 'uploads' && fault?.leaves !== 'nothing') this.leaveStarter(match, u, req);
      drop();
      return;
    }
    if (fault?.kind === 'reset') {
      drop();
      return;
    }

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      const raw = Buffer.isBuffer(payload);
      const text = payload === undefined ? Buffer.alloc(0) : raw ? payload : Buffer.from(JSON.stringify(payload));
      const sent = {
        ...(payload === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json; charset=utf-8' }),
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': `GOSHIP:${seq}`,
        ...(host === 'downloads' ? {} : this.limits.headers(this.clock())),
        ...headers,
      };
      entry(status, raw ? '<bytes>' : payload, sent);
      if (match && this.openapi && !raw && host !== 'downloads') {
        const problems = this.openapi.checkResponse(method, match.route, status, payload);
        if (problems.length) this.violations.push({ host, method, url: u.pathname + u.search, route, status, where: 'response', problems });
      }
      hc.bytesSent += text.length;
      res.writeHead(status, sent);
      res.end(text);
    };
    const sendError = (e: HttpError): void => {
      send(e.status, { message: e.message, documentation_url: DOCS, status: String(e.status), ...e.extra }, e.headers);
    };

    if (fault?.kind === 'status' || (fault?.kind === 'starter' && !match?.uploads)) {
      const status = fault.status ?? (fault.kind === 'starter' ? 502 : 500);
      sendError(new HttpError(status, fault.message ?? (status >= 500 ? 'Server Error' : 'Injected failure')));
      return;
    }
    if (hook) {
      let parsed: unknown = body.toString('utf8');
      try {
        parsed = JSON.parse(String(parsed));
      } catch {
        /* keep text */
      }
      this.webhooks.push({ path: u.pathname, body: parsed });
      entry(200, 'ok');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (host === 'downloads') {
      this.serveDownload(u, req, res, entry);
      return;
    }

    // Routing: GitHub's hosts serve disjoint routes.
    const where = `${method} ${u.pathname}`;
    if (!match) {
      const methods = this.openapi?.methodsFor(u.pathname) ?? [];
      this.violations.push({
        host,
        method,
        url: u.pathname + u.search,
        where: 'route',
        problems: [methods.length ? `${where}: GitHub documents only ${methods.join(', ')} here` : `${where} is not a GitHub API route`],
      });
      sendError(new HttpError(404, 'Not Found'));
      return;
    }
    if (match.uploads !== (host === 'uploads')) {
      this.violations.push({
        host,
        method,
        url: u.pathname + u.search,
        route,
        where: 'host',
        problems: [
          match.uploads
            ? `${where} is served by the uploads host (the release's upload_url), not the API host`
            : `${where} is served by the API host, not the uploads host`,
        ],
      });
      sendError(new HttpError(404, 'Not Found'));
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      sendError(new HttpError(401, 'Bad credentials'));
      return;
    }

    // Rate limits: the primary budget covers every request, the secondary windows writes.
    const now = this.clock();
    const arrival = { host, method, path: u.pathname, url: u.pathname + u.search, seq };
    if (fault?.kind === 'primary') this.limits.exhaustPrimary(now, (fault.resetIn ?? 1) * 1000, fault.status === 429 ? 429 : 403);
    if (fault?.kind === 'secondary') this.limits.openSecondary(now, fault.retryAfter ?? 1, fault.status ?? 403);
    const refusal =
      this.limits.admitPrimary(now, arrival) ??
      (mutation
        ? this.limits.admitWrite(now, arrival)
        : fault?.kind === 'secondary'
          ? this.limits.secondaryRefusal(now, arrival)
          : undefined);
    if (refusal) {
      if (refusal.window.kind === 'primary') {
        this.counters.primaryLimited++;
        if (refusal.afterNotice) this.counters.requestsAfterPrimaryNotice++;
      } else {
        this.counters.secondaryLimited++;
        if (refusal.afterNotice) this.counters.writesAfterSecondaryNotice++;
      }
      send(refusal.status, refusal.body, refusal.headers);
      this.limits.noticeSent(refusal.window, this.seq);
      return;
    }
    if (mutation && this.contents === 'read') {
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: `${DOCS}/releases/releases#create-a-release`,
        status: '403',
      });
      return;
    }

    const repo = this.repository(match.params.owner ?? '', match.params.repo ?? '');
    if (!repo) {
      sendError(new HttpError(404, 'Not Found'));
      return;
    }
    let json: unknown = {};
    if (this.openapi) {
      const check = this.openapi.checkRequest(match, u, req.headers, body);
      if (check.problems.length)
        this.violations.push({ host, method, url: u.pathname + u.search, route, where: 'request', problems: check.problems });
      if (check.refusal) {
        sendError(new HttpError(check.refusal.status, check.refusal.message));
        return;
      }
      json = check.json ?? {};
    } else if (body.length && !match.uploads) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(new HttpError(400, 'Problems parsing JSON'));
        return;
      }
    }
    const handler = this.routes[`${method} ${route}`];
    if (!handler) {
      this.violations.push({
        host,
        method,
        url: u.pathname + u.search,
        route,
        where: 'stand-in',
        problems: [`the stand-in does not serve ${method} ${route}`],
      });
      sendError(new HttpError(404, 'Not Found'));
      return;
    }
    const call: Call = {
      core: this,
      repo,
      params: match.params,
      query: u.searchParams,
      body: (json && typeof json === 'object' ? json : {}) as Record<string, unknown>,
      raw: body,
      headers: req.headers,
      ...(fault ? { fault } : {}),
    };
    let reply: Reply | undefined;
    let error: HttpError | undefined;
    try {
      reply = handler(call);
    } catch (e) {
      if (e instanceof HttpError) error = e;
      else {
        this.violations.push({
          host,
          method,
          url: u.pathname + u.search,
          route,
          where: 'stand-in',
          problems: [`handler failed: ${(e as Error).stack}`],
        });
        error = new HttpError(500, (e as Error).message);
      }
    }
    // Faults where the change took effect before the answer went wrong.
    if (fault?.kind === 'reset-after') {
      drop();
      return;
    }
    if (fault?.kind === 'applied-status') {
      const status = fault.status ?? 500;
      sendError(new HttpError(status, fault.message ?? 'Server Error'));
      return;
    }
    if (error) sendError(error);
    else send(reply!.status, reply!.body, reply!.headers);
  }

  /** Without the OpenAPI description (validate: false), routes are matched against the handlers. */
  private fallbackMatch(method: string, pathname: string): RouteMatch | undefined {
    if (this.openapi) return undefined;
    for (const key of Object.keys(this.routes)) {
      const [m, route] = key.split(' ') as [string, string];
      if (m !== method) continue;
      const names: string[] = [];
      const re = new RegExp(
        `^${route.replace(/\{([^}]+)\}/g, (_s, n: string) => {
          names.push(n);
          return ['ref', 'path', 'tag', 'basehead'].includes(n) ? '(.+)' : '([^/]+)';
        })}$`,
      );
      const x = re.exec(pathname);
      if (!x) continue;
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = decodeURIComponent(x[i + 1]!)));
      if (route.endsWith('/releases/{release_id}') && !/^\d+$/.test(params.release_id ?? '')) continue;
      return { route, method, params, operation: {}, uploads: key === 'POST /repos/{owner}/{repo}/releases/{release_id}/assets' };
    }
    return undefined;
  }

  /** A dropped upload leaves an empty asset in state `starter` when GitHub had begun storing it. */
  private leaveStarter(match: RouteMatch, u: URL, req: http.IncomingMessage): void {
    const repo = this.repository(match.params.owner ?? '', match.params.repo ?? '');
    if (!repo) return;
    try {
      const { release } = uploadTarget({ core: this, repo, params: match.params, query: u.searchParams });
      storeAsset(this, repo, release.id, u.searchParams.get('name')!, Buffer.alloc(0), {
        label: u.searchParams.get('label'),
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        state: 'starter',
      });
    } catch {
      // GitHub would have refused this upload anyway: nothing is left behind.
    }
  }

  private serveDownload(
    u: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const reply = (status: number, body: Buffer | string, headers: Record<string, string>): void => {
      entry(status, Buffer.isBuffer(body) ? '<bytes>' : body, headers);
      const text = Buffer.isBuffer(body) ? body : Buffer.from(body);
      this.counters.byHost.downloads.bytesSent += text.length;
      res.writeHead(status, headers);
      res.end(text);
    };
    const xml = (code: string, message: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    // The signed URL is the credential; an object store refuses a second one.
    if (req.headers.authorization) {
      reply(
        400,
        xml(
          'InvalidArgument',
          'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        ),
        {
          'content-type': 'application/xml',
        },
      );
      return;
    }
    const m = /^\/([^/]+)\/([^/]+)\/assets\/(\d+)$/.exec(u.pathname);
    if (req.method !== 'GET' || !m || u.searchParams.get('X-Amz-Signature') !== this.sign(u.pathname)) {
      reply(403, xml('AccessDenied', 'Request has expired or the signature does not match'), { 'content-type': 'application/xml' });
      return;
    }
    const a = this.repository(m[1]!, m[2]!)?.assets.get(Number(m[3]));
    if (!a || a.state !== 'uploaded') {
      reply(404, xml('NoSuchKey', 'The specified key does not exist.'), { 'content-type': 'application/xml' });
      return;
    }
    reply(200, a.data, {
      'content-type': a.contentType,
      'content-length': String(a.data.length),
      'content-disposition': `attachment; filename=${a.name}`,
    });
  }
}
