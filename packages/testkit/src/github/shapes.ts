/**
 * The JSON GitHub sends for each stored object, field for field as its OpenAPI description
 * requires (the stand-in checks every response it sends against that description).
 */
import { createHash } from 'node:crypto';
import type { RepoState, StoredAsset, StoredCommit, StoredPull, StoredRelease } from './model.js';

export interface Urls {
  /** The API host (api.github.com). */
  api: string;
  /** The uploads host (uploads.github.com). */
  uploads: string;
}

const WEB = 'https://github.com';

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

export function user(login: string, id: number, type: 'User' | 'Bot' | 'Organization' = 'User'): Record<string, unknown> {
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: type === 'Bot' ? `${WEB}/apps/${login.replace(/\[bot\]$/, '')}` : `${WEB}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export const BOT = user('github-actions[bot]', 41898282, 'Bot');
const BOT_PERSON = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
export { BOT_PERSON };

function repoApi(u: Urls, repo: RepoState): string {
  return `${u.api}/repos/${repo.owner}/${repo.name}`;
}
function repoWeb(repo: RepoState): string {
  return `${WEB}/${repo.owner}/${repo.name}`;
}

/** ISO date-time without milliseconds, UTC, as GitHub writes them. */
export function isoSeconds(d: string | number | Date): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function releaseJson(u: Urls, repo: RepoState, r: StoredRelease, reportDigests: boolean): Record<string, unknown> {
  const api = repoApi(u, repo);
  const web = repoWeb(repo);
  return {
    url: `${api}/releases/${r.id}`,
    html_url: r.draft ? `${web}/releases/tag/untagged-${untagged(r.id)}` : `${web}/releases/tag/${encodeURIComponent(r.tagName)}`,
    assets_url: `${api}/releases/${r.id}/assets`,
    upload_url: `${u.uploads}/repos/${repo.owner}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    tarball_url: r.draft ? null : `${api}/tarball/${r.tagName}`,
    zipball_url: r.draft ? null : `${api}/zipball/${r.tagName}`,
    id: r.id,
    node_id: nodeId('Release', r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: r.immutable,
    created_at: releaseCreatedAt(repo, r),
    published_at: r.publishedAt,
    updated_at: r.updatedAt,
    author: BOT,
    assets: repo.assetsOf(r.id).map((a) => assetJson(u, repo, a, reportDigests)),
  };
}

/**
 * GitHub: "The created_at attribute is the date of the commit used for the release, and not the
 * date when the release was drafted or published." A draft (no tag yet) has its drafting time.
 */
export function releaseCreatedAt(repo: RepoState, r: StoredRelease): string {
  const tagged = r.draft ? undefined : repo.commits.get(repo.refs.get(`refs/tags/${r.tagName}`) ?? '');
  return tagged?.date ? isoSeconds(tagged.date) : r.createdAt;
}

/** Drafts have a URL GitHub derives from a hash, not from the tag (which may not exist yet). */
function untagged(id: number): string {
  return createHash('sha1').update(`untagged:${id}`).digest('hex').slice(0, 20);
}

export function assetJson(u: Urls, repo: RepoState, a: StoredAsset, reportDigests: boolean): Record<string, unknown> {
  const rel = repo.releases.get(a.releaseId);
  const tag = rel && !rel.draft ? rel.tagName : `untagged-${untagged(a.releaseId)}`;
  return {
    url: `${repoApi(u, repo)}/releases/assets/${a.id}`,
    browser_download_url: `${repoWeb(repo)}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(a.name)}`,
    id: a.id,
    node_id: nodeId('ReleaseAsset', a.id),
    name: a.name,
    label: a.label,
    state: a.state,
    content_type: a.contentType,
    size: a.data.length,
    // GitHub computes the digest once the upload completes.
    digest: reportDigests && a.state === 'uploaded' ? a.digest : null,
    download_count: 0,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    uploader: BOT,
  };
}

export function refJson(u: Urls, repo: RepoState, ref: string): Record<string, unknown> {
  const sha = repo.refs.get(ref)!;
  const api = repoApi(u, repo);
  return {
    ref,
    node_id: nodeId('Ref', `${repo.fullName}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

function treeSha(c: StoredCommit): string {
  if (!c.tree) return createHash('sha1').update(`tree:${c.sha}`).digest('hex');
  const text = [...c.tree.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, s]) => `${s} ${p}`)
    .join('\n');
  return createHash('sha1').update(`tree\n${text}`).digest('hex');
}

export function commitJson(u: Urls, repo: RepoState, c: StoredCommit): Record<string, unknown> {
  const api = repoApi(u, repo);
  const web = repoWeb(repo);
  const person = { name: c.author, email: c.email, date: c.date };
  const tree = treeSha(c);
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    html_url: `${web}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: person,
      committer: c.committer ?? person,
      message: c.message,
      comment_count: 0,
      tree: { sha: tree, url: `${api}/git/trees/${tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: c.parents.map((s) => ({ sha: s, url: `${api}/commits/${s}`, html_url: `${web}/commit/${s}` })),
  };
}

/** GitHub's base64 for file contents: wrapped at 60 characters, each line ending in a newline. */
export function wrappedBase64(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 60) lines.push(b64.slice(i, i + 60));
  return lines.map((l) => `${l}\n`).join('');
}

function fileLinks(u: Urls, repo: RepoState, path: string, sha: string, ref: string, type: 'file' | 'dir') {
  const api = repoApi(u, repo);
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = type === 'file' ? `${api}/git/blobs/${sha}` : `${api}/git/trees/${sha}`;
  const html = `${repoWeb(repo)}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${path}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

export function contentFileJson(u: Urls, repo: RepoState, path: string, sha: string, ref: string): Record<string, unknown> {
  const data = repo.blobs.get(sha) ?? Buffer.alloc(0);
  return {
    type: 'file',
    encoding: 'base64',
    size: data.length,
    name: path.split('/').pop()!,
    path,
    content: wrappedBase64(data),
    sha,
    ...fileLinks(u, repo, path, sha, ref, 'file'),
    download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${path}`,
  };
}

export function contentEntryJson(
  u: Urls,
  repo: RepoState,
  path: string,
  sha: string,
  ref: string,
  type: 'file' | 'dir',
): Record<string, unknown> {
  return {
    type,
    size: type === 'file' ? (repo.blobs.get(sha)?.length ?? 0) : 0,
    name: path.split('/').pop()!,
    path,
    sha,
    ...fileLinks(u, repo, path, sha, ref, type),
    download_url: type === 'file' ? `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${path}` : null,
  };
}

export function fileCommitJson(u: Urls, repo: RepoState, path: string, branch: string, c: StoredCommit): Record<string, unknown> {
  const sha = c.tree!.get(path)!;
  const api = repoApi(u, repo);
  const web = repoWeb(repo);
  const { content: _content, encoding: _encoding, ...file } = contentFileJson(u, repo, path, sha, branch);
  const tree = treeSha(c);
  const person = { name: c.author, email: c.email, date: c.date };
  return {
    content: file,
    commit: {
      sha: c.sha,
      node_id: nodeId('Commit', c.sha),
      url: `${api}/git/commits/${c.sha}`,
      html_url: `${web}/commit/${c.sha}`,
      author: person,
      committer: c.committer ?? person,
      message: c.message,
      tree: { url: `${api}/git/trees/${tree}`, sha: tree },
      parents: c.parents.map((s) => ({ url: `${api}/git/commits/${s}`, html_url: `${web}/commit/${s}`, sha: s })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
  };
}

const REPO_URLS: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

export function repositoryJson(u: Urls, repo: RepoState): Record<string, unknown> {
  const api = repoApi(u, repo);
  const web = repoWeb(repo);
  const urls: Record<string, string> = {};
  for (const [k, v] of Object.entries(REPO_URLS)) urls[k] = `${api}${v}`;
  const stamp = '2026-01-01T00:00:00Z';
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: user(repo.owner, 1000 + (repo.id % 100000)),
    private: false,
    html_url: web,
    description: null,
    fork: false,
    url: api,
    ...urls,
    git_url: `git://github.com/${repo.fullName}.git`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: null,
    language: 'Go',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: repo.pulls.filter((p) => p.state === 'open').length,
    open_issues_count: repo.pulls.filter((p) => p.state === 'open').length,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: stamp,
    created_at: stamp,
    updated_at: stamp,
  };
}

export function pullJson(u: Urls, repo: RepoState, head: RepoState, p: StoredPull, full: boolean): Record<string, unknown> {
  const api = repoApi(u, repo);
  const web = repoWeb(repo);
  const self = `${api}/pulls/${p.number}`;
  const issue = `${api}/issues/${p.number}`;
  const base = {
    url: self,
    id: p.id,
    node_id: nodeId('PullRequest', p.id),
    html_url: `${web}/pull/${p.number}`,
    diff_url: `${web}/pull/${p.number}.diff`,
    patch_url: `${web}/pull/${p.number}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: BOT,
    body: p.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${head.owner}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      user: user(head.owner, 1000 + (head.id % 100000)),
      repo: repositoryJson(u, head),
    },
    base: {
      label: `${repo.owner}:${p.baseRef}`,
      ref: p.baseRef,
      sha: p.baseSha,
      user: user(repo.owner, 1000 + (repo.id % 100000)),
      repo: repositoryJson(u, repo),
    },
    _links: {
      self: { href: self },
      html: { href: `${web}/pull/${p.number}` },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${p.headSha}` },
    },
    author_association: 'NONE',
    auto_merge: null,
    draft: p.draft,
  };
  if (!full) return base;
  const commits = repo.commitsBetween(p.baseSha, p.headSha).length || head.commitsBetween(p.baseSha, p.headSha).length;
  return {
    ...base,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: p.maintainerCanModify,
    commits,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}
