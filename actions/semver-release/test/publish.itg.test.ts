/**
 * semver-release's committed bundle, run like the runner does, against the GitHub API stand-in:
 * draft → uploads → verify → publish; re-runs converge; faults mid-upload resume without
 * re-sending correct assets; rate limits are honoured; mismatches fail unless replaced; floating
 * tags, the tag command, announcements and bad input.
 */
import { formatChecksums, hashBytes } from '@goship/core/digest';
import type { Manifest } from '@goship/core/manifest';
import { type GitRepo, actionDir, fixtureRepo, runAction } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('semver-release');
let repo: GitRepo;
let api: GitHubApiStandIn;
const shas: Record<string, string> = {};

interface Built {
  manifestPath: string;
  files: { name: string; data: Buffer }[];
}

/** Writes a small build of `version` under dist/<version>/: M archives, a checksums file and a manifest. */
async function build(version: string, m: number, salt = ''): Promise<Built> {
  const out = path.join(repo.dir, 'dist', version);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const files: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < m; i++) {
    const name = `hello_${version}_os${i}_amd64.tar.gz`;
    const data = Buffer.alloc(4096 + i * 512, `${name}${salt}`);
    files.push({ name, data });
  }
  const checksums = formatChecksums(files.map((f) => ({ name: f.name, digest: hashBytes(f.data) })));
  files.push({ name: `hello_${version}_checksums.txt`, data: Buffer.from(checksums) });
  for (const f of files) await writeFile(path.join(out, f.name), f.data);
  await writeFile(path.join(out, 'hello'), 'binary');
  const manifest: Manifest = {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version,
    tag: `v${version}`,
    commit: shas[`v${version}`] ?? (await repo.head()),
    commitTime: '2026-01-01T00:00:00Z',
    traceId: `trace-${version}`,
    artifacts: [
      { kind: 'binary', name: 'hello', path: `dist/${version}/hello`, os: 'linux', arch: 'amd64', sha256: hashBytes('binary') },
      ...files.map((f) =>
        f.name.endsWith('.txt')
          ? { kind: 'checksums' as const, name: f.name, path: `dist/${version}/${f.name}` }
          : { kind: 'archive' as const, name: f.name, path: `dist/${version}/${f.name}`, sha256: hashBytes(f.data) },
      ),
    ],
  };
  const manifestPath = `dist/${version}/goship-manifest.json`;
  await writeFile(path.join(repo.dir, manifestPath), JSON.stringify(manifest, null, 2));
  return { manifestPath, files };
}

function run(inputs: Record<string, string | number | boolean>, env: Record<string, string> = {}) {
  return runAction(dir, {
    cwd: repo.dir,
    inputs: { token: 'test-token', ...inputs },
    env: { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'goship-test/hello', GITHUB_RUN_ID: '4242', ...env },
  });
}

const visible = (log: string) =>
  log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const errorOf = (r: { annotations: { type: string; message: string }[] }) => r.annotations.find((a) => a.type === 'error')?.message ?? '';

beforeAll(async () => {
  repo = await fixtureRepo('hello', {
    history: [
      { message: 'feat: greet by name', tag: 'v1.0.0' },
      { message: 'fix: trailing newline (#2)', tag: 'v1.1.0' },
      { message: 'feat(cli): --json flag (#3)', tag: 'v1.2.0' },
      { message: 'perf: faster hello', tag: 'v1.3.0' },
      { message: 'fix: spacing', tag: 'v1.4.0' },
      { message: 'feat: colours', tag: 'v1.5.0' },
      { message: 'fix: typo', tag: 'v1.6.0' },
      { message: 'feat: emoji', tag: 'v1.7.0' },
      { message: 'docs: readme' },
    ],
  });
  for (const t of ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0'])
    shas[t] = await repo.git('rev-parse', `${t}^{commit}`);
  shas.HEAD = await repo.head();
  api = await GitHubApiStandIn.start();
  await api.seedFromGit(repo.dir);
  // The remote has no release tags yet beyond v1.0.0: publishing creates them, as on GitHub.
  for (const ref of [...api.refs.keys()]) if (ref.startsWith('refs/tags/') && ref !== 'refs/tags/v1.0.0') api.refs.delete(ref);
}, 120_000);
afterEach(() => {
  expect(api.violations).toEqual([]);
});
afterAll(() => api?.close());

describe('publish', () => {
  it('creates a draft, uploads, verifies every digest, then publishes once', async () => {
    const b = await build('1.1.0', 3);
    api.resetCounters();
    const r = await run({ command: 'publish', tag: 'v1.1.0', manifest: b.manifestPath });
    expect(r.exitCode, r.log).toBe(0);
    const [rel, ...dupes] = api.releaseByTag('v1.1.0');
    expect(dupes).toEqual([]);
    expect(rel).toMatchObject({ draft: false, publishCount: 1, prerelease: false });
    const assets = api.assetsOf(rel!.id);
    expect(assets.map((a) => a.name).sort()).toEqual(b.files.map((f) => f.name).sort());
    for (const f of b.files) expect(assets.find((a) => a.name === f.name)?.digest).toBe(`sha256:${hashBytes(f.data)}`);
    // The raw binary is not an asset; the manifest's file artifacts are.
    expect(assets.some((a) => a.name === 'hello')).toBe(false);
    // Order on the wire: create the draft, upload everything, then publish.
    const muts = api.log.filter((l) => l.mutation);
    expect(muts[0]).toMatchObject({ method: 'POST', route: '/repos/{owner}/{repo}/releases' });
    expect(muts.at(-1)).toMatchObject({ method: 'PATCH', route: '/repos/{owner}/{repo}/releases/{release_id}' });
    expect(muts.filter((l) => l.route.endsWith('/assets')).length).toBe(4);
    expect(api.refs.get('refs/tags/v1.1.0')).toBe(shas['v1.1.0']);
    expect(api.latestReleaseId).toBe(rel!.id);
    // Notes: changelog with links, verification commands, trace id.
    expect(rel!.body).toContain('## [1.1.0](https://github.com/goship-test/hello/compare/v1.0.0...v1.1.0)');
    expect(rel!.body).toContain('[#2](https://github.com/goship-test/hello/pull/2)');
    expect(rel!.body).toContain('sha256sum --ignore-missing -c hello_1.1.0_checksums.txt');
    expect(rel!.body).toContain('goship trace id: `trace-1.1.0`');
    expect(r.outputs).toMatchObject({
      version: '1.1.0',
      tag: 'v1.1.0',
      'previous-tag': 'v1.0.0',
      'release-id': String(rel!.id),
      major: '1',
      minor: '1',
      patch: '0',
    });
    expect(JSON.parse(r.outputs.uploaded!)).toHaveLength(4);
    expect(JSON.parse(r.outputs.skipped!)).toEqual([]);
    expect(r.summary).toContain('| hello_1.1.0_os0_amd64.tar.gz | uploaded |');
    expect(visible(r.log)).not.toContain('test-token');

    // A second run converges: nothing sent, nothing published again.
    api.resetCounters();
    const again = await run({ command: 'publish', tag: 'v1.1.0', manifest: b.manifestPath });
    expect(again.exitCode, again.log).toBe(0);
    expect(api.counters).toMatchObject({ mutations: 0, bytesReceived: 0, publishes: 0, releasesCreated: 0 });
    expect(JSON.parse(again.outputs.skipped!)).toHaveLength(4);
    expect(api.releaseByTag('v1.1.0')).toHaveLength(1);
  });

  it('resumes after a failure at upload k of M: no byte re-sent for correct assets, never published incomplete', async () => {
    const b = await build('1.2.0', 5);
    const k = 2;
    api.resetCounters();
    api.inject({ host: 'uploads', skip: k, times: Infinity, kind: 'status', status: 401, message: 'Bad credentials' });
    const first = await run({ command: 'publish', tag: 'v1.2.0', manifest: b.manifestPath, 'max-concurrency': 1 });
    api.clearFaults();
    expect(first.exitCode).toBe(1);
    expect(errorOf(first)).toMatch(/401/);
    const [rel] = api.releaseByTag('v1.2.0');
    expect(rel).toMatchObject({ draft: true, publishCount: 0 });
    const had = api.assetsOf(rel!.id).map((a) => a.name);
    expect(had).toHaveLength(k);
    expect(api.refs.has('refs/tags/v1.2.0')).toBe(false);

    api.resetCounters();
    const second = await run({ command: 'publish', tag: 'v1.2.0', manifest: b.manifestPath, 'max-concurrency': 1 });
    expect(second.exitCode, second.log).toBe(0);
    const missing = b.files.filter((f) => !had.includes(f.name));
    expect(api.counters.bytesReceived).toBe(missing.reduce((n, f) => n + f.data.length, 0));
    for (const name of had) expect(api.counters.bytesByName[name]).toBeUndefined();
    expect(api.counters.releasesCreated).toBe(0);
    expect(api.releaseByTag('v1.2.0')).toHaveLength(1);
    expect(api.releaseByTag('v1.2.0')[0]).toMatchObject({ draft: false, publishCount: 1 });
    expect(api.assetsOf(rel!.id)).toHaveLength(b.files.length);
    expect(
      JSON.parse(second.outputs.skipped!)
        .map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual([...had].sort());
  });

  it('rides out 5xx, connection resets and rate limits, pacing retries by retry-after and the reset time', async () => {
    const b = await build('1.3.0', 4);
    api.resetCounters();
    api.inject(
      { method: 'GET', path: '/releases', kind: 'status', status: 502 },
      { host: 'uploads', kind: 'reset' },
      { host: 'uploads', kind: 'reset-after' },
      { host: 'uploads', kind: 'secondary', status: 429, retryAfter: 2 },
      { host: 'uploads', kind: 'secondary', status: 403, retryAfter: 1 },
      { method: 'PATCH', kind: 'primary', resetIn: 1 },
      { host: 'uploads', kind: 'status', status: 500 },
    );
    const r = await run({ command: 'publish', tag: 'v1.3.0', manifest: b.manifestPath, 'max-concurrency': 2 });
    const left = api.faults.filter((f) => (f.times ?? 1) > 0);
    api.clearFaults();
    expect(r.exitCode, r.log).toBe(0);
    expect(left).toEqual([]);
    const [rel, ...dupes] = api.releaseByTag('v1.3.0');
    expect(dupes).toEqual([]);
    expect(rel).toMatchObject({ draft: false, publishCount: 1 });
    const assets = api.assetsOf(rel!.id);
    expect(assets).toHaveLength(b.files.length);
    for (const f of b.files) expect(assets.find((a) => a.name === f.name)?.digest).toBe(`sha256:${hashBytes(f.data)}`);
    // Refused requests were retried no sooner than the server asked (retry-after, x-ratelimit-reset).
    for (const [status, method, wait] of [
      [429, 'POST', 2000],
      [403, 'POST', 1000],
      [403, 'PATCH', 1000],
    ] as const) {
      const i = api.log.findIndex((l) => l.status === status && l.method === method);
      expect(i, `${status} ${method}`).toBeGreaterThanOrEqual(0);
      const later = api.log.slice(i + 1).filter((l) => l.url === api.log[i]!.url && l.method === method);
      expect(later.length).toBeGreaterThan(0);
      expect(later[0]!.at - api.log[i]!.at).toBeGreaterThanOrEqual(wait);
    }
    expect(r.log).toMatch(/secondary rate limit/);
    expect(r.log).toMatch(/primary rate limit/);
  });

  it('fails on an existing asset with a different digest before changing anything, unless replace-mismatched', async () => {
    const b = await build('1.4.0', 2);
    const rel = api.seedRelease('v1.4.0', { draft: true, target: shas['v1.4.0'] });
    const stale = b.files[0]!;
    api.seedAsset(rel.id, stale.name, Buffer.from('an older build'));
    api.resetCounters();
    const r = await run({ command: 'publish', tag: 'v1.4.0', manifest: b.manifestPath });
    expect(r.exitCode).toBe(1);
    expect(errorOf(r)).toMatch(
      new RegExp(`${stale.name.replace(/\./g, '\\.')}: the release has sha256:[0-9a-f]{64}, the build has sha256:${hashBytes(stale.data)}`),
    );
    expect(errorOf(r)).toMatch(/replace-mismatched: true/);
    expect(api.counters.mutations).toBe(0);
    expect(rel.draft).toBe(true);

    api.resetCounters();
    const ok = await run({ command: 'publish', tag: 'v1.4.0', manifest: b.manifestPath, 'replace-mismatched': true });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(api.releaseByTag('v1.4.0')).toHaveLength(1);
    expect(api.assetsOf(rel.id).find((a) => a.name === stale.name)?.digest).toBe(`sha256:${hashBytes(stale.data)}`);
    expect(rel).toMatchObject({ draft: false, publishCount: 1 });
    expect(JSON.parse(ok.outputs.uploaded!).find((u: { name: string }) => u.name === stale.name)?.action).toBe('replaced');
  });

  it('moves floating tags, announces, and honours immutable releases', async () => {
    const b = await build('1.7.0', 2);
    api.refs.set('refs/tags/v1', shas['v1.0.0']!);
    api.immutableReleases = true;
    try {
      api.resetCounters();
      const r = await run({
        command: 'publish',
        tag: 'v1.7.0',
        manifest: b.manifestPath,
        'floating-tags': true,
        'announce-webhook': api.hookUrl('slack'),
      });
      expect(r.exitCode, r.log).toBe(0);
      expect(api.refs.get('refs/tags/v1')).toBe(shas['v1.7.0']);
      expect(api.refs.get('refs/tags/v1.7')).toBe(shas['v1.7.0']);
      const [rel] = api.releaseByTag('v1.7.0');
      expect(rel).toMatchObject({ draft: false, immutable: true });
      expect(api.assetsOf(rel!.id)).toHaveLength(b.files.length);
      const hook = api.webhooks.at(-1)?.body as { text: string };
      expect(hook.text).toContain('*hello v1.7.0*');
      expect(hook.text).toContain('trace id: `trace-1.7.0`');
      expect(visible(r.log)).not.toContain(api.hookUrl('slack'));
    } finally {
      api.immutableReleases = false;
    }
  });

  it('publishes a pre-release tag as a pre-release that does not become latest', async () => {
    const b = await build('2.0.0-rc.1', 1);
    const latest = api.latestReleaseId;
    const r = await run({ command: 'publish', tag: 'v2.0.0-rc.1', manifest: b.manifestPath, 'floating-tags': true });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-prerelease': 'true', prerelease: 'rc.1', 'previous-tag': 'v1.7.0' });
    expect(api.releaseByTag('v2.0.0-rc.1')[0]).toMatchObject({ draft: false, prerelease: true });
    expect(api.latestReleaseId).toBe(latest);
    expect(api.refs.has('refs/tags/v2')).toBe(false);
  });

  it('treats a failed announcement as a warning', async () => {
    const b = await build('1.6.0', 1);
    api.inject({ path: '/hooks/', times: Infinity, kind: 'status', status: 500 });
    const r = await run({ command: 'publish', tag: 'v1.6.0', manifest: b.manifestPath, 'announce-webhook': api.hookUrl('down') });
    api.clearFaults();
    expect(r.exitCode, r.log).toBe(0);
    expect(r.annotations.find((a) => a.type === 'warning')?.message).toMatch(/announcement failed \(HTTP 500\)/);
    expect(api.releaseByTag('v1.6.0')[0]?.draft).toBe(false);
  });
});

describe('bad input changes nothing', () => {
  it('a token without contents: write is named on the first 403', async () => {
    const b = await build('1.5.0', 1);
    api.contents = 'read';
    try {
      const r = await run({ command: 'publish', tag: 'v1.5.0', manifest: b.manifestPath });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r)).toMatch(/permissions: contents: write/);
      expect(api.releaseByTag('v1.5.0')).toEqual([]);
    } finally {
      api.contents = 'write';
    }
  });

  it('a missing manifest, files matching nothing, a bad version: ::error:: and no request at all', async () => {
    api.resetCounters();
    const noManifest = await run({ command: 'publish', tag: 'v1.7.0', manifest: 'dist/none.json' });
    expect(errorOf(noManifest)).toMatch(/^semver-release: Input "manifest": got "dist\/none.json"/);
    const noFiles = await run({ command: 'publish', tag: 'v1.7.0', files: 'dist/*.nothing' });
    expect(errorOf(noFiles)).toMatch(/^semver-release: Input "files": got "dist\/\*\.nothing"/);
    const badVersion = await run({ command: 'publish', version: '1.7', manifest: 'dist/1.7.0/goship-manifest.json' });
    expect(errorOf(badVersion)).toMatch(/Input "version": got "1.7".*MAJOR\.MINOR\.PATCH, got 2 part/);
    const badTag = await run({ command: 'publish', tag: 'v1.7.0.1' });
    expect(errorOf(badTag)).toMatch(/Input "tag": got "v1.7.0.1"/);
    for (const r of [noManifest, noFiles, badVersion, badTag]) expect(r.exitCode).toBe(1);
    expect(api.counters.requests).toBe(0);
  });
});

describe('plan and tag', () => {
  it('plan computes the next version from the commits with no side effects', async () => {
    api.resetCounters();
    const r = await run({ command: 'plan' });
    expect(r.exitCode, r.log).toBe(0);
    // Only `docs:` since v1.7.0: nothing to release.
    expect(r.outputs.version).toBe('');
    expect(r.annotations.find((a) => a.type === 'notice')?.message).toMatch(/nothing to release: none of the 1 commit\(s\) since v1\.7\.0/);
    const forced = await run({ command: 'plan', bump: 'minor' });
    expect(forced.outputs).toMatchObject({ version: '1.8.0', tag: 'v1.8.0', 'previous-tag': 'v1.7.0', 'is-prerelease': 'false' });
    expect(forced.outputs.changelog).toContain('## [1.8.0](https://github.com/goship-test/hello/compare/v1.7.0...v1.8.0)');
    expect(api.counters.requests).toBe(0);
  });

  it('changelog: github asks the generate-notes API', async () => {
    const r = await run({ command: 'plan', bump: 'patch', changelog: 'github' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.changelog).toMatch(/^## What's Changed\n\* docs: readme by @goship-test/);
    expect(r.outputs.changelog).toContain('compare/v1.7.0...v1.7.1');
  });

  it('plan with a monorepo prefix only sees its own tags', async () => {
    await repo.commit({ message: 'feat(api): first api release', tag: 'api/v0.1.0' });
    await repo.commit({ message: 'fix(api): handle nil' });
    const r = await run({ command: 'plan', 'tag-prefix': 'api/v' });
    expect(r.outputs).toMatchObject({ version: '0.1.1', tag: 'api/v0.1.1', 'previous-tag': 'api/v0.1.0' });
    const bare = await run({ command: 'plan', 'tag-prefix': '', tag: '1.0.0' });
    expect(errorOf(bare)).toBe('');
    expect(bare.outputs).toMatchObject({ version: '1.0.0', tag: '1.0.0' });
  });

  it('plan on a tag push reads GITHUB_REF', async () => {
    const r = await run({ command: 'plan' }, { GITHUB_REF: 'refs/tags/v1.2.0' });
    expect(r.outputs).toMatchObject({ version: '1.2.0', 'previous-tag': 'v1.1.0', 'next-version': '1.2.0' });
    expect(r.outputs.changelog).toContain('--json flag');
  });

  it('tag creates the next tag at HEAD through the API, and a re-run converges', async () => {
    await repo.commit({ message: 'feat: wave' });
    const head = await repo.head();
    await api.seedFromGit(repo.dir);
    const r = await run({ command: 'tag' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.tag).toBe('v1.8.0');
    expect(api.refs.get('refs/tags/v1.8.0')).toBe(head);
    expect(r.annotations.find((a) => a.type === 'notice')?.message).toMatch(/start no new workflow run/);
    const again = await run({ command: 'tag', version: '1.8.0' });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.summary).toContain('already existed');
  });
});
