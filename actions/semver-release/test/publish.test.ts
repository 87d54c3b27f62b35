/**
 * publishRelease against the GitHub API stand-in, for the cases that need a prepared remote state:
 * broken uploads, duplicate drafts, published and immutable releases, assets without digests.
 */
import { hashBytes } from '@goship/core/digest';
import { octokit } from '@goship/core/github';
import type { SemVer } from '@goship/core/semver';
import { tempDir } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAsset } from '../src/assets.js';
import { type PublishOptions, autoMakeLatest, publishRelease } from '../src/publish.js';

const SHA = 'c'.repeat(40);
let api: GitHubApiStandIn;
let assets: LocalAsset[];
const warnings: string[] = [];

beforeAll(async () => {
  api = await GitHubApiStandIn.start();
  api.addCommit({ sha: SHA, parents: [], message: 'feat: x', author: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' });
  const dir = await tempDir('goship-assets-');
  assets = [];
  for (const name of ['a.tar.gz', 'b.tar.gz']) {
    const data = Buffer.from(`content of ${name}`);
    await writeFile(path.join(dir, name), data);
    assets.push({
      name,
      file: path.join(dir, name),
      size: data.length,
      sha256: hashBytes(data),
      contentType: 'application/gzip',
      kind: 'archive',
    });
  }
});
afterAll(() => api?.close());

const v = (s: string): SemVer => {
  const [major, minor, patch] = s.split('.').map(Number) as [number, number, number];
  return { major, minor, patch, prerelease: [], build: [] };
};

function opts(tag: string, extra: Partial<PublishOptions> = {}): PublishOptions {
  return {
    repo: { owner: 'goship-test', repo: 'hello' },
    tag,
    name: tag,
    body: 'notes',
    prerelease: false,
    draft: false,
    makeLatest: 'auto',
    prefix: 'v',
    version: v(tag.slice(1)),
    targetCommitish: SHA,
    assets,
    replaceMismatched: false,
    maxConcurrency: 2,
    log: { info: () => {}, warning: (m) => warnings.push(m) },
    ...extra,
  };
}

const gh = () => octokit('test-token', { baseUrl: api.url });

describe('publishRelease', () => {
  it('replaces an upload that broke half-way (state open) without asking for replace-mismatched', async () => {
    const rel = api.seedRelease('v1.0.0', { target: SHA });
    api.seedAsset(rel.id, 'a.tar.gz', Buffer.from('cont'), 'open');
    const r = await publishRelease(gh(), opts('v1.0.0'));
    expect(r.assets.map((a) => [a.name, a.action])).toEqual([
      ['a.tar.gz', 'reuploaded'],
      ['b.tar.gz', 'uploaded'],
    ]);
    expect(
      api
        .assetsOf(rel.id)
        .map((a) => [a.name, a.state, a.digest])
        .sort(),
    ).toEqual(assets.map((a) => [a.name, 'uploaded', `sha256:${a.sha256}`]));
    expect(rel).toMatchObject({ draft: false, publishCount: 1 });
  });

  it('resumes the oldest of duplicate drafts and says so', async () => {
    const first = api.seedRelease('v1.1.0', { target: SHA });
    const second = api.seedRelease('v1.1.0', { target: SHA });
    const r = await publishRelease(gh(), opts('v1.1.0'));
    expect(r.releaseId).toBe(first.id);
    expect(second.draft).toBe(true);
    expect(warnings.join('\n')).toMatch(/2 draft releases exist for v1\.1\.0/);
  });

  it('leaves the release a draft when draft is true, and publishes it on a later run', async () => {
    const r = await publishRelease(gh(), opts('v1.2.0', { draft: true }));
    expect(r).toMatchObject({ created: true, published: false, draft: true });
    expect(api.releases.get(r.releaseId)?.draft).toBe(true);
    api.resetCounters();
    const r2 = await publishRelease(gh(), opts('v1.2.0'));
    expect(r2).toMatchObject({ created: false, published: true });
    expect(api.counters.bytesReceived).toBe(0);
  });

  it('refuses to add assets to a published immutable release, changing nothing', async () => {
    api.immutableReleases = true;
    try {
      const rel = api.seedRelease('v1.3.0', { draft: false, target: SHA });
      api.seedAsset(rel.id, 'a.tar.gz', Buffer.from('content of a.tar.gz'));
      api.resetCounters();
      await expect(publishRelease(gh(), opts('v1.3.0'))).rejects.toThrow(/published and immutable, but lacks b\.tar\.gz/);
      expect(api.counters.mutations).toBe(0);
    } finally {
      api.immutableReleases = false;
    }
  });

  it('checks assets without a GitHub digest by downloading them', async () => {
    const rel = api.seedRelease('v1.4.0', { target: SHA });
    api.seedAsset(rel.id, 'a.tar.gz', Buffer.from('content of a.tar.gz'));
    api.reportDigests = false;
    try {
      api.resetCounters();
      const r = await publishRelease(gh(), opts('v1.4.0'));
      expect(r.assets.find((a) => a.name === 'a.tar.gz')?.action).toBe('skipped');
      expect(api.counters.bytesByName['a.tar.gz']).toBeUndefined();
      expect(api.log.some((l) => l.body === '<bytes>')).toBe(true);
    } finally {
      api.reportDigests = true;
    }
  });

  it('make-latest auto: not for a maintenance release below the newest stable', () => {
    const all = [
      { tag_name: 'v2.0.0', draft: false, prerelease: false },
      { tag_name: 'v3.0.0-rc.1', draft: false, prerelease: true },
      { tag_name: 'api/v9.0.0', draft: false, prerelease: false },
    ];
    expect(autoMakeLatest({ prerelease: false, prefix: 'v', version: v('1.2.5'), tag: 'v1.2.5' }, all)).toBe('false');
    expect(autoMakeLatest({ prerelease: false, prefix: 'v', version: v('2.1.0'), tag: 'v2.1.0' }, all)).toBe('true');
    expect(autoMakeLatest({ prerelease: true, prefix: 'v', version: v('2.1.0'), tag: 'v2.1.0' }, all)).toBe('false');
  });
});

describe('publishRelease on a published release', () => {
  it('never replaces a mismatched asset, even with replace-mismatched', async () => {
    const rel = api.seedRelease('v1.5.0', { draft: false, target: SHA });
    api.seedAsset(rel.id, 'a.tar.gz', Buffer.from('what people downloaded'));
    api.resetCounters();
    await expect(publishRelease(gh(), opts('v1.5.0', { replaceMismatched: true }))).rejects.toThrow(
      /published release v1\.5\.0 already has 1 asset\(s\) with different content.*release a new version/s,
    );
    expect(api.counters.mutations).toBe(0);
  });
});

describe('publishRelease failing for good', () => {
  it('stops the other uploads at the first hard failure and leaves a draft', async () => {
    api.resetCounters();
    // The first upload is told to wait (secondary limit); the second fails for good meanwhile.
    api.inject(
      { host: 'uploads', kind: 'secondary', retryAfter: 3 },
      { host: 'uploads', kind: 'status', status: 401, message: 'Bad credentials' },
    );
    await expect(publishRelease(gh(), opts('v1.6.0', { maxConcurrency: 2 }))).rejects.toThrow(/401/);
    api.clearFaults();
    // The waiting upload was not sent again after the failure: two upload requests in all.
    expect(api.log.filter((l) => l.host === 'uploads').map((l) => l.status)).toEqual([403, 401]);
    const [rel] = api.releaseByTag('v1.6.0');
    expect(rel).toMatchObject({ draft: true, publishCount: 0 });
    expect(api.assetsOf(rel!.id)).toEqual([]);
  });
});
