import { goList } from '@goship/core/go';
import { type GitRepo, fixtureRepo, goEnv } from '@goship/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { affectedPackages, analyseChange, binariesOf, changedFiles, checkChangedSince, chooseBase } from '../src/affected.js';
import { recordingLog } from './log.js';

// fixtures/go/multi: cmd/api → pkg/greet; cmd/worker → internal/store → github.com/google/uuid
describe('affected analysis on fixtures/go/multi', () => {
  let repo: GitRepo;
  let base: string;
  let pkgs: Awaited<ReturnType<typeof goList>>;
  beforeAll(async () => {
    repo = await fixtureRepo('multi', { history: [{ message: 'chore: v1', tag: 'v1.0.0' }] });
    base = await repo.head();
    Object.assign(process.env, goEnv());
    pkgs = await goList(['./...'], { deps: true, cwd: repo.dir, env: { GOFLAGS: '-mod=mod' } });
  }, 120_000);

  async function affectedAfter(files: Record<string, string | null>): Promise<{ files: string[]; packages: string[]; all: boolean }> {
    await repo.git('checkout', '-q', '-B', `change-${Math.random().toString(36).slice(2)}`, base);
    await repo.commit({ message: 'change', files });
    const diff = await changedFiles(repo.dir, base);
    const r = affectedPackages(diff.files, pkgs, repo.dir);
    return { files: diff.files, packages: r.packages, all: r.all };
  }

  it('lists the main packages as binaries', () => {
    expect(binariesOf(pkgs, repo.dir)).toEqual([
      { importPath: 'example.com/multi/cmd/api', dir: './cmd/api', name: 'api' },
      { importPath: 'example.com/multi/cmd/worker', dir: './cmd/worker', name: 'worker' },
    ]);
  });

  it('a change in internal/store affects it and cmd/worker, not pkg/greet or cmd/api', async () => {
    const r = await affectedAfter({ 'internal/store/extra.go': 'package store\n\n// Extra is new.\nconst Extra = 1\n' });
    expect(r.files).toEqual(['internal/store/extra.go']);
    expect(r.packages).toEqual(['example.com/multi/cmd/worker', 'example.com/multi/internal/store']);
    expect(r.all).toBe(false);
  });

  it('a change in pkg/greet affects cmd/api', async () => {
    const r = await affectedAfter({ 'pkg/greet/greet.go': (await repo.read('pkg/greet/greet.go')) + '\n// trailing comment\n' });
    expect(r.packages).toEqual(['example.com/multi/cmd/api', 'example.com/multi/pkg/greet']);
  });

  it('testdata belongs to the package above it; README is no Go input', async () => {
    const r = await affectedAfter({ 'pkg/greet/testdata/names.txt': 'ada\n', 'README.md': 'changed\n' });
    expect(r.packages).toEqual(['example.com/multi/cmd/api', 'example.com/multi/pkg/greet']);
    const docs = await affectedAfter({ 'README.md': 'changed again\n' });
    expect(docs.packages).toEqual([]);
  });

  it('go.sum or go.mod changes affect everything', async () => {
    const r = await affectedAfter({ 'go.mod': (await repo.read('go.mod')) + '\n// note\n' });
    expect(r.all).toBe(true);
    expect(r.packages).toEqual([
      'example.com/multi/cmd/api',
      'example.com/multi/cmd/worker',
      'example.com/multi/internal/store',
      'example.com/multi/pkg/greet',
    ]);
  });

  it('chooses the base: input, pull request base, push before, previous tag', async () => {
    expect(await chooseBase(repo.dir, 'main', 'push', undefined)).toEqual({ ref: 'main', from: 'input changed-since' });
    const { writeFile } = await import('node:fs/promises');
    const ev = `${repo.dir}/.event.json`;
    await writeFile(ev, JSON.stringify({ pull_request: { base: { sha: base, ref: 'main' } } }));
    expect(await chooseBase(repo.dir, '', 'pull_request', ev)).toEqual({ ref: base, from: 'pull request base main' });
    await writeFile(ev, JSON.stringify({ before: '0000000000000000000000000000000000000000' }));
    await repo.git('checkout', '-q', '-B', 'tagged', base);
    await repo.commit({ message: 'after the tag' });
    expect(await chooseBase(repo.dir, '', 'push', ev)).toEqual({ ref: 'v1.0.0', from: 'the previous tag' });
  });

  it('takes only object names from the event payload: anything else falls through to the previous tag', async () => {
    const { writeFile } = await import('node:fs/promises');
    const ev = `${repo.dir}/.event-hostile.json`;
    await writeFile(ev, JSON.stringify({ pull_request: { base: { sha: '--output=/tmp/x', ref: 'main' } }, before: '$(id)' }));
    await repo.git('checkout', '-q', '-B', 'tagged2', base);
    await repo.commit({ message: 'after the tag, again' });
    expect(await chooseBase(repo.dir, '', 'push', ev)).toEqual({ ref: 'v1.0.0', from: 'the previous tag' });
  });

  it('changed-since must name a commit of the checkout', async () => {
    await expect(checkChangedSince(repo.dir, 'v1.0.0')).resolves.toBeUndefined();
    await expect(checkChangedSince(repo.dir, 'no-such-ref')).rejects.toThrow(
      /^Input "changed-since": got "no-such-ref"; expected a branch, tag or commit present in the checkout/,
    );
  });

  it('without a base everything counts as affected', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const bare = await mkdtemp(`${tmpdir()}/goship-nogit-`);
    const r = await analyseChange(bare, '', pkgs, recordingLog(), {});
    expect(r.all).toBe(true);
    expect(r.reason).toMatch(/^no git history|^no base to compare with/);
  });
});
