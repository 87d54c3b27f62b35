import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArchive } from '../src/archive-listing.js';
import { tempDir } from '../src/fixtures.js';
import {
  FIXTURE_SPEC,
  type ReleaseRecord,
  checkoutFixture,
  diffRecords,
  fixtureSpec,
  goreleaserFixtures,
  goreleaserFixturesDir,
  removeCheckout,
} from '../src/goreleaser.js';

function record(over: Partial<ReleaseRecord> = {}): ReleaseRecord {
  return {
    producer: 'test',
    projectName: 'p',
    version: '1.0.0',
    tag: 'v1.0.0',
    commit: 'c',
    artifacts: { archive: ['p_1.0.0_linux_amd64.tar.gz'], checksums: ['checksums.txt'], metadata: ['metadata.json'] },
    assets: ['checksums.txt', 'p_1.0.0_linux_amd64.tar.gz'],
    binaries: [{ id: 'p', name: 'p', target: 'linux_amd64_v1', path: 'p_linux_amd64_v1/p' }],
    targets: { p: ['linux_amd64_v1'] },
    archives: [
      {
        name: 'p_1.0.0_linux_amd64.tar.gz',
        id: 'default',
        format: 'tar.gz',
        target: 'linux_amd64_v1',
        wrappedIn: '',
        entries: [
          { path: 'README.md', type: 'file', mode: '0644', size: 3, sha256: 'aa', kind: 'file' },
          { path: 'p', type: 'file', mode: '0755', size: 100, sha256: 'bb', kind: 'binary' },
        ],
      },
    ],
    checksums: { name: 'checksums.txt', lines: [{ digest: 'dd', name: 'p_1.0.0_linux_amd64.tar.gz' }] },
    versionOutput: [{ binary: 'p', target: 'linux_amd64_v1', code: 0, output: 'p 1.0.0 built 2026-03-04T05:06:07Z' }],
    changelog: '## Changelog\n* abc feat: x\n',
    ...over,
  };
}

describe('diffRecords', () => {
  it('equal records, and records that differ only in timestamps, binary bytes, digests or producer, have no differences', () => {
    const b = record({
      producer: 'goship',
      versionOutput: [{ binary: 'p', target: 'linux_amd64_v1', code: 0, output: 'p 1.0.0 built 2031-01-01T00:00:00+02:00' }],
      checksums: { name: 'checksums.txt', lines: [{ digest: 'ee', name: 'p_1.0.0_linux_amd64.tar.gz' }] },
    });
    b.archives[0]!.entries[1] = { ...b.archives[0]!.entries[1]!, size: 999, sha256: 'ff' };
    expect(diffRecords(record(), record())).toEqual([]);
    expect(diffRecords(record(), b)).toEqual([]);
    expect(diffRecords(record(), b, { digests: true, binaryBytes: true })).toEqual([
      '~ archive p_1.0.0_linux_amd64.tar.gz entry p: binary file mode=0755 size=100 sha256=bb → binary file mode=0755 size=999 sha256=ff',
      '~ checksums lists p_1.0.0_linux_amd64.tar.gz: dd → ee',
    ]);
  });

  it('compares a checksums file by the names it lists and their order: a file only one side lists shifts nothing', () => {
    const lines = (...names: string[]): ReleaseRecord['checksums'] => ({
      name: 'checksums.txt',
      lines: names.map((name) => ({ digest: 'dd', name })),
    });
    const a = record({ checksums: lines('a.tar.gz', 'b.tar.gz') });
    expect(diffRecords(a, record({ checksums: lines('a.tar.gz', 'a.tar.gz.spdx.json', 'b.tar.gz') }))).toEqual([
      '+ checksums lists a.tar.gz.spdx.json: listed',
    ]);
    expect(diffRecords(a, record({ checksums: lines('b.tar.gz', 'a.tar.gz') }))).toEqual([
      '~ checksums order: sorted by name → b.tar.gz, a.tar.gz',
    ]);
  });

  it('names what is missing, extra and different, one line each', () => {
    const b = record({ artifacts: { archive: ['p_1.0.0_Linux_x86_64.tar.gz'], checksums: ['checksums.txt'] } });
    b.archives[0]!.entries[0] = { ...b.archives[0]!.entries[0]!, mode: '0600' };
    b.archives[0]!.entries.push({ path: 'LICENSE', type: 'file', mode: '0644', size: 1, sha256: 'cc', kind: 'file' });
    expect(diffRecords(record(), b)).toEqual([
      '+ archive p_1.0.0_linux_amd64.tar.gz entry LICENSE: file file mode=0644 size=1 sha256=cc',
      '~ archive p_1.0.0_linux_amd64.tar.gz entry README.md: file file mode=0644 size=3 sha256=aa → file file mode=0600 size=3 sha256=aa',
      '+ artifact archive p_1.0.0_Linux_x86_64.tar.gz: present',
      '- artifact archive p_1.0.0_linux_amd64.tar.gz: present',
    ]);
  });
});

describe('listArchive', () => {
  it('lists tar.gz (with long names) and zip archives made by other tools: paths, types, modes, sizes, digests', async () => {
    const dir = await tempDir('goship-listing-');
    const src = path.join(dir, 'src');
    const long = `${'deep/'.repeat(30)}file.txt`;
    mkdirSync(path.join(src, path.dirname(long)), { recursive: true });
    writeFileSync(path.join(src, long), 'long\n');
    writeFileSync(path.join(src, 'run.sh'), '#!/bin/sh\n');
    chmodSync(path.join(src, 'run.sh'), 0o750);
    writeFileSync(path.join(src, 'notes.txt'), 'hello');
    chmodSync(path.join(src, 'notes.txt'), 0o640);
    execFileSync('tar', ['-czf', path.join(dir, 'a.tar.gz'), '--format=posix', '-C', src, 'run.sh', 'notes.txt', long]);
    execFileSync('zip', ['-q', '-X', path.join(dir, 'a.zip'), 'run.sh', 'notes.txt'], { cwd: src });
    const sha = (f: string): string => execFileSync('sha256sum', [path.join(src, f)], { encoding: 'utf8' }).split(' ')[0]!;

    const tar = await listArchive(path.join(dir, 'a.tar.gz'));
    expect(tar).toEqual([
      { path: 'run.sh', type: 'file', mode: '0750', size: 10, sha256: sha('run.sh') },
      { path: 'notes.txt', type: 'file', mode: '0640', size: 5, sha256: sha('notes.txt') },
      { path: long, type: 'file', mode: '0644', size: 5, sha256: sha(long) },
    ]);
    const zip = await listArchive(path.join(dir, 'a.zip'));
    expect(zip).toEqual([
      { path: 'run.sh', type: 'file', mode: '0750', size: 10, sha256: sha('run.sh') },
      { path: 'notes.txt', type: 'file', mode: '0640', size: 5, sha256: sha('notes.txt') },
    ]);
    await expect(listArchive(path.join(dir, 'src', 'notes.txt'))).rejects.toThrow(/not an archive/);
  });
});

describe('the fixtures', () => {
  it('there are at least twelve, each with a spec and a GoReleaser file', async () => {
    const names = goreleaserFixtures();
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const n of names) {
      const spec = await fixtureSpec(n);
      expect(spec.describes.length, n).toBeGreaterThan(20);
      expect(spec.tag, n).toMatch(/^v\d+\.\d+\.\d+/);
      const files = execFileSync('ls', ['-A', path.join(goreleaserFixturesDir, n)], { encoding: 'utf8' });
      expect(files, n).toMatch(/^\.?goreleaser\.ya?ml$/m);
      expect(files, n).toContain(FIXTURE_SPEC);
    }
  });

  it('a checkout is the same repository every time: same commits, tags and remote', async () => {
    const a = await checkoutFixture('changelog-groups');
    const b = await checkoutFixture('changelog-groups');
    try {
      expect(a.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(b.commit).toBe(a.commit);
      expect(await a.repo.git('tag', '--points-at', 'HEAD')).toBe('v1.0.0');
      expect(await a.repo.git('describe', '--tags', '--abbrev=0', 'HEAD~1')).toBe('v0.9.0');
      expect(await a.repo.git('remote', 'get-url', 'origin')).toBe('https://github.com/goship-fixtures/changelog-groups.git');
      expect(await a.repo.git('status', '--porcelain')).toBe('');
      expect(await a.repo.git('log', '-1', '--format=%aI %s')).toBe('2026-03-04T11:06:07+00:00 feat!: drop the old flag');
      // The spec describes the checkout; it is not part of it.
      expect(existsSync(path.join(a.dir, FIXTURE_SPEC))).toBe(false);
      expect(existsSync(path.join(a.dir, '.goreleaser.yaml'))).toBe(true);
    } finally {
      await removeCheckout(a);
      await removeCheckout(b);
    }
  });

  it('a snapshot fixture leaves HEAD one commit after its tag', async () => {
    const c = await checkoutFixture('snapshot');
    try {
      expect(await c.repo.git('tag', '--points-at', 'HEAD')).toBe('');
      expect(await c.repo.git('describe', '--tags')).toMatch(/^v2\.3\.4-1-g[0-9a-f]+$/);
    } finally {
      await removeCheckout(c);
    }
  });
});
