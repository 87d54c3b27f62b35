/**
 * publishRelease against the GitHub API stand-in, for the cases that need a prepared remote state:
 * broken uploads, duplicate and hand-made drafts, published and immutable releases, assets
 * without digests, goship's mark. (The faults are proven through the bundle in convergence.itg.)
 */
import { hashBytes } from '@goship/core/digest';
import type { SemVer } from '@goship/core/semver';
import { tempDir } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAsset } from '../src/assets.js';
import { RepoApi, githubClient } from '../src/github-api.js';
import { type PublishOptions, autoMakeLatest, markBody, markOf, publishRelease, unmarked } from '../src/publish.js';

const SHA = 'c'.repeat(40);
let api: GitHubApiStandIn;
let assets: LocalAsset[];
const warnings: string[] = [];
const infos: string[] = [];

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
      storedName: name,
      file: path.join(dir, name),
      size: data.length,
      sha256: hashBytes(data),
      contentType: 'application/gzip',
      kind: 'archive',
    });
  }
});
afterEach(() => {
  expect(api.violations).toEqual([]);
});
afterAll(() => api?.close());

const v = (s: string): SemVer => {
  const [major, minor, patch] = s.split('.').map(Number) as [number, number, number];
  return { major, minor, patch, prerelease: [], build: [] };
};

function opts(tag: string, extra: Partial<PublishOptions> = {}): PublishOptions {
  return {
    tag,
    name: tag,
    body: 'notes\n',
    prerelease: false,
    draft: false,
    makeLatest: 'auto',
    prefix: 'v',
    version: v(tag.slice(1)),
    targetCommitish: SHA,
    assets,
    replaceMismatched: false,
    maxConcurrency: 2,
    log: { info: (m) => infos.push(m), warning: (m) => warnings.push(m) },
    backoffMs: () => 0,
    ...extra,
  };
}

const gh = () => new RepoApi(githubClient('test-token', api.url), { owner: 'goship-test', repo: 'hello' });

describe("goship's mark", () => {
  it('is an HTML comment at the end of the notes, found again, and removed cleanly', () => {
    const body = markBody('## 1.0.0\n\n- x\n', 'abc123');
    expect(body).toBe('## 1.0.0\n\n- x\n\n<!-- goship:release abc123 -->\n');
    expect(markOf(body)).toBe('abc123');
    expect(markOf('## 1.0.0\n')).toBeUndefined();
    expect(markOf('<!-- goship:release abc --> and more text')).toBeUndefined();
    expect(unmarked(body)).toBe('## 1.0.0\n\n- x\n');
    expect(unmarked('plain\n')).toBe('plain\n');
    // GitHub may hand a body back with CRLF.
    expect(markOf(body.replace(/\n/g, '\r\n'))).toBe('abc123');
  });
});

describe('publishRelease', () => {
  it('creates a marked draft, publishes it with the mark removed', async () => {
    api.resetCounters();
    const r = await publishRelease(gh(), opts('v0.9.0'));
    expect(r).toMatchObject({ created: true, published: true, draft: false, removedDrafts: [] });
    const [rel] = api.releaseByTag('v0.9.0');
    expect(rel!.body).toBe('notes\n');
    // The draft carried the mark while it was one.
    const create = api.log.find((l) => l.method === 'POST' && l.route === '/repos/{owner}/{repo}/releases');
    expect(markOf((create!.body as { body: string }).body)).toMatch(/^[0-9a-f]{16}$/);
  });

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

  it('resumes the oldest goship draft, prefers it to a hand-made one, and deletes the other goship drafts after publishing', async () => {
    const byHand = api.seedRelease('v1.1.0', { target: SHA, body: 'written by a person' });
    const first = api.seedRelease('v1.1.0', { target: SHA, body: markBody('old notes', 'aaaa') });
    const second = api.seedRelease('v1.1.0', { target: SHA, body: markBody('old notes', 'bbbb') });
    infos.length = 0;
    const r = await publishRelease(gh(), opts('v1.1.0'));
    expect(r.releaseId).toBe(first.id);
    expect(r.removedDrafts).toEqual([second.id]);
    expect(api.releases.has(second.id)).toBe(false);
    // A draft goship did not make is never deleted.
    expect(api.releases.get(byHand.id)).toMatchObject({ draft: true, body: 'written by a person' });
    expect(infos.join('\n')).toMatch(/2 goship drafts exist for v1\.1\.0/);
  });

  it('adopts a hand-made draft when there is no goship draft', async () => {
    const byHand = api.seedRelease('v1.1.1', { target: SHA, body: 'by hand' });
    const r = await publishRelease(gh(), opts('v1.1.1'));
    expect(r).toMatchObject({ releaseId: byHand.id, created: false, published: true });
    expect(api.releaseByTag('v1.1.1')).toHaveLength(1);
  });

  it('leaves the release a draft when draft is true, and publishes it on a later run', async () => {
    const r = await publishRelease(gh(), opts('v1.2.0', { draft: true }));
    expect(r).toMatchObject({ created: true, published: false, draft: true });
    expect(api.releases.get(r.releaseId)?.draft).toBe(true);
    expect(markOf(api.releases.get(r.releaseId)?.body)).toBeDefined();
    api.resetCounters();
    const r2 = await publishRelease(gh(), opts('v1.2.0'));
    expect(r2).toMatchObject({ created: false, published: true });
    expect(api.counters.bytesReceived).toBe(0);
    // Same notes: the draft was not updated before publishing.
    expect(api.log.filter((l) => l.method === 'PATCH')).toHaveLength(1);
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
      expect(api.counters.byHost.downloads.requests).toBeGreaterThan(0);
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

/** A client on which another run acts at the worst moment: just before this run's create or publish lands. */
class RacedApi extends RepoApi {
  constructor(private readonly before: { create?: () => void; publish?: () => void }) {
    super(githubClient('test-token', api.url), { owner: 'goship-test', repo: 'hello' });
  }
  override createRelease(fields: Parameters<RepoApi['createRelease']>[0]) {
    this.before.create?.();
    this.before.create = undefined;
    return super.createRelease(fields);
  }
  override updateRelease(id: number, what: string, fields: Parameters<RepoApi['updateRelease']>[2]) {
    if (fields.draft === false) this.before.publish?.();
    if (fields.draft === false) this.before.publish = undefined;
    return super.updateRelease(id, what, fields);
  }
}

describe('publishRelease racing another run', () => {
  it('another run created a goship draft first: this run deletes its own and finishes that one', async () => {
    let theirs = 0;
    const raced = new RacedApi({
      create: () => (theirs = api.seedRelease('v2.0.0', { target: SHA, body: markBody('notes', 'other') }).id),
    });
    infos.length = 0;
    const r = await publishRelease(raced, opts('v2.0.0'));
    expect(r).toMatchObject({ releaseId: theirs, published: true, created: false });
    expect(api.tagView('v2.0.0').map((x) => [x.id, x.draft, x.assets.length])).toEqual([[theirs, false, 2]]);
    expect(infos.join('\n')).toMatch(/Another run created a draft for v2\.0\.0 first \(release \d+\); this run's draft \d+ was deleted/);
  });

  it('another release of the tag was published just before this run publishes: it converges on that one and removes its draft', async () => {
    let theirs = 0;
    const raced = new RacedApi({ publish: () => (theirs = api.seedRelease('v2.1.0', { draft: false, target: SHA }).id) });
    warnings.length = 0;
    const r = await publishRelease(raced, opts('v2.1.0'));
    // GitHub refused the second publish (already_exists); the run added its assets to the published release.
    expect(r).toMatchObject({ releaseId: theirs, published: false, wasPublished: true });
    expect(r.removedDrafts).toHaveLength(1);
    expect(api.tagView('v2.1.0').map((x) => [x.id, x.draft, x.assets.length])).toEqual([[theirs, false, 2]]);
    expect(api.orphanDrafts('v2.1.0')).toEqual([]);
    expect(warnings.join('\n')).toMatch(/already published without a\.tar\.gz, b\.tar\.gz; adding them/);
  });
});

describe('publishRelease on a published release', () => {
  it('never replaces a mismatched asset, even with replace-mismatched, but removes goship drafts that can never be published', async () => {
    const rel = api.seedRelease('v1.5.0', { draft: false, target: SHA });
    api.seedAsset(rel.id, 'a.tar.gz', Buffer.from('what people downloaded'));
    const orphan = api.seedRelease('v1.5.0', { target: SHA, body: markBody('x', 'cccc') });
    api.resetCounters();
    await expect(publishRelease(gh(), opts('v1.5.0', { replaceMismatched: true }))).rejects.toThrow(
      /published release v1\.5\.0 already has 1 asset\(s\) with different content.*release a new version/s,
    );
    expect(api.assetsOf(rel.id).map((a) => a.data.toString())).toEqual(['what people downloaded']);
    expect(api.releases.has(orphan.id)).toBe(false);
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
    const [rel, ...more] = api.releaseByTag('v1.6.0');
    expect(more).toEqual([]);
    expect(rel).toMatchObject({ draft: true, publishCount: 0 });
    expect(api.assetsOf(rel!.id)).toEqual([]);
  });
});
