/**
 * Checks responses of the GitHub API stand-in against GitHub's own OpenAPI description
 * (`@octokit/openapi`, api.github.com), so the stand-in cannot drift into shapes GitHub never sends.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { LoggedResponse } from './github-api.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

interface Spec {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

export interface SchemaProblem {
  method: string;
  route: string;
  status: number;
  errors: string[];
}

export class OpenApiChecker {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction | null>();
  private constructor(private readonly spec: Spec) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema({ $id: 'gh', components: spec.components }) as object, 'gh');
  }

  static async load(): Promise<OpenApiChecker> {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    return new OpenApiChecker(JSON.parse(await readFile(file, 'utf8')) as Spec);
  }

  /** The JSON schema of a documented response, or undefined when the spec has no body for it. */
  schemaFor(method: string, route: string, status: number): unknown {
    const op = this.spec.paths[route]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${route} is not in GitHub's OpenAPI description`);
    const resp = op.responses?.[String(status)];
    if (!resp) throw new Error(`${method} ${route} does not document status ${status}`);
    return resp.content?.['application/json']?.schema;
  }

  /** Validates one response; returns the problems (empty when it conforms). */
  check(method: string, route: string, status: number, body: unknown): string[] {
    const key = `${method} ${route} ${status}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      const schema = this.schemaFor(method, route, status);
      v = schema === undefined ? null : this.ajv.compile(toJsonSchema(schema) as object);
      this.cache.set(key, v);
    }
    if (v === null) return body === undefined || body === '' ? [] : ['the spec documents no body, but one was sent'];
    if (v(body)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** Checks every logged response with a known route; returns the failures. */
  checkAll(log: readonly LoggedResponse[]): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    for (const r of log) {
      if (!r.route || r.body === '<bytes>') continue;
      const errors = this.check(r.method, r.route, r.status, r.body);
      if (errors.length) out.push({ method: r.method, route: r.route, status: r.status, errors });
    }
    return out;
  }
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
