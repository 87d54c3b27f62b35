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

export function spdx(s: SbomSubject): Record<string, unknown> {
  const subjectId = spdxId(s.kind === 'archive' ? 'Archive' : 'File', s.name);
  const packages: Record<string, unknown>[] = [];
  const relationships: Record<string, unknown>[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectId },
  ];
  const annotations = (comment: string): Record<string, unknown>[] => [
    { annotationDate: s.created, annotationType: 'OTHER', annotator: `Tool: ${TOOL_NAME}-${TOOL_VERSION}`, comment },
  ];
  const pkg = (id: string, name: string, version: string | undefined, extra: Record<string, unknown>): Record<string, unknown> => ({
    SPDXID: id,
    name,
    ...(version ? { versionInfo: version } : {}),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    ...extra,
  });
  packages.push(
    pkg(subjectId, s.name, s.version, {
      packageFileName: s.name,
      checksums: [{ algorithm: 'SHA256', checksumValue: s.sha256 }],
      primaryPackagePurpose: s.kind === 'archive' ? 'ARCHIVE' : 'APPLICATION',
    }),
  );
  const seen = new Set<string>([subjectId]);
  const binaries = [...s.binaries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const b of binaries) {
    const binId = s.kind === 'archive' ? spdxId('Binary', b.file, b.platform) : subjectId;
    if (s.kind === 'archive') {
      packages.push(
        pkg(binId, b.file, s.version, {
          packageFileName: b.file,
          checksums: [{ algorithm: 'SHA256', checksumValue: b.sha256 }],
          primaryPackagePurpose: 'APPLICATION',
          annotations: annotations(
            `Go build settings (go version -m): ${settings(b.info)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`,
          ),
        }),
      );
      relationships.push({ spdxElementId: subjectId, relationshipType: 'CONTAINS', relatedSpdxElement: binId });
    } else {
      const subj = packages[0]!;
      subj.annotations = annotations(
        `Go build settings (go version -m): ${settings(b.info)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    }
    const mainId = spdxId('GoModule', b.info.Main.Path, mainVersion(b.info, s.version));
    if (!seen.has(mainId)) {
      seen.add(mainId);
      packages.push(
        pkg(mainId, b.info.Main.Path, mainVersion(b.info, s.version), {
          primaryPackagePurpose: 'SOURCE',
          externalRefs: [
            {
              referenceCategory: 'PACKAGE-MANAGER',
              referenceType: 'purl',
              referenceLocator: goPurl(b.info.Main.Path, mainVersion(b.info, s.version)),
            },
          ],
          comment: `Main module of ${b.info.Path}`,
        }),
      );
    }
    relationships.push({ spdxElementId: binId, relationshipType: 'GENERATED_FROM', relatedSpdxElement: mainId });
    const goId = spdxId('GoStdlib', goVersionOf(b.info));
    if (!seen.has(goId)) {
      seen.add(goId);
      packages.push(
        pkg(goId, 'stdlib', `go${goVersionOf(b.info)}`, {
          primaryPackagePurpose: 'LIBRARY',
          externalRefs: [
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:golang/stdlib@${goVersionOf(b.info)}` },
          ],
          comment: 'The Go standard library and runtime the binary was built with',
        }),
      );
    }
    relationships.push({ spdxElementId: binId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: goId });
    for (const d of depsOf(b.info)) {
      const id = spdxId('GoModule', d.path, d.version);
      if (!seen.has(id)) {
        seen.add(id);
        const notes = [
          d.sum ? `go.sum hash: ${d.sum} (Go module hash "h1", SHA-256 over the module's file tree; not a file checksum)` : '',
          d.replaces ? `replaces ${d.replaces}` : '',
        ];
        packages.push(
          pkg(id, d.path, d.version, {
            primaryPackagePurpose: 'LIBRARY',
            externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: goPurl(d.path, d.version) }],
            ...(notes.some(Boolean) ? { annotations: annotations(notes.filter(Boolean).join('; ')) } : {}),
          }),
        );
      }
      relationships.push({ spdxElementId: binId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: id });
    }
  }
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: s.name,
    documentNamespace: `https://spdx.org/spdxdocs/${encodeURIComponent(s.name)}-${uuidV5(`spdx:${s.name}:${s.sha256}`)}`,
    creationInfo: { created: s.created, creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`] },
    packages,
    relationships,
  };
}

export function cyclonedx(s: SbomSubject): Record<string, unknown> {
  const subjectRef = `${s.kind}:${s.name}`;
  const components = new Map<string, Record<string, unknown>>();
  const deps = new Map<string, Set<string>>();
  const depend = (from: string, to: string): void => {
    if (!deps.has(from)) deps.set(from, new Set());
    if (!deps.has(to)) deps.set(to, new Set());
    deps.get(from)!.add(to);
  };
  const binaries = [...s.binaries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const b of binaries) {
    const binRef = s.kind === 'archive' ? `binary:${b.file}@${b.platform}` : subjectRef;
    const props = [
      { name: 'goship:platform', value: b.platform },
      ...settings(b.info).map(([k, v]) => ({ name: `goship:go:build:${k}`, value: v })),
      { name: 'goship:go:package', value: b.info.Path },
    ];
    if (s.kind === 'archive') {
      components.set(binRef, {
        type: 'application',
        'bom-ref': binRef,
        name: b.file,
        version: s.version,
        hashes: [{ alg: 'SHA-256', content: b.sha256 }],
        properties: props,
      });
      depend(subjectRef, binRef);
    }
    const mv = mainVersion(b.info, s.version);
    const mainRef = goPurl(b.info.Main.Path, mv);
    if (!components.has(mainRef)) {
      components.set(mainRef, {
        type: 'application',
        'bom-ref': mainRef,
        name: b.info.Main.Path,
        version: mv,
        purl: mainRef,
        scope: 'required',
      });
    }
    depend(binRef, mainRef);
    const gv = goVersionOf(b.info);
    const stdRef = `pkg:golang/stdlib@${gv}`;
    if (!components.has(stdRef)) {
      components.set(stdRef, { type: 'library', 'bom-ref': stdRef, name: 'stdlib', version: `go${gv}`, purl: stdRef, scope: 'required' });
    }
    depend(binRef, stdRef);
    for (const d of depsOf(b.info)) {
      const ref = goPurl(d.path, d.version);
      if (!components.has(ref)) {
        const properties = [
          ...(d.sum ? [{ name: 'goship:go:sum', value: d.sum }] : []),
          ...(d.replaces ? [{ name: 'goship:go:replaces', value: d.replaces }] : []),
        ];
        components.set(ref, {
          type: 'library',
          'bom-ref': ref,
          name: d.path,
          version: d.version,
          purl: ref,
          scope: 'required',
          ...(properties.length ? { properties } : {}),
        });
      }
      depend(binRef, ref);
    }
  }
  const subject: Record<string, unknown> = {
    type: s.kind === 'archive' ? 'file' : 'application',
    'bom-ref': subjectRef,
    name: s.name,
    version: s.version,
    hashes: [{ alg: 'SHA-256', content: s.sha256 }],
  };
  if (s.kind === 'binary' && binaries[0]) {
    subject.properties = [
      { name: 'goship:platform', value: binaries[0].platform },
      ...settings(binaries[0].info).map(([k, v]) => ({ name: `goship:go:build:${k}`, value: v })),
    ];
  }
  const sortedKeys = [...components.keys()].sort();
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
    components: sortedKeys.map((k) => components.get(k)!),
    dependencies: [...deps.keys()].sort().map((ref) => ({ ref, dependsOn: [...deps.get(ref)!].sort() })),
  };
}

export function sbomJson(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
