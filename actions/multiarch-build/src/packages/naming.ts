/**
 * What a package is called in each format. GoReleaser hands nFPM an "info arch" made of GOARCH
 * plus GOARM / GOMIPS (`amd64`, `arm7`, `mipsle_softfloat` → `mipsle`), and nFPM maps it per format
 * (deb `armhf`, rpm `armv7hl`, apk `armv7`; learned from nFPM v2.45.2's archTo* tables). Versions are
 * split as nFPM splits SemVer: deb `1.2.3~rc.1`, rpm `1.2.3~rc.1` (no `-`), apk `1.2.3_rc.1`.
 */
import type { Platform } from '@goship/core/platform';
import { parseSemVer } from '@goship/core/semver';

export const PACKAGE_FORMATS = ['deb', 'rpm', 'apk'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];

/** Go's GOARM default when cross-compiling (go help environment). */
const DEFAULT_GOARM = '7';

/** GOARM of a linux/arm platform, '' for every other arch. */
export function goarm(p: Platform): string {
  return p.arch === 'arm' ? p.variant.replace(/^v/, '') || DEFAULT_GOARM : '';
}

/** GOAMD64 of a linux/amd64 platform ('v1' by default, as GoReleaser records it), '' otherwise. */
export function goamd64(p: Platform): string {
  return p.arch === 'amd64' ? p.variant || 'v1' : '';
}

/** GoReleaser's key for nFPM: GOARCH + GOARM (+ GOMIPS, dropped again by nFPM for mips). */
export function infoArch(p: Platform): string {
  return p.arch + goarm(p);
}

const DEB: Record<string, string> = {
  '386': 'i386',
  arm5: 'armel',
  arm6: 'armhf',
  arm7: 'armhf',
  mips64le: 'mips64el',
  mipsle: 'mipsel',
  ppc64le: 'ppc64el',
  s390: 's390x',
};
const RPM: Record<string, string> = {
  amd64: 'x86_64',
  '386': 'i386',
  arm64: 'aarch64',
  arm5: 'armv5tel',
  arm6: 'armv6hl',
  arm7: 'armv7hl',
  mips64le: 'mips64el',
  mipsle: 'mipsel',
  loong64: 'loongarch64',
};
const APK: Record<string, string> = {
  '386': 'x86',
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm6: 'armhf',
  arm7: 'armv7',
  s390: 's390x',
  loong64: 'loongarch64',
};

/** The architecture as the format names it (what dpkg, rpm and apk report). */
export function formatArch(format: PackageFormat, p: Platform): string {
  const a = infoArch(p);
  const table = format === 'deb' ? DEB : format === 'rpm' ? RPM : APK;
  return table[a] ?? a;
}

interface SplitVersion {
  version: string;
  prerelease: string;
  metadata: string;
}

function split(v: string): SplitVersion {
  const s = parseSemVer(v);
  if (!s) return { version: v, prerelease: '', metadata: '' };
  return { version: `${s.major}.${s.minor}.${s.patch}`, prerelease: s.prerelease.join('.'), metadata: s.build.join('.') };
}

/** The version string each format stores. */
export function formatVersion(format: PackageFormat, v: string): string {
  const s = split(v);
  if (format === 'deb') return `${s.version}${s.prerelease ? `~${s.prerelease}` : ''}${s.metadata ? `+${s.metadata}` : ''}`;
  if (format === 'rpm')
    return `${s.version}${s.prerelease ? `~${s.prerelease.replaceAll('-', '_')}` : ''}${s.metadata ? `+${s.metadata}` : ''}`;
  return `${s.version}${s.prerelease ? `_${s.prerelease}` : ''}${s.metadata ? `-p${s.metadata}` : ''}`;
}

/** nFPM's ConventionalFileName: `name_1.2.3_amd64.deb`, `name-1.2.3-1.x86_64.rpm`, `name_1.2.3_x86_64.apk`. */
export function conventionalFileName(format: PackageFormat, name: string, version: string, p: Platform): string {
  const v = formatVersion(format, version);
  const arch = formatArch(format, p);
  if (format === 'deb') return `${name}_${v}_${arch}.deb`;
  if (format === 'rpm') return `${name}-${v}-1.${arch}.rpm`;
  return `${name}_${v}_${arch}.apk`;
}
