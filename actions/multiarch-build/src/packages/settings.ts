/**
 * The Linux-package inputs of multiarch-build (`packages`, `package-*`, `nfpm-version`), read and
 * checked before anything is built. Template inputs (GoReleaser's fields, core/template) are
 * compiled and tried on sample values here, so a typo fails first; paths are confined to the
 * workspace; every value nFPM would read as `$VAR` is refused (its CLI expands environment
 * variables in most fields, which would put the runner's environment into a package).
 */
import type { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import type { Platform } from '@goship/core/platform';
import { confinePath } from '@goship/core/paths';
import { DEFAULT_PACKAGE_FILE_NAME } from '@goship/core/config';
import { TemplateError, compileTemplate, goreleaserFields } from '@goship/core/template';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_FORMATS, type PackageFormat } from './naming.js';

/** The pinned nFPM (tools.versions; the pins test checks the two agree). */
/** A maintainer as Debian policy and RPM want it: `Name <email>`. */
export const MAINTAINER_WITH_ADDRESS = /^[^<>]+ <[^<>\s]+@[^<>\s]+>$/;
/** A maintainer that is a plain name (no brackets, no control characters): what a GoReleaser file may give. */
export const PLAIN_MAINTAINER = /^[^<>\p{Cc}]+$/u;

export const NFPM_MODULE = 'github.com/goreleaser/nfpm/v2/cmd/nfpm';

export const SCRIPT_KINDS = ['preinstall', 'postinstall', 'preremove', 'postremove'] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

/** nFPM's content types goship passes on (files.Type* of nFPM v2.45.2). */
export const CONTENT_TYPES = [
  'file',
  'config',
  'config|noreplace',
  'config|missingok',
  'dir',
  'symlink',
  'doc',
  'license',
  'readme',
  'ghost',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export interface ContentSpec {
  /** Template; a file or glob relative to the module (a link target for symlinks, none for dirs). */
  src: string;
  /** Template; an absolute path in the package. */
  dst: string;
  type: ContentType;
  /** '' = every format. */
  packager: '' | PackageFormat;
  /** undefined: 0755 for an executable source, 0644 otherwise (never the checkout's umask). */
  mode?: number;
  owner: string;
  group: string;
  /** For messages: `package-contents[2]`. */
  label: string;
}

export interface PackageSettings {
  formats: PackageFormat[];
  name: string;
  fileName: string;
  bindir: string;
  /** '' = the default (see metadata.ts). */
  maintainer: string;
  description: string;
  license: string;
  homepage: string;
  vendor: string;
  section: string;
  priority: string;
  depends: string[];
  recommends: string[];
  conflicts: string[];
  contents: ContentSpec[];
  /** Absolute, confined paths. */
  scripts: Partial<Record<ScriptKind, string>>;
  lintianOverrides: string[];
  nfpmVersion: string;
  /** What lintian's errors do: fail the step (default), or `warn` (packages a GoReleaser file asks for). */
  lintianErrors?: 'fail' | 'warn';
  /** The maintainer is the GoReleaser file's (`nfpms[0].maintainer`): one without an address is built as written, with a warning. */
  maintainerFromFile?: boolean;
}

const SAMPLE = goreleaserFields({
  projectName: 'project',
  version: '1.2.3',
  tag: 'v1.2.3',
  commit: '0'.repeat(40),
  shortCommit: '0000000',
  fullCommit: '0'.repeat(40),
  semver: { major: 1, minor: 2, patch: 3 },
  artifact: { os: 'linux', arch: 'amd64', amd64: 'v1', target: 'linux_amd64_v1' },
  extra: {
    PackageName: 'project',
    Format: 'deb',
    Release: '',
    Epoch: '',
    ConventionalFileName: 'project_1.2.3_amd64.deb',
    ConventionalExtension: '.deb',
  },
});

/** Compiles and tries a template input on sample values: a syntax error or an unknown field fails here. */
export function checkTemplate(input: string, text: string): void {
  try {
    compileTemplate(text, { where: `input "${input}"` }).execute(SAMPLE);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    throw new InputError(
      input,
      text,
      'a Go template over GoreleaserFields such as {{ .ProjectName }}, {{ .Version }}, {{ .Arch }}',
      e.reason,
    );
  }
}

/** nFPM's CLI runs os.Expand over these fields: a `$` would read the runner's environment. */
export function refuseDollar(input: string, value: string): void {
  if (value.includes('$')) {
    throw new InputError(input, value, 'text without `$`', 'nFPM expands `$NAME` in this field from the environment; write the value out');
  }
}

function oneLine(input: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new InputError(input, value, 'one line', 'Put it on one line');
}

const PRIORITIES = ['required', 'important', 'standard', 'optional', 'extra'] as const;
const RELATION =
  /^[A-Za-z0-9][A-Za-z0-9+._-]*(\s*:\s*[a-z0-9]+)?(\s*\(?\s*(<<|<=|=|>=|>>|<|>)\s*[A-Za-z0-9.+:~_-]+\s*\)?)?(\s*\|\s*[A-Za-z0-9][^|,$]*)*$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function relations(inputs: Inputs, name: string): string[] {
  const out = inputs.list(name);
  for (const r of out) {
    refuseDollar(name, r);
    if (!RELATION.test(r) || r.length > 200) {
      throw new InputError(
        name,
        r,
        'package relations, one per line: `name`, `name (>= 1.2)`, `a | b`',
        'Separate relations with new lines or commas',
      );
    }
  }
  return out;
}

function absolutePackagePath(input: string, p: string): void {
  if (p.includes('{{')) return; // rendered per target, checked again then
  if (!p.startsWith('/') || p.split('/').includes('..') || /[\0\r\n]/.test(p) || path.posix.normalize(p) !== p.replace(/\/+$/, '')) {
    throw new InputError(
      input,
      p,
      'an absolute, normalised path in the package, e.g. /usr/share/man/man1/hello.1',
      'No `..`, `//` or relative paths',
    );
  }
}

/** A YAML scalar as text (objects as JSON, for messages). */
function scalarText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  return JSON.stringify(v);
}

function parseMode(input: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = scalarText(v);
  // YAML reads 0644 as the number 644 (YAML 1.2) or 420 (1.1): take the digits as octal, as nFPM's users write them.
  const digits = typeof v === 'number' ? v.toString(10) : s.replace(/^0o/, '');
  if (!/^[0-7]{3,4}$/.test(digits))
    throw new InputError(input, s, 'an octal file mode such as 0644 or 0755', 'Write the mode in quotes: "0644"');
  return parseInt(digits, 8);
}

function readContents(inputs: Inputs, workdir: string): ContentSpec[] {
  const text = inputs.string('package-contents');
  if (!text) return [];
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    throw new InputError(
      'package-contents',
      '(not YAML)',
      'a YAML list of {src, dst, type, packager, file_info: {mode, owner, group}}',
      'Check the indentation',
    );
  }
  if (!Array.isArray(data))
    throw new InputError(
      'package-contents',
      text.split('\n')[0] ?? '',
      'a YAML list (items start with `- `)',
      'Write one `- src: … dst: …` item per file',
    );
  return data.map((raw, i): ContentSpec => {
    const label = `package-contents[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new InputError('package-contents', JSON.stringify(raw), `${label}: a mapping with src and dst`);
    const o = raw as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['src', 'dst', 'type', 'packager', 'file_info'].includes(k)) {
        throw new InputError('package-contents', k, `${label}: keys src, dst, type, packager, file_info`, `\`${k}\` is unknown`);
      }
    }
    const str = scalarText;
    const type = (str(o.type) || 'file') as ContentType;
    if (!CONTENT_TYPES.includes(type)) throw new InputError('package-contents', type, `${label}: type one of ${CONTENT_TYPES.join(', ')}`);
    const packager = str(o.packager) as ContentSpec['packager'];
    if (packager && !PACKAGE_FORMATS.includes(packager))
      throw new InputError('package-contents', packager, `${label}: packager deb, rpm or apk (or none: every format)`);
    const src = str(o.src);
    const dst = str(o.dst);
    for (const [k, v] of [
      ['src', src],
      ['dst', dst],
    ] as const) {
      refuseDollar('package-contents', v);
      oneLine('package-contents', v);
      if (v.includes('{{')) checkTemplate('package-contents', v);
      if (!v && (k === 'dst' || type !== 'dir')) throw new InputError('package-contents', JSON.stringify(o), `${label}: a \`${k}\``);
    }
    absolutePackagePath('package-contents', dst);
    if (src && type !== 'symlink' && type !== 'dir' && !src.includes('{{')) {
      // a glob's fixed part must stay inside too; matches are confined again when collected
      const literal = src.replace(/[*?[{].*$/, '') || '.';
      confinePath('package-contents', literal, { base: workdir, what: label });
      if (path.isAbsolute(src) || src.split(/[\\/]/).includes('..')) {
        throw new InputError(
          'package-contents',
          src,
          `${label}: a path relative to the module`,
          'Paths may not be absolute or climb out with `..`',
        );
      }
    }
    const info = o.file_info ?? {};
    if (typeof info !== 'object' || info === null)
      throw new InputError('package-contents', str(info), `${label}: file_info as a mapping {mode, owner, group}`);
    const fi = info as Record<string, unknown>;
    for (const k of Object.keys(fi)) {
      if (!['mode', 'owner', 'group'].includes(k))
        throw new InputError(
          'package-contents',
          k,
          `${label}: file_info keys mode, owner, group`,
          `\`${k}\` is unknown (times are the commit's)`,
        );
    }
    const owner = str(fi.owner) || 'root';
    const group = str(fi.group) || 'root';
    for (const u of [owner, group])
      if (!USER.test(u)) throw new InputError('package-contents', u, `${label}: a user or group name such as root or www-data`);
    return { src, dst, type, packager, mode: parseMode('package-contents', fi.mode), owner, group, label };
  });
}

function readScripts(inputs: Inputs, workdir: string): PackageSettings['scripts'] {
  const out: PackageSettings['scripts'] = {};
  for (const [k, v] of Object.entries(inputs.keyValues('package-scripts'))) {
    if (!SCRIPT_KINDS.includes(k as ScriptKind)) {
      throw new InputError('package-scripts', k, `scripts named ${SCRIPT_KINDS.join(', ')}`, 'One `postinstall=path/to/script.sh` a line');
    }
    const file = confinePath('package-scripts', v, { base: workdir, what: `the ${k} script` });
    if (!statSync(file, { throwIfNoEntry: false })?.isFile())
      throw new InputError(
        'package-scripts',
        v,
        `${k}: a script file in the module`,
        `There is no file ${path.relative(workdir, file) || file}`,
      );
    out[k as ScriptKind] = file;
  }
  return out;
}

/**
 * Reads and checks the package inputs. With `packages` empty, `formats` is empty and only the
 * metadata is used (recorded in the manifest for semver-release's Homebrew and Scoop manifests).
 */
export function readPackageSettings(
  inputs: Inputs,
  o: { workdir: string; platforms: readonly Platform[]; fromFile?: (input: string) => string | undefined },
): PackageSettings {
  const formats = [...new Set(inputs.list('packages'))];
  for (const f of formats) {
    if (!PACKAGE_FORMATS.includes(f as PackageFormat)) {
      throw new InputError('packages', f, `formats among ${PACKAGE_FORMATS.join(', ')}`, 'e.g. `packages: deb,rpm,apk`');
    }
  }
  if (formats.length && !o.platforms.some((p) => p.os === 'linux')) {
    throw new InputError(
      'packages',
      formats.join(','),
      'a linux platform in `platforms` to package',
      'Add e.g. linux/amd64 to `platforms`, or leave `packages` empty',
    );
  }
  const tmpl = (name: string, def: string, oneline = true): string => {
    const v = inputs.string(name, { default: def });
    if (oneline) oneLine(name, v);
    refuseDollar(name, v);
    if (v.includes('{{')) checkTemplate(name, v);
    return v;
  };
  const name = tmpl('package-name', '{{ .ProjectName }}');
  const fileName = tmpl('package-file-name', DEFAULT_PACKAGE_FILE_NAME);
  const bindir = tmpl('package-bindir', '/usr/bin');
  absolutePackagePath('package-bindir', bindir);
  const maintainer = tmpl('package-maintainer', '');
  // a GoReleaser file's plain name without an address is built as written (resolveMetadata warns)
  const maintainerFromFile = !!o.fromFile?.('package-maintainer');
  const plainFileName = maintainerFromFile && PLAIN_MAINTAINER.test(maintainer);
  if (maintainer && !plainFileName && !maintainer.includes('{{') && !MAINTAINER_WITH_ADDRESS.test(maintainer)) {
    throw new InputError(
      'package-maintainer',
      maintainer,
      '`Name <email>`',
      'Debian requires a name and an address: `Ada Lovelace <ada@example.com>`',
    );
  }
  const homepage = tmpl('package-homepage', '');
  if (homepage && !homepage.includes('{{') && !/^https?:\/\/[^\s/$.?#][^\s]*$/.test(homepage)) {
    throw new InputError('package-homepage', homepage, 'an http(s) URL', 'e.g. https://github.com/owner/repo');
  }
  const license = tmpl('package-license', '');
  if (license && !/^[A-Za-z0-9][A-Za-z0-9.+() -]*$/.test(license)) {
    throw new InputError(
      'package-license',
      license,
      'an SPDX license expression such as MIT or Apache-2.0',
      'Leave it out to take it from the LICENSE file',
    );
  }
  const section = tmpl('package-section', 'utils');
  if (section && !/^[a-z0-9][a-z0-9/+-]*$/.test(section))
    throw new InputError('package-section', section, 'a Debian section such as utils, net or devel');
  const priority = inputs.string('package-priority', { default: 'optional' });
  if (!(PRIORITIES as readonly string[]).includes(priority)) {
    throw new InputError('package-priority', priority, `one of ${PRIORITIES.join(', ')}`);
  }
  const lintianOverrides = inputs.lines('package-lintian-overrides');
  for (const l of lintianOverrides) {
    refuseDollar('package-lintian-overrides', l);
    if (!/^[a-z0-9][a-z0-9-]*( \S.*)?$/.test(l)) {
      throw new InputError(
        'package-lintian-overrides',
        l,
        'lintian tags, one a line, optionally with their context: `no-manual-page [usr/bin/hello]`',
      );
    }
  }
  const nfpmVersion = inputs.string('nfpm-version', { default: 'v2.45.2' });
  if (!/^v\d+\.\d+\.\d+$/.test(nfpmVersion))
    throw new InputError('nfpm-version', nfpmVersion, 'a pinned nFPM version such as v2.45.2', 'Never `latest`');
  return {
    formats: formats as PackageFormat[],
    name,
    fileName,
    bindir,
    maintainer,
    description: tmpl('package-description', '', false),
    license,
    homepage,
    vendor: tmpl('package-vendor', ''),
    section,
    priority,
    depends: relations(inputs, 'package-depends'),
    recommends: relations(inputs, 'package-recommends'),
    conflicts: relations(inputs, 'package-conflicts'),
    contents: readContents(inputs, o.workdir),
    scripts: readScripts(inputs, o.workdir),
    lintianOverrides,
    nfpmVersion,
    ...(maintainerFromFile ? { maintainerFromFile } : {}),
  };
}
