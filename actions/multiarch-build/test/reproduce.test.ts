import { describe, expect, it } from 'vitest';
import { compareArtifacts, mismatchError } from '../src/reproduce.js';

describe('the proof', () => {
  it('compares artifacts by digest and names the differing files', () => {
    const a = [{ kind: 'archive' as const, name: 'x.tar.gz', sha256: '1' }];
    expect(compareArtifacts(a, [{ kind: 'archive', name: 'x.tar.gz', sha256: '2' }])).toEqual([
      { name: 'x.tar.gz', expected: '1', actual: '2' },
    ]);
    expect(compareArtifacts(a, a)).toEqual([]);
  });
  it('a mismatch names every differing file', () => {
    const e = mismatchError([
      { name: 'dist/a_linux_amd64/a', expected: '1'.repeat(64), actual: '2'.repeat(64) },
      { name: 'a_1.0.0_linux_amd64.tar.gz', expected: '3'.repeat(64), actual: '(not produced)' },
    ]);
    expect(e.message).toMatch(
      /differs in 2 file\(s\):\n {2}- dist\/a_linux_amd64\/a: 1{16}… vs 2{16}…\n {2}- a_1\.0\.0_linux_amd64\.tar\.gz/,
    );
  });
});
