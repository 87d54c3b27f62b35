/**
 * The version decision on scripted git histories (testkit's fixtureRepo): feat / fix / breaking /
 * nothing releasable / first release / pre-release tags / prefixed tags / squash bodies / shallow.
 */
import { type CommitSpec, fixtureRepo, tempDir } from '@goship/testkit';
import { formatSemVer } from '@goship/core/semver';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GitHistory } from '../src/git.js';
import { type VersionOptions, checkPrefix, planVersion } from '../src/version.js';

const execFileP = promisify(execFile);

const defaults: Omit<VersionOptions, 'target'> = {
  prefix: 'v',
  bump: 'auto',
  initialVersion: '0.1.0',
  breakingPre1: 'minor',
  prerelease: 'auto',
  prereleaseId: '',
};

async function plan(history: CommitSpec[], opts: Partial<VersionOptions> = {}) {
  const repo = await fixtureRepo('hello', { history });
  const target = opts.target ?? (opts.tag ? opts.tag : 'HEAD');
  const git = new GitHistory(repo.dir, target);
  await git.check();
  const p = await planVersion({ ...defaults, ...opts, target: await git.resolve(target) }, git);
  return { ...p, v: p.version ? formatSemVer(p.version) : undefined, next: p.nextVersion ? formatSemVer(p.nextVersion) : undefined };
}

describe('version from commits', () => {
  it('feat → minor bump of the last stable tag', async () => {
    const p = await plan([{ message: 'feat: one', tag: 'v1.2.3' }, { message: 'fix: a' }, { message: 'feat(cli): b' }]);
    expect(p.v).toBe('1.3.0');
    expect(p.tag).toBe('v1.3.0');
    expect(p.previousTag).toBe('v1.2.3');
    expect(p.reason).toMatch(/^minor bump of v1\.2\.3: feat\(cli\): b/);
    expect(p.changes.map((c) => c.subject)).toEqual(['b', 'a']);
  });

  it('fix → patch', async () => {
    expect((await plan([{ message: 'feat: one', tag: 'v1.2.3' }, { message: 'perf: quicker' }])).v).toBe('1.2.4');
  });

  it('breaking → major; below 1.0.0 → minor unless breaking-pre-1 is major', async () => {
    const h = [{ message: 'feat: one', tag: 'v1.2.3' }, { message: 'feat!: new API' }];
    expect((await plan(h)).v).toBe('2.0.0');
    const pre = [{ message: 'feat: one', tag: 'v0.4.1' }, { message: 'fix: x\n\nBREAKING CHANGE: flags renamed' }];
    expect((await plan(pre)).v).toBe('0.5.0');
    expect((await plan(pre, { breakingPre1: 'major' })).v).toBe('1.0.0');
  });

  it('nothing releasable → no version, said plainly', async () => {
    const p = await plan([{ message: 'feat: one', tag: 'v1.0.0' }, { message: 'docs: readme' }, { message: 'chore: tidy' }]);
    expect(p.version).toBeUndefined();
    expect(p.source).toBe('none');
    expect(p.reason).toBe('nothing to release: none of the 2 commit(s) since v1.0.0 is a feat, fix, perf or breaking change');
  });

  it('no tag yet → initial-version, changelog over the whole history', async () => {
    const p = await plan([{ message: 'feat: first' }], { initialVersion: '0.3.0' });
    expect(p.v).toBe('0.3.0');
    expect(p.previousTag).toBeUndefined();
    expect(p.commitCount).toBe(2);
  });

  it('squash-merge bodies count: a breaking bullet makes a major', async () => {
    const p = await plan([
      { message: 'feat: one', tag: 'v1.0.0' },
      { message: 'Big merge (#5)\n\n* docs: words\n\n* feat!: remove v1 endpoints' },
    ]);
    expect(p.v).toBe('2.0.0');
    expect(p.changes.find((c) => c.breaking)?.pr).toBe(5);
  });

  it('pre-releases: prerelease-id gives rc.1 then rc.2; the stable release skips rc tags for previous-tag', async () => {
    const h = [{ message: 'feat: one', tag: 'v1.0.0' }, { message: 'feat: two', tag: 'v1.1.0-rc.1' }, { message: 'fix: three' }];
    const rc = await plan(h, { prereleaseId: 'rc' });
    expect(rc.v).toBe('1.1.0-rc.2');
    expect(rc.isPrerelease).toBe(true);
    expect(rc.previousTag).toBe('v1.1.0-rc.1');
    const stable = await plan(h);
    expect(stable.v).toBe('1.1.0');
    expect(stable.previousTag).toBe('v1.0.0');
    expect(stable.changes.map((c) => c.subject)).toEqual(['three', 'two']);
  });

  it('bump input forces the kind even with nothing releasable', async () => {
    expect((await plan([{ message: 'feat: one', tag: 'v1.0.0' }, { message: 'docs: x' }], { bump: 'major' })).v).toBe('2.0.0');
  });
});

describe('version from a tag', () => {
  it('uses the pushed tag; previous-tag skips pre-releases for a stable release', async () => {
    const p = await plan(
      [
        { message: 'feat: a', tag: 'v1.0.0' },
        { message: 'feat: b', tag: 'v1.1.0-rc.1' },
        { message: 'fix: c', tag: 'v1.1.0' },
      ],
      { tag: 'v1.1.0' },
    );
    expect(p.v).toBe('1.1.0');
    expect(p.source).toBe('tag');
    expect(p.previousTag).toBe('v1.0.0');
    expect(p.changes.map((c) => c.subject)).toEqual(['c', 'b']);
    expect(p.next).toBe('1.1.0');
  });

  it('a pre-release tag is a pre-release; its previous tag may be a pre-release', async () => {
    const p = await plan(
      [
        { message: 'feat: a', tag: 'v2.0.0-beta.1' },
        { message: 'fix: b', tag: 'v2.0.0-beta.2' },
      ],
      { tag: 'v2.0.0-beta.2' },
    );
    expect(p.isPrerelease).toBe(true);
    expect(p.previousTag).toBe('v2.0.0-beta.1');
  });

  it('warns when the tag is below what the commits call for', async () => {
    const p = await plan(
      [
        { message: 'feat: a', tag: 'v1.0.0' },
        { message: 'feat!: b', tag: 'v1.1.0' },
      ],
      { tag: 'v1.1.0' },
    );
    expect(p.warnings.join()).toMatch(/v1\.1\.0 is below 2\.0\.0/);
  });

  it('prefixed tags of a module in a subfolder ignore other prefixes', async () => {
    const p = await plan(
      [{ message: 'feat: root', tag: 'v3.0.0' }, { message: 'feat(api): a', tag: 'api/v0.2.0' }, { message: 'fix(api): b' }],
      { prefix: 'api/v' },
    );
    expect(p.v).toBe('0.2.1');
    expect(p.tag).toBe('api/v0.2.1');
    expect(p.previousTag).toBe('api/v0.2.0');
  });

  it('a tag that breaks a SemVer rule fails and names the rule', async () => {
    await expect(plan([{ message: 'feat: a', tag: 'v1.02.0' }], { tag: 'v1.02.0' })).rejects.toThrow(
      /Input "tag": got "v1.02.0".*leading zeros \(rule 2\)/s,
    );
    await expect(plan([{ message: 'feat: a' }], { tag: 'release-1.0.0', target: 'HEAD' })).rejects.toThrow(
      /starts with the tag prefix "v"/,
    );
  });

  it('a bad prefix is refused', () => {
    expect(() => checkPrefix('a b/')).toThrow(/Input "tag-prefix"/);
    expect(() => checkPrefix('v1')).toThrow(/Input "tag-prefix"/);
    expect(() => checkPrefix('api/v')).not.toThrow();
    expect(() => checkPrefix('')).not.toThrow();
  });
});

describe('shallow clones', () => {
  it('are detected and the error says fetch-depth: 0', async () => {
    const repo = await fixtureRepo('hello', { history: [{ message: 'feat: a', tag: 'v1.0.0' }, { message: 'fix: b' }] });
    const shallow = await tempDir('goship-shallow-');
    await execFileP('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
    await expect(new GitHistory(shallow, 'HEAD').check()).rejects.toThrow(/shallow clone.*fetch-depth: 0/s);
  });
});
