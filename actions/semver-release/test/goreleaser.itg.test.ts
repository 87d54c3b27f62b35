/**
 * Differential: the pinned GoReleaser and semver-release's committed bundle read the same
 * `.goreleaser.yaml` on the same history (fixtures/goreleaser/changelog-groups: conventional
 * commits, a merge commit, groups with POSIX classes, exclude filters with (?i), sort asc,
 * abbrev 7). GoReleaser's dist/CHANGELOG.md and semver-release's `changelog` output must be the
 * same bytes; then the release is published against the GitHub API stand-in and its body is
 * GoReleaser's: the header and footer rendered around the notes.
 */
import { runAction } from '@goship/testkit';
import { checkoutFixture, goreleaserReference, removeCheckout, type FixtureCheckout, type ReferenceRun } from '@goship/testkit/goreleaser';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { hashBytes } from '@goship/core/digest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDir } from './release-repo.js';

let ref: ReferenceRun;
let ours: FixtureCheckout;

beforeAll(async () => {
  ref = await goreleaserReference('changelog-groups');
  ours = await checkoutFixture('changelog-groups');
}, 600_000);

afterAll(async () => {
  if (ref) await removeCheckout(ref.checkout);
  if (ours) await removeCheckout(ours);
});

const env = (extra: Record<string, string> = {}) => ({ GITHUB_REPOSITORY: 'goship-fixtures/changelog-groups', ...extra });

describe('changelog from .goreleaser.yaml, against GoReleaser', () => {
  it('semver-release plan writes the changelog GoReleaser wrote to dist/CHANGELOG.md, byte for byte', async () => {
    expect(ours.commit).toBe(ref.checkout.commit);
    const r = await runAction(bundleDir, { cwd: ours.dir, inputs: { command: 'plan', tag: 'v1.0.0' }, env: env() });
    expect(r.exitCode, r.log).toBe(0);
    const theirs = ref.record.changelog;
    expect(theirs).toBeDefined();
    // The fixture's expectation, so the comparison cannot pass on two empty texts.
    const lines = theirs!.split('\n').map((l) => l.replace(/^\* [0-9a-f]{7} /, '* {sha} '));
    expect(lines.filter(Boolean)).toEqual(ref.checkout.spec.expect!.changelog);
    expect(r.outputs.changelog).toBe(theirs);
    expect(r.log).toContain('Using .goreleaser.yaml');
  });

  it('an explicit `changelog` input overrides the file, and the summary says so', async () => {
    const r = await runAction(bundleDir, {
      cwd: ours.dir,
      inputs: { command: 'plan', tag: 'v1.0.0', changelog: 'conventional' },
      env: env(),
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.changelog).toMatch(/^## \[1\.0\.0\]/);
    expect(r.outputs.changelog).toContain('### ⚠ Breaking changes');
    expect(r.summary).toContain('Not applied from .goreleaser.yaml');
    expect(r.summary).toMatch(/`changelog` \| \.goreleaser\.yaml:\d+ \| the input `changelog` is given and overrides it/);
  });

  it('`config: none` ignores the file', async () => {
    const r = await runAction(bundleDir, { cwd: ours.dir, inputs: { command: 'plan', tag: 'v1.0.0', config: 'none' }, env: env() });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.changelog).toMatch(/^## \[1\.0\.0\]/);
    expect(r.log).not.toContain('Using .goreleaser.yaml');
  });

  it('publishes with GoReleaser’s body: header, notes, footer rendered with the tag and previous tag', async () => {
    const api = await GitHubApiStandIn.start({ owner: 'goship-fixtures', repo: 'changelog-groups' });
    try {
      await api.seedFromGit(ours.dir);
      const rel = 'dist';
      await mkdir(path.join(ours.dir, rel), { recursive: true });
      const archive = Buffer.from('archive bytes');
      const name = 'notes_1.0.0_linux_amd64.tar.gz';
      await writeFile(path.join(ours.dir, rel, name), archive);
      await writeFile(
        path.join(ours.dir, rel, 'goship-manifest.json'),
        JSON.stringify({
          schemaVersion: 1,
          project: 'notes',
          module: 'example.com/notes',
          version: '1.0.0',
          tag: 'v1.0.0',
          commit: ours.commit,
          commitTime: '2026-03-04T11:06:07Z',
          traceId: 'trace-notes',
          artifacts: [{ kind: 'archive', name, path: `${rel}/${name}`, sha256: hashBytes(archive) }],
        }),
      );
      const r = await runAction(bundleDir, {
        cwd: ours.dir,
        inputs: { command: 'publish', tag: 'v1.0.0', token: 'test-token' },
        env: env({ GITHUB_API_URL: api.url, GITHUB_RUN_ID: '7' }),
      });
      expect(r.exitCode, r.log).toBe(0);
      const [release] = api.tagView('v1.0.0');
      expect(release).toBeDefined();
      expect(release!.draft).toBe(false);
      const stored = api.releases.get(release!.id)!;
      expect(stored.name).toBe('v1.0.0');
      const body = stored.body ?? '';
      expect(body.startsWith(`## notes v1.0.0\n\n${ref.record.changelog}`)).toBe(true);
      expect(body.endsWith('**Full Changelog**: https://github.com/goship-fixtures/changelog-groups/compare/v0.9.0...v1.0.0\n\n')).toBe(
        true,
      );
      expect(body).toContain('goship trace id');
    } finally {
      await api.close();
    }
  });
});
