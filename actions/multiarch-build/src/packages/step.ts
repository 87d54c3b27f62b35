/**
 * The packaging step of multiarch-build: metadata resolved before anything is built, packages
 * made from the linux binaries, an SBOM per package, every package verified by its format's
 * tools, and the summary section. action.ts calls these; nothing here imports the runner API.
 */
import { hashFile } from '@goship/core/digest';
import { InputError } from '@goship/core/errors';
import { type BuildInfo, buildInfo } from '@goship/core/go';
import type { Artifact } from '@goship/core/manifest';
import { Summary } from '@goship/core/summary';
import { compileTemplate, goreleaserFields } from '@goship/core/template';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SbomFormat } from '../config.js';
import type { BinaryRec } from '../package.js';
import { cyclonedx, sbomJson, spdx } from '../sbom.js';
import { type BuiltPackage, type NfpmRunner, type PackageContext, type ResolvedMetadata, buildPackages } from './build.js';
import { commitAuthor, defaultHomepage, detectLicense, findLicenseFile, readmeSynopsis } from './metadata.js';
import { MAINTAINER_WITH_ADDRESS, PLAIN_MAINTAINER, type PackageSettings, refuseDollar } from './settings.js';
import { type Verification, assertVerified, verifyPackages } from './verify.js';

export { readPackageSettings, type PackageSettings } from './settings.js';
export { installNfpm, type BuiltPackage, type NfpmRunner } from './build.js';

/** What the manifest records for semver-release (Homebrew and Scoop manifests reuse it). */
export interface ManifestMetadata {
  description?: string;
  homepage?: string;
  license?: string;
  maintainer?: string;
  vendor?: string;
}

export interface MetadataContext {
  workdir: string;
  toplevel: string;
  module: string;
  project: string;
  version: string;
  tag: string;
  commit: string;
  env?: NodeJS.ProcessEnv;
  /** Where a field the file gives is kept despite a policy problem, the warning says so. */
  warn?: (message: string) => void;
}

function renderMeta(input: string, text: string, c: MetadataContext): string {
  if (!text.includes('{{')) return text;
  const out = compileTemplate(text, { where: `input "${input}"` }).execute(
    goreleaserFields({
      projectName: c.project,
      version: c.version,
      modulePath: c.module,
      tag: c.tag,
      commit: c.commit,
      fullCommit: c.commit,
      shortCommit: c.commit.slice(0, 7),
    }),
  );
  refuseDollar(input, out);
  return out;
}

/**
 * The package metadata with goship's defaults: license from the LICENSE file, homepage from the
 * repository, maintainer from the commit's author, description from the README. Throws an
 * InputError, before anything is built, when packages are wanted and a required field is unknown.
 */
export async function resolveMetadata(s: PackageSettings, c: MetadataContext): Promise<ResolvedMetadata> {
  const env = c.env ?? process.env;
  const licenseFile = findLicenseFile(c.workdir) ?? (c.toplevel !== c.workdir ? findLicenseFile(c.toplevel) : undefined);
  const licenseText = licenseFile ? await readFile(licenseFile, 'utf8') : undefined;
  const license = renderMeta('package-license', s.license, c) || (licenseText ? detectLicense(licenseText) : undefined) || '';
  const maintainer = renderMeta('package-maintainer', s.maintainer, c) || (await commitAuthor(c.workdir, c.commit)) || '';
  const meta: ResolvedMetadata = {
    maintainer,
    description:
      renderMeta('package-description', s.description, c) ||
      readmeSynopsis(c.workdir) ||
      `${c.project}, built from the Go module ${c.module}`,
    license,
    homepage: renderMeta('package-homepage', s.homepage, c) || defaultHomepage(c.module, env),
    vendor: renderMeta('package-vendor', s.vendor, c) || env.GITHUB_REPOSITORY_OWNER || '',
    ...(licenseFile ? { licenseFile } : {}),
  };
  if (s.formats.length) {
    if (!meta.license) {
      throw new InputError(
        'package-license',
        '',
        'the license of the packaged software (an SPDX id such as MIT)',
        licenseFile
          ? `${path.basename(licenseFile)} is not a license goship recognises; name it with \`package-license\``
          : `There is no LICENSE file in ${c.workdir} to take it from`,
      );
    }
    if (!MAINTAINER_WITH_ADDRESS.test(meta.maintainer)) {
      // A .goreleaser.yaml's nfpms maintainer is built as written, as GoReleaser and nFPM do
      // (like its lintian findings, reported, not refused); goship's own inputs must give the address.
      if (s.maintainerFromFile && meta.maintainer.trim() && PLAIN_MAINTAINER.test(meta.maintainer)) {
        c.warn?.(
          `nfpms maintainer "${meta.maintainer}" has no address: Debian policy and RPM want \`Name <email>\`; the packages are built with it as the file says`,
        );
      } else
        throw new InputError(
          'package-maintainer',
          meta.maintainer,
          '`Name <email>` (Debian and RPM require a maintainer)',
          'The commit author could not be used; set `package-maintainer`',
        );
    }
    for (const [k, v] of Object.entries({
      'package-description': meta.description,
      'package-vendor': meta.vendor,
      'package-homepage': meta.homepage,
    }))
      refuseDollar(k, v);
  }
  return meta;
}

export function manifestMetadata(m: ResolvedMetadata): ManifestMetadata {
  const out: ManifestMetadata = {};
  for (const k of ['description', 'homepage', 'license', 'maintainer', 'vendor'] as const) if (m[k]) out[k] = m[k];
  return out;
}

export interface MakeOptions {
  sbom: SbomFormat;
  nfpm: NfpmRunner;
  readInfo?: (file: string) => Promise<BuildInfo>;
}

/** Builds the packages and their SBOMs; returns the manifest artifacts (packages, then SBOMs). */
export async function makePackages(
  s: PackageSettings,
  meta: ResolvedMetadata,
  c: PackageContext,
  bins: readonly BinaryRec[],
  o: MakeOptions,
): Promise<{ built: BuiltPackage[]; artifacts: Artifact[] }> {
  const linux = bins.filter((b) => b.os === 'linux');
  if (!s.formats.length || !linux.length) return { built: [], artifacts: [] };
  const built = await buildPackages(s, c, linux, meta, o.nfpm);
  const sboms: Artifact[] = [];
  if (o.sbom !== 'none') {
    const readInfo = o.readInfo ?? ((f: string) => buildInfo(f));
    const infos = new Map<string, BuildInfo>();
    for (const b of linux) infos.set(b.abs, await readInfo(b.abs));
    for (const p of built) {
      const group = linux.filter((b) => b.platformName === p.platform);
      const subject = {
        name: p.artifact.name,
        sha256: p.artifact.sha256!,
        kind: 'archive' as const,
        version: c.version,
        created: c.commitTime,
        binaries: group.map((b) => ({ file: b.file, sha256: b.sha256, platform: b.platformName, info: infos.get(b.abs)! })),
      };
      const docs: [string, string, Record<string, unknown>][] = [];
      if (o.sbom === 'spdx' || o.sbom === 'both') docs.push([`${p.artifact.name}.spdx.json`, 'spdx-2.3', spdx(subject)]);
      if (o.sbom === 'cyclonedx' || o.sbom === 'both') docs.push([`${p.artifact.name}.cdx.json`, 'cyclonedx-1.6', cyclonedx(subject)]);
      for (const [name, format, doc] of docs) {
        const file = path.join(c.dist, name);
        await writeFile(file, sbomJson(doc));
        sboms.push({
          kind: 'sbom',
          name,
          path: path.relative(c.workdir, file).split(path.sep).join('/'),
          describes: p.artifact.name,
          format,
          sha256: await hashFile(file),
          size: (await stat(file)).size,
        });
      }
    }
  }
  return { built, artifacts: [...built.map((p) => p.artifact), ...sboms] };
}

/** Verifies every package with its format's tools, then throws if any check failed. */
export async function verifyBuilt(built: readonly BuiltPackage[], lintianErrors: 'fail' | 'warn' = 'fail'): Promise<Verification[]> {
  const v = (await verifyPackages(built, { lintian: true })).map((x) => (lintianErrors === 'warn' ? reportLintian(x) : x));
  assertVerified(v);
  return v;
}

/** Lintian's errors as warnings of the package (shown in the log and the summary), its check passed. */
function reportLintian(v: Verification): Verification {
  const failed = v.checks.find((c) => c.tool === 'lintian' && c.state === 'failed');
  if (!failed) return v;
  return {
    ...v,
    checks: v.checks.map((c) => (c === failed ? { ...c, state: 'passed', detail: `errors reported, not enforced: ${c.detail}` } : c)),
    warnings: [...failed.detail.split('; ').map((e) => `${e} (not enforced: the GoReleaser file's nfpms)`), ...v.warnings],
  };
}

/** The `packages` output: every Linux package of the manifest. */
export function packagesOutput(m: { artifacts: readonly Artifact[] }): string {
  return JSON.stringify(
    m.artifacts
      .filter((a) => a.kind === 'package')
      .map((a) => ({
        name: a.name,
        format: a.format,
        platform: [a.os, a.arch, a.variant].filter(Boolean).join('/'),
        arch: a.packageArch,
        path: a.path,
        sha256: a.sha256,
        size: a.size,
      })),
  );
}

const ICON = { passed: '✅', failed: '❌', 'not run': '⚪' } as const;

export function packagesSummary(v: readonly Verification[]): Summary {
  const s = new Summary().heading('Linux packages', 3);
  s.table(
    ['package', 'format', 'arch', 'checks'],
    v.map((x) => [
      x.pkg.artifact.name,
      x.pkg.format,
      x.pkg.expect.arch,
      x.checks.map((c) => `${ICON[c.state]} ${c.tool}${c.state === 'not run' ? ` (${c.detail})` : ''}`).join('<br>'),
    ]),
  );
  const overridden = [...new Set(v.flatMap((x) => x.pkg.overridden))];
  if (overridden.length)
    s.text(
      `Lintian overrides shipped by goship: ${overridden.map((t) => `\`${t}\``).join(', ')} (Go binaries built without cgo are static).`,
    );
  const warnings = v.flatMap((x) => x.warnings.map((w) => `${x.pkg.artifact.name}: ${w}`));
  if (warnings.length) s.details(`Lintian warnings (${warnings.length})`, warnings.map((w) => `- ${w.replace(/[<>]/g, '')}`).join('\n'));
  const notRun = v.flatMap((x) => x.checks.filter((c) => c.state === 'not run').map((c) => c.detail));
  if (notRun.length) s.text(`⚠️ Not every check ran: ${[...new Set(notRun)].join('; ')}.`);
  return s;
}
