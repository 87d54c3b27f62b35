/**
 * The outputs and the summary, derived once from what a run did: every output is always written,
 * and the summary says where publishing stopped when it did.
 */
import { GoshipError } from '@goship/core/errors';
import { parseSemVer } from '@goship/core/semver';
import { Inputs } from '@goship/core/action';
import { readTapInputs } from '../src/taps/index.js';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import { outputsOf } from '../src/outputs.js';
import type { PublishResult } from '../src/publish.js';
import type { Run } from '../src/run.js';
import { noticesOf, summaryOf } from '../src/summary.js';
import type { VersionPlan } from '../src/version.js';

const plan: VersionPlan = {
  version: parseSemVer('1.4.0-rc.2')!,
  tag: 'v1.4.0-rc.2',
  previousTag: 'v1.3.0',
  isPrerelease: true,
  nextVersion: parseSemVer('1.4.0')!,
  reason: 'from the tag v1.4.0-rc.2',
  source: 'tag',
  changes: [],
  commitCount: 2,
  end: 'v1.4.0-rc.2',
  warnings: [],
};
const cfg = { command: 'publish', repository: { owner: 'o', repo: 'r' }, announceWebhook: '' } as unknown as Config;
const release: PublishResult = {
  releaseId: 7,
  url: 'https://github.com/o/r/releases/tag/v1.4.0-rc.2',
  created: true,
  published: true,
  wasPublished: false,
  draft: false,
  assets: [
    { name: 'a.tar.gz', size: 10, digest: `sha256:${'1'.repeat(64)}`, action: 'uploaded' },
    { name: 'default.notes', localName: '.notes', size: 3, digest: `sha256:${'2'.repeat(64)}`, action: 'skipped' },
  ],
  extra: ['README.md'],
  removedDrafts: [9],
};
const NO_TAPS = readTapInputs(Inputs.of({}, new Map([['tap-token', '']])));
const run = (extra: Partial<Run> = {}): Run => ({
  cfg,
  plan,
  target: 'c'.repeat(40),
  changelog: '## 1.4.0-rc.2\n',
  taps: NO_TAPS,
  ...extra,
});

describe('outputsOf', () => {
  it('writes every output, with the version parts and the assets by what happened to them', () => {
    const out = outputsOf(run({ release }));
    expect(out).toMatchObject({
      version: '1.4.0-rc.2',
      tag: 'v1.4.0-rc.2',
      major: '1',
      minor: '4',
      patch: '0',
      prerelease: 'rc.2',
      'is-prerelease': 'true',
      'previous-tag': 'v1.3.0',
      'next-version': '1.4.0',
      'release-id': '7',
      'release-url': release.url,
    });
    expect(JSON.parse(out.uploaded!)).toEqual([{ name: 'a.tar.gz', size: 10, digest: `sha256:${'1'.repeat(64)}`, action: 'uploaded' }]);
    expect(JSON.parse(out.skipped!)).toEqual([{ name: 'default.notes', size: 3, digest: `sha256:${'2'.repeat(64)}` }]);
  });

  it('nothing released: the same keys, empty', () => {
    const none = outputsOf({
      plan: { ...plan, version: undefined, tag: undefined, previousTag: undefined, nextVersion: undefined },
      changelog: '',
    });
    expect(Object.keys(none).sort()).toEqual(Object.keys(outputsOf(run({ release }))).sort());
    expect(none).toMatchObject({ version: '', tag: '', 'release-id': '', uploaded: '[]', skipped: '[]' });
  });
});

describe('summaryOf', () => {
  it('the release, each asset (with the name the build gave it), what was left alone and deleted', () => {
    const md = summaryOf(run({ release })).toString();
    expect(md).toContain('## semver-release: v1.4.0-rc.2');
    expect(md).toContain(`Release [v1.4.0-rc.2](${release.url}) published (created in this run).`);
    expect(md).toContain('| default.notes (from .notes) | skipped | 3 B |');
    expect(md).toContain('Also on the release (not from this build, left alone): README.md');
    expect(md).toContain('Orphan goship drafts of v1.4.0-rc.2 deleted: 9');
  });

  it('says where publishing stopped', () => {
    const md = summaryOf(run({ failure: new GoshipError('GitHub did not answer while uploading a.tar.gz.', 'Re-run') })).toString();
    expect(md).toContain('❌ Publishing stopped: GitHub did not answer while uploading a.tar.gz.');
    expect(md).toContain('re-run the job to resume');
  });

  it('notices: nothing to release, a tag made with GITHUB_TOKEN, a failed announcement', () => {
    const nothing = noticesOf(run({ plan: { ...plan, version: undefined, reason: 'nothing to release: no feat' } }));
    expect(nothing.notices).toEqual(['semver-release: nothing to release: no feat. No release is made.']);
    const tagged = noticesOf(run({ cfg: { ...cfg, command: 'tag' }, tag: 'created' }));
    expect(tagged.notices[0]).toMatch(/^Tag v1\.4\.0-rc\.2 created\. Tags pushed with GITHUB_TOKEN start no new workflow run/);
    expect(noticesOf(run({ release, announced: 'failed (HTTP 500)' })).warnings).toEqual([
      'The announcement failed (HTTP 500); the release itself is published.',
    ]);
    expect(noticesOf(run({ release, announced: 'sent' })).warnings).toEqual([]);
  });
});
