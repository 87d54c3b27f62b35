/**
 * semver-release's committed bundle publishes a release to the GitHub stand-in, then commits the
 * Homebrew cask and the Scoop manifest to two more repositories the stand-in serves; a re-run
 * commits nothing; pull-request mode opens one pull
 * request and reuses it; every request is valid against GitHub's OpenAPI description.
 */
import { formatChecksums, hashBytes } from '@goship/core/digest';
import type { Manifest } from '@goship/core/manifest';
import { type GitRepo, actionDir, fixtureRepo, runAction } from '@goship/testkit';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('semver-release');
const TAP = { owner: 'goship-test', repo: 'homebrew-tap' };
const BUCKET = { owner: 'goship-test', repo: 'scoop-bucket' };
let repo: GitRepo;
let api: GitHubApiStandIn;

const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64', 'windows_amd64', 'windows_arm64'];

async function build(version: string): Promise<string> {
  const out = path.join(repo.dir, 'dist', version);
  await mkdir(out, { recursive: true });
  const files = PLATFORMS.map((p) => {
    const ext = p.startsWith('windows') ? 'zip' : 'tar.gz';
    return { name: `hello_${version}_${p}.${ext}`, data: Buffer.from(`archive ${p} ${version}`), p, ext };
  });
  const deb = { name: `hello_${version}_linux_amd64.deb`, data: Buffer.from(`deb ${version}`) };
  const sums = `hello_${version}_checksums.txt`;
  await writeFile(path.join(out, sums), formatChecksums([...files, deb].map((f) => ({ name: f.name, digest: hashBytes(f.data) }))));
  for (const f of [...files, deb]) await writeFile(path.join(out, f.name), f.data);
  const m: Manifest = {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version,
    tag: `v${version}`,
    commit: await repo.head(),
    commitTime: '2026-01-01T00:00:00Z',
    traceId: `trace-${version}`,
    metadata: {
      description: 'A tiny command used as goship’s test fixture.',
      license: 'MIT',
      homepage: 'https://github.com/goship-test/hello',
    },
    artifacts: [
      ...files.map((f) => {
        const [os, arch] = f.p.split('_');
        return {
          kind: 'archive' as const,
          name: f.name,
          path: `dist/${version}/${f.name}`,
          os,
          arch,
          variant: '',
          format: f.ext,
          binaries: ['hello'],
          sha256: hashBytes(f.data),
        };
      }),
      {
        kind: 'package',
        name: deb.name,
        path: `dist/${version}/${deb.name}`,
        format: 'deb',
        os: 'linux',
        arch: 'amd64',
        packageArch: 'amd64',
        sha256: hashBytes(deb.data),
      },
      { kind: 'checksums', name: sums, path: `dist/${version}/${sums}` },
    ],
  };
  const file = `dist/${version}/goship-manifest.json`;
  await writeFile(path.join(repo.dir, file), JSON.stringify(m, null, 2));
  return file;
}

function run(inputs: Record<string, string>) {
  return runAction(dir, {
    cwd: repo.dir,
    inputs: { token: 'test-token', command: 'publish', ...inputs },
    env: { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'goship-test/hello', GITHUB_RUN_ID: '4242' },
  });
}

function fileIn(r: { owner: string; repo: string }, p: string, branch = 'main'): string | undefined {
  const state = api.repository(r.owner, r.repo)!;
  const sha = state.treeOf(state.refs.get(`refs/heads/${branch}`)).get(p);
  return sha ? state.blobs.get(sha)?.toString('utf8') : undefined;
}

beforeAll(async () => {
  repo = await fixtureRepo('hello', {
    history: [
      { message: 'feat: greet', tag: 'v1.0.0' },
      { message: 'fix: newline', tag: 'v1.1.0' },
      { message: 'feat: pr mode', tag: 'v1.2.0' },
    ],
  });
  api = await GitHubApiStandIn.start();
  await api.seedFromGit(repo.dir);
  for (const ref of [...api.refs.keys()]) if (ref.startsWith('refs/tags/') && ref !== 'refs/tags/v1.0.0') api.refs.delete(ref);
  api.addRepository(TAP.owner, TAP.repo);
  api.seedFiles('main', { 'README.md': '# tap\n' }, { repo: `${TAP.owner}/${TAP.repo}` });
  api.addRepository(BUCKET.owner, BUCKET.repo);
  api.seedFiles('main', { 'README.md': '# bucket\n' }, { repo: `${BUCKET.owner}/${BUCKET.repo}` });
}, 120_000);
afterAll(async () => {
  expect(api?.violations ?? []).toEqual([]);
  await api?.close();
});

describe('Homebrew tap and Scoop bucket', () => {
  it('publishes, then commits the cask and the Scoop manifest; a re-run commits nothing', async () => {
    const manifest = await build('1.1.0');
    const r = await run({
      tag: 'v1.1.0',
      manifest,
      'homebrew-tap': `${TAP.owner}/${TAP.repo}`,
      'scoop-bucket': `${BUCKET.owner}/${BUCKET.repo}`,
    });
    expect(r.exitCode, r.log).toBe(0);
    const [rel] = api.releaseByTag('v1.1.0');
    expect(rel).toMatchObject({ draft: false });
    const caskText = fileIn(TAP, 'Casks/hello.rb');
    expect(caskText).toBeDefined();
    expect(execFileSync('ruby', ['-c'], { input: caskText, encoding: 'utf8' }).trim()).toBe('Syntax OK');
    expect(caskText).toContain('version "1.1.0"');
    expect(caskText).toContain(`sha256 "${hashBytes('archive darwin_arm64 1.1.0')}"`);
    expect(caskText).toContain(
      'url "https://github.com/goship-test/hello/releases/download/v#{version}/hello_#{version}_darwin_arm64.tar.gz"',
    );
    const scoop = JSON.parse(fileIn(BUCKET, 'hello.json')!) as {
      version: string;
      architecture: Record<string, { url: string; hash: string }>;
    };
    expect(scoop.version).toBe('1.1.0');
    expect(scoop.architecture['64bit']!.hash).toBe(hashBytes('archive windows_amd64 1.1.0'));
    // The URLs in the manifests are the assets of the published release.
    const assets = api.assetsOf(rel!.id).map((a) => a.name);
    expect(assets).toEqual(expect.arrayContaining(['hello_1.1.0_windows_amd64.zip', 'hello_1.1.0_linux_amd64.deb']));
    expect(api.repository(TAP.owner, TAP.repo)!.createdCommits).toHaveLength(1);
    expect(api.repository(BUCKET.owner, BUCKET.repo)!.createdCommits).toHaveLength(1);
    // The notes say how to install.
    expect(rel!.body).toContain('brew install --cask goship-test/tap/hello');
    expect(rel!.body).toContain('scoop install scoop-bucket/hello');
    expect(rel!.body).toContain('sudo apt install ./hello_1.1.0_linux_amd64.deb');
    expect(JSON.parse(r.outputs.taps!)).toMatchObject([
      { kind: 'cask', path: 'goship-test/homebrew-tap/Casks/hello.rb', action: 'committed' },
      { kind: 'scoop', path: 'goship-test/scoop-bucket/hello.json', action: 'committed' },
    ]);
    expect(r.summary).toMatch(/Casks\/hello\.rb \| committed/);

    const again = await run({
      tag: 'v1.1.0',
      manifest,
      'homebrew-tap': `${TAP.owner}/${TAP.repo}`,
      'scoop-bucket': `${BUCKET.owner}/${BUCKET.repo}`,
    });
    expect(again.exitCode, again.log).toBe(0);
    expect(api.repository(TAP.owner, TAP.repo)!.createdCommits).toHaveLength(1);
    expect(api.repository(BUCKET.owner, BUCKET.repo)!.createdCommits).toHaveLength(1);
    expect(JSON.parse(again.outputs.taps!).map((t: { action: string }) => t.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('in pull-request mode commits on a branch and opens one pull request, reused on a re-run', async () => {
    const manifest = await build('1.2.0');
    const inputs = {
      tag: 'v1.2.0',
      manifest,
      'homebrew-tap': `${TAP.owner}/${TAP.repo}`,
      'homebrew-formula': 'true',
      'tap-pull-request': 'true',
    };
    const tapState = api.repository(TAP.owner, TAP.repo)!;
    const mainBefore = tapState.refs.get('refs/heads/main');
    const r = await run(inputs);
    expect(r.exitCode, r.log).toBe(0);
    expect(tapState.refs.get('refs/heads/main')).toBe(mainBefore);
    const formulaText = fileIn(TAP, 'Formula/hello.rb', 'goship/hello-1.2.0');
    expect(execFileSync('ruby', ['-c'], { input: formulaText, encoding: 'utf8' }).trim()).toBe('Syntax OK');
    expect(formulaText).toContain('class Hello < Formula');
    expect(tapState.pulls).toHaveLength(1);
    expect(tapState.pulls[0]).toMatchObject({ title: 'hello 1.2.0', headRef: 'goship/hello-1.2.0', baseRef: 'main', state: 'open' });
    const commits = tapState.createdCommits.length;

    const again = await run(inputs);
    expect(again.exitCode, again.log).toBe(0);
    expect(tapState.pulls).toHaveLength(1);
    expect(tapState.createdCommits).toHaveLength(commits);
    expect(JSON.parse(again.outputs.taps!)).toMatchObject([{ kind: 'formula', action: 'pull-request' }]);
    expect(again.summary).toMatch(/pull request #1\]\([^)]*\) \(already open\)/);
  });

  it('refuses a bad tap input by name before anything is published', async () => {
    const manifest = await build('1.2.0');
    api.resetCounters();
    const r = await run({ tag: 'v1.2.0', manifest, 'homebrew-tap': 'not a repo' });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.find((a) => a.type === 'error')?.message).toContain('Input "homebrew-tap"');
    expect(api.counters.mutations).toBe(0);
  });
});
