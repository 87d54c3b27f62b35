/**
 * Pull requests, far enough for a tap or bucket updater: open one from a branch (of this
 * repository or `owner:branch` of a fork the stand-in serves) and list them. GitHub's refusals:
 * a base or head that does not exist, no commits between them, or an open pull request for the
 * same head and base already.
 */
import { type Call, type Handler, type Reply, paginate } from './handler.js';
import { HttpError, type RepoState, validationFailed } from './model.js';
import { pullJson } from './shapes.js';

const R = '/repos/{owner}/{repo}';

function headRepo(c: Call, head: string): { repo: RepoState; ref: string } | undefined {
  const i = head.indexOf(':');
  if (i < 0) return { repo: c.repo, ref: head };
  const owner = head.slice(0, i);
  const named = typeof c.body.head_repo === 'string' ? c.body.head_repo.split('/') : [owner, c.repo.name];
  const repo = c.core.repository(named[0]!, named[1]!);
  return repo ? { repo, ref: head.slice(i + 1) } : undefined;
}

function createPull(c: Call): Reply {
  const b = c.body;
  const title = typeof b.title === 'string' ? b.title : '';
  if (!title) throw validationFailed('PullRequest', 'missing_field', 'title');
  const base = String(b.base);
  const baseSha = c.repo.refs.get(`refs/heads/${base}`);
  if (!baseSha) throw validationFailed('PullRequest', 'invalid', 'base');
  const h = headRepo(c, String(b.head));
  const headSha = h?.repo.refs.get(`refs/heads/${h.ref}`);
  if (!h || !headSha) throw validationFailed('PullRequest', 'invalid', 'head');
  const label = `${h.repo.owner}:${h.ref}`;
  if (c.repo.pulls.some((p) => p.state === 'open' && p.headRepo === h.repo.fullName && p.headRef === h.ref && p.baseRef === base))
    throw validationFailed('PullRequest', 'custom', undefined, `A pull request already exists for ${label}.`);
  const ahead = h.repo === c.repo ? c.repo.commitsBetween(baseSha, headSha) : h.repo.commitsBetween(baseSha, headSha);
  if (!ahead.length) throw validationFailed('PullRequest', 'custom', undefined, `No commits between ${base} and ${String(b.head)}`);
  const t = c.core.stamp();
  const p = {
    id: c.core.nextId(),
    number: c.repo.pulls.length + 1,
    title,
    body: typeof b.body === 'string' ? b.body : null,
    state: 'open' as const,
    draft: b.draft === true,
    maintainerCanModify: b.maintainer_can_modify !== false,
    headRepo: h.repo.fullName,
    headRef: h.ref,
    headSha,
    baseRef: base,
    baseSha,
    createdAt: t,
    updatedAt: t,
  };
  c.repo.pulls.push(p);
  c.core.counters.pullsCreated++;
  return {
    status: 201,
    body: pullJson(c.core.urls, c.repo, h.repo, p, true),
    headers: { location: `${c.core.urls.api}/repos/${c.repo.fullName}/pulls/${p.number}` },
  };
}

function headOf(c: Call, fullName: string): RepoState {
  const [owner, name] = fullName.split('/') as [string, string];
  return c.core.repository(owner, name) ?? c.repo;
}

function listPulls(c: Call): Reply {
  const state = c.query.get('state') ?? 'open';
  const head = c.query.get('head');
  const base = c.query.get('base');
  const direction = c.query.get('direction') ?? ((c.query.get('sort') ?? 'created') === 'created' ? 'desc' : 'asc');
  const key = c.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
  const picked = c.repo.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => !head || `${p.headRepo.split('/')[0]}:${p.headRef}` === head)
    .filter((p) => !base || p.baseRef === base)
    .sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.number - b.number) * (direction === 'desc' ? -1 : 1));
  return paginate(
    picked.map((p) => pullJson(c.core.urls, c.repo, headOf(c, p.headRepo), p, false)),
    c.query,
    `${c.core.urls.api}/repos/${c.repo.fullName}/pulls`,
  );
}

function getPull(c: Call): Reply {
  const p = c.repo.pulls.find((x) => x.number === Number(c.params.pull_number));
  if (!p) throw new HttpError(404, 'Not Found');
  return { status: 200, body: pullJson(c.core.urls, c.repo, headOf(c, p.headRepo), p, true) };
}

export const pullRoutes: Record<string, Handler> = {
  [`POST ${R}/pulls`]: createPull,
  [`GET ${R}/pulls`]: listPulls,
  [`GET ${R}/pulls/{pull_number}`]: getPull,
};
