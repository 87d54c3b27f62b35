import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredFormatter, goFiles } from '../../src/checks/fmt.js';

describe('fmt', () => {
  it('recognises gofumpt in a golangci-lint config', () => {
    expect(configuredFormatter('version: "2"\nformatters:\n  enable:\n    - gofumpt\n')).toBe('gofumpt');
    expect(configuredFormatter('version: "2"\nlinters:\n  enable: [errcheck]\n')).toBeUndefined();
    expect(configuredFormatter(undefined)).toBeUndefined();
  });

  it("formats the module's own Go files: not vendor, testdata, hidden or `_` folders, nor nested modules", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gqg-fmt-'));
    const files = [
      'a.go',
      'sub/b.go',
      'vendor/v.go',
      'testdata/t.go',
      '.hidden/h.go',
      '_skip/s.go',
      'nested/n.go',
      'nested/go.mod',
      'notes.txt',
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), 'package x\n');
    }
    expect((await goFiles(dir)).map((f) => path.relative(dir, f))).toEqual(['a.go', path.join('sub', 'b.go')]);
  });
});
