/**
 * Draft-first, resumable GitHub release publishing.
 *
 *   find the release by tag, drafts included (list releases: get-by-tag omits drafts)
 *   → decide per asset before any change: skip (same name and sha256 digest), upload, replace
 *     (digest differs and `replace-mismatched`), re-upload (a broken upload left behind);
 *     a mismatch without `replace-mismatched` fails here, before anything is created
 *   → create the draft if there is none
 *   → upload with bounded concurrency; Octokit's throttling plugin honours the primary limit
 *     (`x-ratelimit-reset`) and the secondary limit (`retry-after`) and spaces mutations ≥ 1 s
 *   → list the assets again and verify every digest against the expected sha256
 *   → publish (undraft, make_latest) once.
 *
 * Any failure leaves a draft; running again converges without re-sending correct assets.
 */
import { GoshipError } from '@goship/core/errors';
import type { Octokit, Repo } from '@goship/core/github';
import { mapLimit } from '@goship/core/retry';
import { type SemVer, compareSemVer, isPrerelease, parseTag } from '@goship/core/semver';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { LocalAsset } from './assets.js';

export interface Logger {
  info(msg: string): void;
  warning(msg: string): void;
}

export interface PublishOptions {
  repo: Repo;
  tag: string;
  name: string;
  body: string;
  prerelease: boolean;
  /** Leave the release as a draft at the end. */
  draft: boolean;
  makeLatest: 'auto' | 'true' | 'false';
  /** Tag prefix and version, for `make-latest: auto`. */
  prefix: string;
  version: SemVer;
  targetCommitish: string;
  assets: readonly LocalAsset[];
  replaceMismatched: boolean;
  maxConcurrency: number;
  log: Logger;
}

export type AssetAction = 'uploaded' | 'skipped' | 'replaced' | 'reuploaded';

export interface AssetOutcome {
  name: string;
  size: number;
  digest: string;
  action: AssetAction;
}

export interface PublishResult {
  releaseId: number;
  url: string;
  created: boolean;
  /** True when this run published the release (undrafted it). */
  published: boolean;
  /** True when the release was already published before this run. */
  wasPublished: boolean;
  draft: boolean;
  assets: AssetOutcome[];
  /** Assets on the release that this run does not publish (left alone). */
  extra: string[];
}

interface RemoteAsset {
  id: number;
  name: string;
  state: string;
  size: number;
  digest?: string | null;
}

interface RemoteRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  upload_url: string;
  html_url: string;
  immutable?: boolean;
  body?: string | null;
  name?: string | null;
  prerelease: boolean;
}

type Plan = { asset: LocalAsset; action: 'skip' | 'upload' | 'replace' | 'reupload'; remote?: RemoteAsset };

/** Turns an Octokit failure into an error that says what to do. */
export function apiError(e: unknown, what: string, repo: Repo): Error {
  const err = e as { status?: number; message?: string; response?: { headers?: Record<string, string>; data?: { message?: string } } };
  if (typeof err?.status !== 'number') return e instanceof Error ? e : new Error(String(e));
  const msg = err.response?.data?.message ?? err.message ?? '';
  const where = `${repo.owner}/${repo.repo}`;
  const resume = 'Nothing is published until every asset is verified; re-run the job to resume from where it stopped';
  if (err.status === 401)
    return new GoshipError(
      `GitHub refused the token (401 ${msg}) while ${what}.`,
      'Pass a valid token (`token: ${{ github.token }}` is the default)',
      { cause: e },
    );
  if ((err.status === 403 || err.status === 429) && /rate limit/i.test(msg)) {
    return new GoshipError(`GitHub's rate limit was still exceeded after retries while ${what} (${err.status}: ${msg}).`, resume, {
      cause: e,
    });
  }
  if (err.status === 403) {
    return new GoshipError(
      `The token may not write to ${where} (403: ${msg}) while ${what}.`,
      'Give the job `permissions: contents: write` (or use a token with the Contents write permission)',
      { cause: e },
    );
  }
  if (err.status === 404) {
    return new GoshipError(`GitHub answered 404 while ${what} in ${where}.`, `Check \`repository:\` and that the token can see ${where}`, {
      cause: e,
    });
  }
  return new GoshipError(`GitHub API error while ${what}: HTTP ${err.status} ${msg}.`, resume, { cause: e });
}

async function call<T>(what: string, repo: Repo, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw apiError(e, what, repo);
  }
}

const digestOf = (sha256: string): string => `sha256:${sha256}`;

export async function findRelease(
  gh: Octokit,
  repo: Repo,
  tag: string,
  log: Logger,
): Promise<{ release?: RemoteRelease; all: RemoteRelease[] }> {
  const all = (await call('listing releases', repo, () =>
    gh.paginate(gh.rest.repos.listReleases, { ...repo, per_page: 100 }),
  )) as unknown as RemoteRelease[];
  const matches = all.filter((r) => r.tag_name === tag);
  const published = matches.find((r) => !r.draft);
  if (published) return { release: published, all };
  const drafts = matches.filter((r) => r.draft).sort((a, b) => a.id - b.id);
  if (drafts.length > 1) {
    log.warning(
      `${drafts.length} draft releases exist for ${tag} (ids ${drafts.map((d) => d.id).join(', ')}); resuming the oldest, ${drafts[0]!.id}.`,
    );
  }
  return { release: drafts[0], all };
}

async function listAssets(gh: Octokit, repo: Repo, releaseId: number): Promise<RemoteAsset[]> {
  return await call('listing release assets', repo, () =>
    gh.paginate(gh.rest.repos.listReleaseAssets, { ...repo, release_id: releaseId, per_page: 100 }),
  );
}

/** The sha256 of a remote asset: GitHub's digest, or the bytes downloaded and hashed when it has none. */
async function remoteSha256(gh: Octokit, repo: Repo, a: RemoteAsset): Promise<string> {
  if (a.digest) return a.digest;
  const r = await call(`downloading ${a.name} to check its digest`, repo, () =>
    gh.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      ...repo,
      asset_id: a.id,
      headers: { accept: 'application/octet-stream' },
    }),
  );
  const data = r.data as unknown;
  const bytes = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data as string);
  return digestOf(createHash('sha256').update(bytes).digest('hex'));
}

function decide(
  assets: readonly LocalAsset[],
  remote: readonly RemoteAsset[],
  replace: boolean,
  digests: Map<number, string>,
): { plans: Plan[]; mismatched: string[] } {
  const plans: Plan[] = [];
  const mismatched: string[] = [];
  for (const asset of assets) {
    const r = remote.find((x) => x.name === asset.name);
    if (!r) plans.push({ asset, action: 'upload' });
    else if (r.state !== 'uploaded') plans.push({ asset, action: 'reupload', remote: r });
    else if (digests.get(r.id) === digestOf(asset.sha256)) plans.push({ asset, action: 'skip', remote: r });
    else if (replace) plans.push({ asset, action: 'replace', remote: r });
    else {
      mismatched.push(`${asset.name}: the release has ${digests.get(r.id) ?? 'no digest'}, the build has ${digestOf(asset.sha256)}`);
      plans.push({ asset, action: 'skip', remote: r });
    }
  }
  return { plans, mismatched };
}

async function uploadOne(gh: Octokit, o: PublishOptions, release: RemoteRelease, asset: LocalAsset, signal: AbortSignal): Promise<void> {
  const data = await readFile(asset.file);
  const send = () =>
    gh.rest.repos.uploadReleaseAsset({
      ...o.repo,
      release_id: release.id,
      url: release.upload_url,
      name: asset.name,
      data: data as unknown as string,
      headers: { 'content-type': asset.contentType },
      // The signal stops the other uploads as soon as one fails for good. (Retry counts are per
      // request since core's octokit() gives every request its own request options.)
      request: { signal },
    });
  let res;
  try {
    res = await send();
  } catch (e) {
    const err = e as { status?: number; response?: { data?: { errors?: { code?: string }[] } } };
    if (err.status !== 422 || !err.response?.data?.errors?.some((x) => x.code === 'already_exists'))
      throw apiError(e, `uploading ${asset.name}`, o.repo);
    // A retried request whose first attempt reached GitHub: look at what is there now.
    const there = (await listAssets(gh, o.repo, release.id)).find((a) => a.name === asset.name);
    if (there && there.state === 'uploaded') {
      const d = await remoteSha256(gh, o.repo, there);
      if (d === digestOf(asset.sha256)) return;
      if (!o.replaceMismatched) {
        throw new GoshipError(
          `${asset.name} appeared on the release while this run uploaded it, with ${d} instead of ${digestOf(asset.sha256)}.`,
          'Another job may be publishing the same tag; set `replace-mismatched: true` to replace it with this build',
        );
      }
    }
    if (there)
      await call(`deleting the broken upload of ${asset.name}`, o.repo, () =>
        gh.rest.repos.deleteReleaseAsset({ ...o.repo, asset_id: there.id }),
      );
    res = await call(`uploading ${asset.name}`, o.repo, send);
  }
  const got = (res.data as { digest?: string | null }).digest;
  if (got && got !== digestOf(asset.sha256)) {
    throw new GoshipError(
      `GitHub stored ${asset.name} with digest ${got}, but the file has ${digestOf(asset.sha256)}.`,
      'The upload was corrupted; re-run the job to replace it',
    );
  }
}

export async function publishRelease(gh: Octokit, o: PublishOptions): Promise<PublishResult> {
  const { release: found, all } = await findRelease(gh, o.repo, o.tag, o.log);
  let release = found;
  const wasPublished = release !== undefined && !release.draft;

  // Decide everything before the first change.
  const remote = release ? await listAssets(gh, o.repo, release.id) : [];
  const digests = new Map<number, string>();
  for (const r of remote) {
    if (r.state === 'uploaded' && o.assets.some((a) => a.name === r.name)) digests.set(r.id, await remoteSha256(gh, o.repo, r));
  }
  // A published release's assets are what people downloaded: never replaced, whatever the input says.
  const { plans, mismatched } = decide(o.assets, remote, o.replaceMismatched && (release?.draft ?? true), digests);
  if (mismatched.length) {
    throw new GoshipError(
      `The ${release!.draft ? 'draft' : 'published'} release ${o.tag} already has ${mismatched.length} asset(s) with different content:\n  - ${mismatched.join('\n  - ')}`,
      release!.draft
        ? 'Set `replace-mismatched: true` to replace them with this build (nothing was changed)'
        : 'This tag was already released from a different build; release a new version instead (nothing was changed)',
    );
  }
  const work = plans.filter((p) => p.action !== 'skip');
  if (release && !release.draft && work.length) {
    if (release.immutable) {
      throw new GoshipError(
        `The release ${o.tag} is published and immutable, but lacks ${work.map((p) => p.asset.name).join(', ')}.`,
        'Immutable releases cannot gain assets; release a new version',
      );
    }
    o.log.warning(`The release ${o.tag} is already published without ${work.map((p) => p.asset.name).join(', ')}; adding them.`);
  }
  const extra = remote.filter((r) => !o.assets.some((a) => a.name === r.name)).map((r) => r.name);

  let created = false;
  if (!release) {
    const r = await call(`creating the draft release ${o.tag}`, o.repo, () =>
      gh.rest.repos.createRelease({
        ...o.repo,
        tag_name: o.tag,
        name: o.name,
        body: o.body,
        draft: true,
        prerelease: o.prerelease,
        target_commitish: o.targetCommitish,
      }),
    );
    release = r.data;
    created = true;
    o.log.info(`Created draft release ${release.id} for ${o.tag}.`);
  } else if (release.draft && (release.body !== o.body || release.name !== o.name || release.prerelease !== o.prerelease)) {
    const r = await call(`updating the draft release ${o.tag}`, o.repo, () =>
      gh.rest.repos.updateRelease({ ...o.repo, release_id: release!.id, name: o.name, body: o.body, prerelease: o.prerelease }),
    );
    release = r.data;
    o.log.info(`Resuming draft release ${release.id} for ${o.tag} (notes updated).`);
  } else {
    o.log.info(`Resuming ${release.draft ? 'draft' : 'published'} release ${release.id} for ${o.tag}.`);
  }

  const rel = release;
  const abort = new AbortController();
  for (const p of plans.filter((x) => x.action === 'skip')) o.log.info(`= ${p.asset.name}: already there with the same digest`);
  await mapLimit(work, o.maxConcurrency, async (p) => {
    try {
      if (p.remote) {
        await call(`deleting ${p.asset.name} before replacing it`, o.repo, () =>
          gh.rest.repos.deleteReleaseAsset({ ...o.repo, asset_id: p.remote!.id, request: { signal: abort.signal } }),
        );
      }
      await uploadOne(gh, o, rel, p.asset, abort.signal);
    } catch (e) {
      // The first failure decides the run; the draft keeps what is in, a re-run resumes.
      abort.abort();
      throw e;
    }
    o.log.info(
      `${p.action === 'upload' ? '+' : '~'} ${p.asset.name} (${p.asset.size} bytes, ${p.action === 'upload' ? 'uploaded' : p.action === 'replace' ? 'replaced' : 're-uploaded'})`,
    );
  });

  // Verify every asset against the build before anything becomes visible.
  const after = await listAssets(gh, o.repo, rel.id);
  const problems: string[] = [];
  for (const a of o.assets) {
    const r = after.find((x) => x.name === a.name);
    if (!r) problems.push(`${a.name} is missing`);
    else if (r.state !== 'uploaded') problems.push(`${a.name} is in state ${r.state}`);
    else {
      const d = await remoteSha256(gh, o.repo, r);
      if (d !== digestOf(a.sha256)) problems.push(`${a.name} has ${d}, expected ${digestOf(a.sha256)}`);
    }
  }
  if (problems.length) {
    throw new GoshipError(
      `Verification of the release assets failed${rel.draft ? '; the release stays a draft' : ''}:\n  - ${problems.join('\n  - ')}`,
      'Re-run the job to resume',
    );
  }
  o.log.info(`Verified ${o.assets.length} asset digest(s) against the build.`);

  let published = false;
  let url = rel.html_url;
  if (rel.draft && !o.draft) {
    const r = await call(`publishing the release ${o.tag}`, o.repo, () =>
      gh.rest.repos.updateRelease({
        ...o.repo,
        release_id: rel.id,
        draft: false,
        make_latest: o.makeLatest === 'auto' ? autoMakeLatest(o, all) : o.makeLatest,
        tag_name: o.tag,
        target_commitish: o.targetCommitish,
      }),
    );
    url = (r.data as unknown as RemoteRelease).html_url;
    published = true;
  }
  const outcome = (p: Plan): AssetOutcome => ({
    name: p.asset.name,
    size: p.asset.size,
    digest: digestOf(p.asset.sha256),
    action: p.action === 'skip' ? 'skipped' : p.action === 'upload' ? 'uploaded' : p.action === 'replace' ? 'replaced' : 'reuploaded',
  });
  return { releaseId: rel.id, url, created, published, wasPublished, draft: rel.draft && !published, assets: plans.map(outcome), extra };
}

/**
 * `make_latest` for `auto`: a pre-release never; a stable release only when no published stable
 * release with the same prefix has a higher version (a 1.2.5 patch after 2.0.0 is not latest).
 */
export function autoMakeLatest(
  o: Pick<PublishOptions, 'prerelease' | 'prefix' | 'version' | 'tag'>,
  all: readonly { tag_name: string; draft: boolean; prerelease: boolean }[],
): 'true' | 'false' {
  if (o.prerelease || isPrerelease(o.version)) return 'false';
  const higher = all.some((r) => {
    if (r.draft || r.prerelease || r.tag_name === o.tag) return false;
    const t = parseTag(r.tag_name, o.prefix);
    return t !== undefined && !isPrerelease(t.version) && compareSemVer(t.version, o.version) > 0;
  });
  return higher ? 'false' : 'true';
}
