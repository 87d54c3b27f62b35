/**
 * The in-process build info reader against `go version -m -json`, on the same binaries: the Go
 * toolchain's own programs, the pinned tools goship installs (real modules: many dependencies,
 * replacements, quoted settings), and binaries built here for every platform goship releases
 * (ELF, Mach-O, PE; amd64, arm64, arm), with and without -trimpath, with quoted ldflags, tags and a
 * replaced dependency.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInfoSection, parseBuildInfo } from '../src/buildinfo.js';
import { buildInfo } from '../src/go.js';

const execFileP = promisify(execFile);
const fixturesDir = path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'go');
const tempDir = (prefix: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), prefix));
const env = { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`, CGO_ENABLED: '0' };

async function goJson(file: string): Promise<unknown> {
  const { stdout } = await execFileP('go', ['version', '-m', '-json', file], { env, maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

async function executables(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile() && ((await stat(p)).mode & 0o111) !== 0) out.push(p);
  }
  return out;
}

describe('build info read in-process', () => {
  const built: { name: string; file: string }[] = [];
  let installed: string[] = [];

  beforeAll(async () => {
    const work = await tempDir('goship-buildinfo-');
    // a module with a replaced dependency
    const mod = path.join(work, 'mod');
    await mkdir(path.join(mod, 'local'), { recursive: true });
    await writeFile(
      path.join(mod, 'go.mod'),
      'module example.com/bi\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n\nreplace github.com/google/uuid => ./local\n',
    );
    await writeFile(path.join(mod, 'local', 'go.mod'), 'module github.com/google/uuid\n\ngo 1.22\n');
    await writeFile(path.join(mod, 'local', 'uuid.go'), 'package uuid\n\nfunc NewString() string { return "x" }\n');
    await writeFile(
      path.join(mod, 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)\n\nvar v string\n\nfunc main() { fmt.Println(uuid.NewString(), v) }\n',
    );
    const hello = path.join(work, 'hello');
    await cp(path.join(fixturesDir, 'hello'), hello, { recursive: true });
    const builds: { name: string; dir: string; goos: string; goarch: string; extra?: Record<string, string>; args: string[] }[] = [
      { name: 'hello linux/amd64 -trimpath', dir: hello, goos: 'linux', goarch: 'amd64', args: ['-trimpath', '-ldflags=-s -w'] },
      { name: 'hello linux/arm/v7', dir: hello, goos: 'linux', goarch: 'arm', extra: { GOARM: '7' }, args: ['-trimpath'] },
      { name: 'hello darwin/arm64', dir: hello, goos: 'darwin', goarch: 'arm64', args: ['-trimpath'] },
      { name: 'hello windows/amd64', dir: hello, goos: 'windows', goarch: 'amd64', args: ['-trimpath'] },
      { name: 'hello windows/arm64', dir: hello, goos: 'windows', goarch: 'arm64', args: [] },
      {
        name: 'replaced dependency, quoted ldflags and tags, no -trimpath',
        dir: mod,
        goos: 'linux',
        goarch: 'arm64',
        args: ['-tags=netgo,osusergo', `-ldflags=-X 'main.v=a "quoted" value\twith tab' -X main.w=ü`, '-gcflags=all=-N -l'],
      },
    ];
    for (const [i, b] of builds.entries()) {
      const file = path.join(work, `bin${i}${b.goos === 'windows' ? '.exe' : ''}`);
      await execFileP('go', ['build', ...b.args, '-o', file, '.'], {
        cwd: b.dir,
        env: { ...env, GOOS: b.goos, GOARCH: b.goarch, GOFLAGS: '-mod=mod', ...b.extra },
      });
      built.push({ name: b.name, file });
    }
    const { stdout } = await execFileP('go', ['env', 'GOROOT', 'GOTOOLDIR', 'GOPATH'], { env });
    const [goroot, tooldir, gopath] = stdout.trim().split('\n') as [string, string, string];
    installed = [...(await executables(path.join(goroot, 'bin'))), ...(await executables(tooldir))];
    const tools = path.join(gopath.split(path.delimiter)[0]!, 'goship-tools');
    if (existsSync(tools))
      for (const d of await readdir(tools, { withFileTypes: true }))
        if (d.isDirectory()) installed.push(...(await executables(path.join(tools, d.name))));
  });

  it('gives what go version -m -json gives for binaries of every platform built here', async () => {
    expect(built).toHaveLength(6);
    for (const b of built) {
      const bytes = await readFile(b.file);
      // the section the headers name is where a scan of the whole file finds the first aligned magic
      const magic = Buffer.from('\xff Go buildinf:', 'latin1');
      let from = 0;
      while (bytes.indexOf(magic, from) % 16 !== 0 && bytes.indexOf(magic, from) >= 0) from = bytes.indexOf(magic, from) + 1;
      const scanned = bytes.indexOf(magic, from);
      expect(buildInfoSection(bytes), b.name).toBe(scanned);
      const mine = parseBuildInfo(bytes);
      expect(mine, b.name).toBeDefined();
      expect(mine, b.name).toEqual(await goJson(b.file));
    }
    // the settings that need unquoting, and the replacement, were really there
    const odd = parseBuildInfo(await readFile(built[5]!.file))!;
    expect(odd.Settings?.find((s) => s.Key === '-ldflags')?.Value).toBe(`-X 'main.v=a "quoted" value\twith tab' -X main.w=ü`);
    expect(odd.Deps?.[0]).toMatchObject({
      Path: 'github.com/google/uuid',
      Version: 'v1.6.0',
      Replace: { Path: './local', Version: '(devel)' },
    });
  });

  it('gives what go version -m -json gives for the toolchain and the pinned tools', async () => {
    expect(installed.length).toBeGreaterThan(5);
    let withDeps = 0;
    for (const f of installed) {
      const theirs = await goJson(f).catch(() => undefined);
      if (theirs === undefined) continue; // not a Go binary
      const mine = parseBuildInfo(await readFile(f));
      expect(mine, f).toEqual(theirs);
      if (mine?.Deps?.length) withDeps++;
    }
    expect(withDeps, 'a tool with dependencies was compared').toBeGreaterThan(0);
  });

  it('buildInfo reads in-process and asks go only for what it cannot read', async () => {
    expect(await buildInfo(built[0]!.file, '/nonexistent/go')).toEqual(await goJson(built[0]!.file));
    const notGo = path.join(await tempDir('goship-buildinfo-'), 'script');
    await writeFile(notGo, '#!/bin/sh\n');
    expect(parseBuildInfo(await readFile(notGo))).toBeUndefined();
    await expect(buildInfo(notGo)).rejects.toThrow();
  });
});
