/**
 * The hostile-input catalogue of multiarch-build, run through the committed bundle in a fresh
 * workspace per case (fixtures/go/hello as a git checkout, a trap folder beside the workspace, a
 * `trap-link` symlink into it): every case is refused with an `::error::` naming its input,
 * without a stack, without a write outside the workspace (nor a `dist` inside it), without
 * printing the trap's content or the canary registry password (given in every case), and without
 * a request to the registry stand-in. Then the symlinks a checkout may carry inside `dist`: a
 * build replaces them instead of writing through them.
 */
import { CANARIES, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { GitRepo, actionDir, fixturesDir, goEnv, runAction } from '@goship/testkit';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('multiarch-build');
const ENV = { ...goEnv(), GITHUB_REPOSITORY: 'goship-test/hello', GITHUB_REF: 'refs/heads/main' };
const LONG = 'x'.repeat(20_000);
const SHA = 'a'.repeat(64);

interface Case {
  name: string;
  input: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Changes the fresh workspace before the run (a planted file, folder or symlink). */
  prepare?: (ws: HostileWorkspace) => Promise<void>;
}

/** The registry stand-in: any request that reaches it is a failure. Cases name it REGISTRY; its port is known when they run. */
let registry: Server;
let requests = 0;
let host = '';
const REGISTRY = 'goship-registry.test:5000';
const image = (): Record<string, string> => ({ image: `${REGISTRY}/goship/hello`, 'insecure-registries': REGISTRY });

/** A part manifest as multiarch-build writes one (`split: 1/1` of hello for linux/amd64), changed by `edit`. */
function partManifest(
  edit: (m: Record<string, unknown>, binary: Record<string, unknown>, archive: Record<string, unknown>) => void,
): string {
  const binary: Record<string, unknown> = {
    kind: 'binary',
    name: 'hello',
    path: 'dist/hello_linux_amd64/hello',
    os: 'linux',
    arch: 'amd64',
    variant: '',
    main: 'example.com/hello',
    sha256: SHA,
    size: 1,
  };
  const archive: Record<string, unknown> = {
    kind: 'archive',
    name: 'hello_0.1.0_linux_amd64.tar.gz',
    path: 'dist/hello_0.1.0_linux_amd64.tar.gz',
    format: 'tar.gz',
    os: 'linux',
    arch: 'amd64',
    variant: '',
    binaries: ['hello'],
    sha256: SHA,
    size: 1,
  };
  const m: Record<string, unknown> = {
    schemaVersion: 1,
    project: 'hello',
    module: 'example.com/hello',
    version: '0.1.0',
    tag: 'v0.1.0',
    commit: 'c'.repeat(40),
    commitTime: '2026-01-01T00:00:00Z',
    traceId: '1-1',
    part: '1/1',
    targets: ['example.com/hello@linux/amd64'],
    dist: 'dist',
    artifacts: [binary, archive],
  };
  edit(m, binary, archive);
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** Writes `parts/goship-manifest.part-1-of-1.json` (and what `files` says) into the module. */
const plantPart =
  (edit: Parameters<typeof partManifest>[0], files: (ws: HostileWorkspace) => Promise<void> = async () => undefined) =>
  async (ws: HostileWorkspace): Promise<void> => {
    await mkdir(path.join(ws.module, 'parts', 'dist'), { recursive: true });
    await writeFile(path.join(ws.module, 'parts', 'goship-manifest.part-1-of-1.json'), partManifest(edit));
    await files(ws);
  };

const CASES: Case[] = [
  // enums
  { name: 'an unknown archive format', input: 'archive-format', inputs: { 'archive-format': 'tar' } },
  { name: 'two SBOM formats in one word', input: 'sbom', inputs: { sbom: 'spdx,cyclonedx' } },
  { name: 'a checksum algorithm goship does not offer', input: 'checksum-algorithm', inputs: { 'checksum-algorithm': 'md5' } },
  { name: 'a boolean that is not one', input: 'cgo', inputs: { cgo: 'yes please' } },
  { name: 'reproducible: maybe', input: 'reproducible', inputs: { reproducible: 'maybe' } },
  {
    name: 'a proof of a build that is not reproducible',
    input: 'verify-reproducible',
    inputs: { reproducible: 'false', 'verify-reproducible': 'true' },
  },
  { name: 'an unknown image builder', input: 'image-builder', inputs: { ...image(), 'image-builder': 'docker' } },
  { name: 'an unknown image output', input: 'image-output', inputs: { ...image(), 'image-output': 'tarball' } },
  // numbers
  { name: 'parallelism 0', input: 'parallelism', inputs: { parallelism: '0' } },
  { name: 'parallelism in scientific notation', input: 'parallelism', inputs: { parallelism: '1e9' } },
  { name: 'negative parallelism', input: 'parallelism', inputs: { parallelism: '-3' } },
  // split forms
  { name: 'split part 0', input: 'split', inputs: { split: '0/2' } },
  { name: 'split part beyond the total', input: 'split', inputs: { split: '3/2' } },
  { name: 'split into more parts than platforms', input: 'split', inputs: { platforms: 'linux/amd64,linux/arm64', split: '1/3' } },
  { name: 'split with three numbers', input: 'split', inputs: { split: '1/2/3' } },
  { name: 'split with a command substitution', input: 'split', inputs: { split: '$(id)/2' } },
  { name: 'split and merge in one job', input: 'merge', inputs: { split: '1/2', merge: 'true' } },
  // platforms
  { name: 'a platform with a shell command', input: 'platforms', inputs: { platforms: 'linux/amd64;rm -rf /' } },
  { name: 'a path as platform', input: 'platforms', inputs: { platforms: '../../etc/passwd' } },
  { name: 'a platform Go does not have', input: 'platforms', inputs: { platforms: 'linux/amd64,plan10/amd64' } },
  { name: 'a unicode platform', input: 'platforms', inputs: { platforms: 'ĺinux/amd64' } },
  { name: 'an image platform that is not linux', input: 'image-platforms', inputs: { ...image(), 'image-platforms': 'windows/amd64' } },
  { name: 'an image platform that is not built', input: 'image-platforms', inputs: { ...image(), 'image-platforms': 'linux/s390x' } },
  // versions
  { name: 'a version that is not SemVer', input: 'version', inputs: { version: '1.2' } },
  { name: 'a version that climbs out of dist', input: 'version', inputs: { version: '1.0.0/../../../trap/x' } },
  { name: 'a command substitution as version', input: 'version', inputs: { version: '$(touch ../../trap/pwned)' } },
  { name: 'a 20 000-character version', input: 'version', inputs: { version: LONG } },
  { name: 'a pushed tag with a shell command', input: 'version', inputs: {}, env: { GITHUB_REF: 'refs/tags/v1.0.0;id' } },
  // templates
  // GoReleaser's engine: `.Env` and its functions are allowed; reading files and unknown functions are not
  { name: 'a template reading a file outside', input: 'ldflags', inputs: { ldflags: '-X main.h={{ readFile "../../trap/passwd" }}' } },
  { name: 'a template reading a file inside', input: 'ldflags', inputs: { ldflags: '-X main.h={{ mustReadFile "go.mod" }}' } },
  { name: 'a template calling a function that does not exist', input: 'ldflags', inputs: { ldflags: '-X main.v={{ exec "id" }}' } },
  { name: 'an archive name that climbs out', input: 'archive-name', inputs: { 'archive-name': '../../../trap/{{.Version}}' } },
  { name: 'an archive name with a line break', input: 'archive-name', inputs: { 'archive-name': '{{.Project}}\nx' } },
  { name: 'an unknown archive-name variable', input: 'archive-name', inputs: { 'archive-name': '{{.Nope}}' } },
  { name: 'an image tag with a second command', input: 'image-tags', inputs: { ...image(), 'image-tags': '{{version}};latest' } },
  { name: 'an image tag in backticks', input: 'image-tags', inputs: { ...image(), 'image-tags': '`id`' } },
  { name: 'an unknown image tag placeholder', input: 'image-tags', inputs: { ...image(), 'image-tags': '{{env}}' } },
  // paths: working-directory
  { name: 'working-directory climbing out', input: 'working-directory', inputs: { 'working-directory': '../../trap' } },
  { name: 'working-directory absolute outside', input: 'working-directory', inputs: { 'working-directory': '/etc' } },
  { name: 'working-directory through a symlink out', input: 'working-directory', inputs: { 'working-directory': 'trap-link' } },
  { name: 'a 20 000-character working-directory', input: 'working-directory', inputs: { 'working-directory': LONG } },
  // paths: dist
  { name: 'dist climbing out', input: 'dist', inputs: { dist: '../../trap/dist' } },
  { name: 'dist absolute outside', input: 'dist', inputs: { dist: '/var/tmp/goship-dist' } },
  { name: 'dist as a symlink into the trap', input: 'dist', inputs: { dist: 'trap-link' } },
  {
    name: 'the default dist planted as a symlink into the trap',
    input: 'dist',
    inputs: {},
    prepare: (ws) => symlink(ws.trap, path.join(ws.module, 'dist')),
  },
  { name: 'dist is the module itself', input: 'dist', inputs: { dist: '.' } },
  // paths: manifest
  { name: 'manifest climbing out', input: 'manifest', inputs: { manifest: '../../trap/m.json' } },
  { name: 'manifest absolute outside', input: 'manifest', inputs: { manifest: '/var/tmp/goship-manifest.json' } },
  { name: 'manifest through a symlink out', input: 'manifest', inputs: { manifest: 'trap-link/m.json' } },
  {
    name: 'the default manifest planted as a symlink into the trap',
    input: 'manifest',
    inputs: {},
    prepare: async (ws) => {
      await mkdir(path.join(ws.module, 'dist'));
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'dist', 'goship-manifest.json'));
    },
  },
  // paths: merge
  { name: 'merge folder climbing out', input: 'merge', inputs: { merge: '../../trap' } },
  { name: 'merge folder through a symlink out', input: 'merge', inputs: { merge: 'trap-link' } },
  // paths: archive-files
  { name: 'archive-files climbing out', input: 'archive-files', inputs: { 'archive-files': '../../../../etc/passwd' } },
  { name: 'archive-files absolute', input: 'archive-files', inputs: { 'archive-files': '/etc/passwd' } },
  { name: 'archive-files into the trap', input: 'archive-files', inputs: { 'archive-files': '../../trap/*' } },
  { name: 'archive-files through a symlink out', input: 'archive-files', inputs: { 'archive-files': 'trap-link/*' } },
  {
    name: 'archive-files climbing out after a folder',
    input: 'archive-files',
    inputs: { 'archive-files': 'LICENSE*,cmd/../../../trap/*' },
  },
  // paths: image-files
  { name: 'image-files source absolute outside', input: 'image-files', inputs: { ...image(), 'image-files': '/etc/shadow:/etc/shadow' } },
  { name: 'image-files source climbing out', input: 'image-files', inputs: { ...image(), 'image-files': '../../trap/passwd:/etc/passwd' } },
  { name: 'image-files source through a symlink out', input: 'image-files', inputs: { ...image(), 'image-files': 'trap-link/passwd:/x' } },
  { name: 'image-files destination climbing out', input: 'image-files', inputs: { ...image(), 'image-files': 'README.md:/../../etc/x' } },
  { name: 'image-files with a relative destination', input: 'image-files', inputs: { ...image(), 'image-files': 'README.md:etc/x' } },
  // paths: dockerfile
  {
    name: 'dockerfile climbing out',
    input: 'dockerfile',
    inputs: { ...image(), 'image-builder': 'buildx', dockerfile: '../../trap/passwd' },
  },
  {
    name: 'dockerfile through a symlink out',
    input: 'dockerfile',
    inputs: { ...image(), 'image-builder': 'buildx', dockerfile: 'trap-link/passwd' },
  },
  // paths: main packages
  { name: 'a main package climbing out', input: 'main', inputs: { main: '../../trap' } },
  { name: 'a main package through a symlink out', input: 'main', inputs: { main: './trap-link' } },
  { name: 'an absolute main package', input: 'main', inputs: { main: '/etc' } },
  { name: 'a main package of another module', input: 'main', inputs: { main: 'golang.org/x/tools/cmd/stringer' } },
  { name: 'a unicode main package', input: 'main', inputs: { main: 'ünïcødé/cmd' } },
  // leading -, shell characters
  { name: 'a main package that is an option', input: 'main', inputs: { main: '-toolexec=/bin/sh' } },
  { name: 'a main package that sets the output', input: 'main', inputs: { main: '-o=../../trap/x' } },
  { name: 'a build tag that is an option', input: 'tags', inputs: { tags: '-race' } },
  { name: 'a build tag with a second command', input: 'tags', inputs: { tags: 'netgo;id' } },
  { name: 'a build tag in $(…)', input: 'tags', inputs: { tags: '$(id)' } },
  { name: 'flags that move the output', input: 'flags', inputs: { flags: '-trimpath -o ../../trap/x' } },
  { name: 'flags that change directory', input: 'flags', inputs: { flags: '-C=../../trap' } },
  { name: 'flags that add a package', input: 'flags', inputs: { flags: '-trimpath ./trap-link' } },
  { name: 'flags with an unclosed quote', input: 'flags', inputs: { flags: "-trimpath '-gcflags=all" } },
  { name: 'ldflags hidden in flags', input: 'flags', inputs: { flags: '-ldflags=-X main.version=evil' } },
  { name: 'a binary name in $(…)', input: 'binary-name', inputs: { 'binary-name': '$(id)' } },
  { name: 'a binary name in backticks', input: 'binary-name', inputs: { 'binary-name': '`id`' } },
  { name: 'a binary name with ;', input: 'binary-name', inputs: { 'binary-name': 'x;rm -rf ~' } },
  { name: 'a unicode binary name', input: 'binary-name', inputs: { 'binary-name': 'é'.repeat(300) } },
  { name: 'an image with a second command', input: 'image', inputs: { image: 'ghcr.io/o/app;id' } },
  { name: 'an image with a tag', input: 'image', inputs: { ...image(), image: `${REGISTRY}/o/app:latest` } },
  { name: 'an image user with a command', input: 'image-user', inputs: { ...image(), 'image-user': 'root;id' } },
  { name: 'an insecure registry with a scheme', input: 'insecure-registries', inputs: { ...image(), 'insecure-registries': 'http://x' } },
  { name: 'an image label without =', input: 'image-labels', inputs: { ...image(), 'image-labels': 'no-equals-sign' } },
  { name: 'an entrypoint that is a shell line', input: 'image-entrypoint', inputs: { ...image(), 'image-entrypoint': 'sh -c id' } },
  { name: 'an env line that is not KEY=VALUE', input: 'env', inputs: { env: 'A B=1' } },
  { name: 'smoke-test with an unclosed quote', input: 'smoke-test', inputs: { 'smoke-test': '"--version' } },
  // secrets
  { name: 'a registry password with a line feed', input: 'registry-password', inputs: { 'registry-password': `${CANARIES.password}\nx` } },
  {
    name: 'a registry password with a carriage return',
    input: 'registry-password',
    inputs: { ...image(), 'registry-password': `${CANARIES.password}\rsecond-line` },
  },
  { name: 'a registry user without a password', input: 'registry-password', inputs: { ...image(), 'registry-password': '' } },
  { name: 'a registry user with a line break', input: 'registry-username', inputs: { ...image(), 'registry-username': 'ci\nbot' } },
  // part manifests on merge
  {
    name: 'a part whose binary path climbs out',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: plantPart((_m, b) => (b.path = 'dist/../../../trap/passwd')),
  },
  {
    name: 'a part whose archive path is absolute',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: plantPart((_m, _b, a) => (a.path = '/etc/passwd')),
  },
  {
    name: 'a part whose version climbs out',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: plantPart((m) => (m.version = '../../../trap/x')),
  },
  {
    name: 'a part whose binary name is a path',
    input: 'merge',
    inputs: { merge: 'parts', 'archive-format': 'binary' },
    prepare: plantPart((_m, b) => (b.name = '../../trap/pwned')),
  },
  {
    name: 'a part whose dist climbs out',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: plantPart((m, b, a) => {
      m.dist = '../..';
      b.path = '../../hello';
      a.path = '../../a.tar.gz';
    }),
  },
  {
    name: "a part whose binary is a symlink to the trap's passwd",
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: plantPart(
      () => undefined,
      async (ws) => {
        await mkdir(path.join(ws.module, 'parts', 'dist', 'hello_linux_amd64'), { recursive: true });
        await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'parts', 'dist', 'hello_linux_amd64', 'hello'));
        await writeFile(path.join(ws.module, 'parts', 'dist', 'hello_0.1.0_linux_amd64.tar.gz'), 'x');
      },
    ),
  },
  {
    name: 'a part manifest planted as a symlink into the trap',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: async (ws) => {
      await mkdir(path.join(ws.module, 'parts'));
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'parts', 'goship-manifest.part-1-of-1.json'));
    },
  },
  {
    name: 'a part manifest that is not JSON',
    input: 'merge',
    inputs: { merge: 'parts' },
    prepare: async (ws) => {
      await mkdir(path.join(ws.module, 'parts'));
      await writeFile(path.join(ws.module, 'parts', 'goship-manifest.part-1-of-1.json'), await readFile(path.join(ws.trap, 'passwd')));
    },
  },
];

async function checkout(): Promise<HostileWorkspace> {
  const ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
  const repo = new GitRepo(ws.module);
  await repo.git('init', '-q', '-b', 'main');
  await repo.commit({ message: 'chore: import hello', date: '2026-01-01T00:00:00Z' });
  return ws;
}

beforeAll(async () => {
  registry = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => registry?.close(() => resolve()));
});

describe(`multiarch-build: hostile inputs (${CASES.length} cases)`, () => {
  it('has the catalogue the round asks for', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const ws = await checkout();
      await c.prepare?.(ws);
      const distBefore = existsSync(path.join(ws.module, 'dist'));
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, v.replaceAll(REGISTRY, host)]));
      const verdict = await runHostile(
        dir,
        ws,
        {
          name: c.name,
          input: c.input,
          inputs: { 'registry-username': 'ci-bot', 'registry-password': CANARIES.password, ...inputs },
          env: c.env,
        },
        { env: ENV, requests: () => requests },
      );
      expect(verdict.problems, verdict.result.log).toEqual([]);
      if (!distBefore) expect(existsSync(path.join(ws.module, 'dist')), 'nothing written before the input was refused').toBe(false);
    });
  }
});

describe('multiarch-build: symlinks a checkout carries inside dist are replaced, not written through', () => {
  it('a binary folder and an archive planted as symlinks into the trap', async () => {
    const ws = await checkout();
    const dist = path.join(ws.module, 'dist');
    await mkdir(dist);
    await symlink(ws.trap, path.join(dist, 'hello_linux_amd64'));
    await symlink(path.join(ws.trap, 'passwd'), path.join(dist, 'hello_0.0.0-SNAPSHOT_linux_amd64.tar.gz'));
    await symlink(path.join(ws.trap, 'passwd'), path.join(dist, 'hello_0.0.0-SNAPSHOT_checksums.txt'));
    const before = await readFile(path.join(ws.trap, 'passwd'), 'utf8');
    const r = await runAction(dir, {
      cwd: ws.module,
      runnerTemp: ws.runnerTemp,
      env: { ...ENV, GITHUB_WORKSPACE: ws.workspace },
      inputs: { platforms: 'linux/amd64', version: '0.0.0-SNAPSHOT', sbom: 'none' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(await readFile(path.join(ws.trap, 'passwd'), 'utf8')).toBe(before);
    expect(existsSync(path.join(ws.trap, 'hello'))).toBe(false);
    for (const f of ['hello_linux_amd64', 'hello_0.0.0-SNAPSHOT_linux_amd64.tar.gz', 'hello_0.0.0-SNAPSHOT_checksums.txt']) {
      expect((await lstat(path.join(dist, f))).isSymbolicLink(), f).toBe(false);
    }
    expect(r.log).not.toContain('TRAPCONTENT');
  });
});
