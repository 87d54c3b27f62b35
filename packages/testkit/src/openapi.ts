/**
 * Checks of GitHub API traffic against GitHub's own OpenAPI description (`@octokit/openapi`).
 * The stand-in checks every request and response itself (`api.violations`); OpenApiChecker checks
 * a body or a log after the fact.
 */
import type { LoggedResponse } from './github/stand-in.js';
import { OpenApi } from './github/openapi.js';

export { KNOWN_DEVIATIONS, OpenApi, type RouteMatch } from './github/openapi.js';

export interface SchemaProblem {
  method: string;
  route: string;
  status: number;
  errors: string[];
}

export class OpenApiChecker {
  readonly api: OpenApi;
  private constructor(api: OpenApi) {
    this.api = api;
  }

  static async load(): Promise<OpenApiChecker> {
    return new OpenApiChecker(await OpenApi.load());
  }

  /** The JSON schema of a documented response, or undefined when it has no body. */
  schemaFor(method: string, route: string, status: number): unknown {
    return this.api.schemaFor(method, route, status);
  }

  /** Validates one response body; returns the problems (empty when it conforms). */
  check(method: string, route: string, status: number, body: unknown): string[] {
    return this.api.checkResponse(method, route, status, body);
  }

  /** Checks every logged response with a known route; returns the failures. */
  checkAll(log: readonly LoggedResponse[]): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    for (const r of log) {
      if (!r.route || r.status === 0 || r.body === '<bytes>') continue;
      const errors = this.check(r.method, r.route, r.status, r.body);
      if (errors.length) out.push({ method: r.method, route: r.route, status: r.status, errors });
    }
    return out;
  }
}
