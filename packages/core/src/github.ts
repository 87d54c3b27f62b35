/**
 * GitHub's REST API through Octokit with the retry and throttling plugins, the base URL from
 * `GITHUB_API_URL` (GitHub Enterprise Server works unchanged), and the run's context.
 */
import { currentPort } from './action/port.js';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { randomBytes } from 'node:crypto';
import { GoshipError } from './errors.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  baseUrl?: string;
  /** How many times a rate-limited request is retried (default 4). */
  rateLimitRetries?: number;
}

export function octokit(token: string, opts: OctokitOptions = {}): Octokit {
  if (!token) {
    throw new GoshipError(
      'No GitHub token.',
      'Pass `token: ${{ github.token }}` (the default) or a token with the permissions the action documents',
    );
  }
  currentPort().mask(token);
  const retries = opts.rateLimitRetries ?? 4;
  const gh = getOctokit(
    token,
    {
      baseUrl: opts.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
      throttle: {
        onRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
          currentPort().annotation(
            'warning',
            `GitHub primary rate limit hit on ${options.method} ${options.url}; waiting ${after} s (retry ${count + 1}/${retries}).`,
          );
          return count < retries;
        },
        onSecondaryRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
          currentPort().info(`GitHub secondary rate limit on ${options.method} ${options.url}; waiting ${after} s.`);
          return count < retries;
        },
      },
      retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    },
    retry,
    throttling,
  );
  // Octokit merges request defaults shallowly, so every request shares one `request` options
  // object, and the retry plugin keeps its count there: concurrent requests would add to each
  // other's count (longer waits, fewer retries). Registered last, this hook runs first and gives
  // each request its own copy.
  gh.hook.before('request', (options) => {
    options.request = { ...options.request };
  });
  return gh;
}

export interface Repo {
  owner: string;
  repo: string;
}

export function parseRepo(s: string, input = 'repository'): Repo {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(s.trim());
  if (!m)
    throw new GoshipError(
      `Input "${input}": got ${JSON.stringify(s)}; expected OWNER/REPO.`,
      'Leave it out to use the repository the workflow runs in',
    );
  return { owner: m[1]!, repo: m[2]! };
}

/** The repository of the run, from `GITHUB_REPOSITORY`. */
export function currentRepo(): Repo | undefined {
  const r = process.env.GITHUB_REPOSITORY;
  return r ? parseRepo(r, 'GITHUB_REPOSITORY') : undefined;
}

/** One id per workflow run attempt (`<run id>-<attempt>`), or a random local one. */
export function traceId(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOSHIP_TRACE_ID) return env.GOSHIP_TRACE_ID;
  if (env.GITHUB_RUN_ID) return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  return `local-${randomBytes(6).toString('hex')}`;
}

/** True when running inside GitHub Actions (not a local runner or test). */
export function inGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true' && !env.GOSHIP_LOCAL;
}

/** The tag name when `GITHUB_REF` is a tag ref. */
export function refTag(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ref = env.GITHUB_REF ?? '';
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}
