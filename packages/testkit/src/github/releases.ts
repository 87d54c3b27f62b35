/**
 * Releases and release assets as GitHub keeps them: several drafts may exist for one tag, but
 * only one release per tag can be published; get-by-tag never returns a draft; uploads are stored
 * under the name GitHub normalises them to and a name can exist once per release; a published
 * release of a repository with immutable releases keeps its assets and tag.
 */
import { githubAssetName } from './asset-name.js';
import { type Call, type Core, type Handler, type Reply, paginate } from './handler.js';
import { HttpError, type RepoState, type StoredAsset, type StoredRelease, sha256Digest, validationFailed } from './model.js';
import { assetJson, releaseCreatedAt, releaseJson } from './shapes.js';

const R = '/repos/{owner}/{repo}';

function mustRelease(c: Call, id: number): StoredRelease {
  const r = c.repo.releases.get(id);
  // A token that cannot write does not see drafts at all.
  if (!r || (r.draft && c.core.contents === 'read')) throw new HttpError(404, 'Not Found');
  return r;
}

function refuseIfImmutable(r: StoredRelease): void {
  if (r.immutable) {
    throw new HttpError(422, 'Cannot modify an immutable release.', {
      errors: [{ resource: 'Release', code: 'custom', message: 'Immutable releases cannot be modified' }],
    });
  }
}

/**
 * GitHub's list order (undocumented): drafts first, newest first; then published releases by
 * `created_at` (the tagged commit's date), newest first.
 */
export function listOrder(repo: RepoState): StoredRelease[] {
  const created = new Map([...repo.releases.values()].map((r) => [r.id, releaseCreatedAt(repo, r)]));
  return [...repo.releases.values()].sort((a, b) => {
    if (a.draft !== b.draft) return a.draft ? -1 : 1;
    const ca = created.get(a.id)!;
    const cb = created.get(b.id)!;
    return ca < cb ? 1 : ca > cb ? -1 : b.id - a.id;
  });
}

function json(c: Call, r: StoredRelease): Record<string, unknown> {
  return releaseJson(c.core.urls, c.repo, r, c.core.reportDigests);
}

function publish(c: Call, r: StoredRelease, makeLatest: unknown): void {
  // One published release per tag; drafts do not count.
  if ([...c.repo.releases.values()].some((o) => o.id !== r.id && o.tagName === r.tagName && !o.draft)) {
    throw validationFailed('Release', 'already_exists', 'tag_name');
  }
  const ref = `refs/tags/${r.tagName}`;
  if (!c.repo.refs.has(ref)) {
    const target = c.repo.resolve(r.targetCommitish);
    if (!target) throw validationFailed('Release', 'invalid', 'target_commitish');
    c.repo.refs.set(ref, target.sha);
  }
  r.draft = false;
  r.publishedAt = c.core.stamp();
  r.publishCount++;
  r.immutable = c.repo.immutableReleases;
  c.core.counters.publishes++;
  if (makeLatest === 'true' || ((makeLatest === undefined || makeLatest === 'legacy') && !r.prerelease)) c.repo.latestReleaseId = r.id;
}

function createRelease(c: Call): Reply {
  const b = c.body;
  const tag = String(b.tag_name ?? '');
  if (!tag) throw validationFailed('Release', 'missing_field', 'tag_name');
  const t = c.core.stamp();
  const r: StoredRelease = {
    id: c.core.nextId(),
    tagName: tag,
    targetCommitish: typeof b.target_commitish === 'string' ? b.target_commitish : c.repo.defaultBranch,
    name: typeof b.name === 'string' ? b.name : null,
    body: typeof b.body === 'string' ? b.body : null,
    draft: b.draft === true,
    prerelease: b.prerelease === true,
    immutable: false,
    createdAt: t,
    publishedAt: null,
    updatedAt: t,
    publishCount: 0,
  };
  if (!r.draft) {
    r.draft = true;
    publish(c, r, b.make_latest);
  }
  c.repo.releases.set(r.id, r);
  c.core.counters.releasesCreated++;
  return { status: 201, body: json(c, r), headers: { location: `${c.core.urls.api}/repos/${c.repo.fullName}/releases/${r.id}` } };
}

function updateRelease(c: Call): Reply {
  const r = mustRelease(c, Number(c.params.release_id));
  const b = c.body;
  if (r.immutable && (b.tag_name !== undefined || b.target_commitish !== undefined || b.draft === true)) refuseIfImmutable(r);
  const before = { tagName: r.tagName, targetCommitish: r.targetCommitish };
  if (typeof b.tag_name === 'string') r.tagName = b.tag_name;
  if (typeof b.target_commitish === 'string') r.targetCommitish = b.target_commitish;
  try {
    if (b.draft === false && r.draft) publish(c, r, b.make_latest);
    else if (!r.draft && b.tag_name !== undefined && b.tag_name !== before.tagName) {
      // Renaming a published release's tag onto another published release's tag.
      if ([...c.repo.releases.values()].some((o) => o.id !== r.id && o.tagName === r.tagName && !o.draft))
        throw validationFailed('Release', 'already_exists', 'tag_name');
    }
  } catch (e) {
    Object.assign(r, before);
    throw e;
  }
  if (typeof b.name === 'string') r.name = b.name;
  if (typeof b.body === 'string') r.body = b.body;
  if (typeof b.prerelease === 'boolean') r.prerelease = b.prerelease;
  if (b.draft === true && !r.draft) {
    r.draft = true;
    r.publishedAt = null;
  } else if (!r.draft && b.make_latest === 'true') c.repo.latestReleaseId = r.id;
  r.updatedAt = c.core.stamp();
  return { status: 200, body: json(c, r) };
}

function deleteRelease(c: Call): Reply {
  const r = mustRelease(c, Number(c.params.release_id));
  refuseIfImmutable(r);
  for (const a of c.repo.assetsOf(r.id)) c.repo.assets.delete(a.id);
  c.repo.releases.delete(r.id);
  return { status: 204 };
}

function listReleases(c: Call): Reply {
  const visible = listOrder(c.repo).filter((r) => !r.draft || c.core.contents === 'write');
  return paginate(
    visible.map((r) => json(c, r)),
    c.query,
    `${c.core.urls.api}/repos/${c.repo.fullName}/releases`,
  );
}

function getByTag(c: Call): Reply {
  const r = [...c.repo.releases.values()].find((x) => x.tagName === c.params.tag && !x.draft);
  if (!r) throw new HttpError(404, 'Not Found');
  return { status: 200, body: json(c, r) };
}

function getLatest(c: Call): Reply {
  const r = c.repo.latestReleaseId === undefined ? undefined : c.repo.releases.get(c.repo.latestReleaseId);
  if (!r || r.draft) throw new HttpError(404, 'Not Found');
  return { status: 200, body: json(c, r) };
}

function mustAsset(c: Call): StoredAsset {
  const a = c.repo.assets.get(Number(c.params.asset_id));
  if (!a) throw new HttpError(404, 'Not Found');
  mustRelease(c, a.releaseId);
  return a;
}

function getAsset(c: Call): Reply {
  const a = mustAsset(c);
  if (String(c.headers.accept ?? '').includes('application/octet-stream')) {
    // GitHub redirects to a signed URL on another host rather than streaming the bytes itself.
    return { status: 302, headers: { location: c.core.downloadUrl(c.repo, a.id) } };
  }
  return { status: 200, body: assetJson(c.core.urls, c.repo, a, c.core.reportDigests) };
}

function updateAsset(c: Call): Reply {
  const a = mustAsset(c);
  refuseIfImmutable(c.repo.releases.get(a.releaseId)!);
  if (typeof c.body.name === 'string') {
    const name = githubAssetName(c.body.name);
    if (c.repo.assetsOf(a.releaseId).some((o) => o.id !== a.id && o.name === name))
      throw validationFailed('ReleaseAsset', 'already_exists', 'name');
    a.name = name;
  }
  if (typeof c.body.label === 'string') a.label = c.body.label;
  a.updatedAt = c.core.stamp();
  return { status: 200, body: assetJson(c.core.urls, c.repo, a, c.core.reportDigests) };
}

function deleteAsset(c: Call): Reply {
  const a = mustAsset(c);
  refuseIfImmutable(c.repo.releases.get(a.releaseId)!);
  c.repo.assets.delete(a.id);
  c.core.counters.assetsDeleted++;
  return { status: 204 };
}

function listAssets(c: Call): Reply {
  const r = mustRelease(c, Number(c.params.release_id));
  return paginate(
    c.repo.assetsOf(r.id).map((a) => assetJson(c.core.urls, c.repo, a, c.core.reportDigests)),
    c.query,
    `${c.core.urls.api}/repos/${c.repo.fullName}/releases/${r.id}/assets`,
  );
}

/** Stores an asset record the way an upload creates it. */
export function storeAsset(
  core: Core,
  repo: RepoState,
  releaseId: number,
  requestedName: string,
  data: Buffer,
  o: { label?: string | null; contentType?: string; state?: StoredAsset['state'] } = {},
): StoredAsset {
  const t = core.stamp();
  const a: StoredAsset = {
    id: core.nextId(),
    releaseId,
    name: githubAssetName(requestedName),
    requestedName,
    label: o.label ?? null,
    contentType: o.contentType ?? 'application/octet-stream',
    state: o.state ?? 'uploaded',
    data,
    digest: sha256Digest(data),
    createdAt: t,
    updatedAt: t,
  };
  repo.assets.set(a.id, a);
  return a;
}

/** Where an upload to this release with this name would go, or the error GitHub answers. */
export function uploadTarget(c: Pick<Call, 'core' | 'repo' | 'params' | 'query'>): { release: StoredRelease; stored: string } {
  const release = c.repo.releases.get(Number(c.params.release_id));
  if (!release || (release.draft && c.core.contents === 'read')) throw new HttpError(404, 'Not Found');
  const name = c.query.get('name');
  if (!name) throw validationFailed('ReleaseAsset', 'missing_field', 'name');
  refuseIfImmutable(release);
  const stored = githubAssetName(name);
  if (c.repo.assetsOf(release.id).some((a) => a.name === stored)) throw validationFailed('ReleaseAsset', 'already_exists', 'name');
  return { release, stored };
}

function upload(c: Call): Reply {
  const { release } = uploadTarget(c);
  c.core.counters.uploads++;
  const name = c.query.get('name')!;
  const opts = { label: c.query.get('label'), contentType: String(c.headers['content-type'] ?? 'application/octet-stream') };
  if (c.fault?.kind === 'starter') {
    storeAsset(c.core, c.repo, release.id, name, Buffer.alloc(0), { ...opts, state: 'starter' });
    throw new HttpError(502, 'Bad Gateway');
  }
  const declared = Number(c.headers['content-length'] ?? c.raw.length);
  const a = storeAsset(c.core, c.repo, release.id, name, c.raw, { ...opts, state: declared === c.raw.length ? 'uploaded' : 'open' });
  return { status: 201, body: assetJson(c.core.urls, c.repo, a, c.core.reportDigests) };
}

function generateNotes(c: Call): Reply {
  const b = c.body;
  const tag = String(b.tag_name ?? '');
  if (!tag) throw validationFailed('Release', 'missing_field', 'tag_name');
  const head =
    c.repo.refs.get(`refs/tags/${tag}`) ??
    c.repo.resolve(typeof b.target_commitish === 'string' ? b.target_commitish : c.repo.defaultBranch)?.sha;
  if (!head) throw new HttpError(404, 'Not Found');
  const prevTag = typeof b.previous_tag_name === 'string' ? b.previous_tag_name : undefined;
  const base = prevTag ? c.repo.refs.get(`refs/tags/${prevTag}`) : undefined;
  if (prevTag && !base) throw validationFailed('Release', 'invalid', 'previous_tag_name');
  const web = `https://github.com/${c.repo.fullName}`;
  const lines = c.repo
    .commitsBetween(base, head)
    .reverse()
    .map((x) => {
      const subject = x.message.split('\n', 1)[0]!;
      const pr = /\(#(\d+)\)\s*$/.exec(subject);
      return `* ${subject.replace(/\s*\(#\d+\)\s*$/, '')} by @${x.author.replace(/\s+/g, '-').toLowerCase()}${pr ? ` in ${web}/pull/${pr[1]}` : ''}`;
    });
  const body = `## What's Changed\n${lines.join('\n')}\n\n**Full Changelog**: ${web}/${prevTag ? `compare/${prevTag}...${tag}` : `commits/${tag}`}`;
  return { status: 200, body: { name: tag, body } };
}

export const releaseRoutes: Record<string, Handler> = {
  [`GET ${R}/releases`]: listReleases,
  [`POST ${R}/releases`]: createRelease,
  [`GET ${R}/releases/latest`]: getLatest,
  [`GET ${R}/releases/tags/{tag}`]: getByTag,
  [`GET ${R}/releases/{release_id}`]: (c) => ({ status: 200, body: json(c, mustRelease(c, Number(c.params.release_id))) }),
  [`PATCH ${R}/releases/{release_id}`]: updateRelease,
  [`DELETE ${R}/releases/{release_id}`]: deleteRelease,
  [`POST ${R}/releases/generate-notes`]: generateNotes,
  [`GET ${R}/releases/{release_id}/assets`]: listAssets,
  [`POST ${R}/releases/{release_id}/assets`]: upload,
  [`GET ${R}/releases/assets/{asset_id}`]: getAsset,
  [`PATCH ${R}/releases/assets/{asset_id}`]: updateAsset,
  [`DELETE ${R}/releases/assets/{asset_id}`]: deleteAsset,
};
