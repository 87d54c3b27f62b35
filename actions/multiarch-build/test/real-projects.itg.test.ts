/**
 * multiarch-build on projects as they are, through the committed bundle: version variables found
 * without any configuration (and `-buildvcs=true` whatever GOFLAGS says), cgo for the host target
 * and its refusal for a target this machine has no C compiler for, and the not-applied report of
 * a GoReleaser file (`config: none` ignoring it). The GoReleaser-file features themselves are
 * compared against GoReleaser in test/goreleaser-diff.itg.test.ts.
 */
import { readManifest } from '@goship/core/manifest';
import { type ActionResult, type GitRepo, actionDir, fixtureRepo, runAction } from '@goship/testkit';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('multiarch-build');
const GO_PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`;
const TAG_ENV = { GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_REF_NAME: 'v1.2.3', GITHUB_REF_TYPE: 'tag', PATH: GO_PATH };

function goVersionM(file: string): { Settings: { Key: string; Value?: string }[] } {
  return JSON.parse(execFileSync('go', ['version', '-m', '-json', file], { env: { ...process.env, PATH: GO_PATH } }).toString()) as {
    Settings: { Key: string; Value?: string }[];
  };
}
const setting = (file: string, key: string): string | undefined => goVersionM(file).Settings.find((s) => s.Key === key)?.Value;

/** The hello fixture with its main.go replaced (and more files), tagged v1.2.3. */
async function repoWith(files: Record<string, string | null>): Promise<GitRepo> {
  const repo = await fixtureRepo('hello');
  await repo.commit({ message: 'feat: the shape under test', files, tag: 'v1.2.3' });
  return repo;
}

const VERSION_VARS_MAIN = `package main

import (
	"fmt"
	"os"

	"example.com/hello/internal/buildinfo"
)

// Named as real CLIs name them: none of them is main.version, main.commit or main.date.
var (
	Version   = "dev"
	CommitSHA = "none"
	revision  = "unknown"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Printf("hello %s sha=%s rev=%s date=%s by=%s\\n", Version, CommitSHA, revision, buildinfo.BuildDate, buildinfo.BuiltBy)
	}
}
`;
const BUILDINFO = `package buildinfo

var (
	BuildDate = "unknown"
	BuiltBy   = "unknown"
)
`;

describe('multiarch-build: version variables without configuration', () => {
  let repo: GitRepo;
  let r: ActionResult;
  let commit: string;
  let commitTime: string;
  beforeAll(async () => {
    repo = await repoWith({ 'main.go': VERSION_VARS_MAIN, 'main_test.go': null, 'internal/buildinfo/buildinfo.go': BUILDINFO });
    commit = await repo.head();
    commitTime = new Date(Number(await repo.git('show', '-s', '--format=%ct', 'HEAD')) * 1000).toISOString().replace('.000Z', 'Z');
    // this machine's environment turns VCS stamping off; goship turns it on in a git checkout
    r = await runAction(dir, { cwd: repo.dir, env: { ...TAG_ENV, GOFLAGS: '-buildvcs=false' }, inputs: { platforms: 'linux/amd64' } });
  });

  it('finds and stamps main.Version, main.CommitSHA, main.revision and the buildinfo package, and lists them', async () => {
    expect(r.exitCode, r.log).toBe(0);
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const bin = m.artifacts.find((a) => a.kind === 'binary')!;
    const out = execFileSync(path.join(repo.dir, bin.path!), ['--version']).toString().trim();
    expect(out).toBe(`hello 1.2.3 sha=${commit} rev=${commit} date=${commitTime} by=goship`);
    expect(r.summary).toContain('Version variables stamped');
    for (const v of ['main.Version', 'main.CommitSHA', 'main.revision', 'example.com/hello/internal/buildinfo.BuildDate']) {
      expect(r.summary).toContain(v);
    }
    expect(r.summary).toMatch(/main\.revision \| main\.go:\d+ \| `\{\{\.Commit\}\}`/);
  });

  it('stamps vcs.revision although GOFLAGS says -buildvcs=false', async () => {
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const file = path.join(repo.dir, m.artifacts.find((a) => a.kind === 'binary')!.path!);
    expect(setting(file, 'vcs.revision')).toBe(commit);
    expect(setting(file, 'vcs.modified')).toBe('false');
    expect(setting(file, '-trimpath')).toBe('true');
  });

  it('stamps nothing when the ldflags input is given', async () => {
    const again = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: { platforms: 'linux/amd64', ldflags: '-s -w -X main.Version={{ .Version }}' },
    });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.summary).not.toContain('Version variables stamped');
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const out = execFileSync(path.join(repo.dir, m.artifacts.find((a) => a.kind === 'binary')!.path!), ['--version']).toString();
    expect(out.trim()).toBe('hello 1.2.3 sha=none rev=unknown date=unknown by=unknown');
  });
});

const CGO_MAIN = `package main

// static int answer(void) { return 42; }
import "C"

import (
	"fmt"
	"os"
)

var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Printf("hello %s answer=%d\\n", version, int(C.answer()))
	}
}
`;

describe('multiarch-build: cgo', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await repoWith({ 'main.go': CGO_MAIN, 'main_test.go': null });
  });

  it('builds the host target with cgo when asked (input cgo), and records it', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { platforms: 'linux/amd64', cgo: 'true', sbom: 'none' } });
    expect(r.exitCode, r.log).toBe(0);
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const bin = m.artifacts.find((a) => a.kind === 'binary')!;
    expect(bin.cgo).toBe(true);
    const file = path.join(repo.dir, bin.path!);
    expect(setting(file, 'CGO_ENABLED')).toBe('1');
    expect(execFileSync(file, ['--version']).toString().trim()).toBe('hello 1.2.3 answer=42');
  });

  it('takes CGO_ENABLED from the env input too, and fails without it (the package needs cgo)', async () => {
    const on = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: { platforms: 'linux/amd64', env: 'CGO_ENABLED=1', sbom: 'none' },
    });
    expect(on.exitCode, on.log).toBe(0);
    const off = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { platforms: 'linux/amd64', sbom: 'none' } });
    expect(off.exitCode).not.toBe(0);
  });

  it('refuses, before building anything, a cgo target the C compiler cannot build for, naming the target and the compiler', async () => {
    const dist = path.join(repo.dir, 'dist-refused');
    const r = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: { platforms: 'linux/amd64,linux/arm64', cgo: 'true', dist: 'dist-refused' },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(
      /::error::.*cgo is on for linux\/arm64 \(hello\), but the C compiler `gcc` compiles for x86_64-linux-gnu \(linux\/amd64\)/,
    );
    expect(r.log).toMatch(/Install a C cross-compiler for linux\/arm64/);
    expect(r.log).not.toMatch(/built \d+\/\d+/);
    expect(existsSync(dist) ? await readdir(dist) : []).toEqual([]);
  });

  it('refuses a CC that does not run, naming it', async () => {
    const r = await runAction(dir, {
      cwd: repo.dir,
      env: TAG_ENV,
      inputs: { platforms: 'linux/amd64', cgo: 'true', env: 'CC=no-such-cc' },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(/::error::.*cgo is on for linux\/amd64 \(hello\), but its C compiler `no-such-cc` does not run/);
  });
});

const NOT_APPLIED_FILE = `version: 2
project_name: hello
builds:
  - targets: [linux_amd64_v1]
upx:
  - enabled: true
universal_binaries:
  - replace: true
`;

describe('multiarch-build: a GoReleaser file with keys goship does not do', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await repoWith({ '.goreleaser.yaml': NOT_APPLIED_FILE });
  });

  it('warns once per key with its line, and lists them in the summary', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { sbom: 'none' } });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain('using .goreleaser.yaml (GoReleaser schema v2)');
    expect(r.log).toMatch(
      /::warning::\.goreleaser\.yaml: upx \(\.goreleaser\.yaml:5\) is not applied: goship does not compress binaries with UPX/,
    );
    expect(r.log).toMatch(/::warning::\.goreleaser\.yaml: universal_binaries \(\.goreleaser\.yaml:7\) is not applied/);
    expect(r.summary).toContain('.goreleaser.yaml: not applied');
    expect(r.summary).toMatch(/\| `upx` \| \.goreleaser\.yaml:5 \|/);
    // the file's targets and GoReleaser's layout were used
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    expect(m.artifacts.filter((a) => a.kind === 'binary').map((a) => a.path)).toEqual(['dist/hello_linux_amd64_v1/hello']);
  });

  it('with config: none, reads no file and builds goship’s defaults', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { config: 'none', platforms: 'linux/amd64', sbom: 'none' } });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).not.toContain('goreleaser.yaml');
    expect(r.summary).not.toContain('not applied');
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    expect(m.artifacts.filter((a) => a.kind === 'binary').map((a) => a.path)).toEqual(['dist/hello_linux_amd64/hello']);
  });

  it('refuses a config path outside the workspace, naming the input', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { config: '../../../etc/passwd' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(/::error::.*input "?config"?/i);
  });
});

const NFPMS_FILE = `version: 2
builds:
  - targets: [linux_amd64_v1]
nfpms:
  - maintainer: Ada Lovelace <ada@example.com>
    license: MIT
    formats: [deb]
    section: devel
    contents:
      - src: LICENSE
        dst: /usr/share/doc/hello/copyright
      - src: hello.1
        dst: /usr/share/man/man1/hello.1
  - id: second
    formats: [rpm]
`;

describe('multiarch-build: the GoReleaser file’s nfpms', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await repoWith({ '.goreleaser.yaml': NFPMS_FILE, 'hello.1': '.TH HELLO 1\n.SH NAME\nhello \\- greets\n' });
  });

  it('builds its packages; a file at the path of goship’s own copyright replaces it; a second entry is reported', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { sbom: 'none' } });
    expect(r.exitCode, r.log).toBe(0);
    // the file's packages report lintian's errors (an uncompressed man page, as GoReleaser ships it) without failing
    expect(r.log).toMatch(/::warning::lintian: hello_1\.2\.3_linux_amd64\.deb: E: hello: uncompressed-manual-page .*not enforced/);
    expect(r.log).toMatch(
      /::warning::\.goreleaser\.yaml: nfpms\[1\] \(\.goreleaser\.yaml:14\) is not applied: multiarch-build builds one set of packages/,
    );
    const m = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const debs = m.artifacts.filter((a) => a.kind === 'package');
    expect(debs.map((a) => a.name)).toEqual(['hello_1.2.3_linux_amd64.deb']);
    const deb = path.join(repo.dir, debs[0]!.path!);
    const fields = execFileSync('dpkg-deb', ['-f', deb, 'Maintainer', 'Section']).toString();
    expect(fields).toContain('Maintainer: Ada Lovelace <ada@example.com>');
    expect(fields).toContain('Section: devel');
    const listing = execFileSync('dpkg-deb', ['-c', deb]).toString();
    expect(listing.match(/\/usr\/share\/doc\/hello\/copyright$/gm)).toHaveLength(1);
    const x = await mkdtemp(path.join(os.tmpdir(), 'goship-deb-'));
    execFileSync('dpkg-deb', ['-x', deb, x]);
    expect(await readFile(path.join(x, 'usr/share/doc/hello/copyright'), 'utf8')).toBe(
      await readFile(path.join(repo.dir, 'LICENSE'), 'utf8'),
    );
  });

  it('fails on the same lintian errors when the packages input asks for them', async () => {
    const r = await runAction(dir, { cwd: repo.dir, env: TAG_ENV, inputs: { sbom: 'none', packages: 'deb' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(/::error::.*package check\(s\) failed.*uncompressed-manual-page/);
  });
});
