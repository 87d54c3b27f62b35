import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type GoPackage,
  compareGoVersions,
  goList,
  goMinor,
  goVersion,
  mainPackages,
  parseGoMod,
  parseGoVersion,
  parseGoVersionOutput,
  parseJSONStream,
  readVersionFile,
} from '../src/go.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/go');

describe('Go versions', () => {
  it('orders like go/version', () => {
    const ordered = ['1.20', '1.21', '1.21rc1', '1.21rc2', '1.21.0', '1.21.1', '1.21.10', '1.22beta1', '1.22.0'];
    expect([...ordered].reverse().sort(compareGoVersions)).toEqual(ordered);
    expect(parseGoVersion('go1.24.3')).toEqual({ major: 1, minor: 24, patch: 3, kind: '', pre: 0 });
    expect(parseGoVersion('1.24.x')).toBeUndefined();
    expect(goMinor('1.24.3')).toBe('1.24');
  });

  it('reads `go version` of the installed toolchain', async () => {
    const raw = execFileSync('go', ['version'], { encoding: 'utf8' });
    expect(await goVersion()).toBe(parseGoVersionOutput(raw).version);
    expect(parseGoVersionOutput('go version go1.22.12 darwin/arm64')).toEqual({ version: '1.22.12', os: 'darwin', arch: 'arm64' });
  });
});

describe('version files', () => {
  it('parses go.mod directives, blocks and comments', () => {
    const mod = parseGoMod(
      'module "example.com/x" // c\n\ngo 1.23.0\ntoolchain go1.24.6\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v0.1.0 // indirect\n)\nrequire e.com/f v2.0.0\n',
    );
    expect(mod).toEqual({
      module: 'example.com/x',
      go: '1.23.0',
      toolchain: '1.24.6',
      require: [
        { path: 'github.com/a/b', version: 'v1.0.0', indirect: false },
        { path: 'github.com/c/d', version: 'v0.1.0', indirect: true },
        { path: 'e.com/f', version: 'v2.0.0', indirect: false },
      ],
    });
  });

  it('reads go.mod, go.work, .go-version and .tool-versions', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vf-'));
    await writeFile(path.join(dir, 'go.work'), 'go 1.24.1\n\nuse ./a\n');
    await writeFile(path.join(dir, '.go-version'), '1.23.4\n');
    await writeFile(path.join(dir, '.tool-versions'), 'nodejs 24.0.0\ngolang 1.22.7\n');
    expect(await readVersionFile(path.join(dir, 'go.work'))).toMatchObject({ kind: 'go.work', go: '1.24.1' });
    expect(await readVersionFile(path.join(dir, '.go-version'))).toMatchObject({ kind: '.go-version', go: '1.23.4' });
    expect(await readVersionFile(path.join(dir, '.tool-versions'))).toMatchObject({ kind: '.tool-versions', go: '1.22.7' });
    expect(await readVersionFile(path.join(fixtures, 'hello', 'go.mod'))).toMatchObject({
      kind: 'go.mod',
      go: '1.24.0',
      module: 'example.com/hello',
    });
  });
});

describe('go list', () => {
  it('splits concatenated JSON values, strings with braces included', () => {
    expect(parseJSONStream('{"a":"}{"}\n{"b":[1,{"c":"\\"}"}]}\n')).toEqual([{ a: '}{' }, { b: [1, { c: '"}' }] }]);
  });

  it('finds the main packages of the multi fixture', async () => {
    const mains = await mainPackages(['./...'], { cwd: path.join(fixtures, 'multi'), env: { GOFLAGS: '-mod=mod' } });
    expect(mains.map((p) => p.ImportPath)).toEqual(['example.com/multi/cmd/api', 'example.com/multi/cmd/worker']);
    const all = await goList(['./...'], { cwd: path.join(fixtures, 'multi'), env: { GOFLAGS: '-mod=mod' } });
    expect(all.find((p) => p.ImportPath.endsWith('internal/store'))?.Imports).toContain('github.com/google/uuid');
  });

  it('identifies packages with `find` as the full listing does, in a scratch module with broken ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'golist-'));
    const files: Record<string, string> = {
      'go.mod': 'module example.com/scratch\n\ngo 1.22\n',
      'cmd/ok/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/missing/main.go': 'package main\n\nimport "example.com/scratch/nope"\n\nfunc main() { nope.X() }\n',
      'cmd/ignored/main.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
      'cmd/mixed/a.go': 'package main\n\nfunc main() {}\n',
      'cmd/mixed/b.go': 'package other\n',
      'cmd/tagged/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/tagged/linux.go': '//go:build linux\n\npackage main\n',
      'lib/lib.go': 'package lib\n',
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    const fields = (p: GoPackage) => ({ Dir: p.Dir, ImportPath: p.ImportPath, Name: p.Name, GoFiles: p.GoFiles, Error: p.Error?.Err });
    for (const GOOS of ['linux', 'windows']) {
      const opts = { cwd: dir, env: { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOOS } };
      const patterns = ['./...', './cmd/ignored', './cmd/absent']; // a pattern leaves out a folder whose files are all excluded
      const [full, found] = await Promise.all([goList(patterns, opts), goList(patterns, { ...opts, find: true })]);
      expect(found.map(fields)).toEqual(full.map(fields));
      const byPath = new Map(found.map((p) => [p.ImportPath, p]));
      expect(byPath.get('example.com/scratch/cmd/ignored')?.Error?.Err).toMatch(/build constraints exclude all Go files/);
      expect(byPath.get('example.com/scratch/cmd/mixed')?.Error?.Err).toMatch(/found packages main \(a\.go\) and other/);
      expect(byPath.get('example.com/scratch/cmd/tagged')?.GoFiles).toEqual(GOOS === 'linux' ? ['linux.go', 'main.go'] : ['main.go']);
      expect(byPath.get('./cmd/absent')?.Error?.Err).toMatch(/directory not found/);
      // the cheaper listing does not load imports: the full one's Imports are absent
      expect(byPath.get('example.com/scratch/cmd/missing')?.Imports).toBeUndefined();
      expect(full.find((p) => p.ImportPath === 'example.com/scratch/cmd/missing')?.Imports).toEqual(['example.com/scratch/nope']);
    }
  });
});
