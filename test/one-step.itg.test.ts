/**
 * The one-step action (the root bundle, run as the runner runs it) and the five actions as five
 * steps, wired by the same chain description, release the same module at the same tag: the same
 * assets with the same bytes (signatures and provenance aside: each run signs with its own key),
 * the same manifest, and both releases verify.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../packages/core/src/digest.js';
import { type Manifest, readManifest } from '../packages/core/src/manifest/index.js';
import { type LocalRun, runLocal } from '../packages/pipeline/src/local/run.js';
import { fixtureRepo, tempDir } from '../packages/testkit/src/fixtures.js';

const execFileP = promisify(execFile);
const SIGNED = new Set(['signature', 'provenance', 'attestation', 'public-key']);

/** What must be equal between the two runs: every artifact that is not made by signing, with its digest. */
function comparable(m: Manifest): string[] {
  return m.artifacts
    .filter((a) => !SIGNED.has(a.kind))
    .map((a) => `${a.kind} ${a.name} ${a.os ?? ''}/${a.arch ?? ''} ${a.sha256 ?? a.digest ?? ''}`)
    .sort();
}

describe('one step equals five steps', () => {
  const runs: Record<'one' | 'five', LocalRun> = {} as never;
  beforeAll(async () => {
    for (const steps of ['one', 'five'] as const) {
      const repo = await fixtureRepo('hello', { history: [{ message: 'feat: greet', date: '2026-03-01T09:00:00Z' }] });
      runs[steps] = await runLocal({
        command: 'release',
        steps,
        moduleDir: repo.dir,
        out: await tempDir(`goship-${steps}-step-`),
        tag: 'v1.3.0',
        registry: 'none',
        platforms: 'linux/amd64,linux/arm64,darwin/arm64,windows/amd64',
        repository: 'goship-test/hello',
        validateApi: true,
        log: () => undefined,
      });
    }
  });
  afterAll(async () => {
    for (const r of Object.values(runs)) await r?.close();
  });

  it('both publish v1.3.0 once, with no request GitHub would refuse', () => {
    for (const r of Object.values(runs)) {
      const releases = r.api.releaseByTag('v1.3.0');
      expect(releases.filter((x) => !x.draft)).toHaveLength(1);
      expect(r.api.violations).toEqual([]);
      expect(r.version).toBe('1.3.0');
    }
    expect(runs.one.steps.map((s) => s.id)).toEqual(['goship']);
    expect(runs.five.steps.map((s) => s.id)).toEqual(['setup', 'plan', 'gate', 'build', 'sign', 'publish']);
  });

  it('the same assets, byte for byte where bytes do not depend on the signing key', async () => {
    const assets = async (r: LocalRun) => {
      const release = r.api.releaseByTag('v1.3.0').find((x) => !x.draft)!;
      return r.api
        .assetsOf(release.id)
        .map((a) => a.name)
        .sort();
    };
    expect(await assets(runs.one)).toEqual(await assets(runs.five));
    const one = await readManifest(path.join(runs.one.workspace, runs.one.outputs.manifest!));
    const five = await readManifest(path.join(runs.five.workspace, runs.five.outputs.manifest!));
    expect(comparable(one)).toEqual(comparable(five));
    expect(comparable(one).length).toBeGreaterThan(8);
    for (const a of one.artifacts.filter((x) => x.kind === 'archive' || x.kind === 'checksums')) {
      expect(await hashFile(path.join(runs.one.releaseDir, a.name)), a.name).toBe(await hashFile(path.join(runs.five.releaseDir, a.name)));
    }
    expect(one.version).toBe(five.version);
    expect(one.commit).toBe(five.commit);
  });

  it('both releases verify with sha256sum, and their notes say the same things', async () => {
    for (const r of Object.values(runs)) {
      const sums = (await execFileP('ls', [r.releaseDir])).stdout.split('\n').find((f) => /checksums\.txt$/.test(f))!;
      const { stdout } = await execFileP('sha256sum', ['-c', sums], { cwd: r.releaseDir });
      expect(stdout).not.toMatch(/FAILED/);
    }
    const headings = async (r: LocalRun) =>
      (await readFile(path.join(r.releaseDir, 'RELEASE_NOTES.md'), 'utf8')).split('\n').filter((l) => l.startsWith('#'));
    expect(await headings(runs.one)).toEqual(await headings(runs.five));
  });
});
