/**
 * A stand-in for GitHub's artifact attestations REST API on 127.0.0.1 (random port):
 * `POST /repos/{owner}/{repo}/attestations` ({bundle} → 201 {id}) and
 * `GET /repos/{owner}/{repo}/attestations/{subject_digest}` ({attestations: [{bundle, repository_id}]}),
 * stateful, with token checks and queued faults. Request and response shapes follow GitHub's
 * REST description (repos/create-attestation, repos/list-attestations).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredAttestation {
  id: number;
  repo: string;
  bundle: Record<string, unknown>;
  /** sha256 digests of the statement's subjects. */
  subjects: string[];
}

export class AttestationsStandIn {
  url = '';
  readonly stored: StoredAttestation[] = [];
  readonly requests: { method: string; path: string; status: number }[] = [];
  private server?: Server;
  private faults: { status: number; message: string }[] = [];
  readonly token: string;
  constructor(token: string) {
    this.token = token;
  }

  fail(status: number, times = 1, message = `injected failure (${status})`): void {
    for (let i = 0; i < times; i++) this.faults.push({ status, message });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, data: unknown): void => {
      this.requests.push({ method: req.method ?? '', path: url.pathname, status });
      const text = JSON.stringify(data);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fault = this.faults.shift();
    if (fault) return send(fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest' });
    if (req.headers.authorization !== `token ${this.token}` && req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const create = /^\/repos\/([^/]+)\/([^/]+)\/attestations$/.exec(url.pathname);
    if (create && req.method === 'POST') {
      let parsed: { bundle?: Record<string, unknown> };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(400, { message: 'Problems parsing JSON' });
      }
      const bundle = parsed.bundle;
      const env = bundle?.dsseEnvelope as { payload?: string; payloadType?: string } | undefined;
      if (!bundle || typeof bundle.mediaType !== 'string' || !String(bundle.mediaType).startsWith('application/vnd.dev.sigstore.bundle')) {
        return send(422, { message: 'Invalid request.\n\n"bundle" is not a Sigstore bundle.' });
      }
      if (!env?.payload || env.payloadType !== 'application/vnd.in-toto+json') {
        return send(422, { message: 'Invalid request.\n\nOnly DSSE bundles with in-toto statements can be stored.' });
      }
      let subjects: string[];
      try {
        const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { subject: { digest: { sha256: string } }[] };
        subjects = statement.subject.map((s) => `sha256:${s.digest.sha256}`);
      } catch {
        return send(422, { message: 'Invalid request.\n\nThe statement is not JSON.' });
      }
      const id = this.stored.length + 1;
      this.stored.push({ id, repo: `${create[1]}/${create[2]}`, bundle, subjects });
      return send(201, { id });
    }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/attestations\/([^/]+)$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const digest = decodeURIComponent(list[3]!);
      const found = this.stored.filter((a) => a.repo === `${list[1]}/${list[2]}` && a.subjects.includes(digest));
      return send(200, {
        attestations: found.map((a) => ({ bundle: a.bundle, repository_id: 1000, bundle_url: `${this.url}/bundles/${a.id}` })),
      });
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }
}

export async function startAttestations(token: string): Promise<AttestationsStandIn> {
  return new AttestationsStandIn(token).start();
}

export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
