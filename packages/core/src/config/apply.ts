/**
 * The per-target rules GoReleaser applies at build and archive time, for the code that builds
 * and archives: which build details a target gets (builds[].overrides) and which archive formats
 * a goos gets (archives[].format_overrides).
 */
import { type Archive, type Build, type BuildDetails, type OverrideFormat } from './settings.js';
import { type GoTarget } from './targets.js';
import { type Tmpl } from './where.js';

/**
 * The build details of one target: the first override whose target matches replaces every
 * field it sets (mergo.WithOverride), and its env is added to the build's (a later KEY wins).
 */
export function buildDetailsFor(build: Build, target: GoTarget | string): BuildDetails {
  const t = typeof target === 'string' ? target : target.target;
  const base: BuildDetails = {
    buildmode: build.buildmode,
    ldflags: build.ldflags,
    tags: build.tags,
    flags: build.flags,
    asmflags: build.asmflags,
    gcflags: build.gcflags,
    env: build.env,
  };
  const o = build.overrides.find((x) => x.target === t);
  if (!o) return base;
  const pick = (a: Tmpl[], b: Tmpl[]): Tmpl[] => (b.length > 0 ? b : a);
  const env = new Map<string, Tmpl>();
  for (const e of [...build.env, ...o.env]) {
    const k = e.text.split('=')[0]!;
    if (k === '' || !e.text.includes('=')) continue;
    env.delete(k);
    env.set(k, e);
  }
  return {
    buildmode: o.buildmode || build.buildmode,
    ldflags: pick(build.ldflags, o.ldflags),
    tags: pick(build.tags, o.tags),
    flags: pick(build.flags, o.flags),
    asmflags: pick(build.asmflags, o.asmflags),
    gcflags: pick(build.gcflags, o.gcflags),
    env: [...env.values()],
  };
}

/** The formats of an archive for a goos: the first override whose `goos` is a prefix of it. */
export function formatsFor(archive: Archive, goos: string): readonly OverrideFormat[] {
  for (const o of archive.formatOverrides) {
    if (o.goos === '' || o.formats.length === 0) continue; // GoReleaser warns and skips these
    if (goos.startsWith(o.goos)) return o.formats;
  }
  return archive.formats;
}

/** The builds whose binaries an archive takes. */
export function buildsOf(archive: Archive, builds: readonly Build[]): Build[] {
  return archive.ids.length === 0 ? [...builds] : builds.filter((b) => archive.ids.includes(b.id));
}
