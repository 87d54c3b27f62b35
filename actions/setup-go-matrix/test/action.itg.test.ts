import { type CacheService, startCacheService } from '@goship/testkit/cache-service';
import { type ActionResult, actionDir, fixtureRepo, goEnv, runAction, tempDir } from '@goship/testkit';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('setup-go-matrix');
const GO_ENV = goEnv();

/** A Go other than the machine's (1.26.x), small and recent: the newest 1.24.x on the proxy. */
const SECOND_GO_SPEC = '1.24';

let toolCache: string;
let svc: CacheService;

beforeAll(async () => {
  toolCache = await tempDir('goship-sgm-toolcache-');
  svc = await startCacheService();
});
afterAll(async () => {
  await svc?.close();
  await rmAll(toolCache);
});

async function rmAll(p: string): Promise<void> {
  if (!p || !existsSync(p)) return;
  const walk = async (d: string): Promise<void> => {
    await chmod(d, 0o755);
    for (const e of await readdir(d, { withFileTypes: true })) if (e.isDirectory()) await walk(path.join(d, e.name));
  };
  await walk(p).catch(() => undefined);
  await rm(p, { recursive: true, force: true });
}

/** The environment a later step of the job sees: exported variables and the added PATH entries first. */
function laterStepEnv(r: ActionResult, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...GO_ENV,
    ...extra,
    ...r.exportedEnv,
    PATH: [...[...r.path].reverse(), GO_ENV.PATH].join(path.delimiter),
  };
}

function errorOf(r: ActionResult): string {
  return r.annotations.find((a) => a.type === 'error')?.message ?? '';
}

describe('setup-go-matrix bundle', () => {
  let installedVersion = '';

  it('installs a second Go through the module proxy (verified), and a later `go version` runs it', async () => {
    const repo = await fixtureRepo('hello');
    const r = await runAction(dir, {
      cwd: repo.dir,
      toolCache,
      env: GO_ENV,
      inputs: { 'go-version': SECOND_GO_SPEC, cache: false, platforms: 'linux/amd64,linux/arm/v7' },
    });
    expect(r.exitCode, r.log).toBe(0);
    installedVersion = r.outputs['go-version']!;
    expect(installedVersion).toMatch(/^1\.24\.\d+$/);
    expect(r.log).toMatch(/not usable .*asking the module proxy/);
    expect(r.log).toContain(
      `golang.org/toolchain@v0.0.1-go${installedVersion}.linux-amd64 downloaded and verified against the checksum database (h1:`,
    );
    expect(r.summary).toContain('Go versions listed by the module proxy');
    // the tool cache layout setup-go and the runner images use, with execute bits restored
    const goroot = path.join(toolCache, 'go', installedVersion, process.arch);
    expect(r.outputs['go-root']).toBe(goroot);
    expect(existsSync(`${goroot}.complete`)).toBe(true);
    expect(statSync(path.join(goroot, 'bin', 'go')).mode & 0o111).not.toBe(0);
    expect(r.path).toEqual([path.join(goroot, 'bin')]);
    expect(r.exportedEnv.GOTOOLCHAIN).toBe('local');
    expect(r.exportedEnv.GOFLAGS).toContain('-mod=readonly');

    const v = spawnSync('go', ['version'], { cwd: repo.dir, env: laterStepEnv(r), encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(`go version go${installedVersion} linux/amd64`);
    // compiler, linker and tools are executable: cross-compile a tiny program for a validated target
    const tiny = await tempDir('goship-sgm-tiny-');
    await writeFile(path.join(tiny, 'go.mod'), 'module tiny\n\ngo 1.24\n');
    await writeFile(path.join(tiny, 'main.go'), 'package main\n\nfunc main() {}\n');
    const b = spawnSync('go', ['build', '-o', 'tiny-arm', '.'], {
      cwd: tiny,
      env: laterStepEnv(r, { GOOS: 'linux', GOARCH: 'arm', GOARM: '7' }),
      encoding: 'utf8',
    });
    expect(b.status, b.stderr).toBe(0);
    expect(statSync(path.join(tiny, 'tiny-arm')).size).toBeGreaterThan(0);
    const plats = JSON.parse(r.outputs.platforms!) as { id: string; goarm?: string }[];
    expect(plats.map((p) => p.id)).toEqual(['linux_amd64', 'linux_arm_v7']);
    expect(plats[1]!.goarm).toBe('7');
  });

  it('finds the installed Go in the tool cache on the next run', async () => {
    const repo = await fixtureRepo('hello');
    const r = await runAction(dir, { cwd: repo.dir, toolCache, env: GO_ENV, inputs: { 'go-version': installedVersion, cache: false } });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`Go ${installedVersion} found in the tool cache`);
    expect(r.log).not.toContain('golang.org/toolchain@');
    expect(r.summary).toContain('no release list (only exact versions asked for)');
  });

  it('emits a matrix that parses as strategy.matrix, and build groups', async () => {
    const repo = await fixtureRepo('hello');
    const r = await runAction(dir, {
      cwd: repo.dir,
      toolCache,
      env: GO_ENV,
      inputs: {
        'go-version': `min\nstable, ${SECOND_GO_SPEC}`,
        os: 'ubuntu-latest, macos-14',
        install: false,
        cache: false,
        'build-groups': 2,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    const matrix = JSON.parse(r.outputs.matrix!) as { include: { go: string; os: string }[] };
    const versions = JSON.parse(r.outputs['go-versions']!) as string[];
    expect(versions[0]).toBe(installedVersion); // min of go 1.24.0 = newest 1.24.x, the same as "1.24"
    expect(versions).toHaveLength(2); // "1.24" duplicates "min"
    expect(matrix.include).toHaveLength(4);
    expect(matrix.include[0]).toEqual({ go: installedVersion, os: 'ubuntu-latest' });
    expect(matrix.include.map((m) => m.os)).toEqual(['ubuntu-latest', 'macos-14', 'ubuntu-latest', 'macos-14']);
    for (const m of matrix.include) expect(Object.keys(m).sort()).toEqual(['go', 'os']);
    const groups = JSON.parse(r.outputs['build-groups']!) as { include: { group: number; platforms: string }[] };
    expect(groups.include.map((g) => g.platforms)).toEqual([
      'linux/amd64,linux/arm64,darwin/amd64',
      'darwin/arm64,windows/amd64,windows/arm64',
    ]);
    expect(r.outputs.binaries).toBe(JSON.stringify([{ importPath: 'example.com/hello', dir: '.', name: 'hello' }]));
    expect(r.outputs['go-directive']).toBe('1.24.0');
    expect(r.outputs.module).toBe('example.com/hello');
    expect(r.summary).toContain('| go.mod |');
  });

  it('puts the git token in a 0600 file in RUNNER_TEMP that git really uses, never in the environment; the post step removes it', async () => {
    const repo = await fixtureRepo('hello');
    const token = 'ghp_goshipTestToken0123456789';
    const inputs = {
      'go-version': installedVersion,
      install: false,
      cache: false,
      goprivate: 'github.com/acme/*',
      gonosumdb: 'github.com/acme/*',
      goproxy: 'https://proxy.golang.org,direct',
      'git-token': token,
      toolchain: 'auto',
      'mod-readonly': false,
    };
    const r = await runAction(dir, { cwd: repo.dir, toolCache, env: GO_ENV, inputs, skipPost: true });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.exportedEnv).toMatchObject({
      GOPRIVATE: 'github.com/acme/*',
      GONOSUMDB: 'github.com/acme/*',
      GOTOOLCHAIN: 'auto',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'include.path',
      GIT_TERMINAL_PROMPT: '0',
    });
    expect(r.exportedEnv.GOFLAGS ?? '').not.toContain('-mod=readonly');
    expect(JSON.stringify(r.exportedEnv)).not.toContain(token);
    const file = r.exportedEnv.GIT_CONFIG_VALUE_0!;
    expect(path.dirname(path.dirname(file))).toBe(r.runnerTemp);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(r.state['git-credentials']).toBe(file);
    // the runner hides every later occurrence once ::add-mask:: registered it
    expect(r.stdout).toContain(`::add-mask::${token}`);
    const shown = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(shown.join('\n')).not.toContain(token);
    expect(r.summary).not.toContain(token);
    expect(r.summary).toContain('git credentials for github.com in a git config file in RUNNER_TEMP');
    const g = spawnSync('git', ['config', '--get-regexp', '^url\\.'], { cwd: repo.dir, env: laterStepEnv(r), encoding: 'utf8' });
    expect(g.stdout.trim()).toBe(`url.https://x-access-token:${token}@github.com/.insteadof https://github.com/`);

    // main and post, as a job runs them: the file is gone after the post step
    const job = await runAction(dir, { cwd: repo.dir, toolCache, env: GO_ENV, inputs });
    expect(job.post?.exitCode, job.log).toBe(0);
    expect(existsSync(job.exportedEnv.GIT_CONFIG_VALUE_0!)).toBe(false);
    expect(job.post?.stdout).toContain('The git credentials file of the main step was removed.');
  });

  it('go-version: 1.99.99 is refused on go-version with what the module proxy lists, before any download', async () => {
    const repo = await fixtureRepo('hello');
    const tc = await tempDir('goship-sgm-toolcache-none-');
    const r = await runAction(dir, { cwd: repo.dir, toolCache: tc, env: GO_ENV, inputs: { 'go-version': '1.99.99', cache: false } });
    expect(r.exitCode).toBe(1);
    expect(errorOf(r)).toMatch(
      /^setup-go-matrix: Input "go-version": got "1\.99\.99"; expected a released Go version \(the module proxy \(https:\/\/proxy\.golang\.org\/golang\.org\/toolchain\) lists stable 1\.\d+\.\d+ and oldstable 1\.\d+\.\d+\)\. Go 1\.99\.99 is not among the \d+ versions it lists for this runner/,
    );
    expect(r.log).not.toContain('golang.org/toolchain@v0.0.1-go1.99.99');
    expect(await readdir(tc)).toEqual([]);
    expect(r.path).toEqual([]);
    expect(r.exportedEnv).toEqual({});
  });

  it('saves the module and build caches in the post step and a second job restores them', async () => {
    const repo = await fixtureRepo('multi', {
      history: [
        { message: 'chore: release', tag: 'v1.0.0' },
        {
          message: 'feat: store sizes',
          files: { 'internal/store/size.go': 'package store\n\n// MaxJobs bounds a store.\nconst MaxJobs = 100\n' },
        },
      ],
    });
    const home = await tempDir('goship-sgm-home-');
    const caches = { GOMODCACHE: path.join(home, 'go', 'pkg', 'mod'), GOCACHE: path.join(home, '.cache', 'go-build') };
    // a job that downloaded modules and built something before the post step ran
    const warmEnv = { ...process.env, ...GO_ENV, ...caches, GOFLAGS: '-mod=mod' };
    for (const args of [
      ['mod', 'download'],
      ['build', './pkg/greet'],
    ]) {
      const warm = spawnSync('go', args, { cwd: repo.dir, env: warmEnv, encoding: 'utf8' });
      expect(warm.status, warm.stderr).toBe(0);
    }
    const env = { ...GO_ENV, ...caches, ...svc.env() };
    const inputs = { 'go-version': installedVersion, platforms: 'linux/amd64', 'changed-since': 'v1.0.0' };

    const job1 = await runAction(dir, { cwd: repo.dir, toolCache, env, inputs });
    expect(job1.exitCode, job1.log).toBe(0);
    expect(job1.outputs['cache-hit']).toBe('false');
    expect(job1.outputs['cache-key']).toMatch(
      new RegExp(`^goship-go-mod-linux-x64-go${installedVersion.replace(/\./g, '\\.')}-[0-9a-f]{16}$`),
    );
    expect(job1.post?.exitCode, job1.log).toBe(0);
    expect(job1.post?.summary).toMatch(/\| modules \| goship-go-mod-[^|]+\| saved \|/);
    expect(job1.post?.summary).toMatch(/\| build \| goship-go-build-[^|]+\| saved \|/);
    expect(
      svc.entries
        .filter((e) => e.finalized)
        .map((e) => e.key)
        .sort(),
    ).toEqual([job1.outputs['build-cache-key'], job1.outputs['cache-key']].sort());
    const ops = svc.requests.map((q) => q.op);
    expect(ops).toContain('CreateCacheEntry');
    expect(ops).toContain('blob:put');
    expect(ops).toContain('FinalizeCacheEntryUpload');
    // the affected analysis of the same run
    expect(JSON.parse(job1.outputs['affected-packages']!)).toEqual(['example.com/multi/cmd/worker', 'example.com/multi/internal/store']);
    expect(JSON.parse(job1.outputs['affected-binaries']!)).toEqual([
      { importPath: 'example.com/multi/cmd/worker', dir: './cmd/worker', name: 'worker' },
    ]);
    expect(job1.outputs.affected).toBe('true');

    // a fresh runner: same paths, empty caches
    await rmAll(home);
    expect(existsSync(caches.GOMODCACHE)).toBe(false);
    const job2 = await runAction(dir, { cwd: repo.dir, toolCache, env, inputs });
    expect(job2.exitCode, job2.log).toBe(0);
    expect(job2.outputs['cache-hit']).toBe('true');
    expect(job2.outputs['cache-key']).toBe(job1.outputs['cache-key']);
    expect(job2.summary).toMatch(/\| modules \| [^|]+\| hit \|/);
    expect(job2.summary).toMatch(/\| build \| [^|]+\| hit \|/);
    expect((await stat(path.join(caches.GOMODCACHE, 'github.com', 'google', 'uuid@v1.6.0', 'uuid.go'))).isFile()).toBe(true);
    expect((await readdir(caches.GOCACHE)).length).toBeGreaterThan(1);
    expect(job2.post?.summary).toMatch(/\| modules \| [^|]+\| skipped \(hit\) \|/);
    // the restored module cache serves the module's dependencies without the network
    const offline = spawnSync('go', ['list', '-deps', '-f', '{{.ImportPath}} {{.Dir}}', './cmd/worker'], {
      cwd: repo.dir,
      env: laterStepEnv(job2, { ...caches, GOPROXY: 'off' }),
      encoding: 'utf8',
    });
    expect(offline.status, offline.stderr).toBe(0);
    expect(offline.stdout).toContain(`github.com/google/uuid ${path.join(caches.GOMODCACHE, 'github.com', 'google', 'uuid@v1.6.0')}`);

    // the same setup again in that job: no second restore over the restored files, no second save
    const again = await runAction(dir, { cwd: repo.dir, toolCache, env: { ...env, ...job2.exportedEnv }, inputs });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.summary).toMatch(/\| modules \| [^|]+\| already restored \|/);
    expect(again.log).not.toMatch(/File exists|Failed to restore/);
    expect(again.post?.summary).toMatch(/skipped \(not owner\)/);

    // another target set gets another build cache entry, restored from the nearest one
    const arm = await runAction(dir, { cwd: repo.dir, toolCache, env, inputs: { ...inputs, platforms: 'linux/arm64' } });
    expect(arm.exitCode, arm.log).toBe(0);
    expect(arm.outputs['build-cache-key']).not.toBe(job1.outputs['build-cache-key']);
    expect(arm.summary).toMatch(/\| build \| [^|]+\| partial \(goship-go-build-/);
    expect(arm.post?.summary).toMatch(/\| build \| [^|]+\| saved \|/);
    await rmAll(home);
  });

  it('a failing cache service costs a warning, never the job', async () => {
    const repo = await fixtureRepo('hello');
    const home = await tempDir('goship-sgm-home-');
    const env = { ...GO_ENV, GOMODCACHE: path.join(home, 'mod'), GOCACHE: path.join(home, 'build'), ...svc.env() };
    svc.failNext('GetCacheEntryDownloadURL', 429, 2);
    svc.failNext('CreateCacheEntry', 429, 1); // the module cache is empty: only the build cache is saved
    const r = await runAction(dir, {
      cwd: repo.dir,
      toolCache,
      env,
      inputs: { 'go-version': installedVersion, 'cache-key-suffix': 'faults' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.post?.exitCode, r.log).toBe(0);
    expect(
      r.annotations
        .filter((a) => a.type === 'warning')
        .map((a) => a.message)
        .join('\n'),
    ).toMatch(/Failed to restore: Failed to GetCacheEntryDownloadURL: Rate limited: Failed request: \(429\)/);
    expect(r.summary).toMatch(/\| build \| [^|]+-faults \| miss \|/);
    expect(r.post?.summary).toMatch(/\| modules \| [^|]+\| skipped \(empty\)/);
    expect(r.post?.summary).toMatch(/\| build \| [^|]+\| not saved/);
    expect(svc.entries.some((e) => e.key.endsWith('-faults'))).toBe(false);
    expect(svc.requests.filter((q) => q.status === 429).map((q) => q.op)).toEqual([
      'GetCacheEntryDownloadURL',
      'GetCacheEntryDownloadURL',
      'CreateCacheEntry',
    ]);
    await rmAll(home);
  });

  it('on a pull request, names the packages and binaries its change affects', async () => {
    const repo = await fixtureRepo('multi');
    const base = await repo.head();
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.commit({
      message: 'feat: louder greetings',
      files: { 'pkg/greet/loud.go': 'package greet\n\n// Loud is louder.\nconst Loud = true\n' },
    });
    const r = await runAction(dir, {
      cwd: repo.dir,
      toolCache,
      env: GO_ENV,
      eventName: 'pull_request',
      event: { pull_request: { number: 7, base: { ref: 'main', sha: base } } },
      inputs: { 'go-version': installedVersion, install: false, cache: false },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(JSON.parse(r.outputs['affected-packages']!)).toEqual(['example.com/multi/cmd/api', 'example.com/multi/pkg/greet']);
    expect(JSON.parse(r.outputs['affected-binaries']!)).toEqual([
      { importPath: 'example.com/multi/cmd/api', dir: './cmd/api', name: 'api' },
    ]);
    expect(JSON.parse(r.outputs.binaries!)).toHaveLength(2);
    expect(r.outputs.affected).toBe('true');
    expect(r.summary).toContain(`Compared with \`${base}\` (pull request base main)`);
  });

  describe('with a reachable download index', () => {
    // A stand-in for go.dev/dl: the JSON index and an archive whose go/bin/go reports go1.99.1
    // (and hands everything else to the real go, so the port list and go list still work).
    let server: Server;
    let dlUrl = '';
    let archiveSha = '';
    beforeAll(async () => {
      const src = await tempDir('goship-sgm-dl-');
      await mkdir(path.join(src, 'go', 'bin'), { recursive: true });
      const fake = path.join(src, 'go', 'bin', 'go');
      await writeFile(
        fake,
        '#!/bin/sh\nif [ "$1" = version ] && [ $# -eq 1 ]; then echo "go version go1.99.1 linux/amd64"; exit 0; fi\nexec /usr/local/go/bin/go "$@"\n',
      );
      await chmod(fake, 0o755);
      const archive = path.join(src, 'go1.99.1.linux-amd64.tar.gz');
      expect(spawnSync('tar', ['-czf', archive, '-C', src, 'go']).status).toBe(0);
      const bytes = await readFile(archive);
      archiveSha = createHash('sha256').update(bytes).digest('hex');
      const file = (version: string, sha256: string): unknown => ({
        version: `go${version}`,
        stable: true,
        files: [
          {
            filename: `go${version}.linux-amd64.tar.gz`,
            os: 'linux',
            arch: 'amd64',
            version: `go${version}`,
            sha256,
            size: bytes.length,
            kind: 'archive',
          },
        ],
      });
      const index = JSON.stringify([file('1.99.1', archiveSha), file('1.99.0', 'f'.repeat(64))]);
      server = createServer((req, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        if (u.pathname === '/' && u.searchParams.get('mode') === 'json')
          res.writeHead(200, { 'content-type': 'application/json' }).end(index);
        else if (/^\/go1\.99\.[01]\.linux-amd64\.tar\.gz$/.test(u.pathname)) res.writeHead(200).end(bytes);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      dlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    it('lists versions from the index and installs the archive checked against its sha256', async () => {
      const repo = await fixtureRepo('hello');
      const tc = await tempDir('goship-sgm-toolcache-dl-');
      const r = await runAction(dir, {
        cwd: repo.dir,
        toolCache: tc,
        env: { ...GO_ENV, GOSHIP_GO_DL_URL: dlUrl },
        inputs: { 'go-version': '1.99', cache: false },
      });
      expect(r.exitCode, r.log).toBe(0);
      expect(r.outputs['go-version']).toBe('1.99.1');
      expect(r.log).toContain(`Go versions from the download index ${dlUrl}/?mode=json&include=all`);
      expect(r.summary).toContain(`Go versions listed by the Go download index (${dlUrl})`);
      expect(r.summary).toContain(`download index archive, verified: go1.99.1.linux-amd64.tar.gz sha256 ${archiveSha}`);
      expect(r.path).toEqual([path.join(tc, 'go', '1.99.1', process.arch, 'bin')]);
      const v = spawnSync('go', ['version'], { env: laterStepEnv(r), encoding: 'utf8' });
      expect(v.stdout.trim()).toBe('go version go1.99.1 linux/amd64');
      await rmAll(tc);
    });

    it('refuses an archive whose sha256 does not match the index, installing nothing', async () => {
      const repo = await fixtureRepo('hello');
      const tc = await tempDir('goship-sgm-toolcache-dl-');
      const r = await runAction(dir, {
        cwd: repo.dir,
        toolCache: tc,
        env: { ...GO_ENV, GOSHIP_GO_DL_URL: dlUrl },
        inputs: { 'go-version': '1.99.0', cache: false },
      });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r)).toMatch(
        /go1\.99\.0\.linux-amd64\.tar\.gz has sha256 [0-9a-f]{64}, but the download index says f{64}: corrupt or tampered with/,
      );
      expect(r.path).toEqual([]);
      expect(r.exportedEnv).toEqual({});
      expect(existsSync(path.join(tc, 'go', '1.99.0'))).toBe(false);
      await rmAll(tc);
    });
  });

  describe('bad inputs fail before anything is installed, exported or cached', () => {
    const cases: [string, Record<string, string | boolean>, string, RegExp][] = [
      ['unknown version spec', { 'go-version': '1.2.3.4' }, 'go-version', /got "1\.2\.3\.4"; expected exact versions/],
      [
        'malformed platform',
        { platforms: 'linux/amd64,windows' },
        'platforms',
        /got "windows".*Add the architecture, e\.g\. `windows\/amd64`/,
      ],
      ['unknown arch', { platforms: 'linux/arm65' }, 'platforms', /got "linux\/arm65"; expected a port Go .* supports/],
      ['unsupported port', { platforms: 'darwin/386' }, 'platforms', /got "darwin\/386"; expected a port Go .* supports.*Ports for darwin/],
      ['build-groups zero', { 'build-groups': '0' }, 'build-groups', /got "0"; expected a whole number from 1 to 256/],
      ['build-groups word', { 'build-groups': 'many' }, 'build-groups', /got "many"; expected `auto` or a whole number/],
      ['toolchain', { toolchain: 'remote' }, 'toolchain', /got "remote"; expected one of `local`, `auto`/],
      ['too old for go.mod', { 'go-version': '1.23.4' }, 'go-version', /got "1\.23\.4"; expected Go 1\.24\.0 or newer.*toolchain: auto/],
      ['changed-since unknown', { 'changed-since': 'no-such-ref' }, 'changed-since', /got "no-such-ref"; expected a branch, tag or commit/],
    ];
    it.each(cases)('%s', async (_name, extra, input, msg) => {
      const repo = await fixtureRepo('hello');
      const r = await runAction(dir, {
        cwd: repo.dir,
        toolCache,
        env: { ...GO_ENV, ...svc.env() },
        inputs: { 'go-version': installedVersion || '1.26.8', ...extra },
      });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r)).toMatch(new RegExp(`^setup-go-matrix: Input "${input}": `));
      expect(errorOf(r)).toMatch(msg);
      expect(r.exportedEnv).toEqual({});
      expect(r.path).toEqual([]);
      expect(r.state).toEqual({});
      expect(r.post?.stdout ?? '').toContain('No Go cache entries to save');
    });

    it('go.mod requested where there is none', async () => {
      const empty = await tempDir('goship-sgm-empty-');
      const r = await runAction(dir, { cwd: empty, toolCache, env: GO_ENV, inputs: { 'go-version': 'go.mod' } });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r)).toMatch(
        /^setup-go-matrix: Input "go-version": got "go\.mod"; expected .*needs a go\.mod, go\.work, \.go-version or \.tool-versions file/,
      );
      expect(r.exportedEnv).toEqual({});
      expect(r.path).toEqual([]);
    });

    it('a go-version-file that does not exist', async () => {
      const repo = await fixtureRepo('hello');
      const r = await runAction(dir, {
        cwd: repo.dir,
        toolCache,
        env: GO_ENV,
        inputs: { 'go-version-file': 'nope/go.mod', install: false },
      });
      expect(r.exitCode).toBe(1);
      expect(errorOf(r)).toMatch(/^setup-go-matrix: Input "go-version-file": got "nope\/go.mod"/);
    });
  });
});
