/**
 * The keys of `.goreleaser.yaml` (GoReleaser OSS v2.15.1, pkg/config/config.go) as data: how each
 * value is read, which ones goship does not do ("not applied", reported, never silent), which
 * values it refuses because honouring the rest of the file would then build or publish something
 * else, and the spellings GoReleaser v1 used. Sections goship does not do are listed by name only;
 * their insides are not checked.
 */

/** How a value is read; mirrors the Go field type and its custom YAML unmarshaler. */
export type Kind =
  | { t: 'str' }
  /** A string GoReleaser renders as a template (kept unrendered). */
  | { t: 'tmpl' }
  | { t: 'bool' }
  | { t: 'int' }
  /** os.FileMode: an integer, `0644` read as octal as Go's YAML decoder does. */
  | { t: 'mode' }
  /** []string: a sequence only. */
  | { t: 'strs' }
  | { t: 'tmpls' }
  /** config.StringArray: a sequence, or one string taken as a one-item list. */
  | { t: 'strArray' }
  | { t: 'tmplArray' }
  /** config.FlagArray: a sequence, or one string split at white space. */
  | { t: 'flagArray' }
  | { t: 'obj'; keys: Keys }
  /** A sequence of `of`; `scalar` names the field a plain string item fills (`files: [README.md]`). */
  | { t: 'list'; of: Kind; scalar?: string; single?: boolean }
  /** map[string]string */
  | { t: 'map' }
  /** Read as plain data, not checked: a section goship does not do. */
  | { t: 'any' };

export type Keys = Readonly<Record<string, Kind>>;

const str: Kind = { t: 'str' };
const tmpl: Kind = { t: 'tmpl' };
const bool: Kind = { t: 'bool' };
const int: Kind = { t: 'int' };
const strs: Kind = { t: 'strs' };
const tmpls: Kind = { t: 'tmpls' };
const any: Kind = { t: 'any' };
const obj = (keys: Keys): Kind => ({ t: 'obj', keys });
const list = (of: Kind, scalar?: string): Kind => (scalar ? { t: 'list', of, scalar } : { t: 'list', of });

const fileInfo = obj({ owner: tmpl, group: tmpl, mode: { t: 'mode' }, mtime: tmpl });
const extraFile = list(obj({ glob: tmpl, name_template: tmpl }));
const variants = { goamd64: str, go386: str, goarm: str, goarm64: str, gomips: str, goppc64: str, goriscv64: str };
const buildDetails = {
  buildmode: str,
  ldflags: { t: 'tmplArray' },
  tags: { t: 'flagArray' },
  flags: { t: 'flagArray' },
  asmflags: { t: 'tmplArray' },
  gcflags: { t: 'tmplArray' },
  env: tmpls,
} as const satisfies Keys;
const hook = obj({ dir: tmpl, cmd: tmpl, env: tmpls, output: bool });
/** config.Hooks: one command, or a list of commands and `{cmd, dir, env, output}` objects. */
const hooks: Kind = { t: 'list', of: hook, scalar: 'cmd', single: true };
const repo = obj({ owner: tmpl, name: tmpl });

const build = obj({
  id: str,
  goos: strs,
  goarch: strs,
  goamd64: strs,
  go386: strs,
  goarm: strs,
  goarm64: strs,
  gomips: strs,
  goppc64: strs,
  goriscv64: strs,
  targets: strs,
  ignore: list(obj({ goos: str, goarch: str, ...variants })),
  dir: str,
  main: str,
  binary: tmpl,
  hooks: obj({ pre: hooks, post: hooks }),
  builder: str,
  mod_timestamp: tmpl,
  skip: tmpl,
  tool: tmpl,
  command: str,
  no_unique_dist_dir: tmpl,
  no_main_check: bool,
  overrides: list(obj({ goos: str, goarch: str, ...variants, ...buildDetails })),
  gobinary: tmpl,
  ...buildDetails,
});

const archive = obj({
  id: str,
  ids: strs,
  builds_info: fileInfo,
  name_template: tmpl,
  formats: { t: 'strArray' },
  format_overrides: list(obj({ goos: str, formats: { t: 'strArray' }, format: str })),
  wrap_in_directory: tmpl,
  strip_binary_directory: bool,
  files: list(obj({ src: tmpl, dst: str, strip_parent: bool, info: fileInfo }), 'src'),
  meta: bool,
  allow_different_binary_count: bool,
  format: str,
  builds: strs,
  // Spellings GoReleaser v2 removed (see V1_ONLY).
  strip_parent_binary_folder: bool,
  rlcp: any,
  replacements: any,
});

// nfpms (pkg/config NFPM): GoReleaser renders the fields marked tmpl (internal/pipe/nfpm).
const nfpmScripts = obj({ preinstall: tmpl, postinstall: tmpl, preremove: tmpl, postremove: tmpl });
const nfpmContent = obj({ src: tmpl, dst: tmpl, type: str, packager: str, file_info: fileInfo, expand: bool });
const nfpmOverridables = {
  file_name_template: tmpl,
  package_name: tmpl,
  epoch: str,
  release: str,
  prerelease: str,
  version_metadata: str,
  dependencies: strs,
  recommends: strs,
  suggests: strs,
  conflicts: strs,
  umask: { t: 'mode' },
  replaces: strs,
  provides: strs,
  contents: list(nfpmContent),
  scripts: nfpmScripts,
  rpm: obj({
    summary: str,
    group: str,
    compression: str,
    signature: obj({ key_file: tmpl }),
    scripts: obj({ pretrans: str, posttrans: str }),
    prefixes: strs,
    packager: str,
    buildhost: str,
  }),
  deb: obj({
    scripts: obj({ rules: str, templates: str, config: str }),
    triggers: any,
    breaks: strs,
    signature: obj({ key_file: tmpl, type: str }),
    lintian_overrides: strs,
    compression: str,
    fields: { t: 'map' },
    predepends: strs,
  }),
  apk: obj({ scripts: obj({ preupgrade: str, postupgrade: str }), signature: obj({ key_file: tmpl, key_name: tmpl }) }),
  archlinux: any,
  ipk: any,
} as const satisfies Keys;
const nfpm = obj({
  ...nfpmOverridables,
  overrides: obj({
    deb: obj(nfpmOverridables),
    rpm: obj(nfpmOverridables),
    apk: obj(nfpmOverridables),
    archlinux: any,
    ipk: any,
    'termux.deb': any,
  }),
  id: str,
  ids: strs,
  formats: strs,
  section: str,
  priority: str,
  vendor: str,
  homepage: tmpl,
  maintainer: tmpl,
  description: tmpl,
  license: str,
  bindir: tmpl,
  libdirs: any,
  changelog: str,
  mtime: tmpl,
  meta: bool,
  goamd64: strs,
  builds: strs,
});

// Taps and buckets (pkg/config RepoRef, CommitAuthor, HomebrewCask, Homebrew, Scoop).
const repoRef = obj({
  owner: tmpl,
  name: tmpl,
  token: tmpl,
  branch: tmpl,
  git: any,
  pull_request: obj({ enabled: bool, draft: bool, base: obj({ owner: tmpl, name: tmpl, branch: tmpl }) }),
});
const commitAuthor = obj({ name: tmpl, email: tmpl, signing: any, use_github_app_token: bool });
const caskUninstall = obj({ launchctl: strs, quit: strs, login_item: strs, delete: strs, trash: strs });
const tapCommon = {
  name: tmpl,
  repository: repoRef,
  commit_author: commitAuthor,
  commit_msg_template: tmpl,
  directory: str,
  description: str,
  homepage: str,
  license: str,
  skip_upload: tmpl,
  ids: strs,
} as const satisfies Keys;
const homebrewCask = obj({
  ...tapCommon,
  caveats: str,
  custom_block: str,
  service: str,
  binaries: tmpls,
  manpages: tmpls,
  url: obj({
    template: tmpl,
    verified: str,
    using: str,
    cookies: { t: 'map' },
    referer: str,
    headers: strs,
    user_agent: str,
    data: { t: 'map' },
  }),
  completions: obj({ bash: tmpl, zsh: tmpl, fish: tmpl }),
  dependencies: list(obj({ cask: str, formula: str })),
  conflicts: list(obj({ cask: str, formula: str })),
  hooks: obj({ pre: obj({ install: tmpl, uninstall: tmpl }), post: obj({ install: tmpl, uninstall: tmpl }) }),
  uninstall: caskUninstall,
  zap: caskUninstall,
  generate_completions_from_executable: any,
  manpage: tmpl,
  binary: tmpl,
});
const brew = obj({
  ...tapCommon,
  caveats: str,
  install: str,
  extra_install: str,
  post_install: str,
  dependencies: list(obj({ name: str, type: str, version: str, os: str })),
  test: str,
  conflicts: strs,
  download_strategy: str,
  url_template: tmpl,
  url_headers: strs,
  custom_require: str,
  custom_block: str,
  goarm: str,
  goamd64: str,
  service: str,
});
const scoop = obj({
  ...tapCommon,
  url_template: tmpl,
  persist: strs,
  pre_install: strs,
  post_install: strs,
  depends: strs,
  shortcuts: any,
  goamd64: str,
});

/** Every top-level key of GoReleaser OSS v2.15.1, plus the v1 and Pro ones goship recognises. */
export const PROJECT: Keys = {
  version: int,
  pro: bool,
  project_name: str,
  env: tmpls,
  dist: str,
  before: obj({ hooks: list(hook, 'cmd') }),
  builds: list(build),
  archives: list(archive),
  checksum: obj({ name_template: tmpl, algorithm: str, split: bool, ids: strs, disable: bool, extra_files: extraFile }),
  snapshot: obj({ version_template: tmpl, name_template: tmpl }),
  release: obj({
    github: repo,
    gitlab: repo,
    gitea: repo,
    draft: bool,
    replace_existing_draft: bool,
    use_existing_draft: bool,
    target_commitish: tmpl,
    disable: tmpl,
    skip_upload: tmpl,
    prerelease: str,
    make_latest: tmpl,
    name_template: tmpl,
    ids: strs,
    extra_files: extraFile,
    discussion_category_name: tmpl,
    header: tmpl,
    footer: tmpl,
    mode: str,
    replace_existing_artifacts: bool,
    include_meta: bool,
  }),
  changelog: obj({
    filters: obj({ include: strs, exclude: strs }),
    sort: str,
    disable: tmpl,
    use: str,
    format: tmpl,
    groups: list(obj({ title: str, regexp: str, order: int })),
    abbrev: int,
    skip: tmpl,
  }),
  signs: list(
    obj({
      id: str,
      cmd: str,
      args: tmpls,
      signature: tmpl,
      artifacts: str,
      ids: strs,
      stdin: tmpl,
      stdin_file: str,
      env: tmpls,
      certificate: tmpl,
      output: tmpl,
    }),
  ),
  sboms: list(obj({ id: str, cmd: str, env: tmpls, args: tmpls, documents: tmpls, artifacts: str, ids: strs, disable: tmpl })),
  metadata: obj({
    mod_timestamp: tmpl,
    // GoReleaser Pro.
    description: any,
    full_description: any,
    homepage: any,
    license: any,
    maintainers: any,
    commit_author: any,
  }),
  git: obj({ tag_sort: str, prerelease_suffix: str, ignore_tags: tmpls, ignore_tag_prefixes: any }),
  github_urls: obj({ api: tmpl, upload: tmpl, download: tmpl, skip_tls_verify: bool }),
  // Sections goship does not do.
  milestones: any,
  nix: any,
  winget: any,
  aurs: any,
  aur_sources: any,
  krews: any,
  kos: any,

  srpm: any,
  snapcrafts: any,
  flatpak: any,
  dockers_v2: any,
  docker_digest: any,
  artifactories: any,
  uploads: any,
  blobs: any,
  publishers: any,
  notarize: any,
  docker_signs: any,
  binary_signs: any,
  env_files: any,
  source: any,
  gomod: any,
  announce: any,
  chocolateys: any,
  report_sizes: any,
  makeselfs: any,
  universal_binaries: any,
  upx: any,
  mcp: any,
  force_token: any,
  gitlab_urls: any,
  gitea_urls: any,
  dockers: any,
  docker_manifests: any,
  // Linux packages, and the manifests of Homebrew and Scoop (multiarch-build and semver-release).
  nfpms: list(nfpm),
  homebrew_casks: list(homebrewCask),
  brews: list(brew),
  scoops: list(scoop),
  // GoReleaser v1 only.
  build: build,
  scoop: scoop,
  // GoReleaser Pro only.
  includes: any,
  variables: any,
  monorepo: any,
  nightly: any,
  template_files: any,
  after: any,
  partial: any,
  dmg: any,
  dmgs: any,
  msi: any,
  msis: any,
  pkgs: any,
  nsis: any,
  app_bundles: any,
  furies: any,
  cloudsmiths: any,
  npms: any,
  dockerhub: any,
  gemfury: any,
};

const PRO = 'a GoReleaser Pro feature; goship reads the OSS schema';
const PUBLISHER = 'goship publishes to the GitHub release only';
const IMAGES = 'goship builds images itself, without a Docker daemon: use multiarch-build `image-*` inputs';
const SIGNING = 'sign-attest signs with Sigstore (`<name>.sigstore.json` bundles)';

const NFPM_KEPT = 'multiarch-build packages every Linux binary it built';
const NFPM_SIGN = 'packages are not signed with a package key: the checksums file lists them and its Sigstore signature covers them';
const NFPM_FIELD = 'multiarch-build does not set this package field (see its `package-*` inputs)';
const NFPM_FORMAT = 'goship builds deb, rpm and apk packages';
const TAP_FIXED = 'semver-release writes this part of the manifest itself (see its `homebrew-*`, `scoop-*` and `tap-*` inputs)';
const TAP_TOKEN = 'semver-release takes the tap token from its `tap-token` input (a declared secret)';

/** The parts of `nfpms`, `homebrew_casks`, `brews` and `scoops` goship does not apply. */
const PACKAGING_NOT_APPLIED: Readonly<Record<string, string>> = {
  'nfpms[].formats[]=archlinux': NFPM_FORMAT,
  'nfpms[].formats[]=ipk': NFPM_FORMAT,
  'nfpms[].formats[]=termux.deb': NFPM_FORMAT,
  'nfpms[].ids': NFPM_KEPT,
  'nfpms[].builds': NFPM_KEPT,
  'nfpms[].meta': 'goship packages binaries; meta packages (dependencies only) are not built',
  'nfpms[].libdirs': 'goship builds executables, not C libraries',
  'nfpms[].changelog': 'the deb gets a Debian changelog of the released version, written by goship',
  'nfpms[].mtime': 'every file in a package carries the commit time (SOURCE_DATE_EPOCH), so packages are reproducible',
  'nfpms[].umask': 'goship sets every mode explicitly (0755 binaries, 0644 other files, or the mode given)',
  'nfpms[].contents[].expand': 'goship does not expand environment variables in package contents',
  'nfpms[].overrides': 'per-format overrides are not applied: every format gets the same settings',
  'nfpms[].archlinux': NFPM_FORMAT,
  'nfpms[].ipk': NFPM_FORMAT,
  'nfpms[].deb.signature': NFPM_SIGN,
  'nfpms[].rpm.signature': NFPM_SIGN,
  'nfpms[].apk.signature': NFPM_SIGN,
  ...Object.fromEntries(
    [
      'epoch',
      'release',
      'prerelease',
      'version_metadata',
      'suggests',
      'replaces',
      'provides',
      'deb.scripts',
      'deb.triggers',
      'deb.breaks',
      'deb.compression',
      'deb.fields',
      'deb.predepends',
      'rpm.summary',
      'rpm.group',
      'rpm.compression',
      'rpm.scripts',
      'rpm.prefixes',
      'rpm.packager',
      'rpm.buildhost',
      'apk.scripts',
    ].map((k) => [`nfpms[].${k}`, NFPM_FIELD]),
  ),
  ...Object.fromEntries(
    ['homebrew_casks', 'brews', 'scoops', 'scoop'].flatMap((s) => {
      const p = s === 'scoop' ? s : `${s}[]`;
      return [
        [`${p}.repository.token`, TAP_TOKEN],
        [`${p}.repository.git`, 'semver-release commits through GitHub’s contents API, not over git'],
        [`${p}.commit_author.signing`, 'commits made through the contents API are signed by GitHub'],
        [`${p}.commit_author.use_github_app_token`, TAP_TOKEN],
        [`${p}.commit_msg_template`, TAP_FIXED],
        [
          `${p}.skip_upload`,
          'semver-release updates the tap whenever it publishes a release (leave `homebrew-tap` / `scoop-bucket` empty to skip)',
        ],
        [`${p}.ids`, 'the manifest uses the release’s archives'],
      ];
    }),
  ),
  ...Object.fromEntries(
    [
      'caveats',
      'custom_block',
      'service',
      'manpages',
      'manpage',
      'url',
      'completions',
      'dependencies',
      'conflicts',
      'hooks',
      'uninstall',
      'zap',
      'generate_completions_from_executable',
    ].map((k) => [`homebrew_casks[].${k}`, TAP_FIXED]),
  ),
  ...Object.fromEntries(
    [
      'caveats',
      'install',
      'extra_install',
      'post_install',
      'dependencies',
      'test',
      'conflicts',
      'download_strategy',
      'url_template',
      'url_headers',
      'custom_require',
      'custom_block',
      'goarm',
      'goamd64',
      'service',
    ].map((k) => [`brews[].${k}`, TAP_FIXED]),
  ),
  ...Object.fromEntries(
    ['url_template', 'persist', 'pre_install', 'post_install', 'depends', 'shortcuts', 'goamd64'].flatMap((k) => [
      [`scoops[].${k}`, TAP_FIXED],
      [`scoop.${k}`, TAP_FIXED],
    ]),
  ),
};

/**
 * Keys goship reads but does not do, with the reason shown to the user. A key matches when the
 * file sets it (to anything but null). `[]` stands for any list index.
 */
export const NOT_APPLIED: Readonly<Record<string, string>> = {
  milestones: 'goship does not close milestones',
  nix: PUBLISHER,
  winget: PUBLISHER,
  aurs: PUBLISHER,
  aur_sources: PUBLISHER,
  krews: PUBLISHER,
  chocolateys: PUBLISHER,
  artifactories: PUBLISHER,
  uploads: PUBLISHER,
  blobs: PUBLISHER,
  publishers: PUBLISHER,
  mcp: PUBLISHER,
  announce: 'goship does not announce releases (semver-release has `announce-webhook`)',
  kos: IMAGES,
  dockers: IMAGES,
  dockers_v2: IMAGES,
  docker_manifests: IMAGES,
  docker_digest: IMAGES,
  docker_signs: `${SIGNING} images it pushed itself`,
  srpm: 'goship builds binary packages (deb, rpm, apk), not source RPMs',
  snapcrafts: 'goship does not build snaps',
  flatpak: 'goship does not build Flatpaks',
  makeselfs: 'goship does not build makeself archives',
  universal_binaries: 'goship does not merge macOS universal binaries; darwin/amd64 and darwin/arm64 ship separately',
  upx: 'goship does not compress binaries with UPX (it would change the reproducible bytes)',
  notarize: 'goship does not sign or notarize macOS binaries with Apple',
  binary_signs: `${SIGNING}; binaries are covered by the checksums file and provenance`,
  'signs[].cmd': `${SIGNING}; the command is not run`,
  'signs[].args': `${SIGNING}; the command is not run`,
  'signs[].signature': `${SIGNING}; no signature file of this name is written`,
  'signs[].certificate': `${SIGNING}; the certificate is in the bundle`,
  'signs[].stdin': `${SIGNING}; the command is not run`,
  'signs[].stdin_file': `${SIGNING}; the command is not run`,
  'signs[].env': `${SIGNING}; the command is not run`,
  'signs[].output': `${SIGNING}; the command is not run`,
  'sboms[].cmd': 'multiarch-build writes SBOMs itself (input `sbom`); the command is not run',
  'sboms[].args': 'multiarch-build writes SBOMs itself (input `sbom`); the command is not run',
  'sboms[].env': 'multiarch-build writes SBOMs itself (input `sbom`); the command is not run',
  'sboms[].documents': 'multiarch-build names SBOMs `<artifact>.spdx.json` / `.cdx.json`',
  env_files: 'goship takes tokens from inputs (`token`), not from files',
  force_token: 'goship publishes to GitHub only',
  gitlab_urls: 'goship publishes to GitHub only',
  gitea_urls: 'goship publishes to GitHub only',
  'github_urls.skip_tls_verify': 'goship always verifies TLS',
  source: 'goship does not publish a source archive (GitHub attaches one to every release)',
  gomod: 'goship builds from the checkout, not through the module proxy',
  report_sizes: 'the job summary always lists sizes',
  'changelog.use=github-native': 'semver-release writes the notes from the git history, not with GitHub’s generator',
  'release.discussion_category_name': 'semver-release does not open release discussions',
  'release.include_meta': 'metadata.json and artifacts.json are not uploaded; the goship manifest is',
  'archives[].rlcp': 'always on since GoReleaser v1.19; nothing to do',
  'git.ignore_tag_prefixes': PRO,
  'git.tag_sort=semver': PRO,
  'git.tag_sort=smartsemver': PRO,
  'metadata.description': PRO,
  'metadata.full_description': PRO,
  'metadata.homepage': PRO,
  'metadata.license': PRO,
  'metadata.maintainers': PRO,
  'metadata.commit_author': PRO,
  includes: `${PRO}: the included files are not read, so anything they set is missing here`,
  variables: `${PRO}: {{ .Var.* }} in templates has no value`,
  monorepo: PRO,
  nightly: PRO,
  template_files: PRO,
  after: PRO,
  partial: PRO,
  dmg: PRO,
  dmgs: PRO,
  msi: PRO,
  msis: PRO,
  pkgs: PRO,
  nsis: PRO,
  app_bundles: PRO,
  furies: PRO,
  cloudsmiths: PRO,
  npms: PRO,
  dockerhub: PRO,
  gemfury: PRO,
  ...PACKAGING_NOT_APPLIED,
};

/**
 * Values goship refuses: honouring the rest of the file while ignoring these would build or
 * publish something other than what GoReleaser would. `allow` lists what is accepted.
 */
export interface Refusal {
  allow: readonly string[];
  why: string;
  fix: string;
}

export const REFUSED: Readonly<Record<string, Refusal>> = {
  'builds[].builder': {
    allow: ['', 'go'],
    why: 'goship builds Go modules only',
    fix: 'Build that part with its own tool, or remove the build',
  },
  'builds[].buildmode': {
    allow: ['', 'exe', 'pie', 'default'],
    why: 'goship builds and archives executables',
    fix: 'Remove `buildmode` (C libraries and plugins are not built)',
  },
  'builds[].overrides[].buildmode': {
    allow: ['', 'exe', 'pie', 'default'],
    why: 'goship builds and archives executables',
    fix: 'Remove `buildmode` (C libraries and plugins are not built)',
  },
  'builds[].command': {
    allow: ['', 'build'],
    why: 'goship runs `go build`',
    fix: 'Remove `command` (test binaries are not released)',
  },
  'builds[].tool': {
    allow: ['', 'go'],
    why: 'goship builds with the Go toolchain setup-go-matrix installed',
    fix: 'Remove `tool` and choose the Go version with setup-go-matrix `go-version`',
  },
  'builds[].gobinary': {
    allow: ['', 'go'],
    why: 'goship builds with the Go toolchain setup-go-matrix installed',
    fix: 'Remove `gobinary` and choose the Go version with setup-go-matrix `go-version`',
  },
  'archives[].formats[]': {
    allow: ['tar.gz', 'zip', 'binary'],
    why: 'multiarch-build writes these archive formats',
    fix: 'Use tar.gz, zip or binary',
  },
  'archives[].format': {
    allow: ['', 'tar.gz', 'zip', 'binary'],
    why: 'multiarch-build writes these archive formats',
    fix: 'Use tar.gz, zip or binary',
  },
  'archives[].format_overrides[].formats[]': {
    allow: ['tar.gz', 'zip', 'binary', 'none'],
    why: 'multiarch-build writes these archive formats',
    fix: 'Use tar.gz, zip, binary or none',
  },
  'archives[].format_overrides[].format': {
    allow: ['', 'tar.gz', 'zip', 'binary', 'none'],
    why: 'multiarch-build writes these archive formats',
    fix: 'Use tar.gz, zip, binary or none',
  },
  'checksum.algorithm': {
    allow: ['', 'sha256', 'sha512'],
    why: 'goship computes sha256 and sha512 digests',
    fix: 'Use sha256 or sha512',
  },
  'checksum.split': {
    allow: ['false'],
    why: 'goship writes one checksums file',
    fix: 'Remove `split`',
  },
  'release.gitlab': { allow: [], why: 'goship publishes GitHub releases', fix: 'Remove `release.gitlab`' },
  'release.gitea': { allow: [], why: 'goship publishes GitHub releases', fix: 'Remove `release.gitea`' },
  'changelog.use': {
    allow: ['', 'git', 'github', 'github-native'],
    why: 'goship publishes GitHub releases',
    fix: 'Use `git` or `github`',
  },
};

/** What GoReleaser itself accepts for the keys it checks (goship refuses some of these above). */
export const GORELEASER_ENUMS: Readonly<Record<string, readonly string[]>> = {
  'archives[].formats[]': ['tar', 'tgz', 'tar.gz', 'zip', 'gz', 'tar.xz', 'txz', 'tar.zst', 'tzst', 'binary'],
  'archives[].format': ['', 'tar', 'tgz', 'tar.gz', 'zip', 'gz', 'tar.xz', 'txz', 'tar.zst', 'tzst', 'binary'],
  'archives[].format_overrides[].formats[]': ['tar', 'tgz', 'tar.gz', 'zip', 'gz', 'tar.xz', 'txz', 'tar.zst', 'tzst', 'binary', 'none'],
  'checksum.algorithm': [
    '',
    'sha256',
    'sha512',
    'sha1',
    'crc32',
    'md5',
    'sha224',
    'sha384',
    'sha3-256',
    'sha3-512',
    'sha3-224',
    'sha3-384',
    'blake2s',
    'blake2b',
    'blake3',
  ],
  'changelog.sort': ['', 'asc', 'desc'],
  'changelog.use': ['', 'git', 'github', 'github-native', 'gitlab', 'gitea'],
  'release.mode': ['', 'keep-existing', 'append', 'prepend', 'replace'],
  'release.prerelease': ['', 'auto', 'true', 'false'],
  'signs[].artifacts': ['', 'all', 'manifests', 'images', 'checksum', 'source', 'package', 'archive', 'binary', 'sbom', 'none'],
  'sboms[].artifacts': ['', 'source', 'package', 'archive', 'binary', 'any', 'none'],
};

/**
 * Spellings GoReleaser v1 accepted and v2 removed. In a v1 file (no `version:`, or `version: 1`)
 * they are read as their v2 key (`to`), or reported / refused; in a `version: 2` file they are
 * errors, as in GoReleaser.
 */
export const V1_ONLY: Readonly<Record<string, { to?: string; refuse?: string; fix: string }>> = {
  'archives[].strip_parent_binary_folder': { to: 'strip_binary_directory', fix: 'Rename it to `strip_binary_directory`' },
  'changelog.skip': { to: 'disable', fix: 'Rename it to `disable`' },
  build: { to: 'builds', fix: 'Write it as `builds:` with one list item' },
  scoop: { to: 'scoops', fix: 'Write it as `scoops:` with one list item' },
  'archives[].rlcp': { fix: 'Remove it: it is always on' },
  'archives[].replacements': {
    refuse: 'archive names would differ from what the replacements produce',
    fix: 'Write the names in `name_template`, e.g. `{{- if eq .Arch "amd64" }}x86_64{{- else }}{{ .Arch }}{{ end }}`',
  },
};
