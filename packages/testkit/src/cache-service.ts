/**
 * A stateful stand-in for the GitHub Actions cache service (v2), on 127.0.0.1, for what
 * `@actions/cache` 6.x really sends when `ACTIONS_CACHE_SERVICE_V2` is set:
 *
 * - the twirp JSON RPCs `github.actions.results.api.v1.CacheService/{CreateCacheEntry,
 *   FinalizeCacheEntryUpload, GetCacheEntryDownloadURL}` at `ACTIONS_RESULTS_URL`, authorised by
 *   `Bearer ACTIONS_RUNTIME_TOKEN`, fields in proto names (`signed_upload_url`, `matched_key`, …);
 * - the blob upload to the signed URL as the Azure Storage SDK sends it (`BlockBlobClient.uploadFile`:
 *   one `PUT` with `x-ms-blob-type: BlockBlob` up to 128 MiB, else `PUT ?comp=block&blockid=…`
 *   per block and `PUT ?comp=blocklist` with the XML block list);
 * - the download from the signed URL (`GET`, `HEAD`, `Range`), as `@actions/http-client` does it
 *   for hosts that are not `*.blob.core.windows.net`.
 *
 * Semantics follow the service: an entry is (key, version); a second reservation of the same pair
 * is refused (409 `already_exists`) whether or not the first was finalized; only finalized entries
 * are found; lookups match the primary key exactly, then each restore key as a prefix (newest
 * entry first), always within the same version. Signed URLs carry a per-entry `sig`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  createdAt: number;
  finalized: boolean;
  size: number;
  data?: Buffer;
  blocks: Map<string, Buffer>;
  uploadSig: string;
  downloadSig: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The twirp method, or `blob:put`, `blob:block`, `blob:blocklist`, `blob:get`, `blob:head`. */
  op: string;
  status: number;
}

export interface CacheService {
  /** ACTIONS_RESULTS_URL (ends with `/`). */
  url: string;
  token: string;
  entries: CacheEntry[];
  requests: RecordedRequest[];
  /** The variables the runner sets for a job that may use the cache (v2 service). */
  env(): Record<string, string>;
  /** Makes the next `n` requests of `op` fail with `status` (fault injection). */
  failNext(op: string, status: number, n?: number): void;
  close(): Promise<void>;
}

const SERVICE = 'github.actions.results.api.v1.CacheService';

export async function startCacheService(opts: { token?: string } = {}): Promise<CacheService> {
  const token = opts.token ?? `ghs_${randomBytes(12).toString('hex')}`;
  const entries: CacheEntry[] = [];
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, { status: number; n: number }>();
  let nextId = 1;
  let base = '';

  const body = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const send = (
    res: ServerResponse,
    rec: RecordedRequest,
    status: number,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): void => {
    rec.status = status;
    const data = payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
    res.writeHead(status, {
      'content-length': String(data.length),
      ...(payload !== undefined && !Buffer.isBuffer(payload) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    });
    res.end(data);
  };
  const twirpError = (res: ServerResponse, rec: RecordedRequest, status: number, code: string, msg: string): void =>
    send(res, rec, status, { code, msg });

  const azureHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
    'x-ms-request-id': randomBytes(8).toString('hex'),
    'x-ms-version': '2025-01-05',
    date: new Date().toUTCString(),
    ...extra,
  });

  const blobUrl = (e: CacheEntry, sig: string, perm: string): string =>
    `${base}devstoreaccount1/actions-cache/${e.id}?sv=2025-01-05&sp=${perm}&se=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}&sig=${encodeURIComponent(sig)}`;

  const find = (key: string, restoreKeys: readonly string[], version: string): CacheEntry | undefined => {
    const done = entries.filter((e) => e.finalized && e.version === version).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    const exact = done.find((e) => e.key === key);
    if (exact) return exact;
    for (const rk of restoreKeys) {
      const m = done.find((e) => e.key.startsWith(rk));
      if (m) return m;
    }
    return undefined;
  };

  async function twirp(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, method: string): Promise<void> {
    if (req.method !== 'POST') return twirpError(res, rec, 405, 'bad_route', `unsupported method ${req.method}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return twirpError(res, rec, 401, 'unauthenticated', 'invalid or missing runtime token');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return twirpError(res, rec, 415, 'bad_route', 'only application/json is served here');
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse((await body(req)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return twirpError(res, rec, 400, 'malformed', 'body is not JSON');
    }
    const key = typeof msg.key === 'string' ? msg.key : '';
    const version = typeof msg.version === 'string' ? msg.version : '';
    if (!key || key.length > 512 || key.includes(','))
      return twirpError(res, rec, 400, 'invalid_argument', `invalid key ${JSON.stringify(key)}`);
    if (!version) return twirpError(res, rec, 400, 'invalid_argument', 'version is required');
    switch (method) {
      case 'CreateCacheEntry': {
        if (entries.some((e) => e.key === key && e.version === version)) {
          return twirpError(res, rec, 409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
        }
        const e: CacheEntry = {
          id: nextId++,
          key,
          version,
          createdAt: Date.now(),
          finalized: false,
          size: 0,
          blocks: new Map(),
          uploadSig: randomBytes(16).toString('base64url'),
          downloadSig: randomBytes(16).toString('base64url'),
        };
        entries.push(e);
        return send(res, rec, 200, { ok: true, signed_upload_url: blobUrl(e, e.uploadSig, 'cw') });
      }
      case 'FinalizeCacheEntryUpload': {
        const e = entries.find((x) => x.key === key && x.version === version && !x.finalized);
        if (!e) return twirpError(res, rec, 404, 'not_found', `no pending cache entry for key ${key}`);
        const size = Number(msg.size_bytes ?? msg.sizeBytes ?? NaN);
        if (!e.data) return send(res, rec, 200, { ok: false, message: 'no blob was uploaded for this entry' });
        if (size !== e.data.length)
          return send(res, rec, 200, { ok: false, message: `size_bytes ${size} does not match the uploaded ${e.data.length} bytes` });
        e.finalized = true;
        e.size = size;
        return send(res, rec, 200, { ok: true, entry_id: String(e.id) });
      }
      case 'GetCacheEntryDownloadURL': {
        const restoreKeys = Array.isArray(msg.restore_keys) ? (msg.restore_keys as string[]) : [];
        const e = find(key, restoreKeys, version);
        if (!e) return send(res, rec, 200, { ok: false, signed_download_url: '', matched_key: '' });
        return send(res, rec, 200, { ok: true, signed_download_url: blobUrl(e, e.downloadSig, 'r'), matched_key: e.key });
      }
      default:
        return twirpError(res, rec, 404, 'bad_route', `no method ${method}`);
    }
  }

  async function blob(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, id: number, q: URLSearchParams): Promise<void> {
    const e = entries.find((x) => x.id === id);
    const sig = q.get('sig') ?? '';
    if (!e) return send(res, rec, 404, Buffer.from('BlobNotFound'), azureHeaders({ 'x-ms-error-code': 'BlobNotFound' }));
    if (req.method === 'PUT') {
      if (sig !== e.uploadSig || e.finalized) {
        return send(res, rec, 403, Buffer.from('AuthenticationFailed'), azureHeaders({ 'x-ms-error-code': 'AuthenticationFailed' }));
      }
      const data = await body(req);
      const comp = q.get('comp');
      if (comp === 'block') {
        rec.op = 'blob:block';
        const blockId = q.get('blockid');
        if (!blockId) return send(res, rec, 400, Buffer.from('MissingRequiredQueryParameter'), azureHeaders());
        e.blocks.set(blockId, data);
        return send(res, rec, 201, undefined, azureHeaders({ 'content-md5': md5(data) }));
      }
      if (comp === 'blocklist') {
        rec.op = 'blob:blocklist';
        const ids = [...data.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]!);
        const parts: Buffer[] = [];
        for (const bid of ids) {
          const b = e.blocks.get(bid);
          if (!b) return send(res, rec, 400, Buffer.from('InvalidBlockList'), azureHeaders({ 'x-ms-error-code': 'InvalidBlockList' }));
          parts.push(b);
        }
        e.data = Buffer.concat(parts);
        e.blocks.clear();
        return send(
          res,
          rec,
          201,
          undefined,
          azureHeaders({ etag: `"0x${randomBytes(8).toString('hex')}"`, 'last-modified': new Date().toUTCString() }),
        );
      }
      rec.op = 'blob:put';
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
        return send(
          res,
          rec,
          400,
          Buffer.from('MissingRequiredHeader x-ms-blob-type'),
          azureHeaders({ 'x-ms-error-code': 'MissingRequiredHeader' }),
        );
      }
      e.data = data;
      return send(
        res,
        rec,
        201,
        undefined,
        azureHeaders({
          etag: `"0x${randomBytes(8).toString('hex')}"`,
          'last-modified': new Date().toUTCString(),
          'content-md5': md5(data),
        }),
      );
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      rec.op = req.method === 'GET' ? 'blob:get' : 'blob:head';
      if (sig !== e.downloadSig || !e.finalized || !e.data) {
        return send(res, rec, 403, Buffer.from('AuthenticationFailed'), azureHeaders({ 'x-ms-error-code': 'AuthenticationFailed' }));
      }
      const headers = azureHeaders({ 'content-type': 'application/octet-stream', 'x-ms-blob-type': 'BlockBlob', 'accept-ranges': 'bytes' });
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? req.headers['x-ms-range'] ?? ''));
      let data = e.data;
      let status = 200;
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), e.data.length - 1) : e.data.length - 1;
        data = e.data.subarray(start, end + 1);
        status = 206;
        headers['content-range'] = `bytes ${start}-${end}/${e.data.length}`;
      }
      if (req.method === 'HEAD') {
        rec.status = 200;
        res.writeHead(200, { ...headers, 'content-length': String(e.data.length) });
        return void res.end();
      }
      return send(res, rec, status, data, headers);
    }
    return send(res, rec, 405, Buffer.from('UnsupportedHttpVerb'), azureHeaders());
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = { method: req.method ?? '', path: u.pathname, op: '', status: 0 };
    requests.push(rec);
    const handle = async (): Promise<void> => {
      const tw = new RegExp(`^/twirp/${SERVICE.replace(/\./g, '\\.')}/(\\w+)$`).exec(u.pathname);
      const bl = /^\/devstoreaccount1\/actions-cache\/(\d+)$/.exec(u.pathname);
      rec.op = tw ? tw[1]! : bl ? 'blob' : 'unknown';
      const fault = faults.get(rec.op);
      if (fault && fault.n > 0) {
        fault.n--;
        await body(req);
        return tw
          ? twirpError(res, rec, fault.status, 'internal', 'injected fault')
          : send(res, rec, fault.status, Buffer.from('injected fault'));
      }
      if (tw) return twirp(req, res, rec, tw[1]!);
      if (bl) return blob(req, res, rec, Number(bl[1]), u.searchParams);
      return send(res, rec, 404, { code: 'bad_route', msg: `no route ${u.pathname}` });
    };
    handle().catch((err: Error) => {
      if (!res.headersSent) send(res, rec, 500, { code: 'internal', msg: err.message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url: base,
    token,
    entries,
    requests,
    env: () => ({
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: base,
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_CACHE_URL: base,
    }),
    failNext: (op, status, n = 1) => void faults.set(op, { status, n }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('base64');
}
