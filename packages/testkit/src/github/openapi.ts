/**
 * GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com) as the judge of the
 * stand-in's traffic: it resolves a request to its documented route, checks the request (method
 * and route exist, path and query parameters and JSON bodies match their schemas) and the
 * response (status documented, body matches), so neither a client nor the stand-in can drift
 * into shapes GitHub never accepts or sends.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

type Ref = { $ref: string };
interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
  'x-multi-segment'?: boolean;
}
interface Media {
  schema?: unknown;
}
interface Response {
  content?: Record<string, Media>;
}
export interface Operation {
  operationId?: string;
  parameters?: (Param | Ref)[];
  requestBody?: { required?: boolean; content?: Record<string, Media> } | Ref;
  responses?: Record<string, Response | Ref>;
  servers?: { url: string }[];
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    parameters: Record<string, Param>;
    responses: Record<string, Response>;
    requestBodies?: Record<string, { required?: boolean; content?: Record<string, Media> }>;
  };
}

/**
 * Where GitHub sends what its description does not allow. Each is applied to the loaded
 * description, so the checks accept it and nothing else.
 */
export const KNOWN_DEVIATIONS = [
  {
    schema: 'release-asset',
    what: 'state "starter"',
    why: 'Upload a release asset: "When an upstream failure occurs, you will receive a 502 Bad Gateway status. This may leave an empty asset with a state of starter." The schema lists only uploaded and open.',
  },
  {
    schema: 'error responses documented without a body (e.g. 422 of upload a release asset)',
    what: "GitHub's error JSON (message, documentation_url, errors)",
    why: 'Clients observe `{"message":"Validation Failed","errors":[{"resource":"ReleaseAsset","code":"already_exists","field":"name"}]}` for a duplicate upload; such bodies are checked against basic-error.',
  },
  {
    schema: 'error responses described as oneOf (e.g. 409 of create or update file contents)',
    what: 'a body that matches more than one alternative',
    why: 'basic-error and repository-rule-violation-error require nothing, so every error body matches both and oneOf would refuse what GitHub sends (`<path> does not match <sha>`); error alternatives are checked as anyOf.',
  },
] as const;

export interface RouteMatch {
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/releases/{release_id}`. */
  route: string;
  method: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  operation: Operation;
  /** The operation is served by the uploads host (its `servers` say uploads.github.com). */
  uploads: boolean;
}

export interface RequestCheck {
  problems: string[];
  /** The parsed JSON body when the operation takes one. */
  json?: unknown;
  /** GitHub's answer to a request it refuses as malformed. */
  refusal?: { status: number; message: string };
}

interface CompiledRoute {
  route: string;
  re: RegExp;
  names: string[];
  literals: number;
  multi: number;
  methods: Record<string, Operation>;
}

let shared: Promise<OpenApi> | undefined;

export class OpenApi {
  readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly routes: CompiledRoute[];
  private readonly validators = new Map<string, ValidateFunction | null>();

  private constructor(spec: Spec) {
    this.spec = spec;
    applyDeviations(spec);
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    this.ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
    this.ajv.addSchema(toJsonSchema({ $id: 'gh', components: spec.components }) as object, 'gh');
    this.routes = compileRoutes(spec, (p) => this.param(p));
  }

  /** The description, loaded once per process (13 MB of JSON). */
  static load(): Promise<OpenApi> {
    shared ??= (async () => {
      const require = createRequire(import.meta.url);
      const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
      return new OpenApi(JSON.parse(await readFile(file, 'utf8')) as Spec);
    })();
    return shared;
  }

  /** The documented route and operation for a request, or undefined when GitHub has none. */
  find(method: string, pathname: string): RouteMatch | undefined {
    const m = method.toLowerCase();
    for (const r of this.routes) {
      const op = r.methods[m];
      if (!op) continue;
      const x = r.re.exec(pathname);
      if (!x) continue;
      const params: Record<string, string> = {};
      let ok = true;
      r.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(x[i + 1]!);
        } catch {
          ok = false;
        }
      });
      if (!ok) continue;
      return { route: r.route, method: method.toUpperCase(), params, operation: op, uploads: isUploads(op) };
    }
    return undefined;
  }

  /** Methods GitHub documents for a path (to say "wrong method" rather than "no such route"). */
  methodsFor(pathname: string): string[] {
    const out = new Set<string>();
    for (const r of this.routes) if (r.re.test(pathname)) for (const m of Object.keys(r.methods)) out.add(m.toUpperCase());
    return [...out];
  }

  /** Checks a request against its operation: parameters, query, body. */
  checkRequest(m: RouteMatch, url: URL, headers: Record<string, string | string[] | undefined>, body: Buffer): RequestCheck {
    const problems: string[] = [];
    const params = (m.operation.parameters ?? []).map((p) => this.param(p));
    for (const p of params.filter((x) => x.in === 'path')) {
      const got = m.params[p.name];
      if (got === undefined) continue;
      for (const e of this.validateValue(`param ${m.method} ${m.route} ${p.name}`, p.schema, coerce(got, p.schema)))
        problems.push(`path parameter ${p.name}=${JSON.stringify(got)}: ${e}`);
    }
    const declared = new Set(params.filter((x) => x.in === 'query').map((x) => x.name));
    for (const p of params.filter((x) => x.in === 'query')) {
      const got = url.searchParams.get(p.name);
      if (got === null) {
        if (p.required) problems.push(`query parameter ${p.name} is required`);
        continue;
      }
      for (const e of this.validateValue(`query ${m.method} ${m.route} ${p.name}`, p.schema, coerce(got, p.schema)))
        problems.push(`query parameter ${p.name}=${JSON.stringify(got)}: ${e}`);
    }
    for (const k of new Set(url.searchParams.keys())) if (!declared.has(k)) problems.push(`query parameter ${k} is not documented`);

    const rb = m.operation.requestBody ? this.requestBody(m.operation.requestBody) : undefined;
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!rb?.content) {
      if (body.length) problems.push('the operation takes no request body, but one was sent');
      return { problems };
    }
    if (rb.content['application/json']) {
      if (body.length === 0) {
        if (rb.required) problems.push('the request body is required');
        return { problems, json: {} };
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        problems.push('the request body is not JSON');
        return { problems, refusal: { status: 400, message: 'Problems parsing JSON' } };
      }
      if (type !== 'application/json') problems.push(`content-type ${JSON.stringify(type)} for a JSON body`);
      const v = this.validator(`body ${m.method} ${m.route}`, rb.content['application/json'].schema);
      if (v && !v(json)) {
        const errs = v.errors ?? [];
        problems.push(...errs.map((e) => `body ${describe(e)}`));
        return { problems, json, refusal: { status: 422, message: `Invalid request.\n\n${githubPhrase(errs[0]!)}` } };
      }
      return { problems, json };
    }
    // A raw body (release asset uploads): the docs require Content-Type and Content-Length.
    if (!type) problems.push('an upload needs a Content-Type header');
    if (headers['content-length'] === undefined) problems.push('an upload needs a Content-Length header');
    return { problems };
  }

  /** Checks one response; returns the problems (empty when it conforms). */
  checkResponse(method: string, route: string, status: number, body: unknown): string[] {
    const op = this.spec.paths[route]?.[method.toLowerCase()];
    if (!op) return [`${method} ${route} is not in GitHub's OpenAPI description`];
    const raw = op.responses?.[String(status)];
    if (!raw) {
      // GitHub answers errors (rate limits, validation, outages) on routes that do not list them.
      if (status >= 400) return this.validateValue('basic-error', { $ref: '#/components/schemas/basic-error' }, body);
      return [`${method} ${route} does not document status ${status}`];
    }
    const resp = '$ref' in raw ? this.spec.components.responses[refName(raw.$ref)]! : raw;
    const media = resp.content?.['application/json'] ?? Object.values(resp.content ?? {})[0];
    if (!media?.schema) {
      if (body === undefined || body === '') return [];
      // Errors documented without a body still carry GitHub's error JSON (see KNOWN_DEVIATIONS).
      if (status >= 400) return this.validateValue('basic-error', { $ref: '#/components/schemas/basic-error' }, body);
      return ['the description documents no body, but one was sent'];
    }
    // Error alternatives overlap (see KNOWN_DEVIATIONS): any one of them is enough.
    const schema = status >= 400 && isOneOf(media.schema) ? { anyOf: media.schema.oneOf } : media.schema;
    return this.validateValue(`response ${method} ${route} ${status}`, schema, body).map((e) => `response ${e}`);
  }

  /** The JSON schema of a documented response, or undefined when it has no body. */
  schemaFor(method: string, route: string, status: number): unknown {
    const op = this.spec.paths[route]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${route} is not in GitHub's OpenAPI description`);
    const raw = op.responses?.[String(status)];
    if (!raw) throw new Error(`${method} ${route} does not document status ${status}`);
    const resp = '$ref' in raw ? this.spec.components.responses[refName(raw.$ref)]! : raw;
    return resp.content?.['application/json']?.schema;
  }

  private param(p: Param | Ref): Param {
    return '$ref' in p ? this.spec.components.parameters[refName(p.$ref)]! : p;
  }

  private requestBody(b: NonNullable<Operation['requestBody']>): { required?: boolean; content?: Record<string, Media> } {
    return '$ref' in b ? (this.spec.components.requestBodies?.[refName(b.$ref)] ?? {}) : b;
  }

  private validator(key: string, schema: unknown): ValidateFunction | null {
    let v = this.validators.get(key);
    if (v === undefined) {
      v = schema === undefined ? null : this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, v);
    }
    return v;
  }

  private validateValue(key: string, schema: unknown, value: unknown): string[] {
    const v = this.validator(key, schema);
    if (!v || v(value)) return [];
    return (v.errors ?? []).map(describe);
  }
}

function isOneOf(s: unknown): s is { oneOf: unknown[] } {
  return !!s && typeof s === 'object' && Array.isArray((s as { oneOf?: unknown }).oneOf);
}

function refName(ref: string): string {
  return ref.split('/').pop()!;
}

function isUploads(op: Operation): boolean {
  return (op.servers ?? []).some((s) => /uploads\.github\.com/.test(s.url));
}

function applyDeviations(spec: Spec): void {
  const state = (spec.components.schemas['release-asset']?.properties as Record<string, { enum?: string[] }> | undefined)?.state;
  if (state?.enum && !state.enum.includes('starter')) state.enum.push('starter');
}

function compileRoutes(spec: Spec, param: (p: Param | Ref) => Param): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  for (const [route, methods] of Object.entries(spec.paths)) {
    const multi = new Set<string>();
    for (const op of Object.values(methods))
      for (const p of (op.parameters ?? []).map(param)) if (p.in === 'path' && p['x-multi-segment']) multi.add(p.name);
    const names: string[] = [];
    const source = route
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const m = /^\{(.+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return multi.has(m[1]!) ? '(.+)' : '([^/]+)';
      })
      .join('');
    const literals = route.split('/').filter((s) => s && !s.includes('{')).length;
    out.push({ route, re: new RegExp(`^${source}$`), names, literals, multi: names.filter((n) => multi.has(n)).length, methods });
  }
  // The most specific template first: `/releases/generate-notes` before `/releases/{release_id}`.
  return out.sort((a, b) => b.literals - a.literals || a.multi - b.multi || b.route.length - a.route.length);
}

/** A path or query string as the type its schema declares, so the schema can judge it. */
function coerce(value: string, schema: unknown): unknown {
  const type = (schema as { type?: string } | undefined)?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`;
}

/** How GitHub words a request body its schema refuses ("Invalid request.\n\n…"). */
function githubPhrase(e: ErrorObject): string {
  const at = e.instancePath
    .split('/')
    .filter(Boolean)
    .map((s) => `properties/${s}`)
    .join('/');
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `"${String(p.missingProperty)}" wasn't supplied.`;
  if (e.keyword === 'additionalProperties') return `"${String(p.additionalProperty)}" is not a permitted key.`;
  if (e.keyword === 'type') return `For '${at}', ${JSON.stringify(e.data)} is not ${article(String(p.type))}.`;
  if (e.keyword === 'enum') return `For '${at}', ${JSON.stringify(e.data)} is not a member of ${JSON.stringify(p.allowedValues)}.`;
  return `For '${at}', ${e.message ?? 'invalid value'}.`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * OpenAPI 3.0 → JSON Schema for ajv: `#/components/schemas/x` → `gh#/components/schemas/x`, and
 * `nullable: true` → a type that also admits null.
 */
function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable') continue;
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `gh${v}` : toJsonSchema(v);
  }
  if ((s as Record<string, unknown>).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}
