/**
 * Writing one file into a tap or bucket repository through GitHub's contents API, idempotently:
 * the file is read first and nothing is committed when it already says the same. Direct mode
 * commits on the branch; pull-request mode commits on `goship/<name>-<version>` (created from the
 * base, reused on a re-run) and opens one pull request (an open one for the same head is reused).
 */
import { GoshipError } from '@goship/core/errors';
import type { Octokit } from '@goship/core/github';

export interface TapTarget {
  owner: string;
  repo: string;
  /** '' = the repository's default branch (direct mode); `main` when opening a pull request. */
  branch: string;
}

export interface FileChange {
  path: string;
  content: string;
  message: string;
  author: { name: string; email: string };
}

export type CommitOutcome =
  | { action: 'unchanged'; where: string }
  | { action: 'committed'; where: string; commit: string }
  | { action: 'pull-request'; where: string; commit?: string; number: number; url: string; reused: boolean };

function status(e: unknown): number | undefined {
  return typeof (e as { status?: unknown })?.status === 'number' ? (e as { status: number }).status : undefined;
}

function tapError(e: unknown, what: string, t: TapTarget): GoshipError {
  const s = status(e);
  const where = `${t.owner}/${t.repo}`;
  const msg = (e as { response?: { data?: { message?: string } } })?.response?.data?.message ?? (e as Error).message;
  if (s === 401 || s === 403) {
    return new GoshipError(
      `GitHub refused ${what} in ${where} (${s}: ${msg}).`,
      'Pass `tap-token`: a token with contents (and pull requests) write on the tap repository; the workflow’s own token cannot write to other repositories',
      { cause: e },
    );
  }
  if (s === 404)
    return new GoshipError(
      `GitHub answered 404 for ${what} in ${where}.`,
      'Check the repository (and branch) name and that `tap-token` can see it',
      { cause: e },
    );
  return new GoshipError(
    `GitHub API error for ${what} in ${where}: HTTP ${s ?? '?'} ${msg}.`,
    'The release is published; re-run the job to update the tap',
    { cause: e },
  );
}

/** The file's text and blob sha on `ref`, or undefined when it does not exist there. */
async function readFile(gh: Octokit, t: TapTarget, path: string, ref: string): Promise<{ text: string; sha: string } | undefined> {
  try {
    const r = await gh.rest.repos.getContent({ owner: t.owner, repo: t.repo, path, ...(ref ? { ref } : {}) });
    const d = r.data as { type?: string; content?: string; sha: string };
    if (Array.isArray(r.data) || d.type !== 'file') throw new GoshipError(`${path} in ${t.owner}/${t.repo} is a folder, not a file.`);
    return { text: Buffer.from(d.content ?? '', 'base64').toString('utf8'), sha: d.sha };
  } catch (e) {
    if (status(e) === 404) return undefined;
    if (e instanceof GoshipError) throw e;
    throw tapError(e, `reading ${path}`, t);
  }
}

async function put(gh: Octokit, t: TapTarget, c: FileChange, branch: string, sha: string | undefined): Promise<string> {
  try {
    const r = await gh.rest.repos.createOrUpdateFileContents({
      owner: t.owner,
      repo: t.repo,
      path: c.path,
      message: c.message,
      content: Buffer.from(c.content).toString('base64'),
      ...(branch ? { branch } : {}),
      ...(sha ? { sha } : {}),
      committer: c.author,
      author: c.author,
    });
    return r.data.commit.sha ?? '';
  } catch (e) {
    throw tapError(e, `writing ${c.path}`, t);
  }
}

/** Commits `c` on the branch unless the file already has exactly this content. */
export async function commitDirect(gh: Octokit, t: TapTarget, c: FileChange): Promise<CommitOutcome> {
  const where = `${t.owner}/${t.repo}/${c.path}${t.branch ? `@${t.branch}` : ''}`;
  const now = await readFile(gh, t, c.path, t.branch);
  if (now?.text === c.content) return { action: 'unchanged', where };
  return { action: 'committed', where, commit: await put(gh, t, c, t.branch, now?.sha) };
}

/** The change on its own branch with one pull request into the base branch. */
export async function commitPullRequest(
  gh: Octokit,
  t: TapTarget,
  c: FileChange,
  o: { head: string; title: string; body: string; draft: boolean },
): Promise<CommitOutcome> {
  const base = t.branch || 'main';
  const where = `${t.owner}/${t.repo}/${c.path}@${base}`;
  const onBase = await readFile(gh, t, c.path, base);
  if (onBase?.text === c.content) return { action: 'unchanged', where };
  let baseSha: string;
  try {
    baseSha = (await gh.rest.git.getRef({ owner: t.owner, repo: t.repo, ref: `heads/${base}` })).data.object.sha;
  } catch (e) {
    throw tapError(e, `reading the branch ${base}`, t);
  }
  try {
    await gh.rest.git.createRef({ owner: t.owner, repo: t.repo, ref: `refs/heads/${o.head}`, sha: baseSha });
  } catch (e) {
    // 422 "Reference already exists": an earlier run made it; its commit is checked below.
    if (status(e) !== 422) throw tapError(e, `creating the branch ${o.head}`, t);
  }
  const onHead = await readFile(gh, t, c.path, o.head);
  const commit = onHead?.text === c.content ? undefined : await put(gh, t, c, o.head, onHead?.sha);
  let open: { number: number; html_url: string }[];
  try {
    open = await gh.paginate(gh.rest.pulls.list, {
      owner: t.owner,
      repo: t.repo,
      head: `${t.owner}:${o.head}`,
      base,
      state: 'open',
      per_page: 100,
    });
  } catch (e) {
    throw tapError(e, 'listing pull requests', t);
  }
  if (open[0])
    return { action: 'pull-request', where, ...(commit ? { commit } : {}), number: open[0].number, url: open[0].html_url, reused: true };
  try {
    const pr = await gh.rest.pulls.create({
      owner: t.owner,
      repo: t.repo,
      head: o.head,
      base,
      title: o.title,
      body: o.body,
      draft: o.draft,
    });
    return { action: 'pull-request', where, ...(commit ? { commit } : {}), number: pr.data.number, url: pr.data.html_url, reused: false };
  } catch (e) {
    throw tapError(e, 'opening the pull request', t);
  }
}
