import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { installGoTool } from '../src/tools.js';

describe('installGoTool', () => {
  it('go-installs a pinned tool into the tool cache, then finds it there without rebuilding', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tools-'));
    process.env.RUNNER_TOOL_CACHE = path.join(root, 'cache');
    process.env.RUNNER_TEMP = path.join(root, 'temp');
    const tool = { name: 'actionlint', module: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12' };
    const bin = await installGoTool(tool);
    expect(bin).toBe(path.join(root, 'cache', 'actionlint', '1.7.12', process.arch, 'actionlint'));
    expect(execFileSync(bin, ['-version'], { encoding: 'utf8' })).toContain('1.7.12');
    const again = await installGoTool(tool, { goBin: path.join(root, 'no-such-go') });
    expect(again).toBe(bin);
    // the temporary GOBIN is gone; the tool cache holds the one version
    expect(await readdir(path.join(root, 'temp'))).toEqual([]);
    expect((await readdir(path.join(root, 'cache', 'actionlint'))).filter((f) => !f.endsWith('.complete'))).toEqual(['1.7.12']);
  });

  it('refuses an unpinned version', async () => {
    await expect(installGoTool({ name: 'x', module: 'example.com/x', version: 'latest' })).rejects.toThrow(/not a pinned version/);
  });
});
