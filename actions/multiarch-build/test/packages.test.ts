/**
 * The pieces of Linux packaging that need no tools: names and architectures per format (as nFPM
 * and GoReleaser name them), versions split as nFPM splits SemVer, the metadata defaults (license
 * from its text, README synopsis, homepage), the Debian files goship writes, the input checks, the
 * apk stream reader, and the pins test: the nFPM the action installs is the one tools.versions pins.
 */
import { Inputs } from '@goship/core/action';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fullDescription } from '../src/packages/build.js';
import {
  changelogDate,
  debianChangelog,
  debianCopyright,
  defaultHomepage,
  detectLicense,
  readmeSynopsis,
} from '../src/packages/metadata.js';
import { conventionalFileName, formatArch, formatVersion } from '../src/packages/naming.js';
import { readPackageSettings } from '../src/packages/settings.js';
import { gzipMembers, tarFiles } from '../src/packages/verify.js';

const root = path.resolve(import.meta.dirname, '../../..');
const p = (s: string) => {
  const [os_, arch, variant = ''] = s.split('/');
  return { os: os_!, arch: arch!, variant };
};

describe('names and architectures', () => {
  it.each([
    ['linux/amd64', 'amd64', 'x86_64', 'x86_64'],
    ['linux/arm64', 'arm64', 'aarch64', 'aarch64'],
    ['linux/arm/v7', 'armhf', 'armv7hl', 'armv7'],
    ['linux/arm/v6', 'armhf', 'armv6hl', 'armhf'],
    ['linux/arm', 'armhf', 'armv7hl', 'armv7'],
    ['linux/386', 'i386', 'i386', 'x86'],
    ['linux/ppc64le', 'ppc64el', 'ppc64le', 'ppc64le'],
    ['linux/riscv64', 'riscv64', 'riscv64', 'riscv64'],
  ])('%s is %s (deb), %s (rpm), %s (apk)', (platform, deb, rpm, apk) => {
    expect([formatArch('deb', p(platform)), formatArch('rpm', p(platform)), formatArch('apk', p(platform))]).toEqual([deb, rpm, apk]);
  });

  it('splits versions as nFPM does and names files conventionally', () => {
    expect(['deb', 'rpm', 'apk'].map((f) => formatVersion(f as 'deb', '1.2.3-rc.1+build.5'))).toEqual([
      '1.2.3~rc.1+build.5',
      '1.2.3~rc.1+build.5',
      '1.2.3_rc.1-pbuild.5',
    ]);
    expect(formatVersion('rpm', '0.0.0-SNAPSHOT-abc1234')).toBe('0.0.0~SNAPSHOT_abc1234');
    expect(conventionalFileName('deb', 'hello', '1.2.3', p('linux/amd64'))).toBe('hello_1.2.3_amd64.deb');
    expect(conventionalFileName('rpm', 'hello', '1.2.3', p('linux/arm/v7'))).toBe('hello-1.2.3-1.armv7hl.rpm');
    expect(conventionalFileName('apk', 'hello', '1.2.3', p('linux/arm64'))).toBe('hello_1.2.3_aarch64.apk');
  });
});

describe('metadata defaults and Debian files', () => {
  it('recognises licenses by their wording', () => {
    const mit = readFileSync(path.join(root, 'fixtures/go/hello/LICENSE'), 'utf8');
    expect(detectLicense(mit)).toBe('MIT');
    expect(detectLicense('                                 Apache License\n                           Version 2.0, January 2004')).toBe(
      'Apache-2.0',
    );
    expect(detectLicense('All rights reserved. Do not copy.')).toBeUndefined();
  });

  it('takes the first sentence of the README, skipping headings and badges', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'goship-readme-'));
    await writeFile(path.join(dir, 'README.md'), '# tool\n\n[![ci](x)](y)\n\nA **fast** tool for [widgets](https://x). More text.\n');
    expect(readmeSynopsis(dir)).toBe('A fast tool for widgets.');
    expect(readmeSynopsis(path.join(root, 'fixtures/go/hello'))).toBe("A tiny command used as goship's test fixture.");
  });

  it('homepage: the repository, else a hosted module, else pkg.go.dev', () => {
    expect(defaultHomepage('example.com/x', { GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://ghe.example' })).toBe(
      'https://ghe.example/o/r',
    );
    expect(defaultHomepage('github.com/o/r/v2', {})).toBe('https://github.com/o/r');
    expect(defaultHomepage('example.com/x', {})).toBe('https://pkg.go.dev/example.com/x');
  });

  it('writes a machine-readable copyright file and a one-entry changelog', () => {
    const c = debianCopyright({ name: 'hello', source: 'https://x', license: 'MIT', text: 'MIT License\n\nCopyright (c) 2026 Acme\n' });
    expect(c).toBe(
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: hello\nSource: https://x\n\nFiles: *\nCopyright: 2026 Acme\nLicense: MIT\n MIT License\n .\n Copyright (c) 2026 Acme\n',
    );
    expect(changelogDate('2026-01-01T00:00:00Z')).toBe('Thu, 01 Jan 2026 00:00:00 +0000');
    expect(debianChangelog({ name: 'hello', version: '1.2.3', maintainer: 'A <a@b.c>', date: '2026-01-01T00:00:00Z', tag: 'v1.2.3' })).toBe(
      'hello (1.2.3) unstable; urgency=medium\n\n  * Release v1.2.3.\n\n -- A <a@b.c>  Thu, 01 Jan 2026 00:00:00 +0000\n',
    );
  });

  it('gives a one-line description the extended part Debian requires', () => {
    expect(fullDescription('Says hello.', { bins: ['/usr/bin/hello'], module: 'example.com/hello' })).toBe(
      'Says hello\nProvides /usr/bin/hello, built from the Go module example.com/hello.',
    );
    expect(fullDescription('Says hello\nLonger text.', { bins: [], module: 'm' })).toBe('Says hello\nLonger text.');
  });
});

describe('inputs', () => {
  const read = (values: Record<string, string>) =>
    readPackageSettings(Inputs.of(values), { workdir: path.join(root, 'fixtures/go/hello'), platforms: [p('linux/amd64')] });

  it('reads formats and contents, with modes as octal however YAML typed them', () => {
    const s = read({
      packages: 'deb, rpm',
      'package-contents': '- {src: README.md, dst: /usr/share/doc/hello/README.md, file_info: {mode: 0600}}',
    });
    expect(s.formats).toEqual(['deb', 'rpm']);
    expect(s.contents).toEqual([
      {
        src: 'README.md',
        dst: '/usr/share/doc/hello/README.md',
        type: 'file',
        packager: '',
        mode: 0o600,
        owner: 'root',
        group: 'root',
        label: 'package-contents[0]',
      },
    ]);
    expect(read({}).formats).toEqual([]);
  });

  it.each([
    [{ packages: 'deb', 'package-priority': 'high' }, 'package-priority'],
    [{ packages: 'deb', 'package-homepage': 'ftp://x' }, 'package-homepage'],
    [{ packages: 'deb', 'package-depends': 'a, b$X' }, 'package-depends'],
    [{ packages: 'deb', 'package-contents': 'src: x' }, 'package-contents'],
    [{ packages: 'deb', 'package-contents': '- {src: README.md, dst: /x, mode: 644}' }, 'package-contents'],
    [{ packages: 'deb', 'package-contents': '- {src: README.md, dst: /x, file_info: {owner: "Root User"}}' }, 'package-contents'],
    [{ packages: 'deb', 'package-file-name': '{{ .PackageName' }, 'package-file-name'],
    [{ packages: 'deb', 'nfpm-version': 'latest' }, 'nfpm-version'],
    [{ packages: 'deb', 'package-lintian-overrides': 'Not A Tag' }, 'package-lintian-overrides'],
  ])('refuses %j naming %s', (values, input) => {
    expect(() => read(values)).toThrow(`Input "${input}"`);
  });
});

describe('apk streams', () => {
  it('splits concatenated gzip members and reads cut tar streams', () => {
    const header = (name: string, size: number, type = '0') => {
      const h = Buffer.alloc(512);
      h.write(name, 0);
      h.write(size.toString(8).padStart(11, '0'), 124);
      h.write(type, 156);
      return h;
    };
    const control = Buffer.concat([header('.PKGINFO', 5), Buffer.from('x = 1'.padEnd(512, '\0'))]);
    const data = Buffer.concat([
      header('usr/bin/', 0, '5'),
      header('usr/bin/hello', 2),
      Buffer.from('hi'.padEnd(512, '\0')),
      Buffer.alloc(1024),
    ]);
    const a = gzipSync(control);
    const b = gzipSync(data);
    const members = gzipMembers(Buffer.concat([a, b]));
    expect(members.map((m) => m.length)).toEqual([a.length, b.length]);
    expect(tarFiles(control).get('.PKGINFO')?.toString()).toBe('x = 1');
    expect([...tarFiles(data).keys()]).toEqual(['usr/bin', 'usr/bin/hello']);
  });
});

describe('pins', () => {
  it('the nfpm-version default is the nFPM tools.versions pins, and so is the settings default', () => {
    const pin = /^nfpm\s+(\S+)\s+go:(\S+)$/m.exec(readFileSync(path.join(root, 'tools.versions'), 'utf8'));
    expect(pin).not.toBeNull();
    const yml = parse(readFileSync(path.join(root, 'actions/multiarch-build/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    expect(yml.inputs['nfpm-version']?.default).toBe(pin![1]);
    expect(read0().nfpmVersion).toBe(pin![1]);
    expect(pin![2]).toBe('github.com/goreleaser/nfpm/v2/cmd/nfpm');
  });
});

function read0() {
  return readPackageSettings(Inputs.of({ packages: 'deb' }), {
    workdir: path.join(root, 'fixtures/go/hello'),
    platforms: [p('linux/amd64')],
  });
}
