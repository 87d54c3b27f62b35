/**
 * Linux packages through multiarch-build's committed bundle: hello for three linux architectures
 * and windows, deb/rpm/apk from the binaries just built, checked here again with the formats' own
 * tools (dpkg-deb, lintian, rpm, tar), listed in the checksums file and the manifest with SBOMs,
 * byte-identical when rebuilt from another path, umask and time zone, and proven so by
 * verify-reproducible; extra files, scripts and metadata inputs end up where they should.
 */
import { parseChecksums } from '@goship/core/digest';
import { type Manifest, readManifest } from '@goship/core/manifest';
import { type ActionResult, type GitRepo, actionDir, fixtureRepo, runAction, runTool, tempDir } from '@goship/testkit';
import { prebuiltToolCache } from '@goship/testkit/toolcache';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('multiarch-build');
const GO_PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`;
const PLATFORMS = 'linux/amd64,linux/arm64,linux/arm/v7,windows/amd64';
const TAG_ENV = { GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_REF_NAME: 'v1.2.3', GITHUB_REF_TYPE: 'tag', PATH: GO_PATH };
const NFPM = 'v2.45.2';

const CONTENTS = `- src: completions/hello.bash
  dst: /usr/share/bash-completion/completions/hello
- src: config/hello.yaml
  dst: /etc/hello/hello.yaml
  type: config|noreplace
  file_info: { mode: "0640", owner: root, group: adm }
- dst: /var/lib/hello
  type: dir
- src: /usr/bin/hello
  dst: /usr/bin/hi
  type: symlink
`;

const EXPECTED = [
  'hello_1.2.3_linux_amd64.apk',
  'hello_1.2.3_linux_amd64.deb',
  'hello_1.2.3_linux_amd64.rpm',
  'hello_1.2.3_linux_arm64.apk',
  'hello_1.2.3_linux_arm64.deb',
  'hello_1.2.3_linux_arm64.rpm',
  'hello_1.2.3_linux_armv7.apk',
  'hello_1.2.3_linux_armv7.deb',
  'hello_1.2.3_linux_armv7.rpm',
];

async function helloRepo(parent?: string): Promise<GitRepo> {
  const repo = await fixtureRepo('hello', {
    ...(parent ? { dir: path.join(parent, 'another', 'checkout') } : {}),
    history: [
      {
        message: 'feat: completions, config and a postinstall script',
        files: {
          'completions/hello.bash': 'complete -W "--name --version" hello\n',
          'config/hello.yaml': 'greeting: Hello\n',
          'scripts/postinstall.sh': '#!/bin/sh\nset -e\nmkdir -p /var/lib/hello\n',
        },
      },
    ],
  });
  await chmod(path.join(repo.dir, 'scripts/postinstall.sh'), 0o755);
  await repo.commit({ message: 'chore: executable script' });
  await repo.tag('v1.2.3');
  return repo;
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    platforms: PLATFORMS,
    packages: 'deb,rpm,apk',
    'package-contents': CONTENTS,
    'package-scripts': 'postinstall=scripts/postinstall.sh',
    'package-depends': 'ca-certificates',
    'package-recommends': 'bash-completion',
    ...extra,
  };
}

const sh = (cmd: string, args: string[], cwd?: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, LC_ALL: 'C.UTF-8' } });

describe('multiarch-build: deb, rpm and apk for three architectures', () => {
  let repo: GitRepo;
  let r: ActionResult;
  let manifest: Manifest;
  let dist: string;
  let toolCache: string;

  beforeAll(async () => {
    toolCache = await prebuiltToolCache({ nfpm: NFPM });
    repo = await helloRepo();
    r = await runAction(dir, {
      cwd: repo.dir,
      toolCache,
      env: { ...TAG_ENV, TZ: 'UTC' },
      inputs: inputs({ 'verify-reproducible': 'true' }),
    });
    dist = path.join(repo.dir, 'dist');
    if (r.exitCode === 0) manifest = await readManifest(path.join(dist, 'goship-manifest.json'));
  });

  it('succeeds, names the packages as GoReleaser does, and reports them in the outputs', () => {
    expect(r.exitCode, r.log).toBe(0);
    const pkgs = JSON.parse(r.outputs.packages!) as { name: string; format: string; arch: string; platform: string }[];
    expect(pkgs.map((p) => p.name).sort()).toEqual(EXPECTED);
    expect(
      pkgs
        .filter((p) => p.platform === 'linux/arm/v7')
        .map((p) => `${p.format}:${p.arch}`)
        .sort(),
    ).toEqual(['apk:armv7', 'deb:armhf', 'rpm:armv7hl']);
    expect(
      pkgs
        .filter((p) => p.platform === 'linux/amd64')
        .map((p) => `${p.format}:${p.arch}`)
        .sort(),
    ).toEqual(['apk:x86_64', 'deb:amd64', 'rpm:x86_64']);
    expect(r.log).toMatch(/nfpm v2\.45\.2 from the tool cache/);
  });

  it('lists every package in the manifest (with an SBOM) and in the checksums file', async () => {
    const pkgs = manifest.artifacts.filter((a) => a.kind === 'package');
    expect(pkgs.map((a) => a.name).sort()).toEqual(EXPECTED);
    for (const p of pkgs) {
      expect(p.binaries).toEqual(['hello']);
      expect(manifest.artifacts.some((a) => a.kind === 'sbom' && a.describes === p.name)).toBe(true);
    }
    const sums = parseChecksums(await readFile(path.join(dist, 'hello_1.2.3_checksums.txt'), 'utf8'));
    for (const p of pkgs) expect(sums.find((s) => s.name === p.name)?.digest).toBe(p.sha256);
    // and the four archives, and every SBOM (each package's and each archive's)
    const sboms = manifest.artifacts.filter((a) => a.kind === 'sbom');
    expect(sboms).toHaveLength(EXPECTED.length + 4);
    for (const x of sboms) expect(sums.find((s) => s.name === x.name)?.digest, x.name).toBe(x.sha256);
    expect(sh('sha256sum', ['-c', 'hello_1.2.3_checksums.txt'], dist).match(/: OK$/gm)).toHaveLength(2 * (EXPECTED.length + 4));
    expect(manifest.metadata).toMatchObject({
      license: 'MIT',
      description: "A tiny command used as goship's test fixture.",
      homepage: 'https://github.com/goship-test/hello',
    });
  });

  it('the deb passes dpkg-deb and lintian without errors and holds the binary, docs and extra files with their modes and owners', async () => {
    const deb = path.join(dist, 'hello_1.2.3_linux_arm64.deb');
    const info = sh('dpkg-deb', ['--info', deb]);
    expect(info).toMatch(/^ Package: hello$/m);
    expect(info).toMatch(/^ Version: 1\.2\.3$/m);
    expect(info).toMatch(/^ Architecture: arm64$/m);
    expect(info).toMatch(/^ Maintainer: Goship Test <test@goship\.invalid>$/m);
    expect(info).toMatch(/^ Depends: ca-certificates$/m);
    expect(info).toMatch(/^ Recommends: bash-completion$/m);
    expect(info).toMatch(/^ Description: A tiny command used as goship's test fixture\n {2}\S/m);
    expect(info).toMatch(/ postinst\b/);
    const list = sh('dpkg-deb', ['--contents', deb]);
    expect(list).toMatch(/^-rwxr-xr-x root\/root .* \.\/usr\/bin\/hello$/m);
    expect(list).toMatch(/^-rw-r----- root\/adm .* \.\/etc\/hello\/hello\.yaml$/m);
    expect(list).toMatch(/^-rw-r--r-- root\/root .* \.\/usr\/share\/bash-completion\/completions\/hello$/m);
    expect(list).toMatch(/^drwxr-xr-x root\/root .* \.\/var\/lib\/hello\/$/m);
    expect(list).toMatch(/\.\/usr\/bin\/hi -> \/usr\/bin\/hello$/m);
    expect(list).toMatch(/\.\/usr\/share\/doc\/hello\/copyright$/m);
    expect(list).toMatch(/\.\/usr\/share\/doc\/hello\/changelog\.gz$/m);
    // every entry carries the commit time (2026-01-01, the fixture's scripted clock)
    for (const line of list.trim().split('\n')) expect(line).toMatch(/ 2026-01-01 0\d:00 /);
    expect(sh('dpkg-deb', ['-I', deb, 'conffiles']).trim()).toBe('/etc/hello/hello.yaml');
    const copyright = execFileSync('tar', ['-xOf', '-', './usr/share/doc/hello/copyright'], {
      input: execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 256 << 20 }),
      encoding: 'utf8',
    });
    expect(copyright).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/$/m);
    expect(copyright).toMatch(/^Copyright: 2026 goship authors$/m);
    expect(copyright).toMatch(/^License: MIT\n MIT License\n \.\n Copyright/m);
    const lint = await runTool('lintian', ['--no-tag-display-limit', deb]);
    expect(lint.out.split('\n').filter((l) => l.startsWith('E: '))).toEqual([]);
    expect(r.summary).toMatch(/✅ lintian/);
  });

  it('the rpm passes rpm -qip, -qlp and its digest check', () => {
    const rpm = path.join(dist, 'hello_1.2.3_linux_armv7.rpm');
    const info = sh('rpm', ['-qip', rpm]);
    expect(info).toMatch(/^Name\s+: hello$/m);
    expect(info).toMatch(/^Version\s+: 1\.2\.3$/m);
    expect(info).toMatch(/^Architecture: armv7hl$/m);
    expect(info).toMatch(/^License\s+: MIT$/m);
    expect(info).toMatch(/^Build Host\s+: goship$/m);
    expect(info).toMatch(/^Build Date\s+: Thu Jan {2}1 0\d:00:00 2026$/m);
    const files = sh('rpm', ['-qlp', rpm]).trim().split('\n');
    expect(files).toEqual(expect.arrayContaining(['/usr/bin/hello', '/etc/hello/hello.yaml', '/usr/share/licenses/hello/LICENSE']));
    expect(sh('rpm', ['-qp', '--scripts', rpm])).toMatch(/postinstall scriptlet[\s\S]*mkdir -p \/var\/lib\/hello/);
    expect(sh('rpm', ['-qp', '--configfiles', rpm]).trim()).toBe('/etc/hello/hello.yaml');
    expect(sh('rpm', ['-K', '--nosignature', rpm])).toMatch(/digests OK/);
  });

  it('the apk is a tar stream with a .PKGINFO naming it, its arch and the data hash', () => {
    const apk = path.join(dist, 'hello_1.2.3_linux_amd64.apk');
    const listed = execFileSync('tar', ['-tzf', apk], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(listed.split('\n')).toEqual(expect.arrayContaining(['.PKGINFO', 'usr/bin/hello', 'etc/hello/hello.yaml', '.post-install']));
    const pkginfo = execFileSync('tar', ['-xzOf', apk, '.PKGINFO'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(pkginfo).toMatch(/^pkgname = hello$/m);
    expect(pkginfo).toMatch(/^pkgver = 1\.2\.3$/m);
    expect(pkginfo).toMatch(/^arch = x86_64$/m);
    expect(pkginfo).toMatch(/^datahash = [0-9a-f]{64}$/m);
    expect(r.summary).toMatch(/✅ \.PKGINFO \(goship\)/);
  });

  it('proves the packages reproducible and writes the same bytes from another path, umask and time zone', async () => {
    expect(r.outputs.reproducible).toBe('true');
    const parent = await tempDir('goship-pkg-again-');
    const old = process.umask(0o077);
    let again: GitRepo;
    let r2: ActionResult;
    try {
      again = await helloRepo(parent);
      r2 = await runAction(dir, { cwd: again.dir, toolCache, env: { ...TAG_ENV, TZ: 'America/Los_Angeles' }, inputs: inputs() });
    } finally {
      process.umask(old);
    }
    expect(r2.exitCode, r2.log).toBe(0);
    const dist2 = path.join(again.dir, 'dist');
    // the umask reached the checkout and the action, yet the bytes are the same
    expect((await stat(path.join(again.dir, 'config/hello.yaml'))).mode & 0o077).toBe(0);
    for (const name of EXPECTED) {
      const [a, b] = await Promise.all([readFile(path.join(dist, name)), readFile(path.join(dist2, name))]);
      expect(b.equals(a), `${name} differs`).toBe(true);
    }
    const m2 = await readManifest(path.join(dist2, 'goship-manifest.json'));
    const digests = (m: Manifest) =>
      Object.fromEntries(m.artifacts.filter((a) => a.kind === 'package' || a.kind === 'sbom').map((a) => [a.name, a.sha256]));
    expect(digests(m2)).toEqual(digests(manifest));
  });
});

describe('multiarch-build: package inputs refused before anything is built', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await helloRepo();
  });
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['an unknown format', { packages: 'deb,msi' }, 'packages', /formats among deb, rpm, apk/],
    ['a $VAR nFPM would expand', { packages: 'deb', 'package-description': 'Uses $HOME' }, 'package-description', /without `\$`/],
    ['a maintainer without an address', { packages: 'deb', 'package-maintainer': 'Ada' }, 'package-maintainer', /Name <email>/],
    [
      'a content path outside the workspace',
      { packages: 'deb', 'package-contents': '- {src: ../../../etc/passwd, dst: /etc/x}' },
      'package-contents',
      /inside the workspace|relative to the module/,
    ],
    [
      'a relative destination',
      { packages: 'deb', 'package-contents': '- {src: README.md, dst: usr/share/doc/x}' },
      'package-contents',
      /absolute, normalised path/,
    ],
    ['an unknown template field', { packages: 'deb', 'package-name': '{{ .Nope }}' }, 'package-name', /map has no entry for key "Nope"/],
    [
      'a script that is not there',
      { packages: 'rpm', 'package-scripts': 'postinstall=scripts/missing.sh' },
      'package-scripts',
      /a script file in the module/,
    ],
    [
      'an unknown script kind',
      { packages: 'rpm', 'package-scripts': 'postinst=scripts/postinstall.sh' },
      'package-scripts',
      /preinstall, postinstall/,
    ],
  ];
  it.each(cases)('%s', async (_name, extra, input, message) => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { platforms: 'linux/amd64', ...extra } });
    expect(r.exitCode).not.toBe(0);
    const err = r.annotations.find((a) => a.type === 'error')?.message ?? '';
    expect(err).toContain(`Input "${input}"`);
    expect(err).toMatch(message);
    expect(r.log).not.toMatch(/\[command\].*go build/);
  });
});
