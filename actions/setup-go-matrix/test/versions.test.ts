import { InputError } from '@goship/core/errors';
import { type VersionFile, readVersionFile } from '@goship/core/go';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Releases, parseToolchainList } from '../src/releases.js';
import { applyToolchainEnv, parseSpec, parseSpecs, releaseNeed, resolveSpecs, uniqueVersions } from '../src/versions.js';
import { TOOLCHAIN_LIST } from './release-list.js';

const rel: Releases = { source: 'test list', versions: parseToolchainList(TOOLCHAIN_LIST, 'linux', 'amd64'), archives: new Map() };
const nothingCached = (): boolean => false;

async function file(name: string, text: string): Promise<VersionFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-vf-'));
  await writeFile(path.join(dir, name), text);
  return readVersionFile(path.join(dir, name));
}

function resolve1(spec: string, vf?: VersionFile): string {
  return resolveSpecs([parseSpec(spec)], vf, rel)[0]!.version;
}

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('did not throw');
}

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
  });

  it('GOTOOLCHAIN=local set for the job makes the go line win over the toolchain line (setup-go rule)', async () => {
    const withTc = await file('go.mod', 'module example.com/a\n\ngo 1.23.4\n\ntoolchain go1.24.6\n');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, 'local'))).toBe('1.23.4');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, 'auto'))).toBe('1.24.6');
    expect(resolve1('go.mod', applyToolchainEnv(withTc, ''))).toBe('1.24.6');
  });

  it('a language version on the go line (go 1.23) means its newest patch', async () => {
    const lang = await file('go.mod', 'module example.com/a\ngo 1.23\n');
    expect(releaseNeed([parseSpec('go.mod')], lang, nothingCached)).toBe('resolve');
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
});

describe('when the release list is needed', () => {
  it('exact versions in the tool cache need no list; others only to be checked; minors and words to be resolved', async () => {
    const cached = (v: string): boolean => v === '1.24.6';
    expect(releaseNeed([parseSpec('1.24.6')], undefined, cached)).toBe('none');
    expect(releaseNeed([parseSpec('1.24.7')], undefined, cached)).toBe('check');
    expect(releaseNeed(parseSpecs(['1.24.6', 'stable']), undefined, cached)).toBe('resolve');
    expect(releaseNeed([parseSpec('min')], await file('go.mod', 'go 1.24.0\n'), cached)).toBe('resolve');
    const tc = await file('go.mod', 'module a\ngo 1.23.0\ntoolchain go1.24.6\n');
    expect(releaseNeed([parseSpec('go.mod')], tc, cached)).toBe('none');
    expect(releaseNeed([parseSpec('go.mod')], tc, nothingCached)).toBe('check');
  });

  it('without a list (it could not be read), exact versions are taken as given', () => {
    expect(resolveSpecs([parseSpec('1.24.6')], undefined, undefined)[0]!.version).toBe('1.24.6');
  });

  it('a cached version counts as existing even when the list does not have it', () => {
    expect(resolveSpecs([parseSpec('1.99.1')], undefined, rel, { known: (v) => v === '1.99.1' })[0]!.version).toBe('1.99.1');
  });
});

describe('bad versions are input errors that say what exists', () => {
  it.each(['1.2.3.4', 'latest-ish', '^1.22', '>=1.21', 'go', '1', '', '１.２４', `1.${'9'.repeat(40)}`])(
    'rejects %j naming go-version',
    (spec) => {
      const e = thrown(() => parseSpecs(spec === '' ? [] : [spec]));
      expect(e.input).toBe('go-version');
      expect(e.message).toMatch(/expected exact versions/);
    },
  );

  it('a version that was never released names go-version, the newest stable and oldstable, before any download', () => {
    const e = thrown(() => resolve1('1.99.99'));
    expect(e.input).toBe('go-version');
    expect(e.message).toMatch(
      /^Input "go-version": got "1\.99\.99"; expected a released Go version \(test list lists stable 1\.25\.3 and oldstable 1\.24\.13\)/,
    );
    expect(e.message).toContain('Go 1.99.99 is not among the 10 versions it lists');
    expect(thrown(() => resolve1('1.24.99')).message).toContain('the newest 1.24 release is 1.24.13');
  });

  it('an unknown minor lists the released minors', () => {
    expect(thrown(() => resolve1('1.19')).message).toMatch(
      /got "1\.19"; expected a Go minor with a release \(test list lists stable 1\.25\.3 and oldstable 1\.24\.13; released minors: 1\.25, 1\.24, 1\.23\)/,
    );
  });

  it('an unreleased version from a file the user pointed at names go-version-file', async () => {
    const vf = await file('go.mod', 'module a\ngo 1.24.0\ntoolchain go1.99.99\n');
    const e = thrown(() => resolveSpecs([parseSpec('go.mod')], vf, rel, { fileInput: 'go-version-file' }));
    expect(e.input).toBe('go-version-file');
    expect(e.message).toMatch(
      /got "go\.mod"; expected a go\.mod that names a released Go version: a released Go version \(test list lists stable 1\.25\.3/,
    );
    expect(e.message).toContain('Its toolchain line names go1.99.99');
    // found in the module folder, not given: the go-version spec that read it is named
    expect(thrown(() => resolveSpecs([parseSpec('go.mod')], vf, rel)).message).toMatch(/^Input "go-version": got "go\.mod"/);
  });

  it('a file that names no version, or garbage, is an input error too', async () => {
    const none = await file('.go-version', '\n');
    expect(thrown(() => resolveSpecs([parseSpec('go.mod')], none, rel, { fileInput: 'go-version-file' })).message).toMatch(
      /^Input "go-version-file": got "\.go-version"; expected a \.go-version that names a Go version/,
    );
    const junk = await file('.go-version', '$(id)\n');
    expect(thrown(() => resolveSpecs([parseSpec('go.mod')], junk, rel)).message).toMatch(/whose version is a Go version/);
    const noGo = await file('go.mod', 'module a\n');
    expect(thrown(() => resolveSpecs([parseSpec('min')], noGo, rel)).message).toMatch(/expected a go\.mod with a go line/);
  });

  it('go.mod or min without a version file is an InputError', () => {
    expect(() => resolveSpecs([parseSpec('go.mod')], undefined, rel)).toThrow(/Input "go-version": got "go.mod".*needs a go.mod/);
    expect(() => resolveSpecs([parseSpec('min')], undefined, rel)).toThrow(InputError);
  });
});
