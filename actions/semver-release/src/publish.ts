/**
 * Draft-first releases that converge under every fault GitHub can produce.
 *
 *   list the tag's releases, drafts included (get-by-tag omits drafts)
 *   → pick the one to work on: the published release, else the oldest goship draft, else a draft
 *     made by hand; with none, create a draft marked as goship's (an invisible comment in its
 *     body, with this run's nonce)
 *   → decide per asset before any change, by the name GitHub stores: skip (same digest), upload,
 *     replace (digest differs and `replace-mismatched`), re-upload (a broken upload); a mismatch
 *     otherwise fails here, before anything is created
 *   → upload with bounded concurrency; a rate limit pauses every upload (core's PauseGate)
 *   → list the assets again and verify every digest against the build
 *   → publish once (the marker leaves the notes), then delete goship drafts left for the tag.
 *
 * Faults where GitHub applied a change but the answer was lost are resolved by looking, not by
 * sending again: a lost create lists the tag's releases and adopts the draft carrying this run's
 * nonce; a lost upload lists the assets. Two runs for one tag end on one release: a run that
 * created a draft lists again and defers to an older goship draft (deleting its own), and a run
 * whose publish is refused because the tag was published meanwhile converges on that release
 * (its assets are verified, missing ones added) and removes its draft. Any failure leaves at most
 * one draft, and a re-run resumes without re-sending correct assets.
 */
import type { Log } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { mapLimit, sleep } from '@goship/core/retry';
import { type SemVer, compareSemVer, isPrerelease, parseTag } from '@goship/core/semver';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { LocalAsset } from './assets.js';
import { ApiError, type RemoteAsset, type RemoteRelease, type RepoApi } from './github-api.js';

export interface PublishOptions {
  tag: string;
  name: string;
  /** The release notes, without goship's marker. */
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
  log: Pick<Log, 'info' | 'warning'>;
  /** Pause between attempts of a lost create or upload (default: 1 s, 2 s). */
  backoffMs?: (attempt: number) => number;
}

export type AssetAction = 'uploaded' | 'skipped' | 'replaced' | 'reuploaded';

export interface AssetOutcome {
  /** The name on the release (GitHub's). */
  name: string;
  /** The name in the build, when GitHub stores it under another. */
  localName?: string;
  size: number;
  digest: string;
  action: AssetAction;
}

export interface PublishResult {
  releaseId: number;
  url: string;
  /** True when this run created the draft it published. */
  created: boolean;
  /** True when this run published the release (undrafted it). */
  published: boolean;
  /** True when the release was already published before this run, or by another run meanwhile. */
  wasPublished: boolean;
  draft: boolean;
  assets: AssetOutcome[];
  /** Assets on the release that this run does not publish (left alone). */
  extra: string[];
  /** goship drafts of the tag this run deleted (orphans of earlier or concurrent runs). */
  removedDrafts: number[];
}

type Plan = { asset: LocalAsset; action: 'skip' | 'upload' | 'replace' | 'reupload'; remote?: RemoteAsset };

// ---------- goship's mark ----------

const MARK = /\s*<!-- goship:release ([0-9a-z-]+) -->\s*$/;

/** The notes with goship's mark: invisible when rendered, and removed when the release is published. */
export function markBody(body: string, nonce: string): string {
  return `${body.trimEnd()}\n\n<!-- goship:release ${nonce} -->\n`;
}

/** The nonce of goship's mark, when the release was created by goship. */
export function markOf(body: string | null | undefined): string | undefined {
  return MARK.exec(body ?? '')?.[1];
}

export function unmarked(body: string | null | undefined): string {
  const b = body ?? '';
  const m = MARK.exec(b);
  return m ? `${b.slice(0, m.index).trimEnd()}\n` : b;
}

export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

// ---------- the tag's releases ----------

export interface TagReleases {
  all: RemoteRelease[];
  published?: RemoteRelease;
  /** Drafts goship made, oldest first. */
  goship: RemoteRelease[];
  /** Drafts made some other way, oldest first. */
  foreign: RemoteRelease[];
}

export async function tagReleases(api: RepoApi, tag: string): Promise<TagReleases> {
  const all = await api.listReleases();
  const mine = all.filter((r) => r.tag_name === tag);
  const drafts = mine.filter((r) => r.draft).sort((a, b) => a.id - b.id);
  return {
    all,
    published: mine.find((r) => !r.draft),
    goship: drafts.filter((r) => markOf(r.body) !== undefined),
    foreign: drafts.filter((r) => markOf(r.body) === undefined),
  };
}

/** The release list changed under this run (another run, or a person): look again. */
class ReleaseMoved extends Error {
  override name = 'ReleaseMoved';
}

const digestOf = (sha256: string): string => `sha256:${sha256}`;

// ---------- deciding ----------

async function decide(
  api: RepoApi,
  o: PublishOptions,
  remote: readonly RemoteAsset[],
  release: RemoteRelease | undefined,
): Promise<{ plans: Plan[]; extra: string[] }> {
  // A published release's assets are what people downloaded: never replaced, whatever the input says.
  const replace = o.replaceMismatched && (release?.draft ?? true);
  const plans: Plan[] = [];
  const mismatched: string[] = [];
  for (const asset of o.assets) {
    const r = remote.find((x) => x.name === asset.storedName);
    if (!r) plans.push({ asset, action: 'upload' });
    else if (r.state !== 'uploaded') plans.push({ asset, action: 'reupload', remote: r });
    else {
      const d = await api.assetDigest(r);
      if (d === digestOf(asset.sha256)) plans.push({ asset, action: 'skip', remote: r });
      else if (replace) plans.push({ asset, action: 'replace', remote: r });
      else mismatched.push(`${asset.storedName}: the release has ${d}, the build has ${digestOf(asset.sha256)}`);
    }
  }
  if (mismatched.length) {
    throw new GoshipError(
      `The ${release!.draft ? 'draft' : 'published'} release ${o.tag} already has ${mismatched.length} asset(s) with different content:\n  - ${mismatched.join('\n  - ')}`,
      release!.draft
        ? 'Set `replace-mismatched: true` to replace them with this build (no asset was changed)'
        : 'This tag was already released from a different build; release a new version instead (no asset was changed)',
    );
  }
  const work = plans.filter((p) => p.action !== 'skip');
  if (release && !release.draft && work.length) {
    if (release.immutable) {
      throw new GoshipError(
        `The release ${o.tag} is published and immutable, but lacks ${work.map((p) => p.asset.storedName).join(', ')}.`,
        'Immutable releases cannot gain assets; release a new version',
      );
    }
    o.log.warning(`The release ${o.tag} is already published without ${work.map((p) => p.asset.storedName).join(', ')}; adding them.`);
  }
  const extra = remote.filter((r) => !o.assets.some((a) => a.storedName === r.name)).map((r) => r.name);
  return { plans, extra };
}

// ---------- the draft ----------

const defaultBackoff = (attempt: number): number => 1000 * attempt;

/**
 * Creates the draft, marked with `nonce`. The request is sent once per attempt: when its answer
 * is lost (5xx, dropped connection), the tag's releases are listed and the draft carrying this
 * nonce is adopted; only when there is none is the create tried again.
 */
async function createDraft(api: RepoApi, o: PublishOptions, nonce: string): Promise<RemoteRelease> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.createRelease({
        tag_name: o.tag,
        name: o.name,
        body: markBody(o.body, nonce),
        prerelease: o.prerelease,
        target_commitish: o.targetCommitish,
      });
    } catch (e) {
      if (!(e instanceof ApiError) || !e.transient) throw e;
      const mine = (await tagReleases(api, o.tag)).goship.find((r) => markOf(r.body) === nonce);
      if (mine) {
        o.log.info(
          `Creating the draft of ${o.tag} got no proper answer (${e.reason}), but GitHub created it: adopting release ${mine.id}.`,
        );
        return mine;
      }
      if (attempt >= 3) throw e;
      o.log.info(`Creating the draft of ${o.tag} failed (${e.reason}) and nothing was created; trying again.`);
      await sleep((o.backoffMs ?? defaultBackoff)(attempt));
    }
  }
}

/**
 * After creating a draft: when another run published the tag or created a goship draft first
 * meanwhile, this run's draft is deleted and the run works on theirs.
 */
async function settleDraft(api: RepoApi, o: PublishOptions, ours: RemoteRelease): Promise<RemoteRelease> {
  const now = await tagReleases(api, o.tag);
  const first = now.goship[0];
  if (now.published || (first && first.id < ours.id)) {
    await api.deleteRelease(ours.id, `deleting the duplicate draft ${ours.id} of ${o.tag}`);
    throw new ReleaseMoved(
      now.published
        ? `Another run published ${o.tag} meanwhile (release ${now.published.id}); this run's draft ${ours.id} was deleted.`
        : `Another run created a draft for ${o.tag} first (release ${first!.id}); this run's draft ${ours.id} was deleted and the run continues on that one.`,
    );
  }
  return ours;
}

const sameNotes = (a: string | null | undefined, b: string): boolean => unmarked(a).trimEnd() === b.trimEnd();

/** An adopted draft gets this run's notes (and goship's mark, if a person made it). */
async function refreshNotes(api: RepoApi, o: PublishOptions, release: RemoteRelease, nonce: string): Promise<RemoteRelease> {
  if (markOf(release.body) && sameNotes(release.body, o.body) && release.name === o.name && release.prerelease === o.prerelease) {
    o.log.info(`Resuming draft release ${release.id} of ${o.tag}.`);
    return release;
  }
  const r = await api.updateRelease(release.id, `updating the draft release ${o.tag}`, {
    name: o.name,
    body: markBody(o.body, markOf(release.body) ?? nonce),
    prerelease: o.prerelease,
  });
  o.log.info(`Resuming draft release ${release.id} of ${o.tag} (notes updated).`);
  return r;
}

// ---------- uploads ----------

/**
 * Uploads one asset. A lost answer (5xx, dropped connection) or `already_exists` is resolved by
 * looking at the release: the asset is there with the right digest (done), broken (deleted and
 * sent again), or absent (sent again).
 */
async function uploadOne(api: RepoApi, o: PublishOptions, release: RemoteRelease, asset: LocalAsset, signal: AbortSignal): Promise<void> {
  const data = await readFile(asset.file);
  const want = digestOf(asset.sha256);
  for (let attempt = 1; ; attempt++) {
    try {
      const got = await api.uploadAsset(release, asset, data, signal);
      if (got.name !== asset.storedName) {
        o.log.warning(`GitHub stored ${asset.name} as ${got.name}, not ${asset.storedName} as expected; a re-run will upload it again.`);
      }
      if (got.digest && got.digest !== want) {
        throw new GoshipError(
          `GitHub stored ${asset.storedName} with digest ${got.digest}, but the file has ${want}.`,
          'The upload was corrupted; re-run the job to replace it',
        );
      }
      return;
    } catch (e) {
      if (signal.aborted || !(e instanceof ApiError)) throw e;
      if (e.status === 404) throw new ReleaseMoved(`The draft ${release.id} of ${o.tag} disappeared while uploading ${asset.storedName}.`);
      const exists = e.status === 422 && e.codes.includes('already_exists');
      if (!e.transient && !exists) throw e;
      const there = (await api.listAssets(release.id)).find((a) => a.name === asset.storedName);
      if (there?.state === 'uploaded') {
        const d = await api.assetDigest(there);
        if (d === want) return;
        if (!o.replaceMismatched) {
          throw new GoshipError(
            `${asset.storedName} appeared on the release while this run uploaded it, with ${d} instead of ${want}.`,
            'Another job may be publishing the same tag from a different build; set `replace-mismatched: true` to replace it with this build',
          );
        }
      }
      if (attempt >= 3) throw e;
      if (there) await api.deleteAsset(there.id, `deleting the broken upload of ${asset.storedName}`, signal);
      o.log.info(`${asset.storedName}: ${exists ? `a ${there?.state ?? 'stale'} upload was in the way` : e.reason}; sending it again.`);
      if (e.transient) await sleep((o.backoffMs ?? defaultBackoff)(attempt));
    }
  }
}

async function uploadAll(api: RepoApi, o: PublishOptions, release: RemoteRelease, work: readonly Plan[]): Promise<void> {
  const abort = new AbortController();
  await mapLimit(work, o.maxConcurrency, async (p) => {
    try {
      if (p.remote) await api.deleteAsset(p.remote.id, `deleting ${p.asset.storedName} before replacing it`, abort.signal);
      await uploadOne(api, o, release, p.asset, abort.signal);
    } catch (e) {
      // The first failure decides the run; the draft keeps what is in, and a re-run resumes.
      abort.abort(e);
      throw e;
    }
    const how = p.action === 'upload' ? 'uploaded' : p.action === 'replace' ? 'replaced' : 're-uploaded';
    o.log.info(`${p.action === 'upload' ? '+' : '~'} ${p.asset.storedName} (${p.asset.size} bytes, ${how})`);
  });
}

async function verify(api: RepoApi, o: PublishOptions, release: RemoteRelease): Promise<void> {
  const after = await api.listAssets(release.id);
  const problems: string[] = [];
  for (const a of o.assets) {
    const r = after.find((x) => x.name === a.storedName);
    if (!r) problems.push(`${a.storedName} is missing`);
    else if (r.state !== 'uploaded') problems.push(`${a.storedName} is in state ${r.state}`);
    else {
      const d = await api.assetDigest(r);
      if (d !== digestOf(a.sha256)) problems.push(`${a.storedName} has ${d}, expected ${digestOf(a.sha256)}`);
    }
  }
  if (problems.length) {
    throw new GoshipError(
      `Verification of the release assets failed${release.draft ? '; the release stays a draft' : ''}:\n  - ${problems.join('\n  - ')}`,
      'Re-run the job to resume',
    );
  }
  o.log.info(`Verified ${o.assets.length} asset digest(s) against the build.`);
}

// ---------- publishing ----------

/**
 * Publishes the draft. Read first: when another run working on the same draft published it
 * meanwhile, this run does not publish (or announce) it again.
 */
async function undraft(
  api: RepoApi,
  o: PublishOptions,
  release: RemoteRelease,
  all: readonly RemoteRelease[],
): Promise<{ release: RemoteRelease; published: boolean }> {
  const moved = (why: string) => new ReleaseMoved(`${why}; looking again.`);
  let fresh: RemoteRelease;
  try {
    fresh = await api.getRelease(release.id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw moved(`The draft ${release.id} of ${o.tag} disappeared before it was published`);
    throw e;
  }
  if (!fresh.draft) {
    o.log.info(`Release ${release.id} of ${o.tag} was published by another run meanwhile; its assets are verified.`);
    return { release: fresh, published: false };
  }
  try {
    const r = await api.updateRelease(release.id, `publishing the release ${o.tag}`, {
      draft: false,
      make_latest: o.makeLatest === 'auto' ? autoMakeLatest(o, all) : o.makeLatest,
      tag_name: o.tag,
      target_commitish: o.targetCommitish,
      // The notes people read, without goship's mark.
      body: o.body,
    });
    return { release: r, published: true };
  } catch (e) {
    if (e instanceof ApiError && e.status === 422 && e.codes.includes('already_exists')) {
      throw moved(`GitHub refused to publish draft ${release.id}: ${o.tag} was published from another release meanwhile`);
    }
    if (e instanceof ApiError && e.status === 404) throw moved(`The draft ${release.id} of ${o.tag} disappeared before it was published`);
    throw e;
  }
}

/** Deletes goship's drafts of a tag that has a published release: they can never be published. */
async function removeOrphans(api: RepoApi, o: PublishOptions, keep: number, drafts: readonly RemoteRelease[]): Promise<number[]> {
  const removed: number[] = [];
  for (const d of drafts) {
    if (d.id === keep || !markOf(d.body)) continue;
    if (await api.deleteRelease(d.id, `deleting the orphan draft ${d.id} of ${o.tag}`)) removed.push(d.id);
  }
  if (removed.length) o.log.info(`Deleted ${removed.length} orphan goship draft(s) of ${o.tag}: ${removed.join(', ')}.`);
  return removed;
}

async function publishOnce(api: RepoApi, o: PublishOptions, nonce: string, removedDrafts: number[]): Promise<PublishResult> {
  const found = await tagReleases(api, o.tag);
  let release = found.published ?? found.goship[0] ?? found.foreign[0];
  const wasPublished = release !== undefined && !release.draft;
  if (found.published) removedDrafts.push(...(await removeOrphans(api, o, found.published.id, found.goship)));
  if (!found.published && found.goship.length > 1) {
    o.log.info(
      `${found.goship.length} goship drafts exist for ${o.tag} (${found.goship.map((d) => d.id).join(', ')}); resuming the oldest.`,
    );
  }
  if (release && release === found.foreign[0]) o.log.info(`Adopting draft ${release.id} of ${o.tag}, which goship did not create.`);

  // Decide everything before the first change.
  const remote = release ? await api.listAssets(release.id) : [];
  const { plans, extra } = await decide(api, o, remote, release);

  let created = false;
  if (!release) {
    release = await settleDraft(api, o, await createDraft(api, o, nonce));
    created = true;
    o.log.info(`Created draft release ${release.id} for ${o.tag}.`);
  } else if (release.draft) release = await refreshNotes(api, o, release, nonce);
  else o.log.info(`Resuming published release ${release.id} of ${o.tag}.`);

  for (const p of plans.filter((x) => x.action === 'skip')) o.log.info(`= ${p.asset.storedName}: already there with the same digest`);
  await uploadAll(
    api,
    o,
    release,
    plans.filter((p) => p.action !== 'skip'),
  );
  await verify(api, o, release);

  let published = false;
  if (release.draft && !o.draft) {
    ({ release, published } = await undraft(api, o, release, found.all));
    const now = await tagReleases(api, o.tag);
    removedDrafts.push(...(await removeOrphans(api, o, release.id, now.goship)));
  }
  const outcome = (p: Plan): AssetOutcome => ({
    name: p.asset.storedName,
    ...(p.asset.name !== p.asset.storedName ? { localName: p.asset.name } : {}),
    size: p.asset.size,
    digest: digestOf(p.asset.sha256),
    action: p.action === 'skip' ? 'skipped' : p.action === 'upload' ? 'uploaded' : p.action === 'replace' ? 'replaced' : 'reuploaded',
  });
  return {
    releaseId: release.id,
    url: release.html_url,
    created,
    published,
    wasPublished: wasPublished || (!release.draft && !published),
    draft: release.draft,
    assets: plans.map(outcome),
    extra,
    removedDrafts,
  };
}

/** Publishes (or resumes) the release of `o.tag`; looks again, at most three times, when another run moved things. */
export async function publishRelease(api: RepoApi, o: PublishOptions): Promise<PublishResult> {
  const nonce = newNonce();
  const removed: number[] = [];
  for (let round = 1; ; round++) {
    try {
      return await publishOnce(api, o, nonce, removed);
    } catch (e) {
      if (!(e instanceof ReleaseMoved)) throw e;
      if (round >= 3) {
        throw new GoshipError(
          `The releases of ${o.tag} kept changing while this run published it: ${e.message}`,
          'Another job is publishing the same tag; let one finish (a `concurrency:` group per tag), then re-run this one',
        );
      }
      o.log.info(`${e.message} Looking at the releases of ${o.tag} again.`);
    }
  }
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
