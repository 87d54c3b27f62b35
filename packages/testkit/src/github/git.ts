/**
 * Git references, commits and comparisons: tags and branches as refs to known commits, with
 * GitHub's refusals (a ref that exists, an object that does not, an update that is not a fast
 * forward).
 */
import type { Call, Handler, Reply } from './handler.js';
import { HttpError, type RepoState } from './model.js';
import { commitJson, refJson } from './shapes.js';

const R = '/repos/{owner}/{repo}';

function createRef(c: Call): Reply {
  const ref = String(c.body.ref ?? '');
  const sha = String(c.body.sha ?? '');
  if (!/^refs\/.+\/.+/.test(ref)) throw new HttpError(422, 'Reference name must start with refs/ and have at least two slashes.');
  if (c.repo.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
  if (!c.repo.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
  c.repo.refs.set(ref, sha);
  return {
    status: 201,
    body: refJson(c.core.urls, c.repo, ref),
    headers: { location: `${c.core.urls.api}/repos/${c.repo.fullName}/git/${ref}` },
  };
}

function updateRef(c: Call): Reply {
  const ref = `refs/${c.params.ref}`;
  const sha = String(c.body.sha ?? '');
  const cur = c.repo.refs.get(ref);
  if (cur === undefined) throw new HttpError(422, 'Reference does not exist');
  if (!c.repo.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
  if (c.body.force !== true && !c.repo.isAncestor(cur, sha)) throw new HttpError(422, 'Update is not a fast forward');
  c.repo.refs.set(ref, sha);
  return { status: 200, body: refJson(c.core.urls, c.repo, ref) };
}

function deleteRef(c: Call): Reply {
  if (!c.repo.refs.delete(`refs/${c.params.ref}`)) throw new HttpError(422, 'Reference does not exist');
  return { status: 204 };
}

function getRef(c: Call): Reply {
  const ref = `refs/${c.params.ref}`;
  if (!c.repo.refs.has(ref)) throw new HttpError(404, 'Not Found');
  return { status: 200, body: refJson(c.core.urls, c.repo, ref) };
}

function matchingRefs(c: Call): Reply {
  const prefix = `refs/${c.params.ref}`;
  const refs = [...c.repo.refs.keys()].filter((r) => r.startsWith(prefix)).sort();
  return { status: 200, body: refs.map((r) => refJson(c.core.urls, c.repo, r)) };
}

function getCommit(c: Call): Reply {
  const x = c.repo.resolve(c.params.ref!);
  if (!x) throw new HttpError(422, `No commit found for SHA: ${c.params.ref}`);
  return { status: 200, body: commitJson(c.core.urls, c.repo, x) };
}

function compare(c: Call): Reply {
  const repo: RepoState = c.repo;
  const basehead = c.params.basehead ?? `${c.params.base}...${c.params.head}`;
  const m = /^(.+?)\.\.\.(.+)$/.exec(basehead);
  if (!m) throw new HttpError(404, 'Not Found');
  const base = repo.resolve(m[1]!);
  const head = repo.resolve(m[2]!);
  if (!base || !head) throw new HttpError(404, 'Not Found');
  const ahead = repo.commitsBetween(base.sha, head.sha);
  const behind = repo.commitsBetween(head.sha, base.sha);
  const status = ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
  const web = `https://github.com/${repo.fullName}`;
  const api = `${c.core.urls.api}/repos/${repo.fullName}`;
  return {
    status: 200,
    body: {
      url: `${api}/compare/${basehead}`,
      html_url: `${web}/compare/${basehead}`,
      permalink_url: `${web}/compare/${repo.owner}:${base.sha.slice(0, 7)}...${repo.owner}:${head.sha.slice(0, 7)}`,
      diff_url: `${web}/compare/${basehead}.diff`,
      patch_url: `${web}/compare/${basehead}.patch`,
      base_commit: commitJson(c.core.urls, repo, base),
      merge_base_commit: commitJson(c.core.urls, repo, base),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map((x) => commitJson(c.core.urls, repo, x)),
      files: [],
    },
  };
}

export const gitRoutes: Record<string, Handler> = {
  [`POST ${R}/git/refs`]: createRef,
  [`PATCH ${R}/git/refs/{ref}`]: updateRef,
  [`DELETE ${R}/git/refs/{ref}`]: deleteRef,
  [`GET ${R}/git/ref/{ref}`]: getRef,
  [`GET ${R}/git/matching-refs/{ref}`]: matchingRefs,
  [`GET ${R}/commits/{ref}`]: getCommit,
  [`GET ${R}/compare/{basehead}`]: compare,
  // The same comparison under the older template GitHub still documents (Octokit's compareCommits).
  [`GET ${R}/compare/{base}...{head}`]: compare,
};
