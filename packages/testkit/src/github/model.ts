/**
 * What the GitHub API stand-in stores per repository: releases and their assets, git refs and
 * commits (with file trees when the contents API wrote them), blobs and pull requests. Repositories
 * are keyed by `owner/name`, so one stand-in serves a project and, say, its Homebrew tap.
 *
 * No parameter properties, enums or namespaces anywhere under github/: plain Node (type
 * stripping) loads these files too, which the benchmark in bench/semver-release does.
 */
import { createHash } from 'node:crypto';

export type HostKind = 'api' | 'uploads' | 'downloads';

export class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

/** GitHub's 422 for a model validation ("Validation Failed" with one entry in `errors`). */
export function validationFailed(resource: string, code: string, field?: string, message?: string): HttpError {
  return new HttpError(422, 'Validation Failed', {
    errors: [{ resource, code, ...(field ? { field } : {}), ...(message ? { message } : {}) }],
  });
}

/** `uploaded`: complete; `open`: fewer bytes than announced; `starter`: an upstream failure left it empty. */
export type AssetState = 'uploaded' | 'open' | 'starter';

export interface StoredAsset {
  id: number;
  releaseId: number;
  /** The name GitHub stored (normalised from the requested one). */
  name: string;
  /** The name the upload asked for. */
  requestedName: string;
  label: string | null;
  contentType: string;
  state: AssetState;
  data: Buffer;
  digest: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredRelease {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  /** How many times this release went from draft to published. */
  publishCount: number;
}

export interface StoredCommit {
  sha: string;
  parents: string[];
  message: string;
  author: string;
  email: string;
  date: string;
  /** path → blob sha, for commits whose files the stand-in knows (contents API, seedFiles). */
  tree?: Map<string, string>;
  committer?: { name: string; email: string; date: string };
}

export interface StoredPull {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  maintainerCanModify: boolean;
  /** `owner/name` of the repository the head branch lives in. */
  headRepo: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  createdAt: string;
  updatedAt: string;
}

/** A git blob's object id, as `git hash-object` computes it. */
export function blobSha(data: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${data.length}\0`), data]))
    .digest('hex');
}

export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export class RepoState {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  defaultBranch: string;
  /** Repository setting: published releases are immutable (assets and tag cannot change). */
  immutableReleases = false;
  readonly releases = new Map<number, StoredRelease>();
  readonly assets = new Map<number, StoredAsset>();
  /** `refs/tags/v1.0.0` → commit sha. */
  readonly refs = new Map<string, string>();
  readonly commits = new Map<string, StoredCommit>();
  readonly blobs = new Map<string, Buffer>();
  readonly pulls: StoredPull[] = [];
  /** Commits created through the API (contents writes), oldest first. */
  readonly createdCommits: string[] = [];
  latestReleaseId: number | undefined;

  constructor(owner: string, name: string, id: number, defaultBranch = 'main') {
    this.owner = owner;
    this.name = name;
    this.id = id;
    this.defaultBranch = defaultBranch;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  releaseByTag(tag: string): StoredRelease[] {
    return [...this.releases.values()].filter((r) => r.tagName === tag).sort((a, b) => a.id - b.id);
  }

  assetsOf(releaseId: number): StoredAsset[] {
    return [...this.assets.values()].filter((a) => a.releaseId === releaseId).sort((a, b) => a.id - b.id);
  }

  /** A commit by sha, unique sha prefix (7+), branch, tag or full ref. */
  resolve(ref: string): StoredCommit | undefined {
    if (this.commits.has(ref)) return this.commits.get(ref);
    for (const cand of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]) {
      const sha = this.refs.get(cand);
      if (sha) return this.commits.get(sha);
    }
    const short = ref.length >= 7 ? [...this.commits.keys()].filter((s) => s.startsWith(ref)) : [];
    return short.length === 1 ? this.commits.get(short[0]!) : undefined;
  }

  isAncestor(ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsBetween(base: string | undefined, head: string): StoredCommit[] {
    const exclude = new Set<string>();
    if (base) {
      const stack = [base];
      while (stack.length) {
        const s = stack.pop()!;
        if (exclude.has(s)) continue;
        exclude.add(s);
        stack.push(...(this.commits.get(s)?.parents ?? []));
      }
    }
    const out: StoredCommit[] = [];
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s) || exclude.has(s)) continue;
      seen.add(s);
      const c = this.commits.get(s);
      if (!c) continue;
      out.push(c);
      stack.push(...c.parents);
    }
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** The file tree of a commit (empty when the stand-in does not know its files). */
  treeOf(sha: string | undefined): Map<string, string> {
    return (sha ? this.commits.get(sha)?.tree : undefined) ?? new Map();
  }

  /**
   * Writes a commit on `branch` with `files` changed (a Buffer or string per path), the way a
   * contents write or a push would; the branch is created when missing. Returns the commit.
   */
  commitFiles(
    branch: string,
    files: Record<string, Buffer | string>,
    message: string,
    who: { name: string; email: string },
    date: string,
  ): StoredCommit {
    const ref = `refs/heads/${branch}`;
    const parent = this.refs.get(ref);
    const tree = new Map(this.treeOf(parent));
    for (const [p, content] of Object.entries(files)) {
      const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
      const sha = blobSha(data);
      this.blobs.set(sha, data);
      tree.set(p, sha);
    }
    const treeText = [...tree.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, s]) => `${s} ${p}`)
      .join('\n');
    const sha = createHash('sha1')
      .update(`commit\n${parent ?? ''}\n${treeText}\n${who.name} <${who.email}> ${date}\n\n${message}`)
      .digest('hex');
    const c: StoredCommit = {
      sha,
      parents: parent ? [parent] : [],
      message,
      author: who.name,
      email: who.email,
      date,
      tree,
      committer: { ...who, date },
    };
    this.commits.set(sha, c);
    this.refs.set(ref, sha);
    return c;
  }
}
