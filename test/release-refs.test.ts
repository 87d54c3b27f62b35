/** goship's own release pins the action references of what it ships (scripts/release-refs.mjs). */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ESM script without type declarations
import { PLACEHOLDER, leftovers, releasedFiles, rewrite } from '../scripts/release-refs.mjs';
import { repoRoot } from '../packages/testkit/src/fixtures.js';

const execFileP = promisify(execFile);
const script = path.join(repoRoot, 'scripts', 'release-refs.mjs');
const pin = rewrite as (text: string, repository: string, ref: string) => string;

async function releaseCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-release-refs-'));
  for (const f of ['.github', 'examples', 'docs', 'actions', 'README.md']) {
    await cp(path.join(repoRoot, f), path.join(dir, f), {
      recursive: true,
      filter: (s) => !/\/(dist|node_modules|src|test)(\/|$)/.test(s),
    });
  }
  return dir;
}

describe('release-refs: pinning action references at a release', () => {
  it('rewrites sub-action, root-action and reusable-workflow references to the repository at the tag', () => {
    const text = [
      'uses: OWNER/goship/actions/multiarch-build@v1',
      'uses: OWNER/goship@v1',
      'uses: OWNER/goship/.github/workflows/go-release.yml@v1',
      'uses: actions/checkout@v4',
      'see OWNER/goship for details',
    ].join('\n');
    expect(pin(text, 'acme/goship', 'v1.2.3').split('\n')).toEqual([
      'uses: acme/goship/actions/multiarch-build@v1.2.3',
      'uses: acme/goship@v1.2.3',
      'uses: acme/goship/.github/workflows/go-release.yml@v1.2.3',
      'uses: actions/checkout@v4',
      'see acme/goship for details',
    ]);
    expect(() => pin(text, 'acme', 'v1')).toThrow(/OWNER\/NAME/);
    expect(() => pin(text, 'acme/goship', '--upload-pack=x')).toThrow(/--ref/);
  });

  it('the source keeps the placeholder; a release made by the script leaves none, and every goship reference is pinned', async () => {
    expect((leftovers as (root: string) => string[])(repoRoot).length).toBeGreaterThan(0);
    const dir = await releaseCopy();
    await execFileP(process.execPath, [script, '--root', dir, '--repository', 'acme/goship', '--ref', 'v1.2.3']);
    const check = await execFileP(process.execPath, [script, '--root', dir, '--check']);
    expect(check.stdout).toMatch(/no OWNER\/goship placeholder/);
    const files = (releasedFiles as (root: string) => string[])(dir);
    expect(files).toContain(path.join('.github', 'workflows', 'go-release.yml'));
    for (const f of files) {
      const text = await readFile(path.join(dir, f), 'utf8');
      expect(text, f).not.toContain(PLACEHOLDER as string);
      for (const m of text.matchAll(/uses: +(acme\/goship[^\s'"`]*)/g)) expect(m[1], f).toMatch(/@v1\.2\.3$/);
      if (f.endsWith('.yml')) expect(() => parse(text) as unknown, f).not.toThrow();
    }
    const wf = await readFile(path.join(dir, '.github', 'workflows', 'go-release.yml'), 'utf8');
    expect(wf).toContain('uses: acme/goship/actions/multiarch-build@v1.2.3');
  });

  it('--check fails while a placeholder is left', async () => {
    const r = await execFileP(process.execPath, [script, '--root', repoRoot, '--check']).catch((e: { code: number; stderr: string }) => e);
    expect('code' in r && r.code).toBe(1);
    expect('stderr' in r ? r.stderr : '').toContain('README.md');
  });
});
