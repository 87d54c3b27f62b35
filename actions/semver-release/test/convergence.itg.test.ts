/**
 * Releases converge under every fault GitHub can produce, proven through the committed bundle
 * against the GitHub API stand-in. Each case is followed by a re-run: one published release, all
 * assets correct (by the names GitHub stores), no orphan draft, nothing created, deleted or
 * uploaded again (0 bytes), and no request or response outside GitHub's OpenAPI description.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseRepo, errorOf, expectGateHeld, gateLog } from './release-repo.js';

const TAGS = [
  'v1.0.0',
  'v1.1.0',
  'v1.2.0',
  'v1.3.0',
  'v1.4.0',
  'v1.5.0',
  'v1.6.0',
  'v1.7.0',
  'v1.8.0',
  'v1.9.0',
  'v1.10.0',
  'v1.11.0',
  'v1.12.0',
];
let r: ReleaseRepo;

beforeAll(async () => {
  r = await ReleaseRepo.start(TAGS);
}, 120_000);
afterEach(() => {
  r.api.clearFaults();
  expect(r.api.violations).toEqual([]);
});
afterAll(() => r?.close());

const CREATE = { method: 'POST', route: '/repos/{owner}/{repo}/releases' } as const;

describe('a create whose answer was lost', () => {
  it.each([
    ['applied-status', 'v1.1.0'],
    ['reset-after', 'v1.2.0'],
  ] as const)('create applied, then %s: the run adopts the draft it created — one release, no orphan', async (kind, tag) => {
    const b = await r.build(tag, 3);
    r.api.resetCounters();
    r.api.inject({ ...CREATE, kind, status: 500 });
    const first = await r.publish(b);
    expect(first.exitCode, first.log).toBe(0);
    // One create reached GitHub and took effect; it was not sent blindly again.
    expect(r.api.counters.releasesCreated).toBe(1);
    expect(first.log).toMatch(/got no proper answer .* but GitHub created it: adopting release \d+/);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });

  it('a create refused before any effect (500) is tried again, once created', async () => {
    const b = await r.build('v1.3.0', 2);
    r.api.resetCounters();
    r.api.inject({ ...CREATE, kind: 'status', status: 502 }, { ...CREATE, kind: 'reset' });
    const first = await r.publish(b);
    expect(first.exitCode, first.log).toBe(0);
    expect(r.api.counters.releasesCreated).toBe(1);
    expect(first.log).toMatch(/nothing was created; trying again/);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });
});

describe('two runs for one tag', () => {
  it.each(['v1.4.0', 'v1.5.0'])('two concurrent runs of %s end with one published release and no orphan; both succeed', async (tag) => {
    const b = await r.build(tag, 4);
    r.api.resetCounters();
    const [one, two] = await Promise.all([r.publish(b), r.publish(b)]);
    expect(one.exitCode, one.log).toBe(0);
    expect(two.exitCode, two.log).toBe(0);
    // The tag was published once; both runs name that release.
    expect(r.api.counters.publishes).toBe(1);
    expect(one.outputs['release-id']).toBe(two.outputs['release-id']);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });

  it('a run that finds a goship draft adopts it; one that finds the tag published deletes the orphan draft an earlier run left', async () => {
    const b = await r.build('v1.6.0', 2);
    // An earlier run left a draft (draft: true), and another one published the tag meanwhile.
    const left = await r.publish(b, { draft: true });
    expect(left.exitCode, left.log).toBe(0);
    const [draft] = r.api.releaseByTag('v1.6.0');
    const published = r.api.seedRelease('v1.6.0', { draft: false, target: await r.repo.git('rev-parse', 'v1.6.0^{commit}') });
    for (const f of b.files) r.api.seedAsset(published.id, f.name, f.data);
    published.publishCount = 1;
    expect(r.api.orphanDrafts('v1.6.0').map((x) => x.id)).toEqual([draft!.id]);

    r.api.resetCounters();
    const again = await r.publish(b);
    expect(again.exitCode, again.log).toBe(0);
    expect(again.outputs['release-id']).toBe(String(published.id));
    expect(again.summary).toContain(`Orphan goship drafts of v1.6.0 deleted: ${draft!.id}`);
    expect(r.api.counters).toMatchObject({ bytesReceived: 0, releasesCreated: 0, publishes: 0 });
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });
});

describe('names GitHub renames', () => {
  it('assets are uploaded under the names GitHub stores, verified by them, and a re-run skips them: 0 bytes', async () => {
    const names = ['hello 1.0.0~x (copy).txt', '.notes'];
    const b = await r.build('v1.7.0', 1, { names });
    const files = ['*.tar.gz', '*_checksums.txt', ...names.map((n) => `dist/v1.7.0/${n}`)].join('\n');
    r.api.resetCounters();
    const first = await r.publish(b, { files });
    expect(first.exitCode, first.log).toBe(0);
    const warning = first.annotations
      .filter((a) => a.type === 'warning')
      .map((a) => a.message)
      .join('\n');
    expect(warning).toContain('hello 1.0.0~x (copy).txt → hello.1.0.0.x.copy.txt');
    expect(warning).toContain('.notes → default.notes');
    // What GitHub stores is what was asked for; the label keeps the build's name.
    const [rel] = r.api.tagView('v1.7.0');
    expect(rel!.assets.find((a) => a.name === 'default.notes')).toMatchObject({ requestedName: 'default.notes', state: 'uploaded' });
    expect(r.api.assetsOf(rel!.id).find((a) => a.name === 'hello.1.0.0.x.copy.txt')?.label).toBe('hello 1.0.0~x (copy).txt');
    r.expectPublished(b);
    const again = await r.expectRerunConverges(b, { files });
    expect(JSON.parse(again.outputs.skipped!).map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['hello.1.0.0.x.copy.txt', 'default.notes']),
    );
  });
});

describe('rate limits pause every write', () => {
  it('a secondary limit during uploads at concurrency 3: no upload is sent inside the window', async () => {
    const b = await r.build('v1.8.0', 8);
    r.api.resetCounters();
    const before = r.api.sentAfterNotice().length;
    r.api.inject({ host: 'uploads', skip: 2, kind: 'secondary', retryAfter: 2 });
    const first = await r.run({ command: 'publish', tag: b.tag, manifest: b.manifestPath, 'max-concurrency': 3 }, { RUNNER_DEBUG: '1' });
    expect(first.exitCode, first.log).toBe(0);
    expect(r.api.counters.secondaryLimited).toBeGreaterThanOrEqual(1);
    // At most the other two workers' uploads were on their way when the refusal reached the client.
    const onTheirWay = r.api.sentAfterNotice().slice(before);
    expect(onTheirWay.length).toBeLessThanOrEqual(2);
    expectGateHeld(gateLog(first.log), onTheirWay);
    // Every upload the stand-in accepted after its refusal went out arrived after the window ended.
    const w = r.api.windows.at(-1)!;
    expect(w.kind).toBe('secondary');
    const after = r.api.log.filter((l) => l.host === 'uploads' && l.seq > w.noticeSeq! && l.status === 201);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((l) => l.at))).toBeGreaterThanOrEqual(w.until);
    expect(first.log).toMatch(/secondary rate limit on POST .*: every write waits 2 s/);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });

  it('the primary limit during uploads holds back every request until the reset', async () => {
    const b = await r.build('v1.9.0', 6);
    r.api.resetCounters();
    r.api.inject({ host: 'uploads', skip: 2, kind: 'primary', resetIn: 2 });
    const first = await r.run({ command: 'publish', tag: b.tag, manifest: b.manifestPath, 'max-concurrency': 3 }, { RUNNER_DEBUG: '1' });
    expect(first.exitCode, first.log).toBe(0);
    expect(r.api.counters.primaryLimited).toBeGreaterThanOrEqual(1);
    const onTheirWay = r.api.sentAfterNotice('primary');
    expect(onTheirWay.length).toBeLessThanOrEqual(2);
    expectGateHeld(gateLog(first.log), onTheirWay);
    const w = r.api.windows.at(-1)!;
    expect(w.kind).toBe('primary');
    const accepted = r.api.log.filter((l) => l.seq > w.noticeSeq! && l.status < 400);
    expect(accepted.length).toBeGreaterThan(0);
    expect(Math.min(...accepted.map((l) => l.at))).toBeGreaterThanOrEqual(w.until);
    expect(first.annotations.some((a) => a.type === 'warning' && /primary rate limit exhausted/.test(a.message))).toBe(true);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });
});

describe('what a run says, and what it refuses', () => {
  it('a connection dropped on every upload is reported as a connection reset, not HTTP 500; the re-run converges', async () => {
    const b = await r.build('v1.10.0', 2);
    r.api.inject({ host: 'uploads', kind: 'reset', times: Infinity });
    const first = await r.publish(b, { 'max-concurrency': 1 });
    r.api.clearFaults();
    expect(first.exitCode).toBe(1);
    expect(errorOf(first)).toMatch(
      /GitHub did not answer while uploading .*: connection reset: the connection was closed before GitHub answered/,
    );
    expect(errorOf(first)).not.toMatch(/HTTP 500/);
    // One draft stays, nothing published.
    expect(r.api.tagView('v1.10.0').map((x) => [x.draft, x.assets.length])).toEqual([[true, 0]]);
    r.api.resetCounters();
    const second = await r.publish(b);
    expect(second.exitCode, second.log).toBe(0);
    expect(r.api.counters.releasesCreated).toBe(0);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });

  it('a manifest built for another version or commit is refused before any request, naming both', async () => {
    const other = await r.build('v1.11.0', 1, { version: '1.10.9' });
    const commit = await r.repo.git('rev-parse', 'v1.11.0^{commit}');
    r.api.resetCounters();
    const wrongVersion = await r.publish(other);
    expect(wrongVersion.exitCode).toBe(1);
    expect(errorOf(wrongVersion)).toContain(`expected a manifest built for v1.11.0: version 1.11.0 at commit ${commit}`);
    expect(errorOf(wrongVersion)).toContain(`It was built for version 1.10.9 at commit ${commit}`);
    const elsewhere = await r.repo.git('rev-parse', 'v1.10.0^{commit}');
    const wrongCommit = await r.publish(await r.build('v1.11.0', 1, { commit: elsewhere }));
    expect(errorOf(wrongCommit)).toContain(`It was built for version 1.11.0 at commit ${elsewhere}`);
    expect(r.api.counters.requests).toBe(0);
    const b = await r.build('v1.11.0', 1);
    const ok = await r.publish(b);
    expect(ok.exitCode, ok.log).toBe(0);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });
});

describe('faults that already converged stay so', () => {
  it('a 502 that leaves a starter asset, a connection dropped mid-body, an upload applied then answered 500', async () => {
    const b = await r.build('v1.12.0', 4, { size: 64 * 1024 });
    r.api.resetCounters();
    r.api.inject(
      { host: 'uploads', kind: 'starter' },
      { host: 'uploads', kind: 'reset-during', afterBytes: 10_000 },
      // Three uploads later (the first asset, sent again twice, then two more): applied, then 500.
      { host: 'uploads', kind: 'applied-status', status: 500, skip: 3 },
    );
    const first = await r.publish(b, { 'max-concurrency': 1 });
    expect(first.exitCode, first.log).toBe(0);
    expect(r.api.faults.map((f) => f.times)).toEqual([0, 0, 0]);
    // The upload that was applied before its 500 was found by looking: its body was sent once.
    const lost = r.api.log.find((l) => l.host === 'uploads' && l.status === 500)!;
    const name = new URL(lost.url, 'http://x').searchParams.get('name')!;
    const file = b.files.find((f) => f.name === name)!;
    expect(r.api.counters.bytesByName[name]).toBe(file.data.length);
    r.expectPublished(b);
    await r.expectRerunConverges(b);
  });
});
