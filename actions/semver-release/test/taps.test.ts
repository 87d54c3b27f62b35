/**
 * The Homebrew cask and formula and the Scoop manifest generated from a release manifest: Ruby's
 * own parser accepts the Homebrew files (`ruby -c`), their structure is what Homebrew reads, the
 * Scoop manifest validates against the schema of tests/schemas and its URLs and hashes are the
 * release's; the install section of the notes; the tap inputs refused by name.
 */
import { Inputs } from '@goship/core/action';
import type { Manifest } from '@goship/core/manifest';
import { Ajv } from 'ajv';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planTaps, readTapInputs } from '../src/taps/index.js';
import { cask, formula, formulaClass, releaseFiles, rubyString, scoopManifest, type TapMeta } from '../src/taps/manifests.js';
import { installSection } from '../src/taps/notes.js';

const sha = (c: string) => c.repeat(64);
const REPO = 'https://github.com/acme/hello';
const manifest: Manifest = {
  schemaVersion: 1,
  project: 'hello',
  module: 'example.com/hello',
  version: '1.2.3',
  tag: 'v1.2.3',
  commit: 'c'.repeat(40),
  commitTime: '2026-01-01T00:00:00Z',
  traceId: 't',
  metadata: { description: 'Says hello.', license: 'MIT', homepage: 'https://hello.example' },
  artifacts: [
    ...(
      [
        ['darwin', 'amd64', 'a', 'tar.gz'],
        ['darwin', 'arm64', 'b', 'tar.gz'],
        ['linux', 'amd64', 'c', 'tar.gz'],
        ['linux', 'arm64', 'd', 'tar.gz'],
        ['linux', 'arm', 'e', 'tar.gz'],
        ['windows', 'amd64', 'f', 'zip'],
        ['windows', 'arm64', '0', 'zip'],
      ] as const
    ).map(([os, arch, c, format]) => ({
      kind: 'archive' as const,
      name: `hello_1.2.3_${os}_${arch}${arch === 'arm' ? 'v7' : ''}.${format}`,
      path: `dist/x.${format}`,
      os,
      arch,
      variant: arch === 'arm' ? 'v7' : '',
      format,
      binaries: ['hello'],
      sha256: sha(c),
    })),
    { kind: 'checksums', name: 'hello_1.2.3_checksums.txt', path: 'dist/hello_1.2.3_checksums.txt' },
    {
      kind: 'package',
      name: 'hello_1.2.3_linux_amd64.deb',
      path: 'dist/a.deb',
      format: 'deb',
      os: 'linux',
      arch: 'amd64',
      packageArch: 'amd64',
      sha256: sha('1'),
    },
    {
      kind: 'package',
      name: 'hello_1.2.3_linux_arm64.rpm',
      path: 'dist/b.rpm',
      format: 'rpm',
      os: 'linux',
      arch: 'arm64',
      packageArch: 'aarch64',
      sha256: sha('2'),
    },
  ],
};
const meta: TapMeta = {
  name: 'hello',
  version: '1.2.3',
  tag: 'v1.2.3',
  description: 'Says "hello" #{x}',
  homepage: 'https://hello.example',
  license: 'MIT',
  repoUrl: REPO,
};
const files = releaseFiles(manifest, REPO);

interface ScoopDoc {
  architecture: Record<string, { url: string; hash: string; bin: unknown }>;
  checkver: unknown;
  autoupdate: { architecture: Record<string, { url: string }>; hash?: unknown };
  [k: string]: unknown;
}

function rubyOk(text: string): string {
  return execFileSync('ruby', ['-c'], { input: text, encoding: 'utf8' }).trim();
}

describe('Homebrew', () => {
  it('the cask is valid Ruby with a url and sha256 per OS and CPU, and links the binary', () => {
    const text = cask(meta, files);
    expect(rubyOk(text)).toBe('Syntax OK');
    expect(text).toContain('cask "hello" do\n  version "1.2.3"\n');
    const macos = text.slice(text.indexOf('on_macos do'), text.indexOf('on_linux do'));
    expect(macos).toContain(
      `on_intel do\n      url "${REPO}/releases/download/v#{version}/hello_#{version}_darwin_amd64.tar.gz"\n      sha256 "${sha('a')}"`,
    );
    expect(macos).toContain(
      `on_arm do\n      url "${REPO}/releases/download/v#{version}/hello_#{version}_darwin_arm64.tar.gz"\n      sha256 "${sha('b')}"`,
    );
    const linux = text.slice(text.indexOf('on_linux do'));
    expect(linux).toContain(sha('c'));
    expect(linux).toContain(sha('d'));
    expect(text).not.toContain(sha('e')); // armv7: Homebrew has no such CPU
    // the description is a Ruby string, never interpolated
    expect(text).toContain('desc "Says \\"hello\\" \\#{x}"');
    expect(text).toMatch(/\n {2}binary "hello"\nend\n$/);
  });

  it('evaluates in Ruby to what the release holds (a stand-in for the cask DSL records the stanzas)', () => {
    const dsl = `
      $out = []
      def cask(name, &b) $out << [:cask, name]; instance_eval(&b) end
      %i[version name desc homepage binary sha256 skip].each { |m| define_method(m) { |*a, **k| $out << [m, *a] } }
      def url(u) $out << [:url, u.gsub('#{version}', '1.2.3')] end
      %i[on_macos on_linux on_intel on_arm livecheck].each { |m| define_method(m) { |&b| $out << [m]; b.call } }
      def version(v = nil) $out << [:version, v] if v; "1.2.3" end
      eval(STDIN.read)
      puts $out.map { |x| x.join(' ') }
    `;
    const out = execFileSync('ruby', ['-e', dsl], { input: cask(meta, files).replace(/^#.*\n/, ''), encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(out).toContain('cask hello');
    expect(out).toContain(`url ${REPO}/releases/download/v1.2.3/hello_1.2.3_darwin_arm64.tar.gz`);
    expect(out.filter((l) => l.startsWith('sha256 '))).toEqual([sha('a'), sha('b'), sha('c'), sha('d')].map((s) => `sha256 ${s}`));
    expect(out.at(-1)).toBe('binary hello');
  });

  it('the formula is valid Ruby with a class named after the project', () => {
    const text = formula(meta, files);
    expect(rubyOk(text)).toBe('Syntax OK');
    expect(text).toContain('class Hello < Formula');
    expect(text).toContain('  license "MIT"');
    expect(text).toContain('    bin.install "hello"');
    expect(formulaClass('hello-world_cli')).toBe('HelloWorldCli');
    expect(rubyString('a"b\\c#{d}')).toBe('"a\\"b\\\\c\\#{d}"');
  });
});

describe('Scoop', () => {
  const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'schemas/scoop-manifest.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('validates against the Scoop manifest schema, with the release’s URLs and hashes', () => {
    const doc = JSON.parse(scoopManifest(meta, files, { checksums: 'hello_1.2.3_checksums.txt', githubCom: true })) as ScoopDoc;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.architecture['64bit']).toEqual({
      url: `${REPO}/releases/download/v1.2.3/hello_1.2.3_windows_amd64.zip`,
      hash: sha('f'),
      bin: ['hello.exe'],
    });
    expect(doc.architecture.arm64!.hash).toBe(sha('0'));
    expect(doc.checkver).toEqual({ github: REPO });
    expect(doc.autoupdate.architecture['64bit']!.url.replaceAll('$version', '1.2.3')).toBe(doc.architecture['64bit']!.url);
    expect(doc.autoupdate.hash).toEqual({ url: '$baseurl/hello_$version_checksums.txt' });
  });

  it('the schema refuses what Scoop would refuse', () => {
    const doc = JSON.parse(scoopManifest(meta, files, { githubCom: false })) as ScoopDoc;
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, license: undefined })).toBe(false);
    expect(validate({ ...doc, architecture: { '64bit': { url: 'x' } } })).toBe(false);
    expect(validate({ ...doc, architecture: { '64bit': { ...doc.architecture['64bit']!, hash: 'nope' } } })).toBe(false);
    expect(validate({ ...doc, unknown: 1 })).toBe(false);
  });
});

describe('inputs, plan and notes', () => {
  const read = (v: Record<string, string>) => readTapInputs(Inputs.of(v, new Map([['tap-token', v['tap-token'] ?? '']])));

  it('reads the tap targets and refuses bad ones by name', () => {
    const t = read({ 'homebrew-tap': 'acme/homebrew-tap@main', 'scoop-bucket': 'acme/scoop-bucket', 'tap-pull-request': 'draft' });
    expect(t.homebrew).toEqual({ owner: 'acme', repo: 'homebrew-tap', branch: 'main', formula: false });
    expect(t.scoop).toEqual({ owner: 'acme', repo: 'scoop-bucket', branch: '' });
    expect(t.pullRequest).toBe('draft');
    expect(t.author.email).toBe('41898282+github-actions[bot]@users.noreply.github.com');
    expect(() => read({ 'homebrew-tap': 'acme' })).toThrow('Input "homebrew-tap"');
    expect(() => read({ 'scoop-bucket': 'acme/b@../x' })).toThrow('Input "scoop-bucket"');
    expect(() => read({ 'tap-commit-author': 'bot' })).toThrow('Input "tap-commit-author"');
    expect(() => read({ 'tap-pull-request': 'yes' })).toThrow('Input "tap-pull-request"');
  });

  it('a bucket without a license, or a tap without archives for it, fails before anything is published', () => {
    const t = read({ 'scoop-bucket': 'acme/scoop-bucket' });
    const noLicense = { ...manifest, metadata: {} };
    expect(() => planTaps(t, { manifest: noLicense, repoUrl: REPO, githubCom: true })).toThrow('Input "package-license"');
    const linuxOnly = { ...manifest, artifacts: manifest.artifacts.filter((a) => a.os !== 'windows') };
    expect(() => planTaps(t, { manifest: linuxOnly, repoUrl: REPO, githubCom: true })).toThrow(/Input "scoop-bucket".*no windows zips/);
    const plan = planTaps(read({ 'homebrew-tap': 'acme/homebrew-tap', 'scoop-bucket': 'acme/scoop-bucket' }), {
      manifest,
      repoUrl: REPO,
      githubCom: true,
    });
    expect(plan.files.map((f) => f.path)).toEqual(['Casks/hello.rb', 'hello.json']);
    expect(plan.meta.description).toBe('Says hello');
  });

  it('the install section shows the package managers’ commands', () => {
    const t = read({ 'homebrew-tap': 'acme/homebrew-tap', 'scoop-bucket': 'acme/scoop-bucket' });
    const s = installSection(manifest, { ...t, repoUrl: REPO });
    expect(s).toContain(
      `curl -fsSLO ${REPO}/releases/download/v1.2.3/hello_1.2.3_linux_amd64.deb\nsudo apt install ./hello_1.2.3_linux_amd64.deb`,
    );
    expect(s).toContain(
      `Fedora, RHEL and openSUSE (aarch64):\n\n\`\`\`sh\nsudo dnf install ${REPO}/releases/download/v1.2.3/hello_1.2.3_linux_arm64.rpm`,
    );
    expect(s).toContain('brew tap acme/tap\nbrew install --cask acme/tap/hello');
    expect(s).toContain('scoop bucket add scoop-bucket https://github.com/acme/scoop-bucket\nscoop install scoop-bucket/hello');
    expect(installSection({ ...manifest, artifacts: [] }, { repoUrl: REPO })).toBe('');
  });
});
