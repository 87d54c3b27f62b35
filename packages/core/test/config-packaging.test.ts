/**
 * The packaging sections of .goreleaser.yaml (nfpms, homebrew_casks, brews, scoops): typed with
 * GoReleaser's defaults and positions, what goship does not apply reported, and the mapping onto
 * the inputs of multiarch-build and semver-release.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_PACKAGE_FILE_NAME,
  type GoreleaserConfig,
  fileLine,
  goreleaserConfigFromText,
  packageInputs,
  tapInputs,
} from '../src/config/index.js';

function read(text: string): GoreleaserConfig {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-config-'));
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/acme/widget\n\ngo 1.24.0\n');
  return goreleaserConfigFromText(text, { moduleDir: dir, env: {} });
}

const NFPMS = `version: 2
nfpms:
  - id: packages
    package_name: widget-cli
    vendor: Acme
    homepage: https://acme.example/widget
    maintainer: Ada <ada@acme.example>
    description: |-
      Widgets from the command line.
      Makes, lists and removes widgets.
    license: Apache-2.0
    formats: [deb, rpm, apk, archlinux]
    section: utils
    dependencies: [git, "libc6 (>= 2.31)"]
    recommends: [bash-completion]
    contents:
      - src: completions/widget.bash
        dst: /usr/share/bash-completion/completions/widget
        file_info: { mode: 0644 }
      - src: config/widget.yaml
        dst: /etc/widget/config.yaml
        type: config|noreplace
        file_info: { mode: 0640, owner: root, group: widget }
    scripts:
      postinstall: scripts/postinstall.sh
    deb:
      lintian_overrides: [statically-linked-binary]
      signature: { key_file: key.gpg }
    rpm:
      group: Unspecified
`;

describe('nfpms', () => {
  it('reads the fields with positions, and defaults the rest as GoReleaser does', () => {
    const c = read(NFPMS);
    expect(c.nfpms).toHaveLength(1);
    const n = c.nfpms[0]!;
    expect(n).toMatchObject({
      id: 'packages',
      formats: ['deb', 'rpm', 'apk', 'archlinux'],
      vendor: 'Acme',
      license: 'Apache-2.0',
      section: 'utils',
      priority: '',
      dependencies: ['git', 'libc6 (>= 2.31)'],
      recommends: ['bash-completion'],
      lintianOverrides: ['statically-linked-binary'],
      fileNameIsDefault: true,
    });
    expect(n.packageName.text).toBe('widget-cli');
    expect(fileLine(n.packageName.where)).toBe('.goreleaser.yaml:4');
    expect(n.description!.text).toBe('Widgets from the command line.\nMakes, lists and removes widgets.');
    expect(n.fileNameTemplate.text).toBe(DEFAULT_PACKAGE_FILE_NAME);
    expect(n.bindir.text).toBe('/usr/bin');
    expect(fileLine(n.bindir.where)).toBe('default');
    expect(n.contents.map((x) => [x.src?.text, x.dst.text, x.type, x.info.mode, x.info.group?.text])).toEqual([
      ['completions/widget.bash', '/usr/share/bash-completion/completions/widget', '', 0o644, undefined],
      ['config/widget.yaml', '/etc/widget/config.yaml', 'config|noreplace', 0o640, 'widget'],
    ]);
    expect(fileLine(n.contents[1]!.where)).toBe('.goreleaser.yaml:20');
    expect(n.scripts.postinstall?.text).toBe('scripts/postinstall.sh');
    expect(c.where('nfpms[0].maintainer').line).toBe(7);
  });

  it('the package name defaults to the project name; nfpms is no longer "not applied" as a whole', () => {
    const c = read('version: 2\nnfpms: [{formats: [deb]}]\n');
    expect(c.nfpms[0]!.packageName.text).toBe('widget');
    expect(c.nfpms[0]!.id).toBe('default');
    expect(c.notApplied).toEqual([]);
  });

  it('reports what multiarch-build does not do, with where and why', () => {
    const c = read(NFPMS);
    const na = c.notApplied.map((x) => `${x.key} @${x.where}`);
    expect(na).toEqual([
      'nfpms[0].formats[3] @.goreleaser.yaml:12',
      'nfpms[0].deb.signature @.goreleaser.yaml:28',
      'nfpms[0].rpm.group @.goreleaser.yaml:30',
    ]);
    expect(c.notApplied[0]!.reason).toMatch(/deb, rpm and apk/);
    expect(c.notApplied[1]!.reason).toMatch(/Sigstore signature covers them/);
  });

  it('an unknown key inside nfpms is an error with the closest spelling', () => {
    let err: unknown;
    try {
      read('version: 2\nnfpms:\n  - maintaner: x\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/nfpms\[0\]\.maintaner \(\.goreleaser\.yaml:3\).*did you mean `maintainer`/);
  });

  it('maps onto the package-* inputs of multiarch-build, contents as nFPM-style YAML', () => {
    const m = packageInputs(read(NFPMS));
    const v = Object.fromEntries(Object.entries(m.inputs).map(([k, x]) => [k, x.value]));
    expect(v).toMatchObject({
      packages: 'deb,rpm,apk',
      'package-name': 'widget-cli',
      'package-maintainer': 'Ada <ada@acme.example>',
      'package-vendor': 'Acme',
      'package-license': 'Apache-2.0',
      'package-section': 'utils',
      'package-depends': 'git\nlibc6 (>= 2.31)',
      'package-recommends': 'bash-completion',
      'package-scripts': 'postinstall=scripts/postinstall.sh',
      'package-lintian-overrides': 'statically-linked-binary',
    });
    // defaults are left to the action
    expect(v['package-file-name']).toBeUndefined();
    expect(v['package-bindir']).toBeUndefined();
    expect(v['package-priority']).toBeUndefined();
    expect(parse(v['package-contents']!)).toEqual([
      { src: 'completions/widget.bash', dst: '/usr/share/bash-completion/completions/widget', file_info: { mode: '0644' } },
      {
        src: 'config/widget.yaml',
        dst: '/etc/widget/config.yaml',
        type: 'config|noreplace',
        file_info: { mode: '0640', owner: 'root', group: 'widget' },
      },
    ]);
    expect(fileLine(m.inputs['package-maintainer']!.where)).toBe('.goreleaser.yaml:7');
  });

  it('a second nfpms entry is reported, not mixed in', () => {
    const m = packageInputs(read('version: 2\nnfpms:\n  - formats: [deb]\n  - id: two\n    formats: [rpm]\n'));
    expect(m.inputs.packages?.value).toBe('deb');
    expect(m.notApplied.map((x) => `${x.key} @${x.where}`)).toEqual(['nfpms[1] @.goreleaser.yaml:4']);
  });
});

const TAPS = `version: 2
homebrew_casks:
  - repository:
      owner: acme
      name: homebrew-tap
      branch: main
      token: "{{ .Env.TAP_TOKEN }}"
      pull_request:
        enabled: true
    commit_author:
      name: acme-bot
      email: bot@acme.example
    description: Widgets from the command line.
    homepage: https://acme.example/widget
    caveats: Run widget init first.
scoops:
  - repository: { owner: acme, name: scoop-bucket }
    license: Apache-2.0
    directory: bucket
`;

describe('homebrew_casks, brews, scoops', () => {
  it('reads casks and scoops with GoReleaser defaults', () => {
    const c = read(TAPS);
    const cask = c.homebrewCasks[0]!;
    expect(cask).toMatchObject({ kind: 'cask', directory: 'Casks', description: 'Widgets from the command line.' });
    expect(cask.name.text).toBe('widget');
    expect(cask.binaries.map((b) => b.text)).toEqual(['widget']);
    expect(cask.repository?.owner?.text).toBe('acme');
    expect(cask.repository?.pullRequest.enabled).toBe(true);
    expect(c.scoops[0]).toMatchObject({ kind: 'scoop', directory: 'bucket', license: 'Apache-2.0' });
    expect(c.notApplied.map((x) => x.key)).toEqual(['homebrew_casks[0].repository.token', 'homebrew_casks[0].caveats']);
  });

  it('maps onto semver-release inputs; a directory other than the default is reported', () => {
    const m = tapInputs(read(TAPS));
    const v = Object.fromEntries(Object.entries(m.inputs).map(([k, x]) => [k, x.value]));
    expect(v).toEqual({
      'homebrew-tap': 'acme/homebrew-tap@main',
      'tap-pull-request': 'true',
      'tap-commit-author': 'acme-bot <bot@acme.example>',
      'package-description': 'Widgets from the command line.',
      'package-homepage': 'https://acme.example/widget',
      'scoop-bucket': 'acme/scoop-bucket',
      'package-license': 'Apache-2.0',
    });
    expect(m.notApplied.map((x) => `${x.key} @${x.where}`)).toEqual(['scoops[0].directory @.goreleaser.yaml:19']);
  });

  it('a brews entry becomes a formula; a v1 file’s single scoop is read too', () => {
    const brew = tapInputs(read('version: 2\nbrews:\n  - repository: { owner: acme, name: homebrew-tap }\n'));
    expect(brew.inputs['homebrew-formula']?.value).toBe('true');
    expect(brew.inputs['homebrew-tap']?.value).toBe('acme/homebrew-tap');
    const v1 = read('scoop:\n  bucket_placeholder: ~\n'.replace('  bucket_placeholder: ~\n', '  license: MIT\n'));
    expect(v1.scoops.map((s) => [s.key, s.license])).toEqual([['scoop', 'MIT']]);
    expect(v1.notApplied).toEqual([]);
  });
});
