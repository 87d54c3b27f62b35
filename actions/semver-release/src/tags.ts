/**
 * Tags through the API: the `tag` command creates the release tag at a commit, and floating tags
 * (`v1`, `v1.4`) follow the newest stable release of their line. Re-runs converge: a tag that
 * already points at the right commit is left alone.
 */
import { GoshipError } from '@goship/core/errors';
import { type SemVer, compareSemVer, isPrerelease, sortTags } from '@goship/core/semver';
import { ApiError, type RepoApi } from './github-api.js';

export type TagResult = 'created' | 'exists' | 'moved' | 'unchanged';

async function getRef(api: RepoApi, ref: string): Promise<string | undefined> {
  try {
    const r = await api.call(`reading the ref ${ref}`, () => api.gh.rest.git.getRef({ ...api.repo, ref }));
    return r.data.object.sha;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Creates `refs/tags/<tag>` at `sha`; an existing tag at the same commit is fine, elsewhere an error. */
export async function createTag(api: RepoApi, tag: string, sha: string): Promise<TagResult> {
  const cur = await getRef(api, `tags/${tag}`);
  if (cur === sha) return 'exists';
  if (cur !== undefined) {
    throw new GoshipError(
      `The tag ${tag} already exists in ${api.fullName} at ${cur.slice(0, 12)}, not at ${sha.slice(0, 12)}.`,
      'Tags are never moved; release the next version instead',
    );
  }
  try {
    await api.call(`creating the tag ${tag}`, () => api.gh.rest.git.createRef({ ...api.repo, ref: `refs/tags/${tag}`, sha }));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const cause = e.cause as { response?: { data?: { message?: string } } } | undefined;
    if (e.status === 422 && /Object does not exist/i.test(cause?.response?.data?.message ?? '')) {
      throw new GoshipError(
        `GitHub does not have the commit ${sha.slice(0, 12)}, so the tag ${tag} cannot point at it.`,
        'Push the commit first, or set `target-commitish:` to a pushed commit',
      );
    }
    // A create whose answer was lost, or a tag made meanwhile: what is there now decides.
    if ((e.status === 422 || e.transient) && (await getRef(api, `tags/${tag}`)) === sha) return 'exists';
    throw e;
  }
  return 'created';
}

/** `v1` and `v1.4` for 1.4.2 with prefix `v`, when 1.4.2 is the newest stable of each line. */
export function floatingTagsFor(version: SemVer, prefix: string, tags: readonly string[]): string[] {
  if (isPrerelease(version)) return [];
  const stable = sortTags(tags, prefix).filter((t) => !isPrerelease(t.version));
  const out: string[] = [];
  const newerMajor = stable.some((t) => t.version.major === version.major && compareSemVer(t.version, version) > 0);
  if (!newerMajor) out.push(`${prefix}${version.major}`);
  const newerMinor = stable.some(
    (t) => t.version.major === version.major && t.version.minor === version.minor && compareSemVer(t.version, version) > 0,
  );
  if (!newerMinor) out.push(`${prefix}${version.major}.${version.minor}`);
  return out;
}

/** Points each floating tag at `sha` (creating or force-moving it). */
export async function moveFloatingTags(api: RepoApi, names: readonly string[], sha: string): Promise<Record<string, TagResult>> {
  const out: Record<string, TagResult> = {};
  for (const name of names) {
    const cur = await getRef(api, `tags/${name}`);
    if (cur === sha) out[name] = 'unchanged';
    else if (cur === undefined) {
      await createTag(api, name, sha);
      out[name] = 'created';
    } else {
      await api.call(`moving the tag ${name}`, () => api.gh.rest.git.updateRef({ ...api.repo, ref: `tags/${name}`, sha, force: true }));
      out[name] = 'moved';
    }
  }
  return out;
}

/** The commit a tag points at on GitHub (after publishing, GitHub made it if it was missing). */
export async function remoteTagCommit(api: RepoApi, tag: string): Promise<string | undefined> {
  try {
    const r = await api.call(`reading the tag ${tag}`, () => api.gh.rest.git.getRef({ ...api.repo, ref: `tags/${tag}` }));
    if (r.data.object.type === 'tag') {
      const t = await api.call(`reading the tag ${tag}`, () => api.gh.rest.git.getTag({ ...api.repo, tag_sha: r.data.object.sha }));
      return t.data.object.sha;
    }
    return r.data.object.sha;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** After a stable release is published: move `v1` and `v1.4` to its commit when it is the newest of those lines. */
export async function moveFloatingTagsFor(
  api: RepoApi,
  o: { tag: string; version: SemVer; prefix: string; target: string; localTags: readonly string[] },
): Promise<Record<string, TagResult>> {
  const sha = (await remoteTagCommit(api, o.tag)) ?? o.target;
  return moveFloatingTags(api, floatingTagsFor(o.version, o.prefix, o.localTags), sha);
}
