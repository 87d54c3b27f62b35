import { makeWritable, setToolchainModes, toolCacheVersion } from '../src/go-install.js';
import { chmod, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('go-install helpers', () => {
  it('maps Go versions to the SemVer the tool cache uses', () => {
    expect(toolCacheVersion('1.24.6')).toBe('1.24.6');
    expect(toolCacheVersion('1.25rc1')).toBe('1.25.0-rc.1');
    expect(toolCacheVersion('1.24')).toBe('1.24.0');
    expect(() => toolCacheVersion('nope')).toThrow(/Not a Go version/);
  });

  it('restores execute bits the way the go command does for downloaded toolchains', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'goship-modes-'));
    const files = [
      'bin/go',
      'bin/gofmt',
      'pkg/tool/linux_amd64/compile',
      'lib/wasm/go_js_wasm_exec',
      'lib/time/zoneinfo.zip',
      'src/make.bash',
      'VERSION',
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await writeFile(path.join(root, f), 'x');
      await chmod(path.join(root, f), 0o444);
    }
    await chmod(path.join(root, 'bin'), 0o555);
    await setToolchainModes(root);
    const mode = async (f: string): Promise<number> => (await stat(path.join(root, f))).mode & 0o777;
    expect(await mode('bin/go')).toBe(0o755);
    expect(await mode('bin/gofmt')).toBe(0o755);
    expect(await mode('pkg/tool/linux_amd64/compile')).toBe(0o755);
    expect(await mode('lib/wasm/go_js_wasm_exec')).toBe(0o755);
    expect(await mode('lib/time/zoneinfo.zip')).toBe(0o644);
    expect(await mode('src/make.bash')).toBe(0o644);
    expect(await mode('VERSION')).toBe(0o644);
    expect(await mode('bin')).toBe(0o755);
  });

  it('makes read-only module cache directories writable for the owner', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'goship-ro-'));
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await chmod(path.join(root, 'a', 'b'), 0o555);
    await chmod(path.join(root, 'a'), 0o555);
    await makeWritable(root);
    expect((await stat(path.join(root, 'a', 'b'))).mode & 0o200).toBe(0o200);
    await makeWritable(path.join(root, 'missing')); // no error
  });
});
