import { describe, expect, it } from 'vitest';
import {
  type Releases,
  describeReleases,
  firstProxy,
  newestPatch,
  parseDownloadIndex,
  parseToolchainList,
  releasedMinors,
  stableVersions,
} from '../src/releases.js';
import { TOOLCHAIN_LIST } from './release-list.js';

const rel: Releases = { source: 'test list', versions: parseToolchainList(TOOLCHAIN_LIST, 'linux', 'amd64'), archives: new Map() };
const sha = (c: string): string => c.repeat(64);

describe('release lists', () => {
  it('parses the toolchain module list for one host, newest first', () => {
    expect(rel.versions).toEqual(['1.26rc2', '1.25.3', '1.25.0', '1.25rc1', '1.24.13', '1.24.6', '1.24.0', '1.23.12', '1.23.4', '1.23.0']);
    expect(parseToolchainList(TOOLCHAIN_LIST, 'darwin', 'arm64')).toEqual(['1.25.9']);
  });

  it('parses the download index with archive sha256 per version; entries without a sha256 are dropped', () => {
    const idx = parseDownloadIndex(
      [
        {
          version: 'go1.25.3',
          files: [
            { filename: 'go1.25.3.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.25.3', sha256: sha('a'), kind: 'archive' },
            { filename: 'go1.25.3.linux-amd64.msi', os: 'linux', arch: 'amd64', version: 'go1.25.3', sha256: sha('b'), kind: 'installer' },
            { filename: 'go1.25.3.src.tar.gz', os: '', arch: '', version: 'go1.25.3', sha256: sha('c'), kind: 'source' },
          ],
        },
        {
          version: 'go1.24.6',
          files: [
            { filename: 'go1.24.6.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.24.6', sha256: sha('d'), kind: 'archive' },
          ],
        },
        {
          version: 'go1.24.5',
          files: [
            { filename: 'go1.24.5.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.24.5', sha256: 'dd', kind: 'archive' },
          ],
        },
      ],
      'linux',
      'amd64',
    );
    expect(idx.versions).toEqual(['1.25.3', '1.24.6']);
    expect(idx.archives.get('1.25.3')).toEqual({ filename: 'go1.25.3.linux-amd64.tar.gz', sha256: sha('a') });
    expect(parseDownloadIndex({ not: 'a list' }, 'linux', 'amd64').versions).toEqual([]);
  });

  it('stable is the newest release, oldstable the newest of the minor before; pre-releases never count', () => {
    expect(stableVersions(rel)).toEqual({ stable: '1.25.3', oldstable: '1.24.13' });
    expect(newestPatch('1.24', rel)).toBe('1.24.13');
    expect(newestPatch('1.26', rel)).toBeUndefined();
    expect(releasedMinors(rel)).toEqual(['1.25', '1.24', '1.23']);
  });

  it('says what exists for error messages', () => {
    expect(describeReleases(rel)).toBe('test list lists stable 1.25.3 and oldstable 1.24.13');
    expect(describeReleases({ ...rel, versions: ['1.26rc2'] })).toBe('test list lists no Go release');
  });

  it('takes the first http proxy of a GOPROXY list', () => {
    expect(firstProxy('direct,https://goproxy.example/|https://proxy.golang.org')).toBe('https://goproxy.example');
    expect(firstProxy('file:///srv/goproxy,https://proxy.golang.org')).toBe('https://proxy.golang.org');
    expect(firstProxy('off')).toBeUndefined();
  });
});
