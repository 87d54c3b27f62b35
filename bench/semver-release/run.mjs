#!/usr/bin/env node
// Benchmark: the publish time of 16 and 48 assets with no fault (BENCH_PUBLISH_COUNTS), then 60
// assets of 1 MiB with secondary rate limits injected, then a resume after a hard failure at
// upload 30 of 60. goship's semver-release (the committed bundle, run like the runner does)
// against a baseline publisher written the way softprops/action-gh-release works (find by
// get-by-tag, create the release published, upload everything at once, no retry of secondary
// limits, overwrite existing assets on a re-run). Reports seconds, mutations, bytes sent, bytes
// re-sent on resume and writes sent inside a refusal window. BENCH_ONLY=publish|limits|resume runs
// one scenario. Never asserted in tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

// The test kit's sources import each other as `.js` (how tsc and vitest resolve TypeScript);
// plain Node, which strips the types here, needs the `.ts` file.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (e) {
      if (!/^\.\.?\//.test(specifier) || !specifier.endsWith('.js') || !context.parentURL?.endsWith('.ts')) throw e;
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
const { GitHubApiStandIn } = await import('../../packages/testkit/src/github-api.ts');
const { runAction } = await import('../../packages/testkit/src/runner.ts');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const N = Number(process.env.BENCH_ASSETS ?? 60);
const SIZE = Number(process.env.BENCH_ASSET_BYTES ?? 1 << 20);
const FAIL_AT = Math.floor(N / 2);
const PUBLISH_COUNTS = (process.env.BENCH_PUBLISH_COUNTS ?? '16,48')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const ONLY = process.env.BENCH_ONLY ?? '';
const OWNER = 'goship-test';
const REPO = 'hello';
const TOKEN = 'test-token';

// ---------- a repository and a build ----------
const work = mkdtempSync(path.join(os.tmpdir(), 'goship-bench-release-'));
const git = (...args) =>
  execFileSync('git', args, {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  }).trim();
git('init', '-q', '-b', 'main');
writeFileSync(path.join(work, 'README.md'), 'bench\n');
git('add', '-A');
git('commit', '-q', '-m', 'feat: first');
git('tag', 'v0.9.0');
git('commit', '-q', '--allow-empty', '-m', 'feat: more');

function build(version, n = N) {
  const dir = path.join(work, 'dist', version);
  mkdirSync(dir, { recursive: true });
  const artifacts = [];
  const assets = [];
  for (let i = 0; i < n; i++) {
    const name = `hello_${version}_asset${String(i).padStart(2, '0')}.tar.gz`;
    const data = Buffer.alloc(SIZE, `${name}-`);
    writeFileSync(path.join(dir, name), data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    artifacts.push({ kind: 'archive', name, path: `dist/${version}/${name}`, sha256 });
    assets.push({ name, file: path.join(dir, name), sha256 });
  }
  const manifest = {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version,
    tag: `v${version}`,
    commit: git('rev-parse', 'HEAD'),
    commitTime: '',
    traceId: 'bench',
    artifacts,
  };
  writeFileSync(path.join(dir, 'goship-manifest.json'), JSON.stringify(manifest));
  return { manifest: `dist/${version}/goship-manifest.json`, assets };
}

// ---------- goship ----------
async function goship(api, version, n = N) {
  const b = goship.builds[version] ?? (goship.builds[version] = build(version, n));
  const t0 = performance.now();
  const r = await runAction(path.join(root, 'actions', 'semver-release'), {
    cwd: work,
    inputs: { command: 'publish', tag: `v${version}`, manifest: b.manifest, token: TOKEN, 'max-concurrency': 3 },
    env: { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}` },
  });
  return { ok: r.exitCode === 0, seconds: (performance.now() - t0) / 1000 };
}
goship.builds = {};

// ---------- baseline: softprops/action-gh-release's approach ----------
async function baseline(api, version, n = N) {
  const b = goship.builds[version] ?? (goship.builds[version] = build(version, n));
  const tag = `v${version}`;
  const h = { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' };
  const base = `${api.url}/repos/${OWNER}/${REPO}`;
  const t0 = performance.now();
  try {
    let rel;
    const got = await fetch(`${base}/releases/tags/${tag}`, { headers: h });
    if (got.status === 200) rel = await got.json();
    else {
      await got.arrayBuffer();
      const c = await fetch(`${base}/releases`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'application/json' },
        body: JSON.stringify({ tag_name: tag, name: tag, body: 'notes', draft: false, target_commitish: 'main' }),
      });
      if (c.status !== 201) throw new Error(`create: HTTP ${c.status}`);
      rel = await c.json();
    }
    const uploadBase = rel.upload_url.replace(/\{.*$/, '');
    // softprops awaits Promise.all; allSettled here so no upload is still running when we measure.
    const results = await Promise.allSettled(
      b.assets.map(async (a) => {
        const existing = rel.assets.find((x) => x.name === a.name);
        if (existing) {
          const d = await fetch(existing.url, { method: 'DELETE', headers: h });
          await d.arrayBuffer();
        }
        const res = await fetch(`${uploadBase}?name=${encodeURIComponent(a.name)}`, {
          method: 'POST',
          headers: { ...h, 'content-type': 'application/gzip' },
          body: readFileSync(a.file),
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`upload ${a.name}: HTTP ${res.status}`);
      }),
    );
    if (results.some((x) => x.status === 'rejected')) throw new Error('an upload failed');
    return { ok: true, seconds: (performance.now() - t0) / 1000 };
  } catch {
    return { ok: false, seconds: (performance.now() - t0) / 1000 };
  }
}

// ---------- scenarios ----------
function freshApi() {
  return GitHubApiStandIn.start({ owner: OWNER, repo: REPO, token: TOKEN });
}

function snapshot(api, tag, n = N) {
  const rels = api.releaseByTag(tag);
  const rel = rels[0];
  const assets = rel ? api.assetsOf(rel.id) : [];
  const complete = assets.length === n && assets.every((a) => a.state === 'uploaded');
  return { releases: rels.length, published: rel ? !rel.draft : false, complete };
}

async function scenarioLimits(who, fn) {
  const api = await freshApi();
  try {
    await api.seedFromGit(work);
    // Scripted secondary limits: after every 8 uploads that pass, the next one is refused once.
    let skip = 8;
    for (let i = 0; i < 6; i++) {
      api.inject({ host: 'uploads', skip, kind: 'secondary', status: i % 2 ? 429 : 403, retryAfter: 1 });
      skip += 9;
    }
    const r = await fn(api, '1.0.0');
    const s = snapshot(api, 'v1.0.0');
    return {
      who,
      scenario: 'publish, secondary limits injected',
      ok: r.ok && s.published && s.complete,
      seconds: r.seconds,
      mutations: api.counters.mutations,
      mib: api.counters.bytesReceived / 2 ** 20,
      resent: 0,
      limited: api.counters.secondaryLimited,
      insideWindow: api.counters.writesAfterSecondaryNotice + api.counters.requestsAfterPrimaryNotice,
      visibleIncomplete: s.published && !s.complete,
    };
  } finally {
    await api.close();
  }
}

async function scenarioResume(who, fn) {
  const api = await freshApi();
  try {
    await api.seedFromGit(work);
    api.inject({ host: 'uploads', skip: FAIL_AT, times: Infinity, kind: 'status', status: 502, message: 'Bad Gateway' });
    const first = await fn(api, '1.1.0');
    const mid = snapshot(api, 'v1.1.0');
    api.clearFaults();
    const correctBefore = new Set(
      (api.releaseByTag('v1.1.0')[0] ? api.assetsOf(api.releaseByTag('v1.1.0')[0].id) : [])
        .filter((a) => a.state === 'uploaded')
        .map((a) => a.name),
    );
    api.counters.bytesReceived = 0;
    api.counters.bytesByName = {};
    const second = await fn(api, '1.1.0');
    const s = snapshot(api, 'v1.1.0');
    let resent = 0;
    for (const name of correctBefore) resent += api.counters.bytesByName[name] ?? 0;
    return {
      who,
      scenario: `fail at ${FAIL_AT}/${N} (persistent 502), then re-run (${second.seconds.toFixed(1)} s)`,
      ok: !first.ok && second.ok && s.published && s.complete && s.releases === 1,
      seconds: first.seconds + second.seconds,
      mutations: api.counters.mutations,
      mib: api.counters.bytesReceived / 2 ** 20,
      resent: resent / 2 ** 20,
      limited: 0,
      insideWindow: 0,
      visibleIncomplete: mid.published && !mid.complete,
    };
  } finally {
    await api.close();
  }
}

async function scenarioPublish(who, fn, n) {
  const api = await freshApi();
  try {
    await api.seedFromGit(work);
    const version = `2.${n}.0`;
    const r = await fn(api, version, n);
    const s = snapshot(api, `v${version}`, n);
    return {
      who,
      scenario: `publish ${n} assets, no fault`,
      ok: r.ok && s.published && s.complete && s.releases === 1,
      seconds: r.seconds,
      mutations: api.counters.mutations,
      mib: api.counters.bytesReceived / 2 ** 20,
      resent: 0,
      limited: 0,
      insideWindow: 0,
      visibleIncomplete: false,
    };
  } finally {
    await api.close();
  }
}

const rows = [];
for (const [who, fn] of [
  ['goship', goship],
  ['baseline', baseline],
]) {
  if (!ONLY || ONLY === 'publish') for (const n of PUBLISH_COUNTS) rows.push(await scenarioPublish(who, fn, n));
  if (!ONLY || ONLY === 'limits') rows.push(await scenarioLimits(who, fn));
  if (!ONLY || ONLY === 'resume') rows.push(await scenarioResume(who, fn));
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
let md = `# semver-release benchmark\n\n${N} assets × ${(SIZE / 2 ** 20).toFixed(2)} MiB to the GitHub API stand-in on 127.0.0.1; Node ${process.version}, ${os.cpus().length} cores.\n`;
md += `Baseline: softprops/action-gh-release's approach (get-by-tag, release created published, all uploads at once, no secondary-limit retry, overwrite on re-run).\n\n`;
md +=
  '| publisher | scenario | converged | seconds (both runs) | mutations (both runs) | MiB received (the re-run only, for resume) | MiB of correct assets re-sent on resume | secondary limits hit | requests sent inside a refusal window | seen published incomplete |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n';
for (const r of rows) {
  md += `| ${r.who} | ${r.scenario} | ${r.ok ? 'yes' : 'no'} | ${fmt(r.seconds)} | ${r.mutations} | ${fmt(r.mib)} | ${fmt(r.resent)} | ${r.limited} | ${r.insideWindow} | ${r.visibleIncomplete ? 'yes' : 'no'} |\n`;
}
const resumeOurs = rows.find((r) => r.who === 'goship' && r.scenario.startsWith('fail'));
const resumeBase = rows.find((r) => r.who === 'baseline' && r.scenario.startsWith('fail'));
if (resumeOurs && resumeBase) {
  md += `\nOn resume goship re-sent ${fmt(resumeOurs.resent)} MiB of assets that were already correct; the baseline re-sent ${fmt(resumeBase.resent)} MiB.\n`;
}
console.log(md);
// A single scenario is printed, not written over the full results.
if (!ONLY) {
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'semver-release.md'), md);
}
