/**
 * SBOMs from Go build info (`go version -m -json`), in process and offline: SPDX 2.3 JSON and
 * CycloneDX 1.6 JSON, one per archive (or per binary when not archived). The main module, every
 * dependency with its version and go.sum `h1:` hash (recorded as a Go module hash, not as a
 * SHA-256: it is a hash of the module's file tree, not of a file), the Go version and the build
 * settings. Deterministic: created = commit time; namespace and serial number derive from digests.
 */
import type { BuildInfo } from '@goship/core/go';
import { createHash } from 'node:crypto';

export const TOOL_NAME = 'goship-multiarch-build';
export const TOOL_VERSION = '0.1.0';

export interface SbomBinary {
  /** File name inside the archive, e.g. `hello.exe`. */
  file: string;
  sha256: string;
  platform: string;
  info: BuildInfo;
}

export interface SbomSubject {
  /** The archive's (or released binary's) file name. */
  name: string;
  sha256: string;
  /** `archive` or `binary` */
  kind: 'archive' | 'binary';
  version: string;
  /** UTC ISO time without milliseconds. */
  created: string;
  binaries: SbomBinary[];
}

/** A name-based UUID (RFC 9562 version 5, SHA-1, URL namespace). */
export function uuidV5(name: string): string {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** purl for a Go module: `pkg:golang/github.com/google/uuid@v1.6.0`. */
export function goPurl(modPath: string, version?: string): string {
  const ns = modPath
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return `pkg:golang/${ns}${version && version !== '(devel)' ? `@${encodeURIComponent(version)}` : ''}`;
}

interface Module {
  path: string;
  version: string;
  /** go.sum `h1:` hash, when the build info has one. */
  sum?: string;
  /** For a replaced module: what it replaces. */
  replaces?: string;
}

function depsOf(info: BuildInfo): Module[] {
  return (info.Deps ?? [])
    .map((d) =>
      d.Replace
        ? { path: d.Replace.Path, version: d.Replace.Version, sum: d.Replace.Sum, replaces: `${d.Path}@${d.Version}` }
        : { path: d.Path, version: d.Version, sum: d.Sum },
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

function mainVersion(info: BuildInfo, version: string): string {
  return info.Main.Version && info.Main.Version !== '(devel)' ? info.Main.Version : `v${version}`;
}

function settings(info: BuildInfo): [string, string][] {
  return (info.Settings ?? []).map((s) => [s.Key, s.Value ?? '']);
}

function goVersionOf(info: BuildInfo): string {
  return info.GoVersion.replace(/^go/, '');
}

/** SPDX ids allow letters, digits, `.` and `-`. */
export function spdxId(...parts: string[]): string {
  return `SPDXRef-${parts.join('-').replace(/[^A-Za-z0-9.-]+/g, '-')}`;
}

const NOASSERTION = 'NOASSERTION';

/** An SPDX document being put together: each package once, relationships as they come. */
interface SpdxParts {
  packages: Record<string, unknown>[];
  relationships: Record<string, unknown>[];
  seen: Set<string>;
}

function spdxAnnotations(created: string, comment: string): Record<string, unknown>[] {
  return [{ annotationDate: created, annotationType: 'OTHER', annotator: `Tool: ${TOOL_NAME}-${TOOL_VERSION}`, comment }];
}

function spdxPackage(id: string, name: string, version: string | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    SPDXID: id,
    name,
    ...(version ? { versionInfo: version } : {}),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    ...extra,
  };
}

/** A relationship from `from` to package `id`, adding the package the first time. */
function spdxLink(doc: SpdxParts, from: string, type: string, id: string, make: () => Record<string, unknown>): void {
  if (!doc.seen.has(id)) {
    doc.seen.add(id);
    doc.packages.push(make());
  }
  doc.relationships.push({ spdxElementId: from, relationshipType: type, relatedSpdxElement: id });
}

const purlRef = (locator: string): Record<string, unknown>[] => [
  { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: locator },
];

/** One binary: its package (inside an archive) with its build settings, its main module, the standard library, every dependency. */
function spdxBinary(doc: SpdxParts, s: SbomSubject, b: SbomBinary, subjectId: string): void {
  const binId = s.kind === 'archive' ? spdxId('Binary', b.file, b.platform) : subjectId;
  const buildSettings = `Go build settings (go version -m): ${settings(b.info)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
  if (s.kind === 'archive') {
    doc.packages.push(
      spdxPackage(binId, b.file, s.version, {
        packageFileName: b.file,
        checksums: [{ algorithm: 'SHA256', checksumValue: b.sha256 }],
        primaryPackagePurpose: 'APPLICATION',
        annotations: spdxAnnotations(s.created, buildSettings),
      }),
    );
    doc.relationships.push({ spdxElementId: subjectId, relationshipType: 'CONTAINS', relatedSpdxElement: binId });
  } else {
    doc.packages[0]!.annotations = spdxAnnotations(s.created, buildSettings);
  }
  const main = b.info.Main.Path;
  const mv = mainVersion(b.info, s.version);
  spdxLink(doc, binId, 'GENERATED_FROM', spdxId('GoModule', main, mv), () =>
    spdxPackage(spdxId('GoModule', main, mv), main, mv, {
      primaryPackagePurpose: 'SOURCE',
      externalRefs: purlRef(goPurl(main, mv)),
      comment: `Main module of ${b.info.Path}`,
    }),
  );
  const gv = goVersionOf(b.info);
  spdxLink(doc, binId, 'DEPENDS_ON', spdxId('GoStdlib', gv), () =>
    spdxPackage(spdxId('GoStdlib', gv), 'stdlib', `go${gv}`, {
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: purlRef(`pkg:golang/stdlib@${gv}`),
      comment: 'The Go standard library and runtime the binary was built with',
    }),
  );
  for (const d of depsOf(b.info)) {
    const notes = [
      d.sum ? `go.sum hash: ${d.sum} (Go module hash "h1", SHA-256 over the module's file tree; not a file checksum)` : '',
      d.replaces ? `replaces ${d.replaces}` : '',
    ].filter(Boolean);
    spdxLink(doc, binId, 'DEPENDS_ON', spdxId('GoModule', d.path, d.version), () =>
      spdxPackage(spdxId('GoModule', d.path, d.version), d.path, d.version, {
        primaryPackagePurpose: 'LIBRARY',
        externalRefs: purlRef(goPurl(d.path, d.version)),
        ...(notes.length ? { annotations: spdxAnnotations(s.created, notes.join('; ')) } : {}),
      }),
    );
  }
}

export function spdx(s: SbomSubject): Record<string, unknown> {
  const subjectId = spdxId(s.kind === 'archive' ? 'Archive' : 'File', s.name);
  const doc: SpdxParts = {
    packages: [
      spdxPackage(subjectId, s.name, s.version, {
        packageFileName: s.name,
        checksums: [{ algorithm: 'SHA256', checksumValue: s.sha256 }],
        primaryPackagePurpose: s.kind === 'archive' ? 'ARCHIVE' : 'APPLICATION',
      }),
    ],
    relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectId }],
    seen: new Set([subjectId]),
  };
  for (const b of sortedBinaries(s)) spdxBinary(doc, s, b, subjectId);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: s.name,
    documentNamespace: `https://spdx.org/spdxdocs/${encodeURIComponent(s.name)}-${uuidV5(`spdx:${s.name}:${s.sha256}`)}`,
    creationInfo: { created: s.created, creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`] },
    packages: doc.packages,
    relationships: doc.relationships,
  };
}

function sortedBinaries(s: SbomSubject): SbomBinary[] {
  return [...s.binaries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** A CycloneDX BOM being put together: components by bom-ref, dependencies as they come. */
interface CdxParts {
  components: Map<string, Record<string, unknown>>;
  deps: Map<string, Set<string>>;
}

function cdxDepend(bom: CdxParts, from: string, to: string, make?: () => Record<string, unknown>): void {
  if (make && !bom.components.has(to)) bom.components.set(to, make());
  if (!bom.deps.has(from)) bom.deps.set(from, new Set());
  if (!bom.deps.has(to)) bom.deps.set(to, new Set());
  bom.deps.get(from)!.add(to);
}

const buildProperties = (info: BuildInfo): { name: string; value: string }[] =>
  settings(info).map(([k, v]) => ({ name: `goship:go:build:${k}`, value: v }));

/** One binary: its component (inside an archive), its main module, the standard library, every dependency. */
function cdxBinary(bom: CdxParts, s: SbomSubject, b: SbomBinary, subjectRef: string): void {
  const binRef = s.kind === 'archive' ? `binary:${b.file}@${b.platform}` : subjectRef;
  if (s.kind === 'archive') {
    const properties = [
      { name: 'goship:platform', value: b.platform },
      ...buildProperties(b.info),
      { name: 'goship:go:package', value: b.info.Path },
    ];
    cdxDepend(bom, subjectRef, binRef, () => ({
      type: 'application',
      'bom-ref': binRef,
      name: b.file,
      version: s.version,
      hashes: [{ alg: 'SHA-256', content: b.sha256 }],
      properties,
    }));
  }
  const mv = mainVersion(b.info, s.version);
  const mainRef = goPurl(b.info.Main.Path, mv);
  cdxDepend(bom, binRef, mainRef, () => ({
    type: 'application',
    'bom-ref': mainRef,
    name: b.info.Main.Path,
    version: mv,
    purl: mainRef,
    scope: 'required',
  }));
  const gv = goVersionOf(b.info);
  const stdRef = `pkg:golang/stdlib@${gv}`;
  cdxDepend(bom, binRef, stdRef, () => ({
    type: 'library',
    'bom-ref': stdRef,
    name: 'stdlib',
    version: `go${gv}`,
    purl: stdRef,
    scope: 'required',
  }));
  for (const d of depsOf(b.info)) {
    const ref = goPurl(d.path, d.version);
    const properties = [
      ...(d.sum ? [{ name: 'goship:go:sum', value: d.sum }] : []),
      ...(d.replaces ? [{ name: 'goship:go:replaces', value: d.replaces }] : []),
    ];
    cdxDepend(bom, binRef, ref, () => ({
      type: 'library',
      'bom-ref': ref,
      name: d.path,
      version: d.version,
      purl: ref,
      scope: 'required',
      ...(properties.length ? { properties } : {}),
    }));
  }
}

export function cyclonedx(s: SbomSubject): Record<string, unknown> {
  const subjectRef = `${s.kind}:${s.name}`;
  const bom: CdxParts = { components: new Map(), deps: new Map() };
  const binaries = sortedBinaries(s);
  for (const b of binaries) cdxBinary(bom, s, b, subjectRef);
  const subject: Record<string, unknown> = {
    type: s.kind === 'archive' ? 'file' : 'application',
    'bom-ref': subjectRef,
    name: s.name,
    version: s.version,
    hashes: [{ alg: 'SHA-256', content: s.sha256 }],
  };
  if (s.kind === 'binary' && binaries[0]) {
    subject.properties = [{ name: 'goship:platform', value: binaries[0].platform }, ...buildProperties(binaries[0].info)];
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidV5(`cyclonedx:${s.name}:${s.sha256}`)}`,
    version: 1,
    metadata: {
      timestamp: s.created,
      tools: { components: [{ type: 'application', name: TOOL_NAME, version: TOOL_VERSION }] },
      component: subject,
    },
    components: [...bom.components.keys()].sort().map((k) => bom.components.get(k)!),
    dependencies: [...bom.deps.keys()].sort().map((ref) => ({ ref, dependsOn: [...bom.deps.get(ref)!].sort() })),
  };
}

export function sbomJson(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
