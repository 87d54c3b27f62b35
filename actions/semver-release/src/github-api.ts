/**
 * The GitHub requests semver-release makes, on one client whose rate limits go through one
 * PauseGate (a limit told to one upload holds back every upload), with failures turned into
 * errors that say what happened and what to do. Requests whose answer can be lost after GitHub
 * applied them (creating a release, uploading an asset) are sent once: the caller looks at what is
 * there before trying again, instead of the retry plugin creating a second release.
 */
import { GoshipError } from '@goship/core/errors';
import { type Octokit, type Repo, connectionFailure, octokit, rateLimitOf } from '@goship/core/github';
import { PauseGate } from '@goship/core/retry';
import { createHash } from 'node:crypto';

export interface RemoteAsset {
  id: number;
  name: string;
  label?: string | null;
  state: string;
  size: number;
  digest?: string | null;
}

export interface RemoteRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  upload_url: string;
  html_url: string;
  immutable?: boolean;
  body?: string | null;
  name?: string | null;
}

/** A GitHub request that failed, said for people; `transient` when trying again may work. */
export class ApiError extends GoshipError {
  override name = 'ApiError';
  constructor(
    what: string,
    fix: string,
    readonly status: number | undefined,
    /** The answer was lost or GitHub failed (5xx): the change may or may not have been applied. */
    readonly transient: boolean,
    /** GitHub's `errors[].code` values (422 validation failures). */
    readonly codes: readonly string[],
    cause: unknown,
  ) {
    super(what, fix, { cause });
  }
  /** Why, in a few words, for "… failed (why); trying again". */
  get reason(): string {
    return this.what.replace(/^.*?: /, '').replace(/\.$/, '');
  }
}

const RESUME = 'Nothing is published until every asset is verified; re-run the job to resume from where it stopped';

/** Turns an Octokit failure into an ApiError that says what to do. */
export function apiError(e: unknown, what: string, repo: Repo): Error {
  if (e instanceof ApiError) return e;
  const err = e as { status?: number; message?: string; response?: { data?: { message?: string; errors?: { code?: string }[] } } };
  const lost = connectionFailure(e);
  if (lost) return new ApiError(`GitHub did not answer while ${what}: ${lost}.`, RESUME, undefined, true, [], e);
  if (typeof err?.status !== 'number') return e instanceof Error ? e : new Error(String(e));
  const status = err.status;
  const msg = err.response?.data?.message ?? err.message ?? '';
  const codes = (err.response?.data?.errors ?? []).map((x) => x.code ?? '').filter(Boolean);
  const where = `${repo.owner}/${repo.repo}`;
  const make = (text: string, fix: string, transient = false) => new ApiError(text, fix, status, transient, codes, e);
  if (status === 401)
    return make(`GitHub refused the token (401 ${msg}) while ${what}.`, 'Pass a valid token (`token: ${{ github.token }}` is the default)');
  if (rateLimitOf(e, true))
    return make(`GitHub's rate limit was still exceeded after waiting as told while ${what} (${status}: ${msg}).`, RESUME);
  if (status === 403) {
    return make(
      `The token may not write to ${where} (403: ${msg}) while ${what}.`,
      'Give the job `permissions: contents: write` (or use a token with the Contents write permission)',
    );
  }
  if (status === 404)
    return make(`GitHub answered 404 while ${what} in ${where}.`, `Check \`repository:\` and that the token can see ${where}`);
  return make(`GitHub API error while ${what}: HTTP ${status} ${msg}.`, RESUME, status >= 500 || status === 408);
}

/** A GitHub client for semver-release: the token's client, every rate limit through one gate. */
export function githubClient(token: string, baseUrl?: string): Octokit {
  return octokit(token, { gate: new PauseGate(), ...(baseUrl ? { baseUrl } : {}) });
}

export class RepoApi {
  constructor(
    readonly gh: Octokit,
    readonly repo: Repo,
  ) {}

  get fullName(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw apiError(e, what, this.repo);
    }
  }

  /** Every release, drafts included (get-by-tag never returns a draft). */
  listReleases(): Promise<RemoteRelease[]> {
    return this.call('listing releases', async () => {
      const all = await this.gh.paginate(this.gh.rest.repos.listReleases, { ...this.repo, per_page: 100 });
      return all;
    });
  }

  getRelease(id: number): Promise<RemoteRelease> {
    return this.call(`reading release ${id}`, async () => (await this.gh.rest.repos.getRelease({ ...this.repo, release_id: id })).data);
  }

  /** Sent once: a lost answer may hide a release that exists (the caller looks before trying again). */
  createRelease(fields: {
    tag_name: string;
    name: string;
    body: string;
    prerelease: boolean;
    target_commitish: string;
  }): Promise<RemoteRelease> {
    return this.call(`creating the draft release ${fields.tag_name}`, async () => {
      const r = await this.gh.rest.repos.createRelease({ ...this.repo, ...fields, draft: true, request: { retries: 0 } });
      return r.data;
    });
  }

  updateRelease(
    id: number,
    what: string,
    fields: Partial<{
      name: string;
      body: string;
      prerelease: boolean;
      draft: boolean;
      make_latest: 'true' | 'false';
      tag_name: string;
      target_commitish: string;
    }>,
  ): Promise<RemoteRelease> {
    return this.call(what, async () => {
      const r = await this.gh.rest.repos.updateRelease({ ...this.repo, release_id: id, ...fields });
      return r.data;
    });
  }

  /** Deletes a release; false when it was already gone. */
  async deleteRelease(id: number, what: string): Promise<boolean> {
    try {
      await this.call(what, () => this.gh.rest.repos.deleteRelease({ ...this.repo, release_id: id }));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return false;
      throw e;
    }
  }

  listAssets(releaseId: number): Promise<RemoteAsset[]> {
    return this.call('listing release assets', async () => {
      const all = await this.gh.paginate(this.gh.rest.repos.listReleaseAssets, { ...this.repo, release_id: releaseId, per_page: 100 });
      return all;
    });
  }

  /** Sent once (a lost answer may hide a stored asset); the signal stops it when another upload failed for good. */
  uploadAsset(
    release: RemoteRelease,
    a: { storedName: string; name: string; contentType: string },
    data: Buffer,
    signal: AbortSignal,
  ): Promise<RemoteAsset> {
    return this.call(`uploading ${a.storedName}`, async () => {
      const r = await this.gh.rest.repos.uploadReleaseAsset({
        ...this.repo,
        release_id: release.id,
        url: release.upload_url,
        name: a.storedName,
        // The release page shows the label instead of the name: the name the build gave it.
        ...(a.name !== a.storedName ? { label: a.name } : {}),
        data: data as unknown as string,
        headers: { 'content-type': a.contentType },
        request: { signal, retries: 0 },
      });
      return r.data;
    });
  }

  /** Deletes an asset; false when it was already gone. */
  async deleteAsset(id: number, what: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call(what, () =>
        this.gh.rest.repos.deleteReleaseAsset({ ...this.repo, asset_id: id, ...(signal ? { request: { signal } } : {}) }),
      );
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return false;
      throw e;
    }
  }

  /** `sha256:<hex>` of a stored asset: GitHub's digest, or the bytes downloaded and hashed when it has none. */
  async assetDigest(a: RemoteAsset): Promise<string> {
    if (a.digest) return a.digest;
    const r = await this.call(`downloading ${a.name} to check its digest`, () =>
      this.gh.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
        ...this.repo,
        asset_id: a.id,
        headers: { accept: 'application/octet-stream' },
      }),
    );
    const data = r.data as unknown;
    const bytes = data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data as string);
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  }

  async generateNotes(tag: string, target: string, previousTag: string | undefined): Promise<string> {
    return this.call('generating release notes', async () => {
      const r = await this.gh.rest.repos.generateReleaseNotes({
        ...this.repo,
        tag_name: tag,
        target_commitish: target,
        ...(previousTag ? { previous_tag_name: previousTag } : {}),
      });
      return r.data.body;
    });
  }
}
