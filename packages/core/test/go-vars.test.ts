import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findVersionVariables, isVersionPackage, roleOf, stampFlags, stringVariables } from '../src/go-vars.js';
import { goList } from '../src/go.js';

const execFileP = promisify(execFile);
const GO = '/usr/local/go/bin/go';

describe('version variables', () => {
  it('knows the names real CLIs use', () => {
    expect(['version', 'Version', 'VERSION', 'appVersion'].map(roleOf)).toEqual(['version', 'version', 'version', 'version']);
    expect(['revision', 'commit', 'CommitSHA', 'GitCommit', 'git_commit', 'sha'].map(roleOf)).toEqual(Array(6).fill('commit'));
    expect(['date', 'BuildDate', 'buildTime'].map(roleOf)).toEqual(['date', 'date', 'date']);
    expect(roleOf('builtBy')).toBe('builtBy');
    expect(roleOf('versionString')).toBeUndefined();
    expect(isVersionPackage('example.com/m/internal/version')).toBe(true);
    expect(isVersionPackage('example.com/m/internal/store')).toBe(false);
  });

  it('finds package-level string variables -X can set, and nothing else', () => {
    const src = `package main

import "fmt"

var version = "dev" // set by the release
var revision string
var (
	Version   = "0.0.0"
	CommitSHA, BuildDate string
	count     = 3
	date      string = "unknown"
	computed  = fmt.Sprint("x")
	raw       = \`multi
line\`
)
const commit = "const-is-not-settable"
var sha = strings.TrimSpace(" x ")

/* var builtBy string — in a comment */
func main() {
	var builtBy string
	fmt.Println(version, revision, builtBy)
}
`;
    expect(stringVariables(src).map((v) => `${v.name}:${v.line}`)).toEqual([
      'version:5',
      'revision:6',
      'Version:8',
      'CommitSHA:9',
      'BuildDate:9',
      'date:11',
      'raw:13',
    ]);
  });

  it('the flags it gives set the variables in a real build (main and a version package)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-govars-'));
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/cli\n\ngo 1.22\n');
    await mkdir(path.join(dir, 'cmd', 'cli'), { recursive: true });
    await mkdir(path.join(dir, 'internal', 'version'), { recursive: true });
    await writeFile(
      path.join(dir, 'cmd', 'cli', 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\t"example.com/cli/internal/version"\n)\n\nvar revision = "devel"\nvar (\n\tVersion string\n\tbuiltBy = "unknown"\n)\n\nfunc main() { fmt.Println(Version, revision, builtBy, version.GitCommit, version.BuildDate) }\n',
    );
    await writeFile(
      path.join(dir, 'internal', 'version', 'version.go'),
      'package version\n\nvar GitCommit string\nvar BuildDate = "unknown"\n',
    );
    const pkgs = await goList(['./...'], { cwd: dir, goBin: GO });
    const vars = await findVersionVariables(
      pkgs.filter((p) => p.Name === 'main' || isVersionPackage(p.ImportPath)),
      dir,
    );
    expect(vars.map((v) => `${v.importPath}.${v.name} ${v.role} ${v.where}`)).toEqual([
      'example.com/cli/internal/version.BuildDate date internal/version/version.go:4',
      'example.com/cli/internal/version.GitCommit commit internal/version/version.go:3',
      'main.Version version cmd/cli/main.go:10',
      'main.builtBy builtBy cmd/cli/main.go:11',
      'main.revision commit cmd/cli/main.go:8',
    ]);
    const flags = stampFlags(vars, { version: '1.2.3', commit: 'abc123', date: '2026-01-01T00:00:00Z', builtBy: 'goship' });
    const bin = path.join(dir, 'cli');
    await execFileP(GO, ['build', '-trimpath', `-ldflags=${flags.join(' ')}`, '-o', bin, './cmd/cli'], {
      cwd: dir,
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    expect((await execFileP(bin)).stdout.trim()).toBe('1.2.3 abc123 goship abc123 2026-01-01T00:00:00Z');
  });
});
