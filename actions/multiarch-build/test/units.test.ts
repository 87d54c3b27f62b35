import { splitArgs } from '@goship/core/args';
import { InputError } from '@goship/core/errors';
import { partition } from '@goship/core/partition';
import { Inputs } from '@goship/core/action';
import { DEFAULT_PLATFORMS, type Platform, formatPlatform, parsePlatform } from '@goship/core/platform';
import { actionDir, fixturesDir, readActionYaml } from '@goship/testkit';
import { unzipSync } from 'fflate';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveFiles, dosTime, tarGz, zipBytes, type Entry } from '../src/archive.js';
import { buildArgs, gomaxprocsAt, ldflagsFor, planParallelism, vcsEnv } from '../src/build.js';
import { checkFlags, checkSplit, parseSplit, readConfig } from '../src/config.js';
import { moduleBase, projectName, resolveVersion } from '../src/project.js';
import { planUnits, type BinaryRec } from '../src/package.js';
import { compareArtifacts, mismatchError } from '../src/reproduce.js';
import { goPurl, spdxId, uuidV5 } from '../src/sbom.js';
import { allTargets, jobTargets, targetKey, type MainPkg } from '../src/targets.js';
import { checkTemplate, expand } from '../src/template.js';
import { readTarGz } from './archive-read.js';

const vars = {
  Version: '1.2.3',
  Tag: 'v1.2.3',
  Commit: 'c'.repeat(40),
  ShortCommit: 'ccccccc',
  Date: '2026-01-01T00:00:00Z',
  TraceId: '1-1',
  Project: 'hello',
};

describe('templates', () => {
  it('expands variables with or without spaces', () => {
    expect(expand('{{.Project}}_{{ .Version }}', vars)).toBe('hello_1.2.3');
  });
  it('refuses an unknown variable, naming the input and suggesting the right case', () => {
    expect(() => checkTemplate('ldflags', '-X main.v={{.version}}', ['Version'])).toThrow(
      /Input "ldflags".*did you mean \{\{\.Version\}\}/s,
    );
    expect(() => checkTemplate('archive-name', '{{.Nope}}', ['Version'])).toThrow(InputError);
    expect(() => checkTemplate('archive-name', '{{ printf "x" }}', ['Version'])).toThrow(/Only plain variables/);
  });
  it('builds the ldflags: -buildid= first, defaults, then the user ones', () => {
    const l = ldflagsFor({ ldflags: '-X main.trace={{.TraceId}}', reproducible: true }, vars);
    expect(l).toBe(
      `-buildid= -s -w -X main.version=1.2.3 -X main.commit=${vars.Commit} -X main.date=2026-01-01T00:00:00Z -X main.trace=1-1`,
    );
    expect(ldflagsFor({ ldflags: '', reproducible: false }, vars)).not.toContain('-buildid=');
  });
});

const fixture = path.join(fixturesDir, 'hello');

describe('inputs', () => {
  it('parses split i/n and refuses the rest', () => {
    expect(parseSplit('2/3')).toEqual({ index: 2, total: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0', '1/257', '-1/2', '1/2/3', '1 / 2x']) {
      expect(() => parseSplit(bad), bad).toThrow(/Input "split"/);
    }
  });
  it("defaults to core's platform list, which the action.yml description names", async () => {
    const yml = await readActionYaml(actionDir('multiarch-build'));
    expect(yml.inputs!.platforms!.default).toBe('');
    expect(yml.inputs!.platforms!.description).toContain(`Default: ${DEFAULT_PLATFORMS.join(', ')}.`);
    const cfg = await readConfig(Inputs.of({ 'working-directory': fixture }));
    expect(cfg.platforms.map(formatPlatform)).toEqual([...DEFAULT_PLATFORMS]);
  });
  it('refuses more parts than platforms', () => {
    const ps = ['linux/amd64', 'linux/arm64'].map((p) => parsePlatform(p));
    expect(checkSplit({ index: 2, total: 2 }, ps)).toEqual({ index: 2, total: 2 });
    expect(() => checkSplit({ index: 1, total: 3 }, ps)).toThrow(/Input "split": got "1\/3".*at most 2 parts/s);
  });
  it("flags: go build flags with the go command's quoting, none goship owns", () => {
    // a field that starts with a quote runs to the next one; a quote inside a field is literal
    expect(checkFlags(splitArgs(`-trimpath '-gcflags=all=-N -l'`, 'flags'))).toEqual(['-trimpath', '-gcflags=all=-N -l']);
    expect(checkFlags([])).toEqual([]);
    for (const bad of ['-o=/tmp/x', '--o', '-C=..', '-ldflags=-s', '--tags=x', './cmd/evil', 'x', '-', '--']) {
      expect(() => checkFlags([bad]), bad).toThrow(/Input "flags"/);
    }
  });
  it('derives version and tag from GITHUB_REF, else a snapshot', () => {
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/tags/v1.4.0' })).toEqual({ version: '1.4.0', tag: 'v1.4.0' });
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/heads/main' })).toEqual({ version: '0.0.0-SNAPSHOT-abcdef0', tag: '' });
    expect(resolveVersion('2.0.0', 'abcdef0123', {})).toEqual({ version: '2.0.0', tag: 'v2.0.0' });
    expect(() => resolveVersion('', 'abc', { GITHUB_REF: 'refs/tags/nightly' })).toThrow(/Input "version"/);
  });
  it('names the project from GITHUB_REPOSITORY, else the module path', () => {
    expect(projectName('example.com/x/tool/v2', { GITHUB_REPOSITORY: 'o/repo' })).toBe('repo');
    expect(projectName('example.com/x/tool/v2', {})).toBe('tool');
    expect(moduleBase('example.com/hello')).toBe('hello');
  });
});

describe('parallelism', () => {
  const GiB = 2 ** 30;
  it('is bounded by cores, memory and the number of targets', () => {
    expect(planParallelism('auto', 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 8, gomaxprocs: 1 });
    expect(planParallelism('auto', 12, 8, 3 * GiB, GiB)).toMatchObject({ workers: 3, gomaxprocs: 2 });
    expect(planParallelism('auto', 2, 8, 64 * GiB, GiB)).toMatchObject({ workers: 2, gomaxprocs: 4 });
    expect(planParallelism('auto', 5, 4, 0.2 * GiB, GiB)).toMatchObject({ workers: 1, gomaxprocs: 4 });
    expect(planParallelism(3, 12, 8, 64 * GiB, GiB)).toMatchObject({ workers: 3, gomaxprocs: 2 });
  });
  it('gives the last builds the cores the finished ones freed', () => {
    const plan = planParallelism('auto', 8, 4, 64 * GiB, GiB);
    expect([8, 4, 3, 2, 1].map((n) => gomaxprocsAt(plan, n))).toEqual([1, 1, 1, 2, 4]);
  });
});

const mains: MainPkg[] = [
  { arg: './cmd/api', importPath: 'example.com/multi/cmd/api', binary: 'api' },
  { arg: './cmd/worker', importPath: 'example.com/multi/cmd/worker', binary: 'worker' },
];
const plats = [
  { os: 'linux', arch: 'amd64', variant: '' },
  { os: 'linux', arch: 'arm', variant: 'v7' },
  { os: 'windows', arch: 'amd64', variant: '' },
];

describe('targets and split', () => {
  const all = allTargets(mains, plats, '/d');
  it('pairs every main with every platform, with .exe on Windows', () => {
    expect(all.map((t) => t.out)).toEqual([
      '/d/api_linux_amd64/api',
      '/d/worker_linux_amd64/worker',
      '/d/api_linux_arm_v7/api',
      '/d/worker_linux_arm_v7/worker',
      '/d/api_windows_amd64/api.exe',
      '/d/worker_windows_amd64/worker.exe',
    ]);
  });
  it('for many sizes, each part builds exactly partition(platforms, i, n): whole platforms, every target once', () => {
    const pool = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/riscv64', 'darwin/amd64', 'darwin/arm64'];
    const oses = ['windows', 'freebsd', 'netbsd'];
    for (let count = 1; count <= 13; count++) {
      const platforms: Platform[] = Array.from({ length: count }, (_, i) =>
        parsePlatform(i < pool.length ? pool[i]! : `${oses[(i - pool.length) % 3]}/${['amd64', 'arm64'][i % 2]}`),
      );
      for (let n = 1; n <= count; n++) {
        const seen: string[] = [];
        for (let i = 1; i <= n; i++) {
          const { all: whole, part } = jobTargets(mains, platforms, '/d', { index: i, total: n });
          const want = partition(platforms, i, n).map(formatPlatform);
          expect([...new Set(part.map((t) => t.platformName))], `${i}/${n} of ${count}`).toEqual(want);
          expect(part, `${i}/${n} of ${count}: every main on each of its platforms`).toHaveLength(want.length * mains.length);
          expect(whole).toHaveLength(count * mains.length);
          seen.push(...part.map(targetKey));
        }
        expect(seen.sort(), `${n} parts of ${count}`).toEqual(allTargets(mains, platforms, '/d').map(targetKey).sort());
      }
      expect(() => checkSplit({ index: 1, total: count + 1 }, platforms)).toThrow(/Input "split"/);
    }
  });
  it('passes -trimpath, tags, ldflags, the output and `--` before the package to go build', () => {
    const args = buildArgs({ flags: [], tags: 'netgo', reproducible: true, ldflags: '' }, '-s -X main.v=1', all[0]!);
    expect(args).toEqual([
      'build',
      '-trimpath',
      '-tags=netgo',
      '-ldflags=-s -X main.v=1',
      '-o',
      '/d/api_linux_amd64/api',
      '--',
      './cmd/api',
    ]);
  });
});

function rec(name: string, os: string, arch: string, variant = ''): BinaryRec {
  return {
    name,
    main: name,
    os,
    arch,
    variant,
    platformName: [os, arch, variant].filter(Boolean).join('/'),
    file: os === 'windows' ? `${name}.exe` : name,
    abs: '/x',
    sha256: 'a'.repeat(64),
    size: 1,
  };
}

describe('release file names', () => {
  const o = { format: 'tar.gz' as const, nameTemplate: '{{.Project}}_{{.Version}}_{{.Os}}_{{.Arch}}{{.Variant}}', nameDefault: true, vars };
  it('makes one archive per platform, zip for Windows', () => {
    const u = planUnits([rec('api', 'linux', 'arm', 'v7'), rec('worker', 'linux', 'arm', 'v7'), rec('api', 'windows', 'amd64')], o);
    expect(u.map((x) => [x.name, x.binaries.length])).toEqual([
      ['hello_1.2.3_linux_armv7.tar.gz', 2],
      ['hello_1.2.3_windows_amd64.zip', 1],
    ]);
  });
  it('names released binaries by binary with the binary format', () => {
    const u = planUnits([rec('api', 'linux', 'amd64'), rec('worker', 'windows', 'amd64')], { ...o, format: 'binary' });
    expect(u.map((x) => x.name)).toEqual(['api_1.2.3_linux_amd64', 'worker_1.2.3_windows_amd64.exe']);
  });
  it('refuses a template that gives two files one name', () => {
    expect(() =>
      planUnits([rec('api', 'linux', 'amd64'), rec('api', 'linux', 'arm64')], { ...o, nameTemplate: '{{.Project}}', nameDefault: false }),
    ).toThrow(/Input "archive-name"/);
  });
});

describe('deterministic archives', () => {
  const mtime = new Date('2026-01-01T12:34:56Z');
  const entries: Entry[] = [
    { name: 'README.md', data: Buffer.from('# hi\n'), executable: false },
    { name: 'hello', data: Buffer.from('\x7fELF...'), executable: true },
    { name: 'LICENSE', data: Buffer.from('MIT\n'), executable: false },
  ];
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  it('tar.gz: sorted entries, fixed modes and owners, commit mtime, gzip mtime 0 and OS 3', async () => {
    const gz = tarGz(entries, mtime);
    expect([...gz.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gz[9]).toBe(3);
    const hs = await readTarGz(gz);
    expect(hs.map((h) => [h.name, h.mode, h.uid, h.gid, h.uname, h.gname, h.mtime])).toEqual([
      ['LICENSE', 0o644, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
      ['README.md', 0o644, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
      ['hello', 0o755, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
    ]);
    expect(tarGz([...entries].reverse(), mtime).equals(gz)).toBe(true);
  });

  it('zip: the same bytes in any time zone, Unix modes, sorted', () => {
    process.env.TZ = 'UTC';
    const a = zipBytes(entries, mtime);
    process.env.TZ = 'Asia/Kolkata';
    const b = zipBytes([...entries].reverse(), mtime);
    expect(b.equals(a)).toBe(true);
    expect(Object.keys(unzipSync(a))).toEqual(['LICENSE', 'README.md', 'hello']);
    // central directory: external attributes of "hello" carry 0100755
    const cd = a.lastIndexOf(Buffer.from('PK\x01\x02'));
    expect(a.readUInt32LE(cd + 38) >>> 16).toBe(0o100755);
    expect(dosTime(mtime).getHours()).toBe(12);
  });

  it('refuses two entries with one name', () => {
    expect(() => tarGz([entries[0]!, entries[0]!], mtime)).toThrow(/Two files would be stored as README.md/);
  });

  it("collects archive-files with core's glob engine: best effort, symlinks out skipped, escapes refused", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'goship-files-'));
    const mod = path.join(root, 'mod');
    await mkdir(path.join(mod, 'docs'), { recursive: true });
    await mkdir(path.join(root, 'out'));
    await writeFile(path.join(root, 'out', 'secret'), 'x');
    for (const f of ['LICENSE', 'LICENSE.md', 'README.md', 'docs/README.md', 'docs/guide.md']) await writeFile(path.join(mod, f), f);
    await symlink(path.join(root, 'out', 'secret'), path.join(mod, 'LICENSE-link'));
    const prev = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = mod;
    try {
      const warnings: string[] = [];
      const found = await archiveFiles(mod, ['LICENSE*', 'README*', 'CHANGELOG*', 'docs/*.md'], (w) => warnings.push(w));
      // names are base names unless two share one; then the path relative to the module
      expect(found.map((f) => f.name)).toEqual(['LICENSE', 'LICENSE.md', 'README.md', 'docs/README.md', 'guide.md']);
      expect(warnings.join('\n')).toMatch(/^archive-files: LICENSE-link is a symlink to .*outside the workspace: skipped\.$/);
      for (const bad of ['../out/*', '/etc/passwd', 'docs/../../out/secret']) {
        await expect(
          archiveFiles(mod, [bad], () => undefined),
          bad,
        ).rejects.toThrow(/Input "archive-files"/);
      }
    } finally {
      process.env.GITHUB_WORKSPACE = prev;
    }
  });
});

describe('ids', () => {
  it('uuidV5 is RFC 9562 version 5 and stable', () => {
    expect(uuidV5('https://example.com')).toBe(uuidV5('https://example.com'));
    // the URL namespace test vector: uuid5(NAMESPACE_URL, "http://python.org/")
    expect(uuidV5('http://python.org/')).toBe('4c565f0d-3f5a-5890-b41b-20cf47701c5e');
  });
  it('purls and SPDX ids', () => {
    expect(goPurl('github.com/google/uuid', 'v1.6.0')).toBe('pkg:golang/github.com/google/uuid@v1.6.0');
    expect(goPurl('example.com/x', 'v0.0.0-2026+dirty')).toBe('pkg:golang/example.com/x@v0.0.0-2026%2Bdirty');
    expect(spdxId('GoModule', 'github.com/google/uuid', 'v1.6.0')).toBe('SPDXRef-GoModule-github.com-google-uuid-v1.6.0');
  });
  it('compares artifacts by digest and names the differing files', () => {
    const a = [{ kind: 'archive' as const, name: 'x.tar.gz', sha256: '1' }];
    expect(compareArtifacts(a, [{ kind: 'archive', name: 'x.tar.gz', sha256: '2' }])).toEqual([
      { name: 'x.tar.gz', expected: '1', actual: '2' },
    ]);
    expect(compareArtifacts(a, a)).toEqual([]);
  });
});

describe('VCS stamping and the proof', () => {
  it('keeps dist out of git status through a per-build excludes file', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'goship-unit-'));
    const env = await vcsEnv('/repo', '/repo/sub/dist', tmp);
    const n = Number(process.env.GIT_CONFIG_COUNT ?? 0) || 0;
    expect(env.GIT_CONFIG_COUNT).toBe(String(n + 1));
    expect(env[`GIT_CONFIG_KEY_${n}`]).toBe('core.excludesFile');
    expect(await readFile(env[`GIT_CONFIG_VALUE_${n}`]!, 'utf8')).toBe('/sub/dist/\n');
    const outside = await vcsEnv('/repo', '/elsewhere/dist', tmp);
    expect(await readFile(outside[`GIT_CONFIG_VALUE_${n}`]!, 'utf8')).toBe('');
  });
  it('a mismatch names every differing file', () => {
    const e = mismatchError([
      { name: 'dist/a_linux_amd64/a', expected: '1'.repeat(64), actual: '2'.repeat(64) },
      { name: 'a_1.0.0_linux_amd64.tar.gz', expected: '3'.repeat(64), actual: '(not produced)' },
    ]);
    expect(e.message).toMatch(
      /differs in 2 file\(s\):\n {2}- dist\/a_linux_amd64\/a: 1{16}… vs 2{16}…\n {2}- a_1\.0\.0_linux_amd64\.tar\.gz/,
    );
  });
});
