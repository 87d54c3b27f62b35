import { parseSemVer } from '@goship/core/semver';
import { Inputs } from '@goship/core/action';
import { readTapInputs } from '../src/taps/index.js';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import type { PublishResult } from '../src/publish.js';
import { type Run, announcementOf, identity, publishOptions, repoApiFor, wantsAnnouncement, wantsFloatingTags } from '../src/run.js';
import type { VersionPlan } from '../src/version.js';

const plan = { version: parseSemVer('1.4.0')!, tag: 'v1.4.0', isPrerelease: false, changes: [], warnings: [] } as unknown as VersionPlan;
const cfg = {
  command: 'publish',
  changelog: 'conventional',
  repository: { owner: 'o', repo: 'hello' },
  token: 't0k3n',
  draft: false,
  makeLatest: 'auto',
  prefix: 'v',
  replaceMismatched: false,
  maxConcurrency: 3,
  floatingTags: true,
  announceWebhook: 'https://hooks.example/x',
  sections: [],
} as unknown as Config;
const released = (o: Partial<PublishResult>): PublishResult => ({
  releaseId: 1,
  url: 'u',
  created: false,
  published: false,
  wasPublished: false,
  draft: false,
  assets: [],
  extra: [],
  removedDrafts: [],
  ...o,
});
const NO_TAPS = readTapInputs(Inputs.of({}, new Map([['tap-token', '']])));
const run = (o: Partial<Run> = {}): Run => ({ cfg, plan, target: 'f'.repeat(40), changelog: '## 1.4.0\n', taps: NO_TAPS, ...o });

describe('a run', () => {
  it('the manifest must be built for the tag, its version and its commit', () => {
    expect(identity(plan, 'f'.repeat(40))).toEqual({ tag: 'v1.4.0', version: '1.4.0', commit: 'f'.repeat(40) });
  });

  it('a GitHub client only when the command or the changelog needs one', () => {
    expect(repoApiFor({ ...cfg, command: 'plan' }, plan)).toBeUndefined();
    expect(repoApiFor({ ...cfg, command: 'plan', changelog: 'github' }, plan)?.fullName).toBe('o/hello');
    expect(repoApiFor(cfg, { ...plan, version: undefined })).toBeUndefined();
    expect(repoApiFor(cfg, plan)?.fullName).toBe('o/hello');
  });

  it('publish options: the notes with the changelog and the trace id, the release commit', () => {
    const o = publishOptions(run({ selection: { assets: [], manifest: { traceId: 'trace-9', artifacts: [] } as never } }), {
      info() {},
      warning() {},
    });
    expect(o).toMatchObject({ tag: 'v1.4.0', name: 'v1.4.0', targetCommitish: 'f'.repeat(40), maxConcurrency: 3, draft: false });
    expect(o.body).toContain('## 1.4.0');
    expect(o.body).toContain('goship trace id: `trace-9`');
  });

  it('floating tags follow a live stable release; the announcement only the run that published', () => {
    expect(wantsFloatingTags(run({ release: released({ published: true }) }))).toBe(true);
    expect(wantsFloatingTags(run({ release: released({ wasPublished: true }) }))).toBe(true);
    expect(wantsFloatingTags(run({ release: released({ draft: true }) }))).toBe(false);
    expect(wantsFloatingTags(run({ plan: { ...plan, isPrerelease: true }, release: released({ published: true }) }))).toBe(false);
    expect(wantsAnnouncement(run({ release: released({ published: true }) }))).toBe(true);
    expect(wantsAnnouncement(run({ release: released({ wasPublished: true }) }))).toBe(false);
    expect(announcementOf(run({ release: released({ published: true, url: 'https://x/r' }) }))).toMatchObject({
      project: 'hello',
      tag: 'v1.4.0',
      url: 'https://x/r',
    });
  });
});
