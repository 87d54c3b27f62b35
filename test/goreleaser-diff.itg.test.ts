/**
 * The differential suite: on every fixture of fixtures/goreleaser/ (each modelled on a shape real
 * projects use), the pinned GoReleaser and goship's committed multiarch-build bundle run on the
 * same checkout, with the fixture's `.goreleaser.yaml` unchanged, and their releases are compared:
 * artifact names by kind, binaries (build id, target, path under dist/), archive listings (paths,
 * types, modes, the bytes of every file that is not a binary), the checksums file's name and lines,
 * and the `--version` of every binary built for this machine (timestamps masked: goship's are the
 * commit time, GoReleaser's the time of the run).
 *
 * A difference that is a deliberate goship choice is listed in the fixture's `goship-fixture.json`
 * (`goship.differences`: a pattern over the diff line and the reason); each listed one must still
 * happen, and everything else must match. Release notes are semver-release's, not
 * multiarch-build's: GoReleaser's dist/CHANGELOG.md is left out here (semver-release's tests
 * compare them).
 *
 * GoReleaser's side is cached in the OS temp folder per fixture, GoReleaser version and a hash of
 * the fixture and of the harness; goship's side runs every time.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionDir, runAction } from '../packages/testkit/src/index.js';
import {
  FIXTURE_OWNER,
  FIXTURE_SPEC,
  type FixtureCheckout,
  type ReleaseRecord,
  checkoutFixture,
  diffRecords,
  goreleaserFixtures,
  goreleaserFixturesDir,
  goreleaserReference,
  recordFromGoshipManifest,
  removeCheckout,
} from '../packages/testkit/src/goreleaser.js';
import { repoRoot } from '../packages/testkit/src/fixtures.js';

interface Difference {
  /** A regular expression over one line of diffRecords' output. */
  pattern: string;
  why: string;
}

const GO_PATH = `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`;
const checkouts: FixtureCheckout[] = [];
afterAll(async () => {
  for (const c of checkouts) await removeCheckout(c);
});

/**
 * Differences every fixture shows, by goship's choice. The fixture-specific ones are listed in the
 * fixture's goship-fixture.json (`goship.differences`).
 */
const EVERY_FIXTURE: Difference[] = [
  {
    pattern: String.raw`^\+ artifact sbom \S+\.spdx\.json: present$`,
    why: "goship writes an SPDX SBOM per release file by default (input `sbom`); GoReleaser only with an `sboms` section, and the reference run skips SBOMs (sign-attest's suite compares them)",
  },
  {
    pattern: String.raw`^\+ checksums lists \S+\.spdx\.json: listed$`,
    why: 'the checksums file lists every SBOM goship writes (GoReleaser lists its SBOMs too, but the reference run writes none)',
  },
];

/** The fixture's bytes, except what only goship's side reads (`goship` in goship-fixture.json), so listing a difference keeps the cache. */
async function hashTree(dir: string, h = createHash('sha256')): Promise<ReturnType<typeof createHash>> {
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    h.update(`${e.name}\0`);
    if (e.isDirectory()) await hashTree(p, h);
    else if (e.name === FIXTURE_SPEC) h.update(JSON.stringify({ ...(JSON.parse(await readFile(p, 'utf8')) as object), goship: undefined }));
    else h.update(await readFile(p));
  }
  return h;
}

async function goreleaserVersion(): Promise<string> {
  const line = (await readFile(path.join(repoRoot, 'tools.versions'), 'utf8')).split('\n').find((l) => l.startsWith('goreleaser '));
  return line?.split(/\s+/)[1] ?? 'unknown';
}

/** GoReleaser's record of a fixture, from the cache when the fixture, the harness and the version are unchanged. */
async function reference(name: string): Promise<ReleaseRecord> {
  const h = await hashTree(path.join(goreleaserFixturesDir, name));
  h.update(await readFile(path.join(repoRoot, 'packages', 'testkit', 'src', 'goreleaser.ts')));
  h.update(await readFile(path.join(repoRoot, 'packages', 'testkit', 'src', 'archive-listing.ts')));
  const dir = path.join(os.tmpdir(), 'goship-goreleaser-reference');
  const file = path.join(dir, `${name}-${await goreleaserVersion()}-${h.digest('hex').slice(0, 16)}.json`);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as ReleaseRecord;
  const run = await goreleaserReference(name);
  await removeCheckout(run.checkout);
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify(run.record));
  return run.record;
}

describe.each(goreleaserFixtures())('fixtures/goreleaser/%s: goship builds what GoReleaser builds', (name) => {
  it('the same artifact names, binaries, archive listings, checksums file and --version output', async () => {
    const expected = { ...(await reference(name)), changelog: undefined };
    const checkout = await checkoutFixture(name);
    checkouts.push(checkout);
    const { spec } = checkout;
    const r = await runAction(actionDir('multiarch-build'), {
      cwd: checkout.dir,
      env: {
        PATH: GO_PATH,
        GITHUB_REPOSITORY: `${FIXTURE_OWNER}/${name}`,
        ...(spec.snapshot ? {} : { GITHUB_REF: `refs/tags/${spec.tag}`, GITHUB_REF_NAME: spec.tag, GITHUB_REF_TYPE: 'tag' }),
        ...spec.env,
      },
      inputs: {},
    });
    expect(r.exitCode, r.log).toBe(0);
    // the file was read, and every key of these fixtures is applied (the log says so; the summary too)
    expect(r.log).toMatch(/using \S*goreleaser\.ya?ml \(GoReleaser schema v[12]\)/);
    expect(r.log).toMatch(/goreleaser\.ya?ml: every key is applied/);
    expect(r.summary).toContain('Every key of the file is applied.');

    const actual = await recordFromGoshipManifest(checkout.dir);
    expect(actual.versionOutput.length, 'goship built a binary for this machine').toBeGreaterThan(0);
    const listed = (spec as { goship?: { differences?: Difference[] } }).goship?.differences ?? [];
    const differences = [...listed, ...EVERY_FIXTURE].map((d) => ({
      ...d,
      re: new RegExp(d.pattern),
      seen: 0,
    }));
    const unexplained: string[] = [];
    for (const line of diffRecords(expected, actual)) {
      const d = differences.find((x) => x.re.test(line));
      if (d) d.seen++;
      else unexplained.push(line);
    }
    expect(unexplained, `differences from GoReleaser ${expected.producer} not listed in ${name}/goship-fixture.json`).toEqual([]);
    for (const d of differences) expect(d.seen, `listed difference /${d.pattern}/ (${d.why}) no longer happens`).toBeGreaterThan(0);
    // what the two agree on is real: the checksums file lists every release file with its digest
    expect(actual.checksums?.name).toBe(expected.checksums?.name);
    await rm(path.join(checkout.dir, 'dist'), { recursive: true, force: true });
  });
});
