/**
 * The SBOM attached to each platform manifest: the SPDX document of that platform's binary. When the
 * build wrote one it is used as is; otherwise a small SPDX 2.3 document is made from the binary's
 * embedded Go build info (`go version -m -json`), deterministic (created = commit time).
 */
import { createHash } from 'node:crypto';
import type { BuildInfo } from '@goship/core/go';
import { type Platform, formatPlatform } from '@goship/core/platform';

export const SPDX_MEDIA_TYPE = 'application/spdx+json';

const purl = (p: string, v: string): string => `pkg:golang/${p}${v && v !== '(devel)' ? `@${encodeURIComponent(v)}` : ''}`;
const spdxId = (s: string): string => `SPDXRef-Package-${s.replace(/[^A-Za-z0-9.-]/g, '-')}`;

export function spdxFromBuildInfo(
  info: BuildInfo,
  o: { name: string; version: string; platform: Platform; sha256: string; created: string },
): object {
  const main = {
    name: info.Main?.Path || o.name,
    SPDXID: spdxId(`main-${o.name}`),
    versionInfo: o.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    checksums: [{ algorithm: 'SHA256', checksumValue: o.sha256 }],
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl(info.Main?.Path || o.name, `v${o.version}`) },
    ],
    comment: `${o.name} for ${formatPlatform(o.platform)}, built with ${info.GoVersion}`,
  };
  const deps = [...(info.Deps ?? [])]
    .sort((a, b) => (a.Path < b.Path ? -1 : 1))
    .map((d) => {
      const r = d.Replace ?? d;
      return {
        name: r.Path,
        SPDXID: spdxId(`${r.Path}-${r.Version}`),
        versionInfo: r.Version,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl(r.Path, r.Version) }],
      };
    });
  const std = {
    name: 'stdlib',
    SPDXID: spdxId('stdlib'),
    versionInfo: info.GoVersion,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
  };
  const ns = createHash('sha256')
    .update(`${o.name}\n${o.version}\n${formatPlatform(o.platform)}\n${o.sha256}`)
    .digest('hex');
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${o.name}-${o.version}-${formatPlatform(o.platform).replace(/\//g, '-')}`,
    documentNamespace: `https://goship.invalid/spdx/${o.name}/${ns}`,
    creationInfo: { created: o.created, creators: ['Tool: goship-multiarch-build'] },
    packages: [main, std, ...deps],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: main.SPDXID },
      ...[std, ...deps].map((d) => ({ spdxElementId: main.SPDXID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: d.SPDXID })),
    ],
  };
}

export function spdxDocument(
  info: BuildInfo,
  o: { name: string; version: string; platform: Platform; sha256: string; created: string },
): Buffer {
  return Buffer.from(`${JSON.stringify(spdxFromBuildInfo(info, o), null, 2)}\n`);
}
