import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoshipError } from '../../src/errors.js';
import {
  type Artifact,
  type Manifest,
  emptyManifest,
  manifestProblems,
  mergeManifests,
  readManifest,
  upsertArtifacts,
  writeManifest,
} from '../../src/manifest/index.js';

const sha = (c: string) => c.repeat(64);
const header = {
  project: 'hello',
  module: 'example.com/hello',
  version: '1.4.0',
  tag: 'v1.4.0',
  commit: 'abc123',
  commitTime: '2026-11-20T10:00:00Z',
  traceId: '1-1',
};
const bin = (os: string, arch: string, c: string): Artifact => ({
  kind: 'binary',
  name: 'hello',
  path: `dist/hello_${os}_${arch}/hello`,
  os,
  arch,
  sha256: sha(c),
  size: 10,
});
const part = (p: string, arts: Artifact[]): Manifest => ({ ...emptyManifest({ ...header, part: p }), artifacts: arts });

describe('manifest validation', () => {
  it('accepts a complete manifest', () => {
    const m = {
      ...emptyManifest(header),
      artifacts: [bin('linux', 'amd64', 'a'), { kind: 'checksums', name: 'sums.txt', path: 'dist/sums.txt' }],
    };
    expect(manifestProblems(m)).toEqual([]);
  });

  it('reports unknown kinds, missing fields, bad digests and duplicates, all at once', () => {
    const m = {
      ...emptyManifest(header),
      artifacts: [
        bin('linux', 'amd64', 'a'),
        bin('linux', 'amd64', 'b'),
        { kind: 'tarball', name: 'x' },
        { kind: 'archive', name: 'hello.tar.gz', path: 'dist/hello.tar.gz' },
        { kind: 'sbom', name: 's.spdx.json', path: 'dist/s.spdx.json' },
        { kind: 'binary', name: 'hello', path: 'p', os: 'linux', arch: 'arm64', sha256: 'xyz' },
      ],
    };
    const problems = manifestProblems(m);
    expect(problems).toContainEqual(expect.stringMatching(/artifacts\[1\] duplicates artifacts\[0\]/));
    expect(problems).toContainEqual(expect.stringMatching(/unknown kind "tarball"/));
    expect(problems).toContainEqual(expect.stringMatching(/archive hello.tar.gz\) is missing "sha256"/));
    expect(problems).toContainEqual(expect.stringMatching(/sbom s.spdx.json\) is missing "describes"/));
    expect(problems).toContainEqual(expect.stringMatching(/sha256 that is not 64 hex digits/));
    expect(problems).toHaveLength(5);
  });

  it('reports missing top-level fields and a wrong schema version', () => {
    const problems = manifestProblems({ schemaVersion: 2, project: 'x', artifacts: [] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/schemaVersion is 2/),
        '"module" is missing or not a string',
        '"version" is missing or not a string',
        '"commit" is missing or not a string',
      ]),
    );
    expect(manifestProblems([])).toEqual(['the manifest is not a JSON object']);
  });

  it('writes sorted, stable JSON and reads it back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-'));
    const file = path.join(dir, 'dist', 'goship-manifest.json');
    const m = {
      ...emptyManifest(header),
      artifacts: [
        { kind: 'checksums' as const, name: 'sums.txt', path: 'dist/sums.txt' },
        bin('linux', 'arm64', 'b'),
        bin('darwin', 'amd64', 'a'),
      ],
    };
    await writeManifest(file, m);
    const first = await readFile(file, 'utf8');
    await writeManifest(file, { ...m, artifacts: [...m.artifacts].reverse() });
    expect(await readFile(file, 'utf8')).toBe(first);
    const back = await readManifest(file);
    expect(back.artifacts.map((a) => `${a.kind}:${a.os ?? ''}`)).toEqual(['binary:darwin', 'binary:linux', 'checksums:']);
  });

  it('explains a missing or invalid manifest file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-'));
    await expect(readManifest(path.join(dir, 'nope.json'))).rejects.toThrow(/No manifest at .*nope.json.*Run multiarch-build first/s);
    await writeFile(path.join(dir, 'bad.json'), '{"schemaVersion":1}');
    await expect(readManifest(path.join(dir, 'bad.json'))).rejects.toThrow(/not a valid goship manifest/);
  });

  it('upserts by identity so a re-run converges', () => {
    const m = { ...emptyManifest(header), artifacts: [bin('linux', 'amd64', 'a')] };
    const again = upsertArtifacts(m, [bin('linux', 'amd64', 'c'), bin('linux', 'arm64', 'd')]);
    expect(again.artifacts).toHaveLength(2);
    expect(again.artifacts.find((a) => a.arch === 'amd64')?.sha256).toBe(sha('c'));
  });
});

describe('merging split parts', () => {
  it('joins parts into the same manifest one job would write', () => {
    const merged = mergeManifests([part('2/2', [bin('linux', 'arm64', 'b')]), part('1/2', [bin('linux', 'amd64', 'a')])], {
      expectedParts: 2,
    });
    expect(merged.part).toBeUndefined();
    expect(merged.artifacts.map((a) => a.arch)).toEqual(['amd64', 'arm64']);
  });

  it('refuses a target built twice', () => {
    expect(() => mergeManifests([part('1/2', [bin('linux', 'amd64', 'a')]), part('2/2', [bin('linux', 'amd64', 'a')])])).toThrow(
      /appears in part 1\/2 and part 2\/2/,
    );
  });

  it('refuses missing and repeated parts', () => {
    expect(() => mergeManifests([part('1/3', []), part('3/3', [])], { expectedParts: 3 })).toThrow(/missing 2\/3/);
    expect(() => mergeManifests([part('1/2', []), part('1/2', []), part('2/2', [])], { expectedParts: 2 })).toThrow(/repeated 1\/2/);
    expect(() => mergeManifests([])).toThrow(GoshipError);
  });

  it('refuses parts of different commits', () => {
    const other = { ...part('2/2', []), commit: 'def456' };
    expect(() => mergeManifests([part('1/2', []), other])).toThrow(/disagree on commit/);
  });
});
