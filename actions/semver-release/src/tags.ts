/**
 * Tags through the API: the `tag` command creates the release tag at a commit, and floating tags
 * (`v1`, `v1.4`) follow the newest stable release of their line. Re-runs converge: a tag that
 * already points at the right commit is left alone.
 */
import { GoshipError } from '@goship/core/errors';
import type { Octokit, Repo } from '@goship/core/github';
import { type SemVer, compareSemVer, isPrerelease, sortTags } from '@goship/core/semver';
import { apiError } from './publish.js';

export type TagResult = 'created' | 'exists' | 'moved' | 'unchanged';

async function getRef(gh: Octokit, repo: Repo, ref: string): Promise<string | undefined> {
  try {
    const r = await gh.rest.git.getRef({ ...repo, ref });
    return r.data.object.sha;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw apiError(e, `reading the ref ${ref}`, repo);
  }
}

/** Creates `refs/tags/<tag>` at `sha`; an existing tag at the same commit is fine, elsewhere an error. */
export async function createTag(gh: Octokit, repo: Repo, tag: string, sha: string): Promise<TagResult> {
  const cur = await getRef(gh, repo, `tags/${tag}`);
  if (cur === sha) return 'exists';
  if (cur !== undefined) {
    throw new GoshipError(
      `The tag ${tag} already exists in ${repo.owner}/${repo.repo} at ${cur.slice(0, 12)}, not at ${sha.slice(0, 12)}.`,
      'Tags are never moved; release the next version instead',
    );
  }
  try {
    await gh.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha });
  } catch (e) {
    const err = e as { status?: number; response?: { data?: { message?: string } } };
    if (err.status === 422 && /Object does not exist/i.test(err.response?.data?.message ?? '')) {
      throw new GoshipError(
        `GitHub does not have the commit ${sha.slice(0, 12)}, so the tag ${tag} cannot point at it.`,
        'Push the commit first, or set `target-commitish:` to a pushed commit',
      );
    }
    if (err.status === 422 && (await getRef(gh, repo, `tags/${tag}`)) === sha) return 'exists';
    throw apiError(e, `creating the tag ${tag}`, repo);
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
export async function moveFloatingTags(gh: Octokit, repo: Repo, names: readonly string[], sha: string): Promise<Record<string, TagResult>> {
  const out: Record<string, TagResult> = {};
  for (const name of names) {
    const cur = await getRef(gh, repo, `tags/${name}`);
    if (cur === sha) out[name] = 'unchanged';
    else if (cur === undefined) {
      await createTag(gh, repo, name, sha);
      out[name] = 'created';
    } else {
      try {
        await gh.rest.git.updateRef({ ...repo, ref: `tags/${name}`, sha, force: true });
      } catch (e) {
        throw apiError(e, `moving the tag ${name}`, repo);
      }
      out[name] = 'moved';
    }
  }
  return out;
}

/** The commit a tag points at on GitHub (after publishing, GitHub made it if it was missing). */
export async function remoteTagCommit(gh: Octokit, repo: Repo, tag: string): Promise<string | undefined> {
  try {
    const r = await gh.rest.git.getRef({ ...repo, ref: `tags/${tag}` });
    if (r.data.object.type === 'tag') {
      const t = await gh.rest.git.getTag({ ...repo, tag_sha: r.data.object.sha });
      return t.data.object.sha;
    }
    return r.data.object.sha;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw apiError(e, `reading the tag ${tag}`, repo);
  }
}
