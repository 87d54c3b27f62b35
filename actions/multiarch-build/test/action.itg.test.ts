/**
 * multiarch-build through its committed bundle, against real Go: hello for six platforms (twice,
 * from different paths, umask and time zone), the proof of reproducibility, multi as one job and
 * as split parts merged, and the bad inputs. Builds are shared between assertions.
 */
import { readManifest, type Manifest } from '@goship/core/manifest';
import { type ActionResult, type GitRepo, actionDir, fixtureRepo, runAction, tempDir } from '@goship/testkit';
import { execFileSync } from 'node:child_process';
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTarGz, readZip } from './archive-read.js';
import { cyclonedxValidator, errorsOf, spdxSemanticProblems, spdxValidator } from './sbom-validate.js';

const dir = actionDir('multiarch-build');
const GO_PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`;
const PLATFORMS = 'linux/amd64,linux/arm64,linux/arm/v7,darwin/arm64,windows/amd64,windows/arm64';
const TAG_ENV = { GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_REF_NAME: 'v1.2.3', GITHUB_REF_TYPE: 'tag', PATH: GO_PATH };

async function helloRepo(parent?: string): Promise<GitRepo> {
  const repo = await fixtureRepo('hello', parent ? { dir: path.join(parent, 'some', 'other', 'checkout') } : {});
  await repo.tag('v1.2.3');
  return repo;
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(root, p));
    }
  };
  await walk(root);
  return out.sort();
}

/** Where multiarch-build keeps binaries in the GOCACHE the tests share. */
function keptDir(): string {
  const gocache = execFileSync('go', ['env', 'GOCACHE'], { env: { ...process.env, PATH: GO_PATH } })
    .toString()
    .trim();
  return path.join(gocache, 'goship', 'bin');
}

function goVersionM(file: string): { GoVersion: string; Settings: { Key: string; Value?: string }[] } {
  return JSON.parse(execFileSync('go', ['version', '-m', '-json', file], { env: { ...process.env, PATH: GO_PATH } }).toString());
}

const setting = (info: ReturnType<typeof goVersionM>, k: string): string | undefined => info.Settings.find((s) => s.Key === k)?.Value;

describe('multiarch-build: hello for six platforms', () => {
  let repo: GitRepo;
  let r: ActionResult;
  let manifest: Manifest;
  let dist: string;

  beforeAll(async () => {
    repo = await helloRepo();
    r = await runAction(dir, {
      cwd: repo.dir,
      env: { ...TAG_ENV, TZ: 'UTC' },
      inputs: { platforms: PLATFORMS, sbom: 'both', 'smoke-test': '--version' },
    });
    dist = path.join(repo.dir, 'dist');
    if (r.exitCode === 0) manifest = await readManifest(path.join(dist, 'goship-manifest.json'));
  });

  it('succeeds and reports version, manifest, checksums and binaries', () => {
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.version).toBe('1.2.3');
    expect(r.outputs.manifest).toBe('dist/goship-manifest.json');
    expect(r.outputs.checksums).toBe('dist/hello_1.2.3_checksums.txt');
    expect(r.outputs.reproducible).toBe('unchecked');
    expect(Number(r.outputs['build-seconds'])).toBeGreaterThan(0);
    const binaries = JSON.parse(r.outputs.binaries!) as { platform: string; sha256: string }[];
    expect(binaries.map((b) => b.platform).sort()).toEqual(PLATFORMS.split(',').sort());
    expect(JSON.parse(r.outputs.artifacts!)).toEqual(manifest.artifacts);
    expect(r.log).toMatch(/built 6\/6 — hello /);
  });

  it('writes a checksums file that sha256sum -c accepts, one line per archive and per SBOM', async () => {
    const text = await readFile(path.join(dist, 'hello_1.2.3_checksums.txt'), 'utf8');
    // six archives, each with an SPDX and a CycloneDX SBOM (`sbom: both`): one signature covers all
    const listed = manifest.artifacts.filter((a) => a.kind === 'archive' || a.kind === 'sbom');
    expect(listed.filter((a) => a.kind === 'sbom')).toHaveLength(12);
    expect(text.trim().split('\n')).toHaveLength(18);
    for (const a of listed) expect(text, a.name).toContain(`${a.sha256}  ${a.name}\n`);
    const out = execFileSync('sha256sum', ['-c', 'hello_1.2.3_checksums.txt'], { cwd: dist }).toString();
    expect(out.match(/: OK$/gm)).toHaveLength(18);
    expect(text).toContain('  hello_1.2.3_windows_amd64.zip\n');
    expect(text).toContain('  hello_1.2.3_linux_armv7.tar.gz\n');
  });

  it('builds every binary with -trimpath, CGO_ENABLED=0 and the right GOOS/GOARCH/variant', () => {
    for (const p of PLATFORMS.split(',')) {
      const [os, arch, variant] = p.split('/') as [string, string, string?];
      const file = path.join(dist, `hello_${[os, arch, variant].filter(Boolean).join('_')}`, os === 'windows' ? 'hello.exe' : 'hello');
      const info = goVersionM(file);
      expect(setting(info, '-trimpath'), p).toBe('true');
      expect(setting(info, 'CGO_ENABLED'), p).toBe('0');
      expect(setting(info, 'GOOS'), p).toBe(os);
      expect(setting(info, 'GOARCH'), p).toBe(arch);
      if (variant) expect(setting(info, 'GOARM'), p).toBe('7');
      expect(info.GoVersion, p).toMatch(/^go1\./);
    }
  });

  it('stamps the host binary with the version, commit and commit date (and the smoke test ran it)', async () => {
    const out = execFileSync(path.join(dist, 'hello_linux_amd64', 'hello'), ['--version']).toString();
    expect(out.trim()).toBe(`hello 1.2.3 (commit ${await repo.head()}, built 2026-01-01T00:00:00Z)`);
    expect(r.log).toContain('smoke-test hello --version → hello 1.2.3');
  });

  it('archives: sorted entries, 0755 binary, 0644 files, root owner, commit mtime; zip for Windows', async () => {
    const tgz = await readTarGz(await readFile(path.join(dist, 'hello_1.2.3_linux_arm64.tar.gz')));
    expect(tgz.map((e) => [e.name, e.mode.toString(8), e.uid, e.gid, e.uname, e.gname, e.mtime])).toEqual([
      ['LICENSE', '644', 0, 0, '', '', '2026-01-01T00:00:00.000Z'],
      ['README.md', '644', 0, 0, '', '', '2026-01-01T00:00:00.000Z'],
      ['hello', '755', 0, 0, '', '', '2026-01-01T00:00:00.000Z'],
    ]);
    expect(tgz[2]!.data.equals(await readFile(path.join(dist, 'hello_linux_arm64', 'hello')))).toBe(true);
    const gz = await readFile(path.join(dist, 'hello_1.2.3_linux_amd64.tar.gz'));
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gz[9]).toBe(3);
    const zip = readZip(await readFile(path.join(dist, 'hello_1.2.3_windows_arm64.zip')));
    expect(zip.map((e) => [e.name, e.mode.toString(8), e.mtime])).toEqual([
      ['LICENSE', '644', '2026-01-01T00:00:00'],
      ['README.md', '644', '2026-01-01T00:00:00'],
      ['hello.exe', '755', '2026-01-01T00:00:00'],
    ]);
  });

  it('writes SPDX 2.3 and CycloneDX 1.6 SBOMs per archive that validate, recorded in the manifest', async () => {
    const sboms = manifest.artifacts.filter((a) => a.kind === 'sbom');
    expect(sboms).toHaveLength(12);
    for (const s of sboms) {
      const doc = JSON.parse(await readFile(path.join(repo.dir, s.path!), 'utf8'));
      const v = s.name.endsWith('.spdx.json') ? spdxValidator() : cyclonedxValidator();
      expect(v(doc), `${s.name}: ${errorsOf(v)}`).toBe(true);
      if (s.name.endsWith('.spdx.json')) {
        expect(spdxSemanticProblems(doc), s.name).toEqual([]);
        expect(doc.creationInfo.created).toBe('2026-01-01T00:00:00Z');
      } else expect(doc.metadata.timestamp).toBe('2026-01-01T00:00:00Z');
      const archive = manifest.artifacts.find((a) => a.name === s.describes)!;
      expect(JSON.stringify(doc)).toContain(archive.sha256);
    }
  });

  it('writes a job summary with the binaries and archives', () => {
    expect(r.summary).toContain('multiarch-build: hello 1.2.3');
    expect(r.summary).toMatch(/\| hello \| linux\/arm\/v7 \|/);
    expect(r.summary).toContain('hello_1.2.3_darwin_arm64.tar.gz');
  });

  it('is byte-identical when built from another path with another umask and time zone', async () => {
    const parent = await tempDir('goship-other-');
    // without the binaries the first run kept, go links every binary again here
    await rm(keptDir(), { recursive: true, force: true });
    const old = process.umask(0o077);
    let r2: ActionResult;
    let other: GitRepo;
    try {
      other = await helloRepo(parent);
      r2 = await runAction(dir, {
        cwd: other.dir,
        env: { ...TAG_ENV, TZ: 'Pacific/Kiritimati' },
        inputs: { platforms: PLATFORMS, sbom: 'both', 'smoke-test': '--version' },
      });
    } finally {
      process.umask(old);
    }
    expect(r2.exitCode, r2.log).toBe(0);
    expect(r2.log).not.toMatch(/binaries were up to date/);
    const dist2 = path.join(other.dir, 'dist');
    // the umask reached the action: files it created are private, yet their bytes are the same
    expect((await stat(path.join(dist2, 'hello_1.2.3_linux_amd64.tar.gz'))).mode & 0o077).toBe(0);
    const files = await listFiles(dist);
    expect(await listFiles(dist2)).toEqual(files);
    expect(files.length).toBeGreaterThan(25);
    for (const f of files) {
      const [a, b] = await Promise.all([readFile(path.join(dist, f)), readFile(path.join(dist2, f))]);
      expect(b.equals(a), `${f} differs`).toBe(true);
    }
  });
});

describe('multiarch-build: verify-reproducible', () => {
  it('rebuilds from a copy of the checkout in a fresh GOCACHE and reports reproducible=true', async () => {
    const repo = await helloRepo();
    const r = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: {
        platforms: 'linux/amd64',
        'verify-reproducible': true,
        sbom: 'cyclonedx',
        'archive-format': 'binary',
        'checksum-algorithm': 'sha512',
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.reproducible).toBe('true');
    expect(r.log).toMatch(/reproducible: all 3 artifacts are byte-identical in the rebuild/);
    // the binary format releases the binary itself, checksummed with sha512, and its SBOM with it
    const sums = await readFile(path.join(repo.dir, 'dist', 'hello_1.2.3_checksums.txt'), 'utf8');
    expect(sums).toMatch(/^[0-9a-f]{128} {2}hello_1\.2\.3_linux_amd64\n[0-9a-f]{128} {2}hello_1\.2\.3_linux_amd64\.cdx\.json\n$/);
    expect(execFileSync('sha512sum', ['-c', 'hello_1.2.3_checksums.txt'], { cwd: path.join(repo.dir, 'dist') }).toString()).toContain(
      ': OK',
    );
  });
});

describe('multiarch-build: binaries kept between runs', () => {
  it('does not link what go finds up to date, proves it byte-identical, and links again when the inputs change', async () => {
    const repo = await helloRepo();
    const inputs = { platforms: 'linux/amd64,windows/arm64', 'archive-format': 'binary', sbom: 'none' };
    const bin = path.join(repo.dir, 'dist', 'hello_1.2.3_linux_amd64');
    const first = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs });
    expect(first.exitCode, first.log).toBe(0);
    const linked = await readFile(bin);
    const firstBin = path.join(await tempDir('goship-kept-'), 'first'); // outside the checkout, which it would make modified
    await cp(bin, firstBin);
    // the same commit again, with the proof: go keeps both binaries, and a fresh rebuild (which
    // keeps nothing) gives the same bytes
    const again = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { ...inputs, 'verify-reproducible': true } });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.log).toMatch(/2 of 2 binaries were up to date/);
    expect(again.log).toMatch(/built \d\/2 — hello linux\/amd64 .*\(up to date: the binary kept from the last run\)/);
    expect(again.outputs.reproducible).toBe('true');
    expect((await readFile(bin)).equals(linked)).toBe(true);
    const digests = (r: ActionResult) =>
      (JSON.parse(r.outputs.binaries ?? '[]') as { path: string; sha256: string }[]).map((b) => `${b.path} ${b.sha256}`);
    expect(digests(again)).toEqual(digests(first));
    // another ldflag: go links both again, and the next run finds the new ones
    const changed = { ...inputs, ldflags: '-X main.extra=1' };
    const third = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: changed });
    expect(third.exitCode, third.log).toBe(0);
    expect(third.log).not.toMatch(/binaries were up to date/);
    const relinked = await readFile(bin);
    expect(relinked.equals(linked)).toBe(false);
    // the new link's build ID (its first half is the link's action ID, which the flag changed)
    const buildID = (f: string) =>
      execFileSync('go', ['tool', 'buildid', f], { env: { ...process.env, PATH: GO_PATH } })
        .toString()
        .trim();
    const [before, after] = [buildID(firstBin), buildID(bin)];
    expect(after.split('/')[0]).not.toBe(before.split('/')[0]);
    const fourth = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: changed });
    expect(fourth.log).toMatch(/2 of 2 binaries were up to date/);
    expect((await readFile(bin)).equals(relinked)).toBe(true);
    // one file per target, whatever the flags
    expect((await readdir(keptDir())).filter((f) => !f.endsWith('.part')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('multiarch-build: multi as one job, and split 1/2 + 2/2 + merge', () => {
  let single: ActionResult;
  let singleRepo: GitRepo;
  let parts: ActionResult[];
  let merged: ActionResult;
  let mergeRepo: GitRepo;
  const inputs = { platforms: PLATFORMS, sbom: 'spdx' };
  // 3 platforms × 2 mains in 2 parts: partition gives part 1 linux/amd64 and linux/arm64, part 2
  // windows/amd64 — whole platforms, each part packages its own
  const SPLIT_PLATFORMS = 'linux/amd64,linux/arm64,windows/amd64';
  const env = { ...TAG_ENV, GITHUB_REPOSITORY: 'goship-test/multi' };

  beforeAll(async () => {
    singleRepo = await fixtureRepo('multi');
    await singleRepo.tag('v1.2.3');
    single = await runAction(dir, { cwd: singleRepo.dir, env, inputs });
    parts = [];
    mergeRepo = await fixtureRepo('multi');
    for (const i of [1, 2]) {
      const repo = await fixtureRepo('multi');
      await repo.tag('v1.2.3');
      const r = await runAction(dir, { cwd: repo.dir, env, inputs: { ...inputs, platforms: SPLIT_PLATFORMS, split: `${i}/2` } });
      parts.push(r);
      // like actions/download-artifact without merge-multiple: one folder per part
      if (r.exitCode === 0) await cp(path.join(repo.dir, 'dist'), path.join(mergeRepo.dir, 'parts', `part-${i}`), { recursive: true });
    }
    merged = await runAction(dir, { cwd: mergeRepo.dir, env, inputs: { ...inputs, platforms: SPLIT_PLATFORMS, merge: 'parts' } });
  });

  it('builds both mains of multi for six platforms in one job', async () => {
    expect(single.exitCode, single.log).toBe(0);
    const bins = JSON.parse(single.outputs.binaries!) as { name: string; platform: string; path: string }[];
    expect(bins).toHaveLength(12);
    for (const b of bins) {
      const info = goVersionM(path.join(singleRepo.dir, b.path));
      const [os, arch] = b.platform.split('/');
      expect([setting(info, '-trimpath'), setting(info, 'CGO_ENABLED'), setting(info, 'GOOS'), setting(info, 'GOARCH')], b.path).toEqual([
        'true',
        '0',
        os,
        arch,
      ]);
    }
    const tgz = await readTarGz(await readFile(path.join(singleRepo.dir, 'dist', 'multi_1.2.3_linux_amd64.tar.gz')));
    expect(tgz.map((e) => e.name)).toEqual(['LICENSE', 'README.md', 'api', 'worker']);
    const worker = goVersionM(path.join(singleRepo.dir, 'dist', 'worker_linux_arm64', 'worker')) as unknown as {
      Deps: { Path: string; Sum: string }[];
    };
    expect(worker.Deps.map((d) => d.Path)).toContain('github.com/google/uuid');
    const spdx = JSON.parse(await readFile(path.join(singleRepo.dir, 'dist', 'multi_1.2.3_linux_arm64.tar.gz.spdx.json'), 'utf8'));
    expect(spdxValidator()(spdx), errorsOf(spdxValidator())).toBe(true);
    expect(JSON.stringify(spdx)).toContain('h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=');
  });

  it('parts write part manifests and no checksums', () => {
    for (const p of parts) {
      expect(p.exitCode, p.log).toBe(0);
      expect(p.outputs.checksums).toBe('');
    }
    expect(parts[0]!.outputs.manifest).toBe('dist/goship-manifest.part-1-of-2.json');
    const bins = (i: number): string[] =>
      (JSON.parse(parts[i]!.outputs.binaries!) as { name: string; platform: string }[]).map((b) => `${b.name} ${b.platform}`);
    expect(bins(0)).toEqual(['api linux/amd64', 'api linux/arm64', 'worker linux/amd64', 'worker linux/arm64']);
    expect(bins(1)).toEqual(['api windows/amd64', 'worker windows/amd64']);
    const archives = (i: number): string[] =>
      (JSON.parse(parts[i]!.outputs.artifacts!) as { kind: string; name: string }[]).filter((a) => a.kind === 'archive').map((a) => a.name);
    expect(archives(0)).toEqual(['multi_1.2.3_linux_amd64.tar.gz', 'multi_1.2.3_linux_arm64.tar.gz']);
    expect(archives(1)).toEqual(['multi_1.2.3_windows_amd64.zip']);
  });

  it('merge gives exactly the single job’s checksums, archives and manifest artifacts', async () => {
    expect(merged.exitCode, merged.log).toBe(0);
    const names = SPLIT_PLATFORMS.split(',').map((p) => `multi_1.2.3_${p.replace('/', '_')}.${p.startsWith('windows') ? 'zip' : 'tar.gz'}`);
    const a = await readFile(path.join(singleRepo.dir, 'dist', 'multi_1.2.3_checksums.txt'), 'utf8');
    const b = await readFile(path.join(mergeRepo.dir, 'dist', 'multi_1.2.3_checksums.txt'), 'utf8');
    const ma = await readManifest(path.join(singleRepo.dir, 'dist', 'goship-manifest.json'));
    // the single job built six platforms: its lines for the split's three archives and their SBOMs are the merged file
    const sboms = ma.artifacts.filter((x) => x.kind === 'sbom' && names.includes(x.describes!)).map((x) => x.name);
    expect(sboms).toHaveLength(3);
    const expected = a
      .split('\n')
      .filter((l) => [...names, ...sboms].some((n) => l.endsWith(`  ${n}`)))
      .map((l) => `${l}\n`)
      .join('');
    expect(expected.split('\n')).toHaveLength(7);
    expect(b).toBe(expected);
    const mb = await readManifest(path.join(mergeRepo.dir, 'dist', 'goship-manifest.json'));
    const plats = SPLIT_PLATFORMS.split(',');
    const inSplit = (x: { kind: string; os?: string; arch?: string; describes?: string }): boolean =>
      x.kind === 'sbom' ? names.includes(x.describes!) : plats.includes(`${x.os}/${x.arch}`);
    expect(mb.artifacts.filter((x) => x.kind !== 'checksums')).toEqual(ma.artifacts.filter((x) => x.kind !== 'checksums' && inSplit(x)));
    expect(mb.part).toBeUndefined();
    expect(mb.targets).toBeUndefined();
    execFileSync('sha256sum', ['-c', 'multi_1.2.3_checksums.txt'], { cwd: path.join(mergeRepo.dir, 'dist') });
    // parts packaged whole platforms: the merge job only gathers, checks and checksums
    expect(merged.log).not.toMatch(/Build \d+ binaries|packaged \d+ release file/);
    expect(merged.summary).toContain('multiarch-build: multi 1.2.3 (merged)');
  });

  it('merge refuses a part given twice', async () => {
    const repo = await fixtureRepo('multi');
    for (const [from, to] of [
      ['part-1', 'a'],
      ['part-1', 'b'],
      ['part-2', 'c'],
    ]) {
      await cp(path.join(mergeRepo.dir, 'parts', from!), path.join(repo.dir, 'parts', to!), { recursive: true });
    }
    const r = await runAction(dir, { cwd: repo.dir, env, inputs: { merge: 'parts' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((x) => x.type === 'error')?.message).toMatch(/Input "merge".*repeated 1\/2/s);
  });

  it('merge refuses a missing part, naming the input', async () => {
    const repo = await fixtureRepo('multi');
    await cp(path.join(mergeRepo.dir, 'parts', 'part-1'), path.join(repo.dir, 'parts', 'part-1'), { recursive: true });
    const r = await runAction(dir, { cwd: repo.dir, env, inputs: { ...inputs, merge: 'parts' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((x) => x.type === 'error')?.message).toMatch(/^multiarch-build: Input "merge": got "parts".*missing 2\/2/s);
    expect(existsSync(path.join(repo.dir, 'dist'))).toBe(false);
  });
});

describe('multiarch-build: smoke test', () => {
  it('fails when the host binary exits non-zero, showing its output', async () => {
    const repo = await helloRepo();
    const r = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: { platforms: 'linux/amd64,windows/amd64', 'smoke-test': '--no-such-flag', sbom: 'none' },
    });
    expect(r.exitCode).toBe(1);
    const err = r.annotations.find((a) => a.type === 'error')?.message ?? '';
    expect(err).toMatch(/smoke-test: `hello --no-such-flag` \(linux\/amd64\) exited with code 2/);
    expect(err).toContain('flag provided but not defined: -no-such-flag');
  });
});

describe('multiarch-build: bad input fails before any build, naming the input', () => {
  let hello: GitRepo;
  let multi: GitRepo;
  beforeAll(async () => {
    hello = await helloRepo();
    multi = await fixtureRepo('multi');
  });
  const cases: [string, () => GitRepo, Record<string, string>, RegExp][] = [
    ['an unknown platform', () => hello, { platforms: 'linux/amd64,plan10/amd64' }, /Input "platforms": got "plan10\/amd64"/],
    ['a bad variant', () => hello, { platforms: 'linux/arm/v9' }, /Input "platforms": got "linux\/arm\/v9"/],
    ['a main that is not a main package', () => multi, { main: './pkg/greet' }, /Input "main": got "\.\/pkg\/greet".*package greet/s],
    [
      'an unknown template variable',
      () => hello,
      { ldflags: '-X main.x={{.Versoin}}' },
      /input "ldflags": template: tmpl:1:12: .*no entry for key "Versoin".*Did you mean \.Version\?/s,
    ],
    ['split out of range', () => hello, { split: '3/2' }, /Input "split": got "3\/2"/],
    ['split malformed', () => hello, { split: 'half' }, /Input "split": got "half"/],
    ['merge with no parts', () => hello, { merge: 'nowhere' }, /Input "merge": got "nowhere"/],
    ['a non-semver version', () => hello, { version: '1.2' }, /Input "version": got "1\.2".*MAJOR\.MINOR\.PATCH/s],
  ];
  for (const [what, repo, inputs, re] of cases) {
    it(what, async () => {
      const r = await runAction(dir, { cwd: repo().dir, env: { PATH: GO_PATH }, inputs });
      expect(r.exitCode, r.log).toBe(1);
      const err = r.annotations.find((a) => a.type === 'error');
      expect(err?.message).toMatch(/^multiarch-build: /);
      expect(err?.message).toMatch(re);
      expect(existsSync(path.join(repo().dir, 'dist')), 'no dist written').toBe(false);
    });
  }
});
