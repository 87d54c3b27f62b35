import { actionDir, fixtureRepo, runAction } from '@goship/testkit';
import { describe, expect, it } from 'vitest';

const dir = actionDir('setup-go-matrix');

describe('setup-go-matrix bundle', () => {
  it('reports the Go version, go directive and module of fixtures/go/hello', async () => {
    const repo = await fixtureRepo('hello');
    const r = await runAction(dir, { cwd: repo.dir, inputs: { install: false, cache: false } });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs['go-directive']).toBe('1.24.0');
    expect(r.outputs.module).toBe('example.com/hello');
    expect(r.summary).toContain('| go.mod |');
  });

  it('fails with an ::error:: naming go-version-file when no version file exists', async () => {
    const repo = await fixtureRepo('hello');
    const r = await runAction(dir, { cwd: repo.dir, inputs: { 'go-version-file': 'nope/go.mod', install: false } });
    expect(r.exitCode).toBe(1);
    const err = r.annotations.find((a) => a.type === 'error');
    expect(err?.message).toMatch(/^setup-go-matrix: Input "go-version-file": got "nope\/go.mod"/);
  });
});
