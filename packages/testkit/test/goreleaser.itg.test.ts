/**
 * The reference side on every fixture: the pinned GoReleaser runs for real, and its record must be
 * complete and follow the fixture's templates; goship's reader must agree with what it built
 * (targets, project name, dist paths, archive formats, checksum algorithm).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig, formatsFor, readGoreleaserConfig } from '@goship/core/config';
import {
  FIXTURE_OWNER,
  type ReferenceRun,
  diffRecords,
  fileDigest,
  goreleaserFixtures,
  goreleaserReference,
  removeCheckout,
} from '../src/goreleaser.js';

interface Expect {
  archives: string[];
  binaryAssets?: string[];
  checksums: string;
  checksumLength?: number;
  versionOutput: string;
  archiveEntries?: string[];
  modes?: Record<string, string>;
  fileContains?: Record<string, string>;
  changelog?: string[];
  binaryPaths?: string[];
}

const runs: ReferenceRun[] = [];
afterAll(async () => {
  for (const r of runs) await removeCheckout(r.checkout);
});

describe.each(goreleaserFixtures())('GoReleaser on fixtures/goreleaser/%s', (name) => {
  it('produces the release the fixture describes, and the reader agrees with what it built', async () => {
    const run = await goreleaserReference(name);
    runs.push(run);
    const { record, checkout } = run;
    const exp = checkout.spec.expect as unknown as Expect;

    // Names follow the fixture's templates.
    expect(record.producer).toBe('goreleaser v2.15.1');
    expect(record.tag).toBe(checkout.spec.tag);
    expect(record.commit).toBe(checkout.commit);
    expect(record.artifacts.archive ?? []).toEqual([...exp.archives].sort());
    if (exp.binaryAssets) expect(record.artifacts['binary-asset']).toEqual([...exp.binaryAssets].sort());
    expect(record.checksums?.name).toBe(exp.checksums);

    // The checksums file lists every other uploaded file once, with its real digest.
    const sums = record.checksums!;
    expect(sums.lines.map((l) => l.name).sort()).toEqual(record.assets.filter((a) => a !== sums.name));
    for (const l of sums.lines) {
      expect(l.digest).toHaveLength(exp.checksumLength ?? 64);
      expect(await fileDigest(run.files[l.name]!, l.digest.length === 128 ? 'sha512' : 'sha256'), l.name).toBe(l.digest);
    }

    // Every archive holds the binaries of its target, executable, and the expected files.
    for (const a of record.archives) {
      const bins = a.entries.filter((e) => e.kind === 'binary');
      expect(bins.length, a.name).toBeGreaterThan(0);
      for (const b of bins) expect(b.mode, `${a.name} ${b.path}`).toBe('0755');
      if (exp.archiveEntries) {
        const exe = a.target.startsWith('windows_') ? '.exe' : '';
        const want = exp.archiveEntries.map((p) => p.replace('{wrap}', a.wrappedIn).replace('{exe}', exe));
        expect(
          a.entries.map((e) => e.path),
          a.name,
        ).toEqual(want);
      }
      for (const [p, mode] of Object.entries(exp.modes ?? {})) {
        expect(a.entries.find((e) => e.path === p.replace('{wrap}', a.wrappedIn))?.mode, `${a.name} ${p}`).toBe(mode);
      }
      for (const [p, text] of Object.entries(exp.fileContains ?? {})) {
        const content = await readFile(path.join(checkout.dir, p), 'utf8');
        expect(content).toContain(text);
        expect(a.entries.find((e) => e.path === p)?.sha256).toBe(await fileDigest(path.join(checkout.dir, p)));
      }
    }

    // Binaries built for this machine run and print their stamped-in version.
    expect(record.versionOutput.length).toBeGreaterThan(0);
    for (const v of record.versionOutput) {
      expect(v.code, v.output).toBe(0);
      expect(v.output).toMatch(new RegExp(exp.versionOutput));
    }

    if (exp.changelog) {
      const lines = record.changelog!.split('\n').filter((l) => l.trim() !== '');
      expect(lines.map((l) => l.replace(/^\* [0-9a-f]{7} /, '* {sha} '))).toEqual(exp.changelog);
    }

    // goship's reader, on the same file: the same project, targets, dist paths and formats.
    const file = findConfig(checkout.dir, '');
    expect(file).toBeDefined();
    const cfg = readGoreleaserConfig(file!, { moduleDir: checkout.dir, repository: `${FIXTURE_OWNER}/${name}`, env: {} });
    expect(cfg.projectName).toBe(record.projectName);
    expect(cfg.notApplied).toEqual([]);
    const built = Object.fromEntries(cfg.builds.map((b) => [b.id, b.targets.map((t) => t.target).sort()]));
    expect(built).toEqual(record.targets);
    for (const b of cfg.builds) {
      const flat = b.noUniqueDistDir?.text === 'true';
      const ours = record.binaries.filter((x) => x.id === b.id);
      if (b.binary.text.includes('{{')) {
        expect(ours.map((x) => x.path).sort()).toEqual(exp.binaryPaths);
        continue;
      }
      for (const x of ours) {
        const exe = x.target.startsWith('windows_') ? '.exe' : '';
        expect(x.path).toBe(flat ? `${b.binary.text}${exe}` : `${b.id}_${x.target}/${b.binary.text}${exe}`);
      }
    }
    for (const a of record.archives) {
      const ac = cfg.archives.find((x) => x.id === a.id)!;
      expect(ac, a.name).toBeDefined();
      expect(formatsFor(ac, a.target.split('_')[0]!), a.name).toContain(a.format);
    }
    expect(sums.lines[0]!.digest).toHaveLength(cfg.checksum.algorithm === 'sha512' ? 128 : 64);
  });
});

describe('the reference record', () => {
  it('is the same for two runs on the same fixture (timestamps, binary bytes and digests aside)', async () => {
    const a = await goreleaserReference('changelog-groups');
    const b = await goreleaserReference('changelog-groups');
    runs.push(a, b);
    expect(a.checkout.dir).not.toBe(b.checkout.dir);
    expect(diffRecords(a.record, b.record)).toEqual([]);
    // A goship record that names an archive differently is reported line by line.
    const renamed = { ...b.record, artifacts: { ...b.record.artifacts, archive: ['notes_1.0.0_Linux_x86_64.tar.gz'] } };
    expect(diffRecords(a.record, renamed)).toEqual([
      '+ artifact archive notes_1.0.0_Linux_x86_64.tar.gz: present',
      '- artifact archive notes_1.0.0_linux_amd64.tar.gz: present',
    ]);
  });
});
