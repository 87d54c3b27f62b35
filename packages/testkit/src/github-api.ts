/**
 * A stateful stand-in for the subset of GitHub's REST API that goship uses, served with node:http
 * on 127.0.0.1 (random port): releases (drafts included in the list, omitted by get-by-tag as on
 * GitHub), release assets (uploaded to an uploads URL, bytes stored, `digest: "sha256:…"`
 * reported), git refs (tags, floating tags), commits, compare, generate-notes, and a webhook
 * receiver for announcements.
 *
 * Fault injection: scripted faults (5xx, connection resets before or after the request took
 * effect, primary limit 403 with `x-ratelimit-remaining: 0`, secondary limit 403/429 with
 * `retry-after`), a sliding-window secondary limit on mutations, read-only tokens, and GitHub's
 * immutable-release rule (no asset changes once a release is published). Counters record
 * mutations, uploads and the bytes received so tests can prove what a re-run re-sent.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export type FaultKind = 'status' | 'reset' | 'reset-after' | 'primary' | 'secondary';

export interface Fault {
  /** HTTP method to match (default: any). */
  method?: string;
  /** Path (without query) to match: a substring or a regular expression (default: any). */
  path?: string | RegExp;
  /** Let this many matching requests through before the fault fires (default 0). */
  skip?: number;
  /** How many matching requests the fault fires on (default 1; Infinity for a lasting fault). */
  times?: number;
  kind: FaultKind;
  /** For `status` (default 500) and `secondary` (403 or 429, default 403). */
  status?: number;
  /** Seconds in `retry-after` for `secondary` (default 1). */
  retryAfter?: number;
  /** Seconds until `x-ratelimit-reset` for `primary` (default 1). */
  resetIn?: number;
  /** Message of a `status` fault. */
  message?: string;
}

export interface SecondaryRule {
  /** Mutations allowed within `windowMs` before the next one is refused. */
  limit: number;
  windowMs: number;
  /** `retry-after` seconds sent with the refusal (default 1). */
  retryAfter?: number;
  /** 403 (default) or 429. */
  status?: 403 | 429;
}

export interface StandInOptions {
  owner?: string;
  repo?: string;
  /** The token requests must carry (default `test-token`). */
  token?: string;
  /** Repository setting: published releases are immutable (assets and tag cannot change). */
  immutableReleases?: boolean;
  /** `read`: every mutation is refused with 403 like a token without `contents: write`. */
  contents?: 'read' | 'write';
  secondaryRule?: SecondaryRule;
}

export interface StoredAsset {
  id: number;
  releaseId: number;
  name: string;
  label: string | null;
  contentType: string;
  state: 'uploaded' | 'open';
  data: Buffer;
  digest: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredRelease {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  /** How many times this release went from draft to published. */
  publishCount: number;
}

export interface StoredCommit {
  sha: string;
  parents: string[];
  message: string;
  author: string;
  email: string;
  date: string;
}

export interface LoggedResponse {
  method: string;
  /** The OpenAPI path template that served the request, e.g. `/repos/{owner}/{repo}/releases`. */
  route: string;
  path: string;
  /** Path and query, e.g. `/uploads/…/assets?name=a.tar.gz`. */
  url: string;
  status: number;
  body: unknown;
  at: number;
  mutation: boolean;
}

export interface Counters {
  requests: number;
  /** Requests that changed (or tried to change) state: POST, PATCH, PUT, DELETE. */
  mutations: number;
  uploads: number;
  /** Bytes of upload bodies received, including those of refused or reset uploads. */
  bytesReceived: number;
  /** Upload bytes received per asset name. */
  bytesByName: Record<string, number>;
  releasesCreated: number;
  publishes: number;
  assetsDeleted: number;
  faultsFired: number;
  secondaryLimited: number;
}

export interface WebhookDelivery {
  path: string;
  body: unknown;
}

// No parameter properties anywhere in this file: plain Node (type stripping) can load it too,
// which the benchmark in bench/semver-release does.
class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

const BOT = {
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/github-actions%5Bbot%5D',
  html_url: 'https://github.com/apps/github-actions',
  followers_url: 'https://api.github.com/users/github-actions%5Bbot%5D/followers',
  following_url: 'https://api.github.com/users/github-actions%5Bbot%5D/following{/other_user}',
  gists_url: 'https://api.github.com/users/github-actions%5Bbot%5D/gists{/gist_id}',
  starred_url: 'https://api.github.com/users/github-actions%5Bbot%5D/starred{/owner}{/repo}',
  subscriptions_url: 'https://api.github.com/users/github-actions%5Bbot%5D/subscriptions',
  organizations_url: 'https://api.github.com/users/github-actions%5Bbot%5D/orgs',
  repos_url: 'https://api.github.com/users/github-actions%5Bbot%5D/repos',
  events_url: 'https://api.github.com/users/github-actions%5Bbot%5D/events{/privacy}',
  received_events_url: 'https://api.github.com/users/github-actions%5Bbot%5D/received_events',
  type: 'Bot',
  user_view_type: 'public',
  site_admin: false,
};

const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

export class GitHubApiStandIn {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  url = '';
  immutableReleases: boolean;
  contents: 'read' | 'write';
  secondaryRule: SecondaryRule | undefined;
  /** false: assets report `digest: null`, like assets uploaded before GitHub computed digests. */
  reportDigests = true;

  readonly releases = new Map<number, StoredRelease>();
  readonly assets = new Map<number, StoredAsset>();
  /** `refs/tags/v1.0.0` → commit sha. */
  readonly refs = new Map<string, string>();
  readonly commits = new Map<string, StoredCommit>();
  readonly faults: Fault[] = [];
  readonly log: LoggedResponse[] = [];
  readonly webhooks: WebhookDelivery[] = [];
  counters: Counters = GitHubApiStandIn.zeroCounters();
  /** Primary-limit budget reported in `x-ratelimit-*` headers. */
  rateLimit = { limit: 5000, remaining: 5000 };

  private nextId = 1000;
  private mutationTimes: number[] = [];
  private latestId: number | undefined;
  private server: http.Server | undefined;
  private clock = Date.UTC(2026, 10, 20, 10, 0, 0);

  constructor(opts: StandInOptions = {}) {
    this.owner = opts.owner ?? 'goship-test';
    this.repo = opts.repo ?? 'hello';
    this.token = opts.token ?? 'test-token';
    this.immutableReleases = opts.immutableReleases ?? false;
    this.contents = opts.contents ?? 'write';
    this.secondaryRule = opts.secondaryRule;
  }

  static zeroCounters(): Counters {
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
    };
  }

  static async start(opts: StandInOptions = {}): Promise<GitHubApiStandIn> {
    const s = new GitHubApiStandIn(opts);
    await s.listen();
    return s;
  }

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    // Longer than any idle gap of a client (Octokit spaces mutations ≥ 1 s): a socket closed by
    // the server just as the client reuses it would add retries the tests did not script.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The URL of the webhook receiver at `/hooks/<name>`. */
  hookUrl(name = 'slack'): string {
    return `${this.url}/hooks/${name}`;
  }

  inject(...faults: Fault[]): void {
    this.faults.push(...faults.map((f) => ({ ...f })));
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  resetCounters(): void {
    this.counters = GitHubApiStandIn.zeroCounters();
    this.log.length = 0;
  }

  // ---------- seeding ----------

  addCommit(c: StoredCommit): void {
    this.commits.set(c.sha, c);
  }

  /** Copies the commits, branches and tags of a local git repository into the stand-in. */
  async seedFromGit(dir: string): Promise<void> {
    const git = async (...args: string[]): Promise<string> => (await execFileP('git', args, { cwd: dir, maxBuffer: 64 << 20 })).stdout;
    const out = await git('log', '--all', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e');
    for (const rec of out.split('\x1e')) {
      const [sha, parents, author, email, date, message] = rec.replace(/^\n/, '').split('\x1f');
      if (!sha || !/^[0-9a-f]{40}$/.test(sha)) continue;
      this.addCommit({
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
      this.refs.set(ref!, peeled || obj!);
    }
  }

  // ---------- views used by tests ----------

  releaseByTag(tag: string): StoredRelease[] {
    return [...this.releases.values()].filter((r) => r.tagName === tag);
  }

  assetsOf(releaseId: number): StoredAsset[] {
    return [...this.assets.values()].filter((a) => a.releaseId === releaseId).sort((a, b) => a.id - b.id);
  }

  get latestReleaseId(): number | undefined {
    return this.latestId;
  }

  // ---------- HTTP ----------

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const mutation = !['GET', 'HEAD'].includes(method);
    const isUpload = u.pathname.startsWith('/uploads/');
    this.counters.requests++;
    if (mutation && !u.pathname.startsWith('/hooks/')) this.counters.mutations++;
    if (isUpload) {
      this.counters.bytesReceived += body.length;
      const name = u.searchParams.get('name') ?? '';
      this.counters.bytesByName[name] = (this.counters.bytesByName[name] ?? 0) + body.length;
    }

    const fault = this.takeFault(method, u.pathname);
    if (fault) this.counters.faultsFired++;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const rateHeaders = (): Record<string, string> => ({
      'x-ratelimit-limit': String(this.rateLimit.limit),
      'x-ratelimit-remaining': String(this.rateLimit.remaining),
      'x-ratelimit-used': String(this.rateLimit.limit - this.rateLimit.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}, route = ''): void => {
      const raw = Buffer.isBuffer(payload);
      const text = payload === undefined ? '' : raw ? payload : JSON.stringify(payload);
      this.log.push({
        method,
        route,
        path: u.pathname,
        url: u.pathname + u.search,
        status,
        body: raw ? '<bytes>' : payload,
        at: Date.now(),
        mutation,
      });
      res.writeHead(status, {
        'content-type': raw ? 'application/octet-stream' : 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': `GOSHIP:${this.counters.requests}`,
        ...rateHeaders(),
        ...headers,
      });
      res.end(text);
    };

    if (fault?.kind === 'status') {
      const status = fault.status ?? 500;
      send(status, { message: fault.message ?? (status >= 500 ? 'Server Error' : 'Injected failure'), status: String(status) });
      return;
    }
    if (fault?.kind === 'primary') {
      const reset = Math.floor(Date.now() / 1000) + (fault.resetIn ?? 1);
      send(
        403,
        {
          message: `API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          status: '403',
        },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(this.rateLimit.limit), 'x-ratelimit-reset': String(reset) },
      );
      return;
    }
    if (fault?.kind === 'secondary') {
      this.counters.secondaryLimited++;
      this.sendSecondary(send, fault.status ?? 403, fault.retryAfter ?? 1);
      return;
    }
    if (u.pathname.startsWith('/hooks/')) {
      let parsed: unknown = body.toString('utf8');
      try {
        parsed = JSON.parse(String(parsed));
      } catch {
        /* keep text */
      }
      this.webhooks.push({ path: u.pathname, body: parsed });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      return;
    }
    if (mutation && this.secondaryRule) {
      const rule = this.secondaryRule;
      const t = Date.now();
      this.mutationTimes = this.mutationTimes.filter((x) => t - x < rule.windowMs);
      if (this.mutationTimes.length >= rule.limit) {
        this.counters.secondaryLimited++;
        this.sendSecondary(send, rule.status ?? 403, rule.retryAfter ?? 1);
        return;
      }
      this.mutationTimes.push(t);
    }
    if (mutation && this.contents === 'read') {
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
        status: '403',
      });
      return;
    }
    try {
      const [route, status, payload, headers] = this.route(method, u, body, req.headers);
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        return;
      }
      send(status, payload, headers, route);
    } catch (e) {
      if (e instanceof HttpError) {
        send(e.status, { message: e.message, documentation_url: 'https://docs.github.com/rest', status: String(e.status), ...e.extra });
      } else {
        send(500, { message: (e as Error).message });
      }
    }
  }

  private sendSecondary(send: (s: number, p: unknown, h?: Record<string, string>) => void, status: number, retryAfter: number): void {
    send(
      status,
      {
        message: SECONDARY_MESSAGE,
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: String(status),
      },
      { 'retry-after': String(retryAfter) },
    );
  }

  private takeFault(method: string, pathname: string): Fault | undefined {
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined && !(typeof f.path === 'string' ? pathname.includes(f.path) : f.path.test(pathname))) continue;
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

  private route(
    method: string,
    u: URL,
    raw: Buffer,
    headers: http.IncomingHttpHeaders,
  ): [string, number, unknown, Record<string, string>?] {
    const p = u.pathname;
    const json = (): Record<string, unknown> => {
      if (raw.length === 0) return {};
      try {
        return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new HttpError(400, 'Problems parsing JSON');
      }
    };
    const upload = /^\/uploads\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/.exec(p);
    if (upload) {
      this.checkRepo(upload[1]!, upload[2]!);
      if (method !== 'POST') throw new HttpError(404, 'Not Found');
      return ['/repos/{owner}/{repo}/releases/{release_id}/assets', 201, this.upload(Number(upload[3]), u, raw, headers)];
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p);
    if (!m) throw new HttpError(404, 'Not Found');
    this.checkRepo(m[1]!, m[2]!);
    const rest = m[3] ?? '';
    const R = '/repos/{owner}/{repo}';
    let x: RegExpExecArray | null;

    if (rest === '/releases') {
      if (method === 'GET') {
        const all = [...this.releases.values()].sort((a, b) => b.id - a.id).map((r) => this.releaseJson(r));
        const [page, link] = this.paginate(all, u);
        return [`${R}/releases`, 200, page, link];
      }
      if (method === 'POST') return [`${R}/releases`, 201, this.createRelease(json())];
    }
    if (rest === '/releases/generate-notes' && method === 'POST') {
      return [`${R}/releases/generate-notes`, 200, this.generateNotes(json())];
    }
    if ((x = /^\/releases\/tags\/(.+)$/.exec(rest)) && method === 'GET') {
      const tag = decodeURIComponent(x[1]!);
      const r = [...this.releases.values()].find((rel) => rel.tagName === tag && !rel.draft);
      if (!r) throw new HttpError(404, 'Not Found');
      return [`${R}/releases/tags/{tag}`, 200, this.releaseJson(r)];
    }
    if ((x = /^\/releases\/assets\/(\d+)$/.exec(rest))) {
      const a = this.assets.get(Number(x[1]));
      if (!a) throw new HttpError(404, 'Not Found');
      if (method === 'GET') {
        if ((headers.accept ?? '').includes('application/octet-stream')) return [`${R}/releases/assets/{asset_id}`, 200, a.data];
        return [`${R}/releases/assets/{asset_id}`, 200, this.assetJson(a)];
      }
      if (method === 'DELETE') {
        this.refuseIfImmutable(this.releases.get(a.releaseId)!);
        this.assets.delete(a.id);
        this.counters.assetsDeleted++;
        return [`${R}/releases/assets/{asset_id}`, 204, undefined];
      }
    }
    if ((x = /^\/releases\/(\d+)\/assets$/.exec(rest)) && method === 'GET') {
      const rel = this.mustRelease(Number(x[1]));
      const [page, link] = this.paginate(
        this.assetsOf(rel.id).map((a) => this.assetJson(a)),
        u,
      );
      return [`${R}/releases/{release_id}/assets`, 200, page, link];
    }
    if ((x = /^\/releases\/(\d+)$/.exec(rest))) {
      const rel = this.mustRelease(Number(x[1]));
      if (method === 'GET') return [`${R}/releases/{release_id}`, 200, this.releaseJson(rel)];
      if (method === 'PATCH') return [`${R}/releases/{release_id}`, 200, this.updateRelease(rel, json())];
      if (method === 'DELETE') {
        this.refuseIfImmutable(rel);
        for (const a of this.assetsOf(rel.id)) this.assets.delete(a.id);
        this.releases.delete(rel.id);
        return [`${R}/releases/{release_id}`, 204, undefined];
      }
    }
    if (rest === '/git/refs' && method === 'POST') {
      const b = json();
      const ref = String(b.ref ?? '');
      const sha = String(b.sha ?? '');
      if (!/^refs\/(heads|tags)\/.+/.test(ref) || ref.split('/').length < 3)
        throw new HttpError(422, 'Reference name must start with refs/');
      if (this.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
      if (!this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
      this.refs.set(ref, sha);
      return [`${R}/git/refs`, 201, this.refJson(ref)];
    }
    if ((x = /^\/git\/refs\/(.+)$/.exec(rest)) && method === 'PATCH') {
      const ref = `refs/${decodeURIComponent(x[1]!)}`;
      const b = json();
      const sha = String(b.sha ?? '');
      const cur = this.refs.get(ref);
      if (cur === undefined) throw new HttpError(422, 'Reference does not exist');
      if (!this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
      if (!b.force && !this.isAncestor(cur, sha)) throw new HttpError(422, 'Update is not a fast forward');
      this.refs.set(ref, sha);
      return [`${R}/git/refs/{ref}`, 200, this.refJson(ref)];
    }
    if ((x = /^\/git\/refs\/(.+)$/.exec(rest)) && method === 'DELETE') {
      const ref = `refs/${decodeURIComponent(x[1]!)}`;
      if (!this.refs.delete(ref)) throw new HttpError(422, 'Reference does not exist');
      return [`${R}/git/refs/{ref}`, 204, undefined];
    }
    if ((x = /^\/git\/ref\/(.+)$/.exec(rest)) && method === 'GET') {
      const ref = `refs/${decodeURIComponent(x[1]!)}`;
      if (!this.refs.has(ref)) throw new HttpError(404, 'Not Found');
      return [`${R}/git/ref/{ref}`, 200, this.refJson(ref)];
    }
    if ((x = /^\/commits\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const c = this.resolve(decodeURIComponent(x[1]!));
      if (!c) throw new HttpError(422, `No commit found for SHA: ${x[1]}`);
      return [`${R}/commits/{ref}`, 200, this.commitJson(c)];
    }
    if ((x = /^\/compare\/(.+)$/.exec(rest)) && method === 'GET') {
      return [`${R}/compare/{basehead}`, 200, this.compare(decodeURIComponent(x[1]!))];
    }
    throw new HttpError(404, 'Not Found');
  }

  private checkRepo(owner: string, repo: string): void {
    if (owner !== this.owner || repo !== this.repo) throw new HttpError(404, 'Not Found');
  }

  private paginate<T>(items: T[], u: URL): [T[], Record<string, string>] {
    const per = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
    const slice = items.slice((page - 1) * per, page * per);
    const headers: Record<string, string> = {};
    if (page * per < items.length) {
      const next = new URL(u.toString());
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(per));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return [slice, headers];
  }

  private mustRelease(id: number): StoredRelease {
    const r = this.releases.get(id);
    if (!r) throw new HttpError(404, 'Not Found');
    return r;
  }

  private refuseIfImmutable(r: StoredRelease): void {
    if (r.immutable) {
      throw new HttpError(422, 'Cannot modify an immutable release.', {
        errors: [{ resource: 'Release', code: 'custom', message: 'Immutable releases cannot be modified' }],
      });
    }
  }

  private resolve(ref: string): StoredCommit | undefined {
    if (this.commits.has(ref)) return this.commits.get(ref);
    for (const cand of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = this.refs.get(cand);
      if (sha) return this.commits.get(sha);
    }
    const short = [...this.commits.keys()].filter((s) => ref.length >= 7 && s.startsWith(ref));
    return short.length === 1 ? this.commits.get(short[0]!) : undefined;
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  private commitsBetween(base: string | undefined, head: string): StoredCommit[] {
    const exclude = new Set<string>();
    if (base) {
      const stack = [base];
      while (stack.length) {
        const s = stack.pop()!;
        if (exclude.has(s)) continue;
        exclude.add(s);
        stack.push(...(this.commits.get(s)?.parents ?? []));
      }
    }
    const out: StoredCommit[] = [];
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s) || exclude.has(s)) continue;
      seen.add(s);
      const c = this.commits.get(s);
      if (!c) continue;
      out.push(c);
      stack.push(...c.parents);
    }
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  private createRelease(b: Record<string, unknown>): unknown {
    const tag = String(b.tag_name ?? '');
    if (!tag)
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }] });
    const draft = b.draft === true;
    if (!draft && [...this.releases.values()].some((r) => r.tagName === tag && !r.draft)) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] });
    }
    const target = String(b.target_commitish ?? 'main');
    const t = this.now();
    const r: StoredRelease = {
      id: this.nextId++,
      tagName: tag,
      targetCommitish: target,
      name: typeof b.name === 'string' ? b.name : null,
      body: typeof b.body === 'string' ? b.body : null,
      draft,
      prerelease: b.prerelease === true,
      immutable: false,
      createdAt: t,
      publishedAt: null,
      updatedAt: t,
      publishCount: 0,
    };
    if (!draft) this.publish(r, b.make_latest);
    this.releases.set(r.id, r);
    this.counters.releasesCreated++;
    return this.releaseJson(r);
  }

  private publish(r: StoredRelease, makeLatest: unknown): void {
    const ref = `refs/tags/${r.tagName}`;
    if (!this.refs.has(ref)) {
      const c = this.resolve(r.targetCommitish);
      if (!c) {
        throw new HttpError(422, 'Validation Failed', {
          errors: [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }],
        });
      }
      this.refs.set(ref, c.sha);
    }
    r.draft = false;
    r.publishedAt = this.now();
    r.publishCount++;
    r.immutable = this.immutableReleases;
    this.counters.publishes++;
    if (makeLatest === 'true' || ((makeLatest === undefined || makeLatest === 'legacy') && !r.prerelease)) this.latestId = r.id;
  }

  private updateRelease(r: StoredRelease, b: Record<string, unknown>): unknown {
    if (r.immutable && (b.tag_name !== undefined || b.target_commitish !== undefined || b.draft === true)) this.refuseIfImmutable(r);
    if (typeof b.tag_name === 'string') r.tagName = b.tag_name;
    if (typeof b.target_commitish === 'string') r.targetCommitish = b.target_commitish;
    if (typeof b.name === 'string') r.name = b.name;
    if (typeof b.body === 'string') r.body = b.body;
    if (typeof b.prerelease === 'boolean') r.prerelease = b.prerelease;
    if (b.draft === false && r.draft) this.publish(r, b.make_latest);
    else if (b.draft === true) r.draft = true;
    else if (!r.draft && b.make_latest === 'true') this.latestId = r.id;
    r.updatedAt = this.now();
    return this.releaseJson(r);
  }

  private upload(releaseId: number, u: URL, data: Buffer, headers: http.IncomingHttpHeaders): unknown {
    const rel = this.mustRelease(releaseId);
    const name = u.searchParams.get('name');
    if (!name)
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }] });
    this.refuseIfImmutable(rel);
    this.counters.uploads++;
    if (this.assetsOf(releaseId).some((a) => a.name === name)) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] });
    }
    const declared = Number(headers['content-length'] ?? data.length);
    const t = this.now();
    const a: StoredAsset = {
      id: this.nextId++,
      releaseId,
      name,
      label: u.searchParams.get('label'),
      contentType: String(headers['content-type'] ?? 'application/octet-stream'),
      state: declared === data.length ? 'uploaded' : 'open',
      data,
      digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
      createdAt: t,
      updatedAt: t,
    };
    this.assets.set(a.id, a);
    return this.assetJson(a);
  }

  /** Puts an asset in place directly (e.g. a leftover from an earlier, different build). */
  seedAsset(releaseId: number, name: string, data: Buffer, state: 'uploaded' | 'open' = 'uploaded'): StoredAsset {
    const t = this.now();
    const a: StoredAsset = {
      id: this.nextId++,
      releaseId,
      name,
      label: null,
      contentType: 'application/octet-stream',
      state,
      data,
      digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
      createdAt: t,
      updatedAt: t,
    };
    this.assets.set(a.id, a);
    return a;
  }

  /** Creates a release directly (no request counted). */
  seedRelease(tag: string, opts: { draft?: boolean; prerelease?: boolean; target?: string; body?: string } = {}): StoredRelease {
    const t = this.now();
    const r: StoredRelease = {
      id: this.nextId++,
      tagName: tag,
      targetCommitish: opts.target ?? 'main',
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
    this.releases.set(r.id, r);
    if (!r.draft) {
      r.publishedAt = t;
      r.immutable = this.immutableReleases;
    }
    return r;
  }

  private generateNotes(b: Record<string, unknown>): unknown {
    const tag = String(b.tag_name ?? '');
    if (!tag)
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }] });
    const head = this.refs.get(`refs/tags/${tag}`) ?? this.resolve(String(b.target_commitish ?? 'main'))?.sha;
    if (!head) throw new HttpError(404, 'Not Found');
    const prevTag = typeof b.previous_tag_name === 'string' ? b.previous_tag_name : undefined;
    const base = prevTag ? this.refs.get(`refs/tags/${prevTag}`) : undefined;
    if (prevTag && !base)
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Release', code: 'invalid', field: 'previous_tag_name' }] });
    const web = `https://github.com/${this.owner}/${this.repo}`;
    const lines = this.commitsBetween(base, head)
      .reverse()
      .map((c) => {
        const subject = c.message.split('\n', 1)[0]!;
        const pr = /\(#(\d+)\)\s*$/.exec(subject);
        return `* ${subject.replace(/\s*\(#\d+\)\s*$/, '')} by @${c.author.replace(/\s+/g, '-').toLowerCase()}${pr ? ` in ${web}/pull/${pr[1]}` : ''}`;
      });
    const body = `## What's Changed\n${lines.join('\n')}\n\n**Full Changelog**: ${web}/${prevTag ? `compare/${prevTag}...${tag}` : `commits/${tag}`}`;
    return { name: tag, body };
  }

  private compare(basehead: string): unknown {
    const m = /^(.+?)\.\.\.(.+)$/.exec(basehead);
    if (!m) throw new HttpError(404, 'Not Found');
    const base = this.resolve(m[1]!);
    const head = this.resolve(m[2]!);
    if (!base || !head) throw new HttpError(404, 'Not Found');
    const ahead = this.commitsBetween(base.sha, head.sha);
    const behind = this.commitsBetween(head.sha, base.sha);
    const status = ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
    const web = `https://github.com/${this.owner}/${this.repo}`;
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    return {
      url: `${api}/compare/${basehead}`,
      html_url: `${web}/compare/${basehead}`,
      permalink_url: `${web}/compare/${this.owner}:${base.sha.slice(0, 7)}...${this.owner}:${head.sha.slice(0, 7)}`,
      diff_url: `${web}/compare/${basehead}.diff`,
      patch_url: `${web}/compare/${basehead}.patch`,
      base_commit: this.commitJson(base),
      merge_base_commit: this.commitJson(base),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map((c) => this.commitJson(c)),
      files: [],
    };
  }

  // ---------- JSON shapes (checked against GitHub's OpenAPI description in tests) ----------

  releaseJson(r: StoredRelease): Record<string, unknown> {
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    const web = `https://github.com/${this.owner}/${this.repo}`;
    return {
      url: `${api}/releases/${r.id}`,
      html_url: r.draft ? `${web}/releases/tag/untagged-${r.id}` : `${web}/releases/tag/${encodeURIComponent(r.tagName)}`,
      assets_url: `${api}/releases/${r.id}/assets`,
      upload_url: `${this.url}/uploads/repos/${this.owner}/${this.repo}/releases/${r.id}/assets{?name,label}`,
      tarball_url: r.draft ? null : `${api}/tarball/${r.tagName}`,
      zipball_url: r.draft ? null : `${api}/zipball/${r.tagName}`,
      id: r.id,
      node_id: nodeId('Release', r.id),
      tag_name: r.tagName,
      target_commitish: r.targetCommitish,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      immutable: r.immutable,
      created_at: r.createdAt,
      published_at: r.publishedAt,
      updated_at: r.updatedAt,
      author: BOT,
      assets: this.assetsOf(r.id).map((a) => this.assetJson(a)),
    };
  }

  assetJson(a: StoredAsset): Record<string, unknown> {
    const rel = this.releases.get(a.releaseId);
    const tag = rel && !rel.draft ? rel.tagName : `untagged-${a.releaseId}`;
    return {
      url: `${this.url}/repos/${this.owner}/${this.repo}/releases/assets/${a.id}`,
      browser_download_url: `https://github.com/${this.owner}/${this.repo}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(a.name)}`,
      id: a.id,
      node_id: nodeId('ReleaseAsset', a.id),
      name: a.name,
      label: a.label,
      state: a.state,
      content_type: a.contentType,
      size: a.data.length,
      digest: this.reportDigests ? a.digest : null,
      download_count: 0,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      uploader: BOT,
    };
  }

  refJson(ref: string): Record<string, unknown> {
    const sha = this.refs.get(ref)!;
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    return {
      ref,
      node_id: nodeId('Ref', ref),
      url: `${api}/git/${ref}`,
      object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
    };
  }

  commitJson(c: StoredCommit): Record<string, unknown> {
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    const web = `https://github.com/${this.owner}/${this.repo}`;
    const person = { name: c.author, email: c.email, date: c.date };
    return {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: nodeId('Commit', c.sha),
      html_url: `${web}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: person,
        committer: person,
        message: c.message,
        comment_count: 0,
        tree: { sha: createHash('sha1').update(`tree:${c.sha}`).digest('hex'), url: `${api}/git/trees/${c.sha}` },
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      author: null,
      committer: null,
      parents: c.parents.map((s) => ({ sha: s, url: `${api}/commits/${s}`, html_url: `${web}/commit/${s}` })),
    };
  }
}
