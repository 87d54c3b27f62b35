/**
 * The hostile-input catalogue of multiarch-build's package inputs, through the committed bundle:
 * every case is refused with an `::error::` naming its input, before any build, without a stack,
 * a write outside the workspace, the trap's content or the canary password (given as
 * `registry-password` in every case) in anything goship writes.
 */
import { actionDir, fixturesDir, goEnv } from '@goship/testkit';
import { CANARIES, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = actionDir('multiarch-build');
const LONG = 'x'.repeat(20_000);

interface Case {
  name: string;
  input: string;
  inputs: Record<string, string>;
  prepare?: (ws: HostileWorkspace) => Promise<void>;
}

const deb = (inputs: Record<string, string>) => ({ packages: 'deb', ...inputs });

const CASES: Case[] = [
  // formats
  { name: 'an unknown package format', input: 'packages', inputs: { packages: 'deb,msi' } },
  { name: 'an option as a format', input: 'packages', inputs: { packages: '--target=/etc' } },
  { name: 'packages without a linux platform', input: 'packages', inputs: { packages: 'rpm', platforms: 'darwin/arm64' } },
  // nFPM's CLI expands $VAR: a value must never pull the runner's environment into a package
  { name: 'a $VAR in the description', input: 'package-description', inputs: deb({ 'package-description': 'token: $GITHUB_TOKEN' }) },
  { name: 'a ${VAR} in the vendor', input: 'package-vendor', inputs: deb({ 'package-vendor': '${RUNNER_TEMP}' }) },
  { name: 'a $VAR in a dependency', input: 'package-depends', inputs: deb({ 'package-depends': 'libc6, $HOME' }) },
  {
    name: 'a $VAR in a content path',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /usr/share/$USER}' }),
  },
  { name: 'a $VAR in the package name', input: 'package-name', inputs: deb({ 'package-name': 'hello$PATH' }) },
  // templates
  { name: 'an unknown template field', input: 'package-name', inputs: deb({ 'package-name': '{{ .Secret }}' }) },
  { name: 'an unclosed template', input: 'package-file-name', inputs: deb({ 'package-file-name': '{{ .PackageName' }) },
  { name: 'a template calling an unknown function', input: 'package-bindir', inputs: deb({ 'package-bindir': '{{ exec "id" }}' }) },
  { name: 'a multi-line package name', input: 'package-name', inputs: deb({ 'package-name': 'hello\nPackage: evil' }) },
  // metadata
  { name: 'a maintainer without an address', input: 'package-maintainer', inputs: deb({ 'package-maintainer': 'Ada Lovelace' }) },
  {
    name: 'a maintainer with a control-field injection',
    input: 'package-maintainer',
    inputs: deb({ 'package-maintainer': 'A <a@b.c>\nDepends: evil' }),
  },
  { name: 'a homepage that is not http(s)', input: 'package-homepage', inputs: deb({ 'package-homepage': 'javascript:alert(1)' }) },
  { name: 'a license with shell characters', input: 'package-license', inputs: deb({ 'package-license': 'MIT; rm -rf /' }) },
  { name: 'a section with spaces', input: 'package-section', inputs: deb({ 'package-section': 'utils evil' }) },
  { name: 'an unknown priority', input: 'package-priority', inputs: deb({ 'package-priority': 'urgent' }) },
  { name: 'a dependency that is a sentence', input: 'package-depends', inputs: deb({ 'package-depends': 'please install git' }) },
  { name: 'a 20 000-character dependency', input: 'package-recommends', inputs: deb({ 'package-recommends': LONG }) },
  { name: 'a lintian override that is not a tag', input: 'package-lintian-overrides', inputs: deb({ 'package-lintian-overrides': '*' }) },
  { name: 'an unpinned nFPM', input: 'nfpm-version', inputs: deb({ 'nfpm-version': 'latest' }) },
  { name: 'an nFPM version with a module path', input: 'nfpm-version', inputs: deb({ 'nfpm-version': 'v2.45.2@evil.example/x' }) },
  // contents
  { name: 'contents that are not YAML', input: 'package-contents', inputs: deb({ 'package-contents': '- {src: [' }) },
  { name: 'contents that are not a list', input: 'package-contents', inputs: deb({ 'package-contents': 'src: README.md' }) },
  {
    name: 'a content source climbing out with ../',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: ../../trap/passwd, dst: /etc/passwd}' }),
  },
  {
    name: 'an absolute content source outside',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: /etc/shadow, dst: /etc/x}' }),
  },
  {
    name: 'a content source through a symlink out',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: trap-link/passwd, dst: /etc/x}' }),
  },
  {
    name: 'a glob through a symlink out',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: "trap-link/*", dst: /etc/x}' }),
  },
  { name: 'a relative destination', input: 'package-contents', inputs: deb({ 'package-contents': '- {src: README.md, dst: etc/x}' }) },
  {
    name: 'a destination climbing with ..',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /usr/../../etc/x}' }),
  },
  {
    name: 'an unknown content type',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, type: device}' }),
  },
  {
    name: 'an unknown content key',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, expand: true}' }),
  },
  {
    name: 'a mode that is not octal',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, file_info: {mode: 999}}' }),
  },
  {
    name: 'a setuid-beyond mode',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, file_info: {mode: "17777"}}' }),
  },
  {
    name: 'an owner with shell characters',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, file_info: {owner: "root;id"}}' }),
  },
  {
    name: 'a content packager that is not a format',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: README.md, dst: /x, packager: msi}' }),
  },
  // scripts
  { name: 'a script climbing out', input: 'package-scripts', inputs: deb({ 'package-scripts': 'postinstall=../../trap/passwd' }) },
  { name: 'a script through a symlink out', input: 'package-scripts', inputs: deb({ 'package-scripts': 'postinstall=trap-link/passwd' }) },
  { name: 'a script that is a folder', input: 'package-scripts', inputs: deb({ 'package-scripts': 'preinstall=.' }) },
  { name: 'an unknown script kind', input: 'package-scripts', inputs: deb({ 'package-scripts': 'pretrans=README.md' }) },
  { name: 'a script line that is not KIND=path', input: 'package-scripts', inputs: deb({ 'package-scripts': 'rm -rf /' }) },
  {
    name: 'a script that is a symlink planted out',
    input: 'package-scripts',
    inputs: deb({ 'package-scripts': 'postremove=scripts/postrm' }),
    prepare: async (ws) => {
      await mkdir(path.join(ws.module, 'scripts'), { recursive: true });
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'scripts/postrm'));
    },
  },
  {
    name: 'a content file that is a symlink planted out',
    input: 'package-contents',
    inputs: deb({ 'package-contents': '- {src: config/evil.yaml, dst: /etc/hello.yaml}' }),
    prepare: async (ws) => {
      await mkdir(path.join(ws.module, 'config'), { recursive: true });
      await writeFile(path.join(ws.module, 'config/ok.yaml'), 'ok\n');
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'config/evil.yaml'));
    },
  },
];

describe('multiarch-build package inputs, hostile', () => {
  it('has a catalogue of at least 40 cases, each with its own name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name → refused on "$input"', async (c) => {
    const ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
    await c.prepare?.(ws);
    const { problems, result } = await runHostile(
      dir,
      ws,
      { name: c.name, input: c.input, inputs: { platforms: 'linux/amd64', 'registry-password': CANARIES.password, ...c.inputs } },
      { env: goEnv() },
    );
    expect(problems, result.log).toEqual([]);
    expect(result.log).not.toMatch(/\[command\].*(go build|nfpm)/);
    await rm(ws.root, { recursive: true, force: true });
  });
});
