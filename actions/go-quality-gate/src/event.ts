/**
 * What triggered the run, as far as the gate cares: a pull request (or merge queue entry) with the
 * commit it is based on, a pushed tag, or anything else. The base commit comes from the event
 * payload and is used only when it is a commit id.
 */
import { readFile } from 'node:fs/promises';

export type GateEvent = { kind: 'pull-request'; base?: string } | { kind: 'tag'; tag: string } | { kind: 'other'; ref: string };

const PR_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'];
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export async function readEvent(env: NodeJS.ProcessEnv = process.env): Promise<GateEvent> {
  const ref = env.GITHUB_REF ?? '';
  if (PR_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '')) return { kind: 'pull-request', base: await pullRequestBase(env.GITHUB_EVENT_PATH) };
  if (ref.startsWith('refs/tags/')) return { kind: 'tag', tag: ref.slice('refs/tags/'.length) };
  return { kind: 'other', ref };
}

async function pullRequestBase(eventPath: string | undefined): Promise<string | undefined> {
  if (!eventPath) return undefined;
  try {
    const payload = JSON.parse(await readFile(eventPath, 'utf8')) as {
      pull_request?: { base?: { sha?: unknown } };
      merge_group?: { base_sha?: unknown };
    };
    const sha = payload.pull_request?.base?.sha ?? payload.merge_group?.base_sha;
    return typeof sha === 'string' && COMMIT_ID.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The branch a coverage rule applies to: the base branch of a pull request, else the pushed branch. */
export function currentBranch(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_BASE_REF) return env.GITHUB_BASE_REF;
  const ref = env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  return env.GITHUB_REF_NAME || undefined;
}
