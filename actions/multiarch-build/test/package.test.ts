import { describe, expect, it, vi } from 'vitest';
import { type BinaryRec, type PackageOptions, packageBinaries, planUnits, withDigest, writeChecksumsFile } from '../src/package.js';
import { goTargetOf, planFromConfig, planFromInputs } from '../src/release-plan.js';
import { goreleaserConfigFromText } from '@goship/core/config';
import { inputConfig, scope } from './plan-helpers.js';
import { parsePlatform, platformId } from '@goship/core/platform';
import { fixturesDir, tempDir } from '@goship/testkit';
import type { Artifact } from '@goship/core/manifest';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

function rec(name: string, platform: string): BinaryRec {
  const p = parsePlatform(platform);
  return {
    name,
    main: name,
    ...p,
    platformName: platform,
    build: name,
    target: platformId(p),
    goTarget: goTargetOf(p).target,
    file: p.os === 'windows' ? `${name}.exe` : name,
    abs: '/x',
    sha256: 'a'.repeat(64),
    size: 1,
  };
}

function options(cfg = inputConfig()): PackageOptions {
  return {
    workdir: path.join(fixturesDir, 'hello'),
    dist: path.join(fixturesDir, 'hello', 'dist'),
    archives: planFromInputs(cfg).archives,
    goshipDefaultName: !cfg.archiveNameSet,
    sbom: 'none',
    algorithm: 'sha256',
    scope: scope(),
    version: '1.2.3',
    created: '2026-01-01T00:00:00Z',
    warn: () => undefined,
  };
}

/** Two binaries of `api` (linux/amd64, windows/arm64) written under `dir`/bin, their records with real digests. */
async function twoBinaries(dir: string, repeat: number): Promise<BinaryRec[]> {
  vi.stubEnv('GITHUB_WORKSPACE', dir);
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  const bins: BinaryRec[] = [];
  for (const [i, platform] of ['linux/amd64', 'windows/arm64'].entries()) {
    const r = rec('api', platform);
    const abs = path.join(dir, 'bin', `${i}-${r.file}`);
    const data = `binary ${platform} `.repeat(repeat);
    await writeFile(abs, data);
    bins.push({ ...r, abs, sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
  }
  return bins;
}

describe('release file names', () => {
  it('makes one archive per platform, zip for Windows', async () => {
    const u = await planUnits([rec('api', 'linux/arm/v7'), rec('worker', 'linux/arm/v7'), rec('api', 'windows/amd64')], options());
    expect(u.map((x) => [x.name, x.binaries.length])).toEqual([
      ['hello_1.2.3_linux_armv7.tar.gz', 2],
      ['hello_1.2.3_windows_amd64.zip', 1],
    ]);
  });
  it('names released binaries by binary with the binary format', async () => {
    const u = await planUnits(
      [rec('api', 'linux/amd64'), rec('worker', 'windows/amd64')],
      options(inputConfig({ archiveFormat: 'binary' })),
    );
    expect(u.map((x) => x.name)).toEqual(['api_1.2.3_linux_amd64', 'worker_1.2.3_windows_amd64.exe']);
  });
  it('renders GoReleaser-style templates given as archive-name', async () => {
    const cfg = inputConfig({
      archiveName: '{{ .ProjectName }}_{{ title .Os }}_{{ if eq .Arch "amd64" }}x86_64{{ else }}{{ .Arch }}{{ end }}',
      archiveNameSet: true,
    });
    const u = await planUnits([rec('api', 'linux/amd64'), rec('api', 'darwin/arm64')], options(cfg));
    expect(u.map((x) => x.name)).toEqual(['hello_Darwin_arm64.tar.gz', 'hello_Linux_x86_64.tar.gz']);
  });
  it('refuses a template that gives two files one name', async () => {
    const cfg = inputConfig({ archiveName: '{{.Project}}', archiveNameSet: true });
    await expect(planUnits([rec('api', 'linux/amd64'), rec('api', 'linux/arm64')], options(cfg))).rejects.toThrow(/Input "archive-name"/);
  });
});

describe('withDigest', () => {
  it('gives each release file its sha512 when the run checksums with sha512, and leaves sha256 runs alone', async () => {
    const dir = await tempDir('goship-digest-');
    await writeFile(path.join(dir, 'p.deb'), 'a package');
    await writeFile(path.join(dir, 'p.deb.spdx.json'), '{}');
    const arts: Artifact[] = [
      { kind: 'package', name: 'p.deb', path: 'p.deb', sha256: 'x' },
      { kind: 'sbom', name: 'p.deb.spdx.json', path: 'p.deb.spdx.json', sha256: 'y', sha512: 'kept' },
    ];
    expect(await withDigest(arts, 'sha256', dir)).toEqual(arts);
    const out = await withDigest(arts, 'sha512', dir);
    expect(out[0]!.sha512).toBe(createHash('sha512').update('a package').digest('hex'));
    expect(out[1]!.sha512).toBe('kept');
  });
});

describe('the digests of the release files', () => {
  // each release file's digests come from what is already known (a copied binary's from its build, an
  // archive's, SBOM's and checksums file's from the bytes written): they must be those of the file on disk
  it('are those of the files written, in every format and with sha512', async () => {
    const dir = await tempDir('goship-release-digests-');
    await writeFile(path.join(dir, 'LICENSE'), 'MIT\n');
    const bins = await twoBinaries(dir, 1000);
    const info = { GoVersion: 'go1.26.8', Path: 'example.com/api', Main: { Path: 'example.com/hello', Version: '(devel)' } };
    for (const format of ['tar.gz', 'binary'] as const) {
      const dist = path.join(dir, `dist-${format}`);
      const o: PackageOptions = {
        ...options(inputConfig({ archiveFormat: format })),
        workdir: dir,
        dist,
        sbom: 'spdx',
        algorithm: 'sha512',
        readInfo: () => Promise.resolve(info),
      };
      const made = await packageBinaries(bins, o);
      const files = [...made.archives, ...made.sboms];
      expect(files.map((a) => a.name).sort()).toEqual(
        format === 'binary'
          ? [
              'api_1.2.3_linux_amd64',
              'api_1.2.3_linux_amd64.spdx.json',
              'api_1.2.3_windows_arm64.exe',
              'api_1.2.3_windows_arm64.exe.spdx.json',
            ]
          : [
              'hello_1.2.3_linux_amd64.tar.gz',
              'hello_1.2.3_linux_amd64.tar.gz.spdx.json',
              'hello_1.2.3_windows_arm64.zip',
              'hello_1.2.3_windows_arm64.zip.spdx.json',
            ],
      );
      const sums = await writeChecksumsFile(files, {
        workdir: dir,
        dist,
        checksum: planFromInputs(inputConfig()).checksum,
        algorithm: 'sha512',
        scope: scope(),
        warn: () => undefined,
      });
      for (const a of [...files, sums!]) {
        const bytes = await readFile(path.join(dir, a.path!));
        expect([a.name, a.sha256, a.size]).toEqual([a.name, createHash('sha256').update(bytes).digest('hex'), bytes.length]);
        if (a.kind !== 'checksums') expect([a.name, a.sha512]).toEqual([a.name, createHash('sha512').update(bytes).digest('hex')]);
      }
    }
    vi.unstubAllEnvs();
  });
});

describe('packaging while the binaries are still building', () => {
  const opts = (dir: string, dist: string): PackageOptions => ({ ...options(), workdir: dir, dist, sbom: 'none' });

  it('makes a release file as soon as its binaries are ready, before the others are, with the same bytes and order', async () => {
    const dir = await tempDir('goship-pack-ready-');
    const bins = await twoBinaries(dir, 5000);
    const before = await packageBinaries(bins, opts(dir, path.join(dir, 'dist-all')));
    // the Windows binary is "built" only once the Linux archive is on disk: packaging must not wait for it
    const linuxArchive = path.join(dir, 'dist-ready', 'hello_1.2.3_linux_amd64.tar.gz');
    const planned = bins.map((b) => ({ ...b, sha256: '', size: 0 }));
    const ready = async (b: BinaryRec): Promise<BinaryRec> => {
      const done = bins.find((x) => x.abs === b.abs)!;
      if (b.os === 'linux') return done;
      for (let i = 0; i < 500; i++) {
        if (
          await readFile(linuxArchive).then(
            () => true,
            () => false,
          )
        )
          return done;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the Linux archive was not made while the Windows binary was still building');
    };
    const made = await packageBinaries(planned, opts(dir, path.join(dir, 'dist-ready')), ready);
    expect(made.archives.map((a) => a.name)).toEqual(['hello_1.2.3_linux_amd64.tar.gz', 'hello_1.2.3_windows_arm64.zip']);
    const strip = (a: Artifact) => ({ ...a, path: path.basename(a.path!) });
    expect(made.archives.map(strip)).toEqual(before.archives.map(strip));
    vi.unstubAllEnvs();
  });

  it('fails with the build error when a binary never comes, after the others are written', async () => {
    const dir = await tempDir('goship-pack-fail-');
    const bins = await twoBinaries(dir, 5000);
    const dist = path.join(dir, 'dist');
    const ready = (b: BinaryRec): Promise<BinaryRec> =>
      b.os === 'windows' ? Promise.reject(new Error('building api for windows/arm64 failed')) : Promise.resolve(b);
    await expect(packageBinaries(bins, opts(dir, dist), ready)).rejects.toThrow('building api for windows/arm64 failed');
    // the other release file was finished, not cut off half-written
    const tgz = await readFile(path.join(dist, 'hello_1.2.3_linux_amd64.tar.gz'));
    expect(tgz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(tgz).length % 512).toBe(0);
    vi.unstubAllEnvs();
  });
});

describe('a .goreleaser.yaml with archive-format: binary', () => {
  it("names each bare binary with GoReleaser's binary default when the file names no template, keeps a template it gives", async () => {
    const file = (archives: string): string =>
      `version: 2\nproject_name: hello\nbuilds:\n  - id: api\n    main: ./cmd/api\n    binary: api\n  - id: worker\n    main: ./cmd/worker\n    binary: worker\n${archives}`;
    const plan = (text: string) => planFromConfig(inputConfig({ archiveFormat: 'binary' }), goreleaserConfigFromText(text));
    const o = (text: string): PackageOptions => ({ ...options(), archives: plan(text).archives, goshipDefaultName: false });
    const bins = [rec('api', 'linux/amd64'), rec('worker', 'linux/amd64')];
    expect((await planUnits(bins, o(file('')))).map((x) => x.name)).toEqual(['api_1.2.3_linux_amd64', 'worker_1.2.3_linux_amd64']);
    // a name the file gives is the file's: two binaries, one name, refused as before
    await expect(planUnits(bins, o(file('archives:\n  - name_template: "{{ .ProjectName }}_{{ .Os }}"\n')))).rejects.toThrow(
      /two release files get one name/,
    );
  });
});

describe('the platforms input over a .goreleaser.yaml', () => {
  const ids = (text: string, platforms: string[]) =>
    planFromConfig(inputConfig({ platforms: platforms.map((p) => parsePlatform(p)) }), goreleaserConfigFromText(text)).builds.map(
      (b) => `${b.id}: ${b.targets.map((t) => t.id).join(' ')}`,
    );
  it('builds each platform in the build that has it when the file has one build per GOOS (k9s), once', () => {
    const perOs =
      'version: 2\nproject_name: k9s\nbuilds:\n  - id: linux\n    goos: [linux]\n    goarch: [amd64, arm64]\n  - id: osx\n    goos: [darwin]\n    goarch: [amd64, arm64]\n  - id: windows\n    goos: [windows]\n    goarch: [amd64]\n';
    expect(ids(perOs, ['linux/amd64'])).toEqual(['linux: linux_amd64_v1', 'osx: ', 'windows: ']);
    expect(ids(perOs, ['linux/amd64', 'darwin/arm64'])).toEqual(['linux: linux_amd64_v1', 'osx: darwin_arm64_v8.0', 'windows: ']);
    // a platform no build has is every build's, as with one build
    expect(ids(perOs, ['linux/riscv64'])).toEqual([
      'linux: linux_riscv64_rva20u64',
      'osx: linux_riscv64_rva20u64',
      'windows: linux_riscv64_rva20u64',
    ]);
  });
  it('replaces the targets of builds that share them (one build, a cmd/ layout)', () => {
    const two = 'version: 2\nproject_name: hello\nbuilds:\n  - id: api\n    main: ./cmd/api\n  - id: worker\n    main: ./cmd/worker\n';
    expect(ids(two, ['linux/amd64', 'linux/arm/v7'])).toEqual(['api: linux_amd64_v1 linux_arm_7', 'worker: linux_amd64_v1 linux_arm_7']);
    expect(ids('version: 2\nproject_name: hello\nbuilds:\n  - goos: [linux]\n    goarch: [amd64]\n', ['darwin/arm64'])).toEqual([
      'hello: darwin_arm64_v8.0',
    ]);
  });
});
