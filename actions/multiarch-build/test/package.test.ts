import { describe, expect, it } from 'vitest';
import { planUnits, type BinaryRec } from '../src/package.js';

const vars = {
  Version: '1.2.3',
  Tag: 'v1.2.3',
  Commit: 'c'.repeat(40),
  ShortCommit: 'ccccccc',
  Date: '2026-01-01T00:00:00Z',
  TraceId: '1-1',
  Project: 'hello',
};

function rec(name: string, os: string, arch: string, variant = ''): BinaryRec {
  return {
    name,
    main: name,
    os,
    arch,
    variant,
    platformName: [os, arch, variant].filter(Boolean).join('/'),
    file: os === 'windows' ? `${name}.exe` : name,
    abs: '/x',
    sha256: 'a'.repeat(64),
    size: 1,
  };
}

describe('release file names', () => {
  const o = { format: 'tar.gz' as const, nameTemplate: '{{.Project}}_{{.Version}}_{{.Os}}_{{.Arch}}{{.Variant}}', nameDefault: true, vars };
  it('makes one archive per platform, zip for Windows', () => {
    const u = planUnits([rec('api', 'linux', 'arm', 'v7'), rec('worker', 'linux', 'arm', 'v7'), rec('api', 'windows', 'amd64')], o);
    expect(u.map((x) => [x.name, x.binaries.length])).toEqual([
      ['hello_1.2.3_linux_armv7.tar.gz', 2],
      ['hello_1.2.3_windows_amd64.zip', 1],
    ]);
  });
  it('names released binaries by binary with the binary format', () => {
    const u = planUnits([rec('api', 'linux', 'amd64'), rec('worker', 'windows', 'amd64')], { ...o, format: 'binary' });
    expect(u.map((x) => x.name)).toEqual(['api_1.2.3_linux_amd64', 'worker_1.2.3_windows_amd64.exe']);
  });
  it('refuses a template that gives two files one name', () => {
    expect(() =>
      planUnits([rec('api', 'linux', 'amd64'), rec('api', 'linux', 'arm64')], { ...o, nameTemplate: '{{.Project}}', nameDefault: false }),
    ).toThrow(/Input "archive-name"/);
  });
});
