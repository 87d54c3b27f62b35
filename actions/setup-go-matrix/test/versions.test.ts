import { InputError } from '@goship/core/errors';
import { type VersionFile, readVersionFile } from '@goship/core/go';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Releases,
  applyToolchainEnv,
  firstProxy,
  hostGoPlatform,
  needsReleases,
  parseDownloadIndex,
  parseSpec,
  parseSpecs,
  parseToolchainList,
  resolveSpecs,
  stableVersions,
  uniqueVersions,
} from '../src/versions.js';

const LIST = [
  'v0.0.1-go1.23.0.linux-amd64',
  'v0.0.1-go1.23.4.linux-amd64',
  'v0.0.1-go1.23.12.linux-amd64',
  'v0.0.1-go1.24.0.linux-amd64',
  'v0.0.1-go1.24.6.linux-amd64',
  'v0.0.1-go1.24.13.linux-amd64',
  'v0.0.1-go1.25rc1.linux-amd64',
  'v0.0.1-go1.25.0.linux-amd64',
  'v0.0.1-go1.25.3.linux-amd64',
  'v0.0.1-go1.26rc2.linux-amd64',
  'v0.0.1-go1.25.9.darwin-arm64',
  'v0.0.1-go1.25.9.linux-arm64',
  'garbage',
].join('\n');

const rel: Releases = { source: 'test list', versions: parseToolchainList(LIST, 'linux', 'amd64'), archives: new Map() };

async function file(name: string, text: string): Promise<VersionFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-vf-'));
  await writeFile(path.join(dir, name), text);
  return readVersionFile(path.join(dir, name));
}

function resolve1(spec: string, vf?: VersionFile): string {
  return resolveSpecs([parseSpec(spec)], vf, rel)[0]!.version;
}

describe('release lists', () => {
  it('parses the toolchain module list for one host, newest first', () => {
    expect(rel.versions).toEqual(['1.26rc2', '1.25.3', '1.25.0', '1.25rc1', '1.24.13', '1.24.6', '1.24.0', '1.23.12', '1.23.4', '1.23.0']);
    expect(parseToolchainList(LIST, 'darwin', 'arm64')).toEqual(['1.25.9']);
  });

  it('parses the download index with archive sha256 per version', () => {
    const idx = parseDownloadIndex(
      [
        {
          version: 'go1.25.3',
          files: [
            { filename: 'go1.25.3.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.25.3', sha256: 'aa', kind: 'archive' },
            { filename: 'go1.25.3.linux-amd64.msi', os: 'linux', arch: 'amd64', version: 'go1.25.3', sha256: 'bb', kind: 'installer' },
            { filename: 'go1.25.3.src.tar.gz', os: '', arch: '', version: 'go1.25.3', sha256: 'cc', kind: 'source' },
          ],
        },
        {
          version: 'go1.24.6',
          files: [
            { filename: 'go1.24.6.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.24.6', sha256: 'dd', kind: 'archive' },
          ],
        },
      ],
      'linux',
      'amd64',
    );
    expect(idx.versions).toEqual(['1.25.3', '1.24.6']);
    expect(idx.archives.get('1.25.3')).toEqual({ filename: 'go1.25.3.linux-amd64.tar.gz', sha256: 'aa' });
  });

  it('stable is the newest release, oldstable the newest of the minor before; pre-releases never count', () => {
    expect(stableVersions(rel)).toEqual({ stable: '1.25.3', oldstable: '1.24.13' });
  });

  it('takes the first http proxy of a GOPROXY list', () => {
    expect(firstProxy('direct,https://goproxy.example/|https://proxy.golang.org')).toBe('https://goproxy.example');
    expect(firstProxy('off')).toBeUndefined();
  });

  it('maps the runner to Go names', () => {
    expect(hostGoPlatform('win32', 'x64')).toEqual({ goos: 'windows', goarch: 'amd64' });
    expect(hostGoPlatform('darwin', 'arm64')).toEqual({ goos: 'darwin', goarch: 'arm64' });
  });
});

describe('resolution table', () => {
  it.each([
    ['1.23.4', '1.23.4'],
    ['go1.24.6', '1.24.6'],
    ['1.23', '1.23.12'],
    ['1.23.x', '1.23.12'],
    ['stable', '1.25.3'],
    ['oldstable', '1.24.13'],
    ['1.25rc1', '1.25rc1'],
  ])('%s → %s', (spec, want) => {
    expect(resolve1(spec)).toBe(want);
  });

  it('go.mod without a toolchain line uses the go line; with one, the toolchain line', async () => {
    const plain = await file('go.mod', 'module example.com/a\n\ngo 1.24.0\n');
    expect(resolve1('go.mod', plain)).toBe('1.24.0');
    const withTc = await file('go.mod', 'module example.com/a\n\ngo 1.23.0\n\ntoolchain go1.24.6\n');
    expect(resolveSpecs([parseSpec('go.mod')], withTc, rel)[0]).toEqual({
      spec: 'go.mod',
      version: '1.24.6',
      how: 'go.mod toolchain line',
    });
    expect(needsReleases(parseSpec('go.mod'), withTc)).toBe(false);
  });

  it('GOTOOLCHAIN=local set for the job makes the go line win over the toolchain line (setup-go rule)', async () => {
    const withTc = await file('go.mod', 'module example.com/a\n\ngo 1.23.4\n\ntoolchain go1.24.6\n');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, 'local'))).toBe('1.23.4');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, 'auto'))).toBe('1.24.6');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, ''))).toBe('1.24.6');
  });

  it('a language version on the go line (go 1.23) means its newest patch', async () => {
    const lang = await file('go.mod', 'module example.com/a\ngo 1.23\n');
    expect(needsReleases(parseSpec('go.mod'), lang)).toBe(true);
    expect(resolve1('go.mod', lang)).toBe('1.23.12');
  });

  it('min is the newest patch of the go line minor', async () => {
    const vf = await file('go.mod', 'module example.com/a\ngo 1.24.0\ntoolchain go1.25.3\n');
    expect(resolve1('min', vf)).toBe('1.24.13');
  });

  it('reads go.work, .go-version and .tool-versions', async () => {
    expect(resolve1('go.mod', await file('go.work', 'go 1.24.6\n\nuse ./a\n'))).toBe('1.24.6');
    expect(resolve1('go.mod', await file('.go-version', '1.23.4\n'))).toBe('1.23.4');
    expect(resolve1('go.mod', await file('.tool-versions', 'nodejs 24.1.0\ngolang 1.24.13\n'))).toBe('1.24.13');
    expect(resolve1('go.mod', await file('.go-version', '1.23\n'))).toBe('1.23.12');
  });

  it('expands a list with duplicates removed, in input order', async () => {
    const vf = await file('go.mod', 'module example.com/a\ngo 1.24.0\n');
    const r = resolveSpecs(parseSpecs(['stable', '1.25', 'min', '1.24.13', 'oldstable']), vf, rel);
    expect(uniqueVersions(r)).toEqual(['1.25.3', '1.24.13']);
  });

  it('exact versions need no release list', () => {
    expect(needsReleases(parseSpec('1.24.6'), undefined)).toBe(false);
    expect(resolveSpecs([parseSpec('1.24.6')], undefined, undefined)[0]!.version).toBe('1.24.6');
  });

  it.each(['1.2.3.4', 'latest-ish', '^1.22', '>=1.21', 'go', '1', ''])('rejects %j with an InputError naming go-version', (spec) => {
    const e = (() => {
      try {
        parseSpecs(spec === '' ? [] : [spec]);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('go-version');
    expect((e as InputError).message).toMatch(/expected exact versions/);
  });

  it('go.mod or min without a version file is an InputError', () => {
    expect(() => resolveSpecs([parseSpec('go.mod')], undefined, rel)).toThrow(/Input "go-version": got "go.mod".*needs a go.mod/);
    expect(() => resolveSpecs([parseSpec('min')], undefined, rel)).toThrow(InputError);
  });

  it('an unknown minor or an unreleased exact version is an InputError', () => {
    expect(() => resolve1('1.19')).toThrow(/got "1.19"; expected a Go minor with a release/);
    expect(() => resolve1('1.24.99')).toThrow(/got "1.24.99".*newest of that minor: 1.24.13/);
  });
});
