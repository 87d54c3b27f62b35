import { type ActionResult, type GitRepo, actionDir, fixtureRepo, goEnv, runAction, runTool, tempDir } from '@goship/testkit';
import { prebuiltToolCache } from '@goship/testkit/toolcache';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// new-only through the bundle, on a scripted history of fixtures/go/hello:
//   v1.0.0  old.go: func unusedOld (staticcheck U1000)
//   v1.1.0  two comment lines above it (the finding moves from line 3 to line 5)
//   v1.2.0  new.go: func unusedNew
const dir = actionDir('go-quality-gate');
const OLD = 'package main\n\nfunc unusedOld() int {\n\treturn 1\n}\n';
const OLD_SHIFTED = 'package main\n\n// unusedOld is kept for\n// reasons nobody remembers.\nfunc unusedOld() int {\n\treturn 1\n}\n';
const NEW = 'package main\n\nfunc unusedNew() string {\n\treturn "new"\n}\n';

let toolCache: string;
let baselineCache: string;
let repo: GitRepo;

interface Report {
  passed: boolean;
  checks: { name: string; status: string; preExisting: number; note: string }[];
  findings: { check: string; file: string; line: number; message: string }[];
  preExisting: { check: string; file: string; line: number; message: string }[];
  newOnly: { mode: string; against: string | null; notes: string[] };
}

const tagEnv = (tag: string): Record<string, string> => ({ GITHUB_REF: `refs/tags/${tag}`, GITHUB_REF_NAME: tag, GITHUB_REF_TYPE: 'tag' });

async function gate(
  cwd: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  extra: { event?: unknown; eventName?: string } = {},
): Promise<ActionResult & { report: Report }> {
  const r = await runAction(dir, { cwd, inputs, env: goEnv({ GOSHIP_GATE_BASELINE_CACHE: baselineCache, ...env }), toolCache, ...extra });
  if (process.env.GQG_DEBUG) console.log('%s\n%s', r.summary, r.log);
  if (!r.outputs.report) throw new Error(`no report:\n${r.log}`);
  return { ...r, report: JSON.parse(await readFile(r.outputs.report, 'utf8')) as Report };
}

const errors = (r: ActionResult): string[] =>
  r.annotations.filter((a) => a.type === 'error' && a.properties.title).map((a) => `${a.file}:${a.line} ${a.message.split('\n')[0]}`);

beforeAll(async () => {
  toolCache = await prebuiltToolCache({ staticcheck: 'v0.8.2', 'golangci-lint': 'v2.15.0' });
  baselineCache = await tempDir('goship-baseline-cache-');
  repo = await fixtureRepo('hello', {
    history: [
      { message: 'feat: old helper', files: { 'old.go': OLD }, tag: 'v1.0.0' },
      { message: 'docs: explain the old helper', files: { 'old.go': OLD_SHIFTED }, tag: 'v1.1.0' },
      { message: 'feat: new helper', files: { 'new.go': NEW }, tag: 'v1.2.0' },
    ],
  });
});

describe('new-only on a tag: judged against the previous release', () => {
  it('passes with "1 pre-existing" when the previous tag already had the finding (line numbers moved), and reads it from the cache next time', async () => {
    await repo.git('checkout', '-q', '--detach', 'v1.1.0');
    const r = await gate(repo.dir, { checks: 'fmt,staticcheck' }, tagEnv('v1.1.0'));
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs['pre-existing']).toBe('1');
    expect(r.report.newOnly).toMatchObject({ mode: 'release', against: 'v1.0.0' });
    expect(r.report.preExisting).toEqual([
      expect.objectContaining({ check: 'staticcheck', file: 'old.go', line: 5, message: 'U1000: func unusedOld is unused' }),
    ]);
    expect(r.report.checks.find((c) => c.name === 'staticcheck')).toMatchObject({
      status: 'passed',
      preExisting: 1,
      note: '1 pre-existing',
    });
    expect(errors(r)).toEqual([]);
    expect(r.log).toMatch(/staticcheck at v1\.0\.0: checking out [0-9a-f]{12} in .*\(git worktree\)/);
    expect(r.summary).toContain('### New or pre-existing lint findings: 1 pre-existing');
    expect(r.summary).toContain('compared with v1.0.0');
    expect(r.summary).toMatch(
      /<details><summary>Pre-existing findings \(1\)<\/summary>[\s\S]*\| old\.go:5:6 \| U1000: func unusedOld is unused/,
    );
    // No lint configuration of its own: the summary says what goship chose and how to change it.
    expect(r.summary).toMatch(
      /no lint configuration of its own .* goship ran staticcheck v0\.8\.2 \(built with Go 1\.\d+\.\d+\) with its default checks/,
    );
    expect(r.summary).toContain('leave it out of `checks:` (for example `checks: fmt`)');
    // The worktree of v1.0.0 is gone again.
    expect((await repo.git('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);

    const again = await gate(repo.dir, { checks: 'fmt,staticcheck' }, tagEnv('v1.1.0'));
    expect(again.exitCode, again.log).toBe(0);
    expect(again.log).toContain('staticcheck at v1.0.0: from the cache');
    expect(again.log).not.toContain('(git worktree)');
    expect(again.report.preExisting).toHaveLength(1);
  });

  it('fails on a finding that is new since the previous tag, naming it; the old one stays pre-existing', async () => {
    await repo.git('checkout', '-q', '--detach', 'v1.2.0');
    const r = await gate(repo.dir, { checks: 'staticcheck' }, tagEnv('v1.2.0'));
    expect(r.exitCode, r.log).toBe(1);
    expect(errors(r)).toEqual(['new.go:3 U1000: func unusedNew is unused']);
    expect(r.annotations.find((a) => a.type === 'error' && !a.properties.title)?.message).toMatch(
      /^go-quality-gate: staticcheck \(1\) failed/,
    );
    expect(r.report.newOnly).toMatchObject({ mode: 'release', against: 'v1.1.0' });
    expect(r.report.preExisting.map((f) => `${f.file}:${f.line}`)).toEqual(['old.go:5']);
    expect(r.summary).toContain('1 pre-existing');
  });

  it('new-only: false fails on every lint finding, as before', async () => {
    await repo.git('checkout', '-q', '--detach', 'v1.1.0');
    const r = await gate(repo.dir, { checks: 'staticcheck', 'new-only': 'false' }, tagEnv('v1.1.0'));
    expect(r.exitCode, r.log).toBe(1);
    expect(errors(r)).toEqual(['old.go:5 U1000: func unusedOld is unused']);
    expect(r.outputs['pre-existing']).toBe('0');
    expect(r.report.newOnly.mode).toBe('all');
    expect(r.log).not.toContain('(git worktree)');
  });

  it('counts every finding in a shallow clone, and says how to fetch the history', async () => {
    const shallow = path.join(await tempDir('goship-shallow-'), 'hello');
    const clone = await runTool('git', ['clone', '-q', '--depth', '1', '--branch', 'v1.2.0', `file://${repo.dir}`, shallow]);
    expect(clone.code, clone.out).toBe(0);
    const r = await gate(shallow, { checks: 'staticcheck' }, tagEnv('v1.2.0'));
    expect(r.exitCode, r.log).toBe(1);
    expect(errors(r).sort()).toEqual(['new.go:3 U1000: func unusedNew is unused', 'old.go:5 U1000: func unusedOld is unused']);
    expect(r.summary).toContain('the clone is shallow, so no earlier release tag is in it (check out with `fetch-depth: 0`)');
  });

  it("judges golangci-lint's findings with today's configuration, applied to the old release too", async () => {
    // v1.0.1 adds a .golangci.yml: errcheck now reports main.go's unchecked Fprintf calls, which v1.0.0 had as well.
    await repo.git('checkout', '-q', '-b', 'maint-1.0', 'v1.0.0');
    await repo.commit({ message: 'ci: lint with golangci-lint', files: { '.golangci.yml': 'version: "2"\n' }, tag: 'v1.0.1' });
    const r = await gate(repo.dir, { checks: 'staticcheck' }, tagEnv('v1.0.1'));
    expect(r.exitCode, r.log).toBe(0);
    expect(r.report.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['staticcheck:passed', 'golangci-lint:passed']);
    const old = r.report.preExisting.map((f) => `${f.check} ${f.file}:${f.line}`);
    expect(old).toEqual(expect.arrayContaining(['golangci-lint main.go:31', 'golangci-lint main.go:34', 'staticcheck old.go:3']));
    expect(r.summary).not.toContain('no lint configuration of its own');
  });
});

describe('new-only on a pull request: judged on the changed lines', () => {
  async function pullRequest(branch: string, files: Record<string, string>): Promise<ActionResult & { report: Report }> {
    await repo.git('checkout', '-q', '-b', branch, 'v1.0.0');
    const base = await repo.git('rev-parse', 'v1.0.0^{commit}');
    await repo.commit({ message: `change on ${branch}`, files });
    const event = { pull_request: { number: 3, base: { sha: base, ref: 'main' }, head: { sha: await repo.head() } } };
    return gate(
      repo.dir,
      { checks: 'staticcheck' },
      { GITHUB_BASE_REF: 'main', GITHUB_REF: 'refs/pull/3/merge' },
      { event, eventName: 'pull_request' },
    );
  }

  it('fails when the changed lines hold a finding', async () => {
    const r = await pullRequest('touch-old', { 'old.go': OLD.replace('return 1', 'return 2') + '\nfunc alsoUnused() {}\n' });
    expect(r.exitCode, r.log).toBe(1);
    expect(errors(r)).toEqual(['old.go:7 U1000: func alsoUnused is unused']);
    expect(r.report.newOnly.mode).toBe('changes');
    expect(r.report.preExisting.map((f) => `${f.file}:${f.line}`)).toEqual(['old.go:3']);
  });

  it('passes when the pull request does not touch the old finding', async () => {
    const r = await pullRequest('docs-only', { 'README.md': '# hello\n\nNow documented.\n' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs['pre-existing']).toBe('1');
    expect(r.summary).toContain('on lines this pull request does not change');
  });
});

describe('what new-only never lets pass', () => {
  it('a vet error fails on a tag even though the previous release had it', async () => {
    const vetRepo = await fixtureRepo('hello', {
      history: [
        {
          message: 'feat: x',
          files: { 'vetbad.go': 'package main\n\nfunc vetBad() int {\n\tx := 1\n\tx = x\n\treturn x\n}\n\nvar _ = vetBad\n' },
          tag: 'v0.1.0',
        },
        { message: 'docs: readme', files: { 'README.md': '# hello\n\nv0.2.0\n' }, tag: 'v0.2.0' },
      ],
    });
    const r = await gate(vetRepo.dir, { checks: 'vet,staticcheck' }, tagEnv('v0.2.0'));
    expect(r.exitCode, r.log).toBe(1);
    expect(JSON.parse(r.outputs['failed-checks']!)).toEqual(['vet']);
    expect(errors(r)).toContain('vetbad.go:5 assign: self-assignment of x');
  });
});
