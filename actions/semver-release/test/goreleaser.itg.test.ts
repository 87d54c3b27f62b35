/**
 * Differential: the pinned GoReleaser and semver-release's committed bundle read the same
 * `.goreleaser.yaml` on the same history (fixtures/goreleaser/changelog-groups: conventional
 * commits, a merge commit, groups with POSIX classes, exclude filters with (?i), sort asc,
 * abbrev 7). GoReleaser's dist/CHANGELOG.md and semver-release's `changelog` output must be the
 * same bytes; then the release is published against the GitHub API stand-in and its body is
 * GoReleaser's: the header and footer rendered around the notes.
 */
import { runAction } from '@goship/testkit';
import {
  REFERENCE_SKIPS,
  checkoutFixture,
  goreleaserBinary,
  goreleaserReference,
  removeCheckout,
  type FixtureCheckout,
  type ReferenceRun,
} from '@goship/testkit/goreleaser';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { hashBytes } from '@goship/core/digest';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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

const execFileP = promisify(execFile);

/**
 * More shapes of the section, each run by the pinned GoReleaser (`--config` a file git ignores, so
 * the tree stays clean) and by semver-release (`config:` the same file) on the fixture's history.
 */
const VARIANTS: Record<string, string> = {
  'include filters, sort desc, a format template with the author, abbrev 10': [
    'changelog:',
    '  sort: desc',
    '  abbrev: 10',
    '  format: "{{ .Message }} ({{ .SHA }}, {{ .AuthorName }} <{{ .AuthorEmail }}>)"',
    '  filters:',
    '    include: ["^feat", "(?i)^FIX", "trim"]',
  ].join('\n'),
  'git order, full SHAs, exclude, groups with equal orders, an untitled catch-all': [
    'changelog:',
    '  filters:',
    '    exclude: ["^chore"]',
    '  groups:',
    '    - title: Breaking',
    "      regexp: '^[a-z]+(\\(.*\\))?!:'",
    '      order: 1',
    '    - title: Fixes',
    '      regexp: "(?i)^fix"',
    '      order: 1',
    '    - title: ""',
    '      order: 0',
  ].join('\n'),
  'no changelog section: GoReleaser’s defaults': 'release:\n  draft: true',
};

async function goEnv(): Promise<Record<string, string>> {
  const { stdout } = await execFileP('go', ['env', '-json', 'GOPATH', 'GOCACHE', 'GOMODCACHE'], {
    env: { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}` },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

describe('changelog variants, against GoReleaser', () => {
  it.each(Object.entries(VARIANTS))('%s', async (_name, section) => {
    const c = await checkoutFixture('changelog-groups');
    try {
      const base = (await readFile(path.join(c.dir, '.goreleaser.yaml'), 'utf8')).split('\nrelease:')[0]!;
      await writeFile(path.join(c.dir, 'variant.yaml'), `${base}\n${section}\n`);
      await appendFile(path.join(c.dir, '.git', 'info', 'exclude'), 'variant.yaml\n');
      const tool = await goreleaserBinary();
      const home = path.join(path.dirname(c.dir), 'home');
      await mkdir(home, { recursive: true });
      const argv = ['release', '--clean', '--config=variant.yaml', `--skip=${REFERENCE_SKIPS.join(',')}`, '--parallelism=2'];
      await execFileP(tool, argv, {
        cwd: c.dir,
        env: {
          PATH: [path.dirname(tool), '/usr/local/go/bin', '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
          HOME: home,
          TMPDIR: os.tmpdir(),
          ...(await goEnv()),
          GOTOOLCHAIN: 'local',
          GOPROXY: 'off',
          GOFLAGS: '',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
        maxBuffer: 64 << 20,
      });
      const theirs = await readFile(path.join(c.dir, 'dist', 'CHANGELOG.md'), 'utf8');
      expect(theirs).toMatch(/^## Changelog\n(.*\n)*\* [^\n]+\n/);
      const r = await runAction(bundleDir, { cwd: c.dir, inputs: { command: 'plan', tag: 'v1.0.0', config: 'variant.yaml' }, env: env() });
      expect(r.exitCode, r.log).toBe(0);
      expect(r.outputs.changelog).toBe(theirs);
    } finally {
      await removeCheckout(c);
    }
  });
});
