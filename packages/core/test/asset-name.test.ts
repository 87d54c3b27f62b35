import { describe, expect, it } from 'vitest';
import { githubAssetName, isStoredAsIs } from '../src/asset-name.js';

describe('githubAssetName', () => {
  it.each([
    // what reviews and issue reports saw GitHub store
    ['hello 1.0.0~x (copy).txt', 'hello.1.0.0.x.copy.txt'],
    ['.notes', 'default.notes'],
    ['.config', 'default.config'],
    ['😀.pdf', 'default.pdf'],
    ['appName(x64)_1.0.0.msi', 'appName.x64._1.0.0.msi'],
    ['tobwen-1.1.0-1~buster_amd64.deb', 'tobwen-1.1.0-1.buster_amd64.deb'],
    ['The Brain.js', 'The.Brain.js'],
    ['a5_żółw.txt', 'a5_zolw.txt'],
    ['a5_ð_æ_©_ŋ.txt', 'a5_d_ae_._ng.txt'],
    ['Straße.tar.gz', 'Strasse.tar.gz'],
    // runs of periods shrink, periods at either end of each part go
    ['a  [b]  c.tar.gz', 'a.b.c.tar.gz'],
    ['..hidden..tar.gz', 'hidden.tar.gz'],
    ['notes.', 'notes'],
    ['archive.~~', 'archive'],
    ['...', 'default'],
    ['', 'default'],
    // names GoReleaser writes are kept as they are
    ['hello_1.4.0_linux_amd64.tar.gz', 'hello_1.4.0_linux_amd64.tar.gz'],
    ['hello-1.0.0+build.7_arm64.deb', 'hello-1.0.0+build.7_arm64.deb'],
    ['hello_1.4.0_checksums.txt.sigstore.json', 'hello_1.4.0_checksums.txt.sigstore.json'],
  ])('%j is stored as %j', (given, stored) => {
    expect(githubAssetName(given)).toBe(stored);
  });

  it('is idempotent: a stored name is stored as it is', () => {
    for (const name of ['hello 1.0.0~x (copy).txt', '.notes', '😀.pdf', 'a5_ð_æ_©_ŋ.txt', '..hidden..tar.gz']) {
      const stored = githubAssetName(name);
      expect(isStoredAsIs(stored), stored).toBe(true);
      expect(isStoredAsIs(name)).toBe(false);
    }
  });
});
