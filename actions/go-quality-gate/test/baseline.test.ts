import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineKey, fingerprints } from '../src/baseline.js';
import { checkNamed } from '../src/checks/index.js';
import { PathMapper } from '../src/findings.js';
import { fakeGate, lintFinding } from './gate-fixture.js';

describe('the previous release’s findings', () => {
  it('are fingerprinted with module-relative files and their source lines, wherever the module was checked out', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gqg-baseline-'));
    const mod = path.join(root, 'svc');
    await mkdir(mod, { recursive: true });
    await writeFile(path.join(mod, 'old.go'), 'package main\n\nfunc   unusedOld() int {\n');
    const paths = new PathMapper(root, mod, 'example.com/m');
    const [fp] = await fingerprints([lintFinding({ file: 'svc/old.go', line: 3 })], paths);
    expect(fp).toEqual({
      check: 'staticcheck',
      file: 'old.go',
      rule: 'U1000',
      message: 'U1000: func unusedOld is unused',
      text: 'func unusedOld() int {',
      line: 3,
    });
    const [missing] = await fingerprints([lintFinding({ file: 'svc/gone.go', line: 3 })], paths);
    expect(missing!.text).toBe('');
  });

  it('are cached by commit, check, tool, Go, tags, packages and configuration', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gqg-key-'));
    await writeFile(path.join(dir, 'staticcheck.conf'), 'checks = ["all"]\n');
    const tools = { staticcheck: { name: 'staticcheck' as const, version: 'v0.8.2', path: '/x', builtWith: '1.26.8' } };
    const g = fakeGate({ tools, cfg: { workdir: dir, lint: { staticcheck: [path.join(dir, 'staticcheck.conf')] } } });
    const sc = checkNamed('staticcheck');
    const key = await baselineKey(g, sc, 'c0ffee', '');
    expect(await baselineKey(g, sc, 'c0ffee', '')).toBe(key);
    expect(await baselineKey(g, sc, 'beef', '')).not.toBe(key);
    expect(await baselineKey(g, checkNamed('golangci-lint'), 'c0ffee', '')).not.toBe(key);
    expect(await baselineKey({ ...g, goVersion: '1.27.0' }, sc, 'c0ffee', '')).not.toBe(key);
    expect(await baselineKey({ ...g, cfg: { ...g.cfg, buildTags: 'netgo' } }, sc, 'c0ffee', '')).not.toBe(key);
    expect(await baselineKey({ ...g, tools: { staticcheck: { ...tools.staticcheck, version: 'v0.8.3' } } }, sc, 'c0ffee', '')).not.toBe(
      key,
    );
    await writeFile(path.join(dir, 'staticcheck.conf'), 'checks = ["all", "-ST1000"]\n');
    expect(await baselineKey(g, sc, 'c0ffee', '')).not.toBe(key);
  });
});
