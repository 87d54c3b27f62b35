import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import {
  CONFIG_NAMES,
  ConfigError,
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_BINARY_ARCHIVE_NAME,
  DEFAULT_CHECKSUM_NAME,
  DEFAULT_LDFLAGS,
  DEFAULT_SNAPSHOT_VERSION,
  type GoreleaserConfig,
  type ReadOptions,
  buildDetailsFor,
  describe,
  expandEnv,
  findConfig,
  formatsFor,
  goreleaserConfigFromText,
  goreleaserDefaults,
  readGoreleaserConfig,
} from '../src/config/index.js';

function moduleDir(mod = 'example.com/acme/widget'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-config-'));
  writeFileSync(path.join(dir, 'go.mod'), `module ${mod} // the module\n\ngo 1.24.0\n`);
  return dir;
}

function read(text: string, opts: ReadOptions = {}): GoreleaserConfig {
  return goreleaserConfigFromText(text, { moduleDir: moduleDir(), env: {}, ...opts });
}

function problems(text: string, opts: ReadOptions = {}): string[] {
  try {
    read(text, opts);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${describe(p.where)}: ${p.got} | ${p.expected} | ${p.fix ?? ''}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

group('defaults, as GoReleaser v2.15.1 applies them', () => {
  it('a file with only `version: 2` gets every default', () => {
    const c = read('version: 2\n');
    expect(c.schemaVersion).toBe(2);
    expect(c.projectName).toBe('widget');
    expect(c.projectNameFrom).toBe('go.mod');
    expect(c.dist).toBe('dist');
    expect(c.builds).toHaveLength(1);
    const b = c.builds[0]!;
    expect(b.id).toBe('widget');
    expect(b.binary.text).toBe('widget');
    expect(b.binaryIsDefault).toBe(true);
    expect(b.main).toBe('.');
    expect(b.dir).toBe('.');
    expect(b.ldflags.map((t) => t.text)).toEqual([DEFAULT_LDFLAGS]);
    expect(describe(b.ldflags[0]!.where)).toBe('builds[0].ldflags[0] (default)');
    expect(b.goos).toEqual(['linux', 'darwin', 'windows']);
    expect(b.goarch).toEqual(['amd64', 'arm64', '386']);
    expect(b.targets.map((t) => t.target)).toEqual([
      'linux_amd64_v1',
      'linux_arm64_v8.0',
      'linux_386_sse2',
      'darwin_amd64_v1',
      'darwin_arm64_v8.0',
      'windows_amd64_v1',
      'windows_arm64_v8.0',
      'windows_386_sse2',
    ]);
    const a = c.archives[0]!;
    expect(a.id).toBe('default');
    expect(a.formats).toEqual(['tar.gz']);
    expect(a.nameTemplate.text).toBe(DEFAULT_ARCHIVE_NAME);
    expect(a.files.map((f) => f.src.text)).toEqual(['license*', 'LICENSE*', 'readme*', 'README*', 'changelog*', 'CHANGELOG*']);
    expect(a.files.every((f) => f.isDefault)).toBe(true);
    expect(a.buildsInfo.mode).toBe(0o755);
    expect(c.checksum.nameTemplate.text).toBe(DEFAULT_CHECKSUM_NAME);
    expect(c.checksum.algorithm).toBe('sha256');
    expect(c.snapshot.versionTemplate.text).toBe(DEFAULT_SNAPSHOT_VERSION);
    expect(c.release.nameTemplate.text).toBe('{{.Tag}}');
    expect(c.release.mode).toBe('keep-existing');
    expect(c.changelog.use).toBe('git');
    expect(c.changelog.format.text).toBe('{{ .SHA }} {{ .Message }}');
    expect(c.notApplied).toEqual([]);
  });

  it('no file at all is the same as an empty one', () => {
    const c = goreleaserDefaults({ moduleDir: moduleDir('example.com/x/tool/v2') });
    // GoReleaser takes the last element of `go list -m`, even a major version suffix.
    expect(c.projectName).toBe('v2');
    expect(c.schemaVersion).toBe(1);
  });

  it('the project is named after the repository before go.mod, unless the release is disabled', () => {
    expect(read('version: 2\n', { repository: 'octo/gadget' }).projectName).toBe('gadget');
    expect(read('version: 2\n', { repository: 'octo/gadget' }).projectNameFrom).toBe('repository');
    expect(read('version: 2\nrelease: {disable: true}\n', { repository: 'octo/gadget' }).projectName).toBe('widget');
    expect(read('version: 2\nrelease: {github: {owner: o, name: fromrelease}}\n', { repository: 'octo/gadget' }).projectName).toBe(
      'fromrelease',
    );
    expect(read('version: 2\nproject_name: given\n', { repository: 'octo/gadget' }).projectName).toBe('given');
    const none = goreleaserConfigFromText.bind(null, 'version: 2\n', { env: {} });
    expect(none).toThrow(/add `project_name:`/);
  });

  it('archives with format binary get the binary name template; snapshot.name_template wins over version_template', () => {
    const c = read('version: 2\narchives: [{formats: [binary]}]\nsnapshot: {version_template: a, name_template: b}\n');
    expect(c.archives[0]!.nameTemplate.text).toBe(DEFAULT_BINARY_ARCHIVE_NAME);
    expect(c.snapshot.versionTemplate.text).toBe('b');
  });

  it('wrap_in_directory: true means the archive name; false means none; other text is the folder', () => {
    const c = read(
      'version: 2\narchives:\n  - {id: a, name_template: "n-{{ .Os }}", wrap_in_directory: true}\n  - {id: b, wrap_in_directory: "false"}\n  - {id: c, wrap_in_directory: "dir-{{ .Arch }}"}\n',
    );
    expect(c.archives.map((a) => a.wrapInDirectory?.text)).toEqual(['n-{{ .Os }}', undefined, 'dir-{{ .Arch }}']);
    expect(describe(c.archives[0]!.wrapInDirectory!.where)).toBe('archives[0].wrap_in_directory (.goreleaser.yaml:3)');
  });

  it('GORELEASER_EXPERIMENTAL=defaultgoarm makes 7 the default goarm', () => {
    const text = 'version: 2\nbuilds: [{goos: [linux], goarch: [arm]}]\n';
    expect(read(text).builds[0]!.targets.map((t) => t.target)).toEqual(['linux_arm_6']);
    expect(read(text, { env: { GORELEASER_EXPERIMENTAL: 'x,defaultgoarm' } }).builds[0]!.targets.map((t) => t.target)).toEqual([
      'linux_arm_7',
    ]);
  });

  it('builds[].env is expanded with the environment on load (os.ExpandEnv), then kept as templates', () => {
    const c = read('version: 2\nbuilds: [{env: ["CC=$CC_BIN", "X=${NOPE}y", "T={{ .Env.HOME }}", "D=$$"]}]\n', {
      env: { CC_BIN: 'zig cc' },
    });
    expect(c.builds[0]!.env.map((t) => t.text)).toEqual(['CC=zig cc', 'X=y', 'T={{ .Env.HOME }}', 'D=']);
    expect(expandEnv('a $ b ${} c', {})).toBe('a $ b  c');
  });

  it('CGO_ENABLED: the build env wins over the global env; a templated value is unknown', () => {
    const c = read(
      'version: 2\nenv: [CGO_ENABLED=0]\nbuilds:\n  - {id: a}\n  - {id: b, env: [CGO_ENABLED=1]}\n  - {id: c, env: ["CGO_ENABLED={{ .Env.CGO }}"]}\n',
    );
    expect(c.builds.map((b) => b.cgoEnabled)).toEqual(['0', '1', undefined]);
  });
});

group('positions', () => {
  const text = [
    'version: 2', // 1
    'builds:', // 2
    '  - id: one', // 3
    '  - id: two', // 4
    '    ldflags:', // 5
    '      - -s -w', // 6
    '      - -X main.version={{ .Version }}', // 7
    '    binary: "tool-{{ .Os }}"', // 8
    'archives:', // 9
    '  - files:', // 10
    '      - README.md', // 11
    '      - src: docs/*', // 12
    '        info: {mode: 0600}', // 13
  ].join('\n');

  it('every value names its key and line', () => {
    const c = read(text, { displayName: '.goreleaser.yaml' });
    const b = c.builds[1]!;
    expect(describe(b.ldflags[1]!.where)).toBe('builds[1].ldflags[1] (.goreleaser.yaml:7)');
    expect(describe(b.binary.where)).toBe('builds[1].binary (.goreleaser.yaml:8)');
    expect(b.binary.where.col).toBe(5);
    expect(describe(c.where('builds[0].id'))).toBe('builds[0].id (.goreleaser.yaml:3)');
    expect(describe(c.archives[0]!.files[0]!.src.where)).toBe('archives[0].files[0] (.goreleaser.yaml:11)');
    expect(describe(c.archives[0]!.files[1]!.src.where)).toBe('archives[0].files[1].src (.goreleaser.yaml:12)');
    expect(c.archives[0]!.files[1]!.info.mode).toBe(0o600);
    expect(describe(c.where('no.such.key'))).toBe('no.such.key (default)');
  });

  it('readGoreleaserConfig names the file relative to the module folder', () => {
    const dir = moduleDir();
    mkdirSync(path.join(dir, '.config'));
    const f = path.join(dir, '.config', 'goreleaser.yml');
    writeFileSync(f, 'version: 2\nbuilds: [{goos: [plan10]}]\n');
    expect(() => readGoreleaserConfig(f, { moduleDir: dir })).toThrow(
      /builds\[0\]\.goos\[0\] \(\.config\/goreleaser\.yml:2\): got "plan10"/,
    );
  });
});

group('the v1 schema', () => {
  it('v1 spellings are read as their v2 keys', () => {
    const c = read(
      [
        'project_name: old',
        'build: {binary: one, goos: [linux], goarch: [amd64]}',
        'archives:',
        '  - format: zip',
        '    builds: [old]',
        '    strip_parent_binary_folder: true',
        '    format_overrides: [{goos: linux, format: tar.gz}]',
        'changelog: {skip: true}',
        'snapshot: {name_template: "{{ .Tag }}-next"}',
      ].join('\n'),
    );
    expect(c.schemaVersion).toBe(1);
    expect(c.builds.map((b) => [b.key, b.binary.text])).toEqual([['build', 'one']]);
    const a = c.archives[0]!;
    expect(a.formats).toEqual(['zip']);
    expect(a.ids).toEqual(['old']);
    expect(a.stripBinaryDirectory).toBe(true);
    expect(a.formatOverrides[0]!.formats).toEqual(['tar.gz']);
    expect(c.changelog.disable?.text).toBe('true');
    expect(c.snapshot.versionTemplate.text).toBe('{{ .Tag }}-next');
  });

  it('archives.format and format are both kept, deprecated one last, as GoReleaser appends it', () => {
    expect(read('version: 2\narchives: [{formats: [tar.gz], format: zip}]\n').archives[0]!.formats).toEqual(['tar.gz', 'zip']);
  });

  it('keys v2 removed are errors in a version: 2 file, with the replacement', () => {
    const p = problems('version: 2\nchangelog: {skip: true}\narchives: [{strip_parent_binary_folder: true}]\n');
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^changelog\.skip \(\.goreleaser\.yaml:2\).*removed in GoReleaser v2\. Rename it to `disable`/);
    expect(p[1]).toMatch(/strip_parent_binary_folder.*Rename it to `strip_binary_directory`/);
  });

  it('archives.replacements cannot be honoured; rlcp is reported as not applied', () => {
    expect(problems('archives: [{replacements: {amd64: x86_64}}]\n')[0]).toMatch(/archives\[0\]\.replacements.*name_template/);
    const c = read('archives: [{rlcp: true}]\n');
    expect(c.notApplied.map((n) => n.key)).toContain('archives[0].rlcp');
  });

  it('version 3 is refused', () => {
    expect(problems('version: 3\n')[0]).toMatch(/^version \(\.goreleaser\.yaml:1\): 3 \| `version: 2`/);
  });
});

group('strict reading', () => {
  it('unknown keys are errors naming the closest known spelling, at every level', () => {
    const p = problems('version: 2\narchivs: []\nbuilds:\n  - ldflag: [-s]\n    hooks: {pre: x, postt: y}\n');
    expect(p).toEqual([
      'archivs (.goreleaser.yaml:2):  | a key GoReleaser knows here | `archivs` is unknown; did you mean `archives`?',
      'builds[0].ldflag (.goreleaser.yaml:4):  | a key GoReleaser knows here | `ldflag` is unknown; did you mean `ldflags`?',
      'builds[0].hooks.postt (.goreleaser.yaml:5):  | a key GoReleaser knows here | `postt` is unknown; did you mean `post`?',
    ]);
  });

  it('with `pro: true` unknown keys are reported as not applied, as GoReleaser OSS ignores them', () => {
    const c = read('version: 2\npro: true\nbuilds: [{prebuilt: {path: x}}]\n');
    expect(c.notApplied).toEqual([
      { key: 'builds[0].prebuilt', where: '.goreleaser.yaml:3', reason: 'not a GoReleaser OSS key (the file says `pro: true`)' },
    ]);
  });

  it('scalars are typed by the field they fill, as Go’s YAML decoder does', () => {
    const c = read(
      'version: 2\nbuilds: [{goos: [linux], goarch: [arm], goarm: [7], flags: -trimpath -v, ldflags: -s -w}]\nrelease: {draft: yes, prerelease: auto}\narchives: [{files: [{src: a, info: {mode: 0o640}}]}]\n',
    );
    const b = c.builds[0]!;
    expect(b.goarm).toEqual(['7']);
    // FlagArray splits one string at spaces, StringArray keeps it whole.
    expect(b.flags.map((t) => t.text)).toEqual(['-trimpath', '-v']);
    expect(b.ldflags.map((t) => t.text)).toEqual(['-s -w']);
    expect(c.release.draft).toBe(true);
    expect(c.release.prerelease).toBe('auto');
    expect(c.archives[0]!.files[0]!.info.mode).toBe(0o640);
  });

  it('a scalar where a list belongs, or a list where a string belongs, is an error', () => {
    const p = problems('version: 2\nbuilds: [{goos: linux, binary: [a, b], no_main_check: maybe}]\n');
    expect(p).toEqual([
      'builds[0].goos (.goreleaser.yaml:2): linux | a list | Write it as a list: `goos: [linux]`',
      'builds[0].binary (.goreleaser.yaml:2): (a list) | a string | ',
      'builds[0].no_main_check (.goreleaser.yaml:2): maybe | true or false | ',
    ]);
  });

  it('a top-level key that only holds anchors is unknown, as GoReleaser’s strict decoder says', () => {
    expect(problems('version: 2\nx-common: &c {goos: [linux]}\nbuilds: [*c]\n')[0]).toMatch(/^x-common \(\.goreleaser\.yaml:2\)/);
  });

  it('merge keys fill what the mapping does not set', () => {
    const c = read(
      [
        'version: 2',
        'builds:',
        '  - &base',
        '    id: a',
        '    goos: [linux]',
        '    ldflags: &ld [-s -w]',
        '  - <<: *base',
        '    id: b',
        '    goos: [darwin]',
        '    gcflags: *ld',
      ].join('\n'),
    );
    expect(c.builds.map((b) => [b.id, b.goos, b.ldflags.map((t) => t.text), b.gcflags.map((t) => t.text)])).toEqual([
      ['a', ['linux'], ['-s -w'], []],
      ['b', ['darwin'], ['-s -w'], ['-s -w']],
    ]);
  });

  it('YAML syntax errors and duplicate keys name the line', () => {
    expect(problems('version: 2\nbuilds:\n  - id: a\n    id: b\n')[0]).toMatch(/^\(YAML\) \(\.goreleaser\.yaml:4\).*unique/);
    expect(problems('version: 2\nbuilds: [\n')[0]).toMatch(/^\(YAML\) \(\.goreleaser\.yaml:\d\)/);
  });

  it('duplicate ids are errors, as GoReleaser’s ids check makes them', () => {
    const p = problems('version: 2\nbuilds: [{goos: [linux]}, {goos: [darwin]}]\n');
    expect(p[0]).toMatch(
      /^builds\[1\] \(\.goreleaser\.yaml:2\): widget \| an id no other entry of `builds` has \(builds\[0\] has it too\)/,
    );
  });

  it('invalid goos, goarch and variants are errors before anything is built', () => {
    const p = problems('version: 2\nbuilds: [{goos: [linux, linuks], goarch: [amd64, arm], goarm: ["8"], goamd64: [v9]}]\n');
    expect(p.map((x) => x.split(':')[0])).toEqual([
      'builds[0].goos[1] (.goreleaser.yaml',
      'builds[0].goarm[0] (.goreleaser.yaml',
      'builds[0].goamd64[0] (.goreleaser.yaml',
    ]);
  });

  it('every problem of a file is reported at once', () => {
    const e = (() => {
      try {
        read('version: 2\nbuilds: [{builder: rust, goos: [x]}]\nchecksum: {algorithm: md5}\nfoo: 1\n');
      } catch (err) {
        return err as ConfigError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect(e!.problems).toHaveLength(4);
    expect(e!.message).toMatch(/^\.goreleaser\.yaml cannot be used as written \(4 problems\):\n {2}builds\[0\]\.builder/);
    expect(e!.message).toMatch(
      /\n {2}foo \(\.goreleaser\.yaml:4\): expected a key GoReleaser knows here\. `foo` is unknown; did you mean `[a-z_]+`\?$/,
    );
  });
});

group('not applied, and refused', () => {
  it('sections goship does not do are listed with where and why, never silently dropped', () => {
    const c = read(
      [
        'version: 2',
        'dockers: [{image_templates: [x]}]',
        'krews: [{name: x}]',
        'snapcrafts: [{summary: x}]',
        'universal_binaries: [{replace: true}]',
        'signs: [{cmd: cosign, artifacts: checksum, args: [sign-blob]}, {id: gpg, artifacts: all}]',
        'changelog: {use: github-native}',
        'includes: [{from_url: {url: x}}]',
      ].join('\n'),
    );
    expect(c.notApplied.map((n) => `${n.key} @${n.where}`)).toEqual([
      'dockers @.goreleaser.yaml:2',
      'krews @.goreleaser.yaml:3',
      'snapcrafts @.goreleaser.yaml:4',
      'universal_binaries @.goreleaser.yaml:5',
      'signs[0].cmd @.goreleaser.yaml:6',
      'signs[0].args @.goreleaser.yaml:6',
      'changelog.use @.goreleaser.yaml:7',
      'includes @.goreleaser.yaml:8',
      'signs[1] @.goreleaser.yaml:6',
    ]);
    expect(c.notApplied.find((n) => n.key === 'includes')!.reason).toMatch(/Pro feature.*not read/);
    expect(c.notApplied.find((n) => n.key === 'signs[1]')!.reason).toMatch(/gpg/);
    expect(c.signs.map((s) => [s.id, s.artifacts])).toEqual([
      ['default', 'checksum'],
      ['gpg', 'all'],
    ]);
  });

  it('a section set to null is not reported', () => {
    expect(read('version: 2\ndockers:\nbrews: ~\n').notApplied).toEqual([]);
  });

  it('what would build or publish something else is refused with what is accepted', () => {
    const p = problems(
      [
        'version: 2',
        'builds:',
        '  - {id: a, builder: zig}',
        '  - {id: b, buildmode: c-shared}',
        '  - {id: c, tool: garble}',
        '  - {id: d, buildmode: pie, overrides: [{goos: linux, goarch: amd64, buildmode: c-archive}]}',
        'archives: [{formats: [tar.xz]}, {id: r, formats: [rar]}]',
        'release: {gitlab: {owner: a, name: b}}',
        'checksum: {split: true}',
      ].join('\n'),
    );
    expect(p).toEqual([
      'builds[0].builder (.goreleaser.yaml:3): zig | one of go (goship builds Go modules only) | Build that part with its own tool, or remove the build',
      'builds[1].buildmode (.goreleaser.yaml:4): c-shared | one of exe, pie, default (goship builds and archives executables) | Remove `buildmode` (C libraries and plugins are not built)',
      'builds[2].tool (.goreleaser.yaml:5): garble | one of go (goship builds with the Go toolchain setup-go-matrix installed) | Remove `tool` and choose the Go version with setup-go-matrix `go-version`',
      'builds[3].overrides[0].buildmode (.goreleaser.yaml:6): c-archive | one of exe, pie, default (goship builds and archives executables) | Remove `buildmode` (C libraries and plugins are not built)',
      'archives[0].formats[0] (.goreleaser.yaml:7): tar.xz | one of tar.gz, zip, binary (multiarch-build writes these archive formats) | Use tar.gz, zip or binary',
      'archives[1].formats[0] (.goreleaser.yaml:7): rar | one of tar, tgz, tar.gz, zip, gz, tar.xz, txz, tar.zst, tzst, binary | GoReleaser accepts only these',
      'release.gitlab (.goreleaser.yaml:8):  | no `release.gitlab` (goship publishes GitHub releases) | Remove `release.gitlab`',
      'checksum.split (.goreleaser.yaml:9): true | one of false (goship writes one checksums file) | Remove `split`',
    ]);
  });

  it('a hook that needs a shell is refused with the explicit sh -c form', () => {
    const p = problems('version: 2\nbefore:\n  hooks:\n    - go mod tidy && go generate ./...\n    - "echo {{ .Env.X | lower }}"\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^before\.hooks\[0\] \(\.goreleaser\.yaml:4\): go mod tidy && go generate/);
    expect(p[0]).toMatch(/would silently run only `go mod tidy`.*sh -c 'go mod tidy && go generate \.\/\.\.\.'/);
  });

  it('build hooks keep dir, env and output', () => {
    const c = read(
      'version: 2\nbuilds:\n  - hooks:\n      pre: make gen\n      post:\n        - {cmd: "upx {{ .Path }}", dir: "{{ dir .Path }}", env: [A=1], output: true}\n',
    );
    const h = c.builds[0]!.hooks;
    expect(h.pre.map((x) => x.cmd.text)).toEqual(['make gen']);
    expect(describe(h.pre[0]!.cmd.where)).toBe('builds[0].hooks.pre[0] (.goreleaser.yaml:4)');
    expect(h.post[0]).toMatchObject({
      cmd: { text: 'upx {{ .Path }}' },
      dir: { text: '{{ dir .Path }}' },
      env: [{ text: 'A=1' }],
      output: true,
    });
  });

  it('changelog patterns are Go regular expressions translated once, errors named', () => {
    const c = read(
      'version: 2\nchangelog:\n  filters: {exclude: ["(?i)^docs:"]}\n  groups:\n    - {title: F, regexp: "^feat(\\\\([[:word:]]+\\\\))?:", order: 1}\n',
    );
    expect(c.changelog.exclude[0]!.regexp.test('DOCS: x')).toBe(true);
    expect(c.changelog.groups[0]!.regexp!.regexp.test('feat(cli_2): x')).toBe(true);
    expect(problems('version: 2\nchangelog: {filters: {include: ["(a)\\\\1"]}}\n')[0]).toMatch(
      /changelog\.filters\.include\[0\].*backreferences/,
    );
  });
});

group('per-target rules', () => {
  it('overrides replace what they set for their target only, env added', () => {
    const c = read(
      'version: 2\nbuilds:\n  - goos: [linux, darwin]\n    goarch: [amd64]\n    ldflags: [-s]\n    env: [A=1, B=2]\n    overrides:\n      - {goos: darwin, goarch: amd64, ldflags: [-w], env: [B=3]}\n',
    );
    const b = c.builds[0]!;
    expect(b.overrides[0]!.target).toBe('darwin_amd64_v1');
    const d = buildDetailsFor(b, 'darwin_amd64_v1');
    expect(d.ldflags.map((t) => t.text)).toEqual(['-w']);
    expect(d.env.map((t) => t.text)).toEqual(['A=1', 'B=3']);
    expect(buildDetailsFor(b, b.targets[0]!).ldflags.map((t) => t.text)).toEqual(['-s']);
  });

  it('format overrides match goos as a prefix, first match wins', () => {
    const c = read(
      'version: 2\narchives: [{format_overrides: [{goos: net, formats: [zip]}, {goos: windows, formats: [zip]}, {goos: linux}]}]\n',
    );
    const a = c.archives[0]!;
    expect(formatsFor(a, 'netbsd')).toEqual(['zip']);
    expect(formatsFor(a, 'windows')).toEqual(['zip']);
    expect(formatsFor(a, 'linux')).toEqual(['tar.gz']);
  });
});

group('the fixtures of the differential tests', () => {
  const root = path.resolve(import.meta.dirname, '../../../fixtures/goreleaser');
  it('every fixture file reads without problems, and without keys goship would not apply', () => {
    const names = readdirSync(root).filter((n) => existsSync(path.join(root, n, 'goship-fixture.json')));
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const n of names) {
      const file = findConfig(path.join(root, n), '');
      expect(file, n).toBeDefined();
      const c = readGoreleaserConfig(file!, { moduleDir: path.join(root, n), repository: `goship-fixtures/${n}`, env: {} });
      expect(c.notApplied, n).toEqual([]);
      expect(
        c.builds.every((b) => b.targets.length > 0),
        n,
      ).toBe(true);
    }
  });
});

group('findConfig', () => {
  it('looks for the names GoReleaser looks for, in its order', () => {
    const dir = moduleDir();
    expect(findConfig(dir, '')).toBeUndefined();
    writeFileSync(path.join(dir, 'goreleaser.yaml'), 'version: 2\n');
    expect(findConfig(dir, '')).toBe(path.join(dir, 'goreleaser.yaml'));
    writeFileSync(path.join(dir, '.goreleaser.yaml'), 'version: 2\n');
    writeFileSync(path.join(dir, '.goreleaser.yml'), 'version: 2\n');
    expect(findConfig(dir, '')).toBe(path.join(dir, '.goreleaser.yml'));
    mkdirSync(path.join(dir, '.config'));
    writeFileSync(path.join(dir, '.config', 'goreleaser.yaml'), 'version: 2\n');
    expect(findConfig(dir, '')).toBe(path.join(dir, '.config', 'goreleaser.yaml'));
    expect(CONFIG_NAMES[0]).toBe('.config/goreleaser.yml');
  });

  it('`none` uses no file; a path is resolved by the caller’s policy and must exist', () => {
    const dir = moduleDir();
    writeFileSync(path.join(dir, '.goreleaser.yaml'), 'version: 2\n');
    expect(findConfig(dir, 'none')).toBeUndefined();
    expect(findConfig(dir, ' .goreleaser.yaml ')).toBe(path.join(dir, '.goreleaser.yaml'));
    const seen: string[] = [];
    expect(findConfig(dir, 'x.yml', { resolve: (p) => (seen.push(p), path.join(dir, '.goreleaser.yaml')) })).toBe(
      path.join(dir, '.goreleaser.yaml'),
    );
    expect(seen).toEqual(['x.yml']);
    expect(() => findConfig(dir, 'missing.yaml')).toThrow(InputError);
    expect(() => findConfig(dir, 'missing.yaml')).toThrow(/Input "config": got "missing\.yaml"; expected a GoReleaser file/);
  });
});
