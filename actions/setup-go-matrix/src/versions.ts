/**
 * Which Go versions: the `go-version` specs, the version file, and the list of released Go
 * versions. Pure: the list is fetched by the resolve step (resolve.ts) and handed in.
 *
 * A version that does not exist is a bad input, reported on the input that named it
 * (`go-version`, or `go-version-file` for a version read from a file the user pointed at) with
 * what does exist — never left for a download to fail on.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { type VersionFile, goMinor, parseGoVersion } from '@goship/core/go';
import { type Releases, describeReleases, newestPatch, releasedMinors, stableVersions } from './releases.js';

export type Spec =
  | { kind: 'go.mod'; raw: string }
  | { kind: 'min'; raw: string }
  | { kind: 'stable'; raw: string }
  | { kind: 'oldstable'; raw: string }
  /** `1.23.4` or a pre-release `1.25rc1`. */
  | { kind: 'exact'; raw: string; version: string }
  /** `1.23` or `1.23.x`: the newest patch. */
  | { kind: 'minor'; raw: string; minor: string };

const ACCEPTED =
  'exact versions (`1.23.4`), minors (`1.23` or `1.23.x`), `stable`, `oldstable`, `go.mod` or `min`, separated by commas or newlines';

/** Longer than any Go version spelling (`go1.123.456rc78`): refused before it is parsed. */
const MAX_SPEC = 24;

/** Parses one `go-version` item; throws an InputError naming the input. */
export function parseSpec(raw: string, input = 'go-version'): Spec {
  const s = raw.trim();
  if (s.length > MAX_SPEC) throw new InputError(input, s, ACCEPTED, `A Go version is at most ${MAX_SPEC} characters`);
  const lower = s.toLowerCase();
  if (lower === 'go.mod') return { kind: 'go.mod', raw: s };
  if (lower === 'min') return { kind: 'min', raw: s };
  if (lower === 'stable' || lower === 'latest') return { kind: 'stable', raw: s };
  if (lower === 'oldstable') return { kind: 'oldstable', raw: s };
  const x = /^(?:go)?(\d+)\.(\d+)\.x$/.exec(s);
  if (x) return { kind: 'minor', raw: s, minor: `${Number(x[1])}.${Number(x[2])}` };
  const v = parseGoVersion(s);
  if (v) {
    if (v.patch === undefined && v.kind === '') return { kind: 'minor', raw: s, minor: `${v.major}.${v.minor}` };
    return { kind: 'exact', raw: s, version: s.replace(/^go/, '') };
  }
  const hint = /^\d+\.\d+\.\d+\.\d+$|^\d+$/.test(s)
    ? 'A Go version has two or three numbers, e.g. `1.24` or `1.24.6`'
    : /^[~^>=<]/.test(s)
      ? 'Ranges are not supported: use a minor such as `1.24.x` (newest patch)'
      : 'For the version your go.mod asks for, write `go.mod`';
  throw new InputError(input, s, ACCEPTED, hint);
}

export function parseSpecs(items: readonly string[], input = 'go-version'): Spec[] {
  if (items.length === 0) throw new InputError(input, '', ACCEPTED, 'Leave it out for the default (`go.mod`)');
  return items.map((i) => parseSpec(i, input));
}

function isExact(v: string): boolean {
  const p = parseGoVersion(v);
  return !!p && (p.patch !== undefined || p.kind !== '');
}

/** The version a file asks for: the toolchain line over the go line (setup-go's rule). */
export function fileVersion(vf: VersionFile | undefined): string | undefined {
  if (!vf) return undefined;
  return vf.toolchain ?? vf.go;
}

/**
 * setup-go's rule: with `GOTOOLCHAIN=local` set for the job, the go command will not switch to the
 * toolchain line, so the go line is what runs: the toolchain line is dropped.
 */
export function applyToolchainEnv(vf: VersionFile | undefined, userGotoolchain: string): VersionFile | undefined {
  if (!vf?.toolchain || userGotoolchain !== 'local') return vf;
  return { ...vf, toolchain: undefined };
}

/** The exact version a spec names by itself (or through the file), when it names one. */
function exactOf(spec: Spec, vf: VersionFile | undefined): string | undefined {
  if (spec.kind === 'exact') return spec.version;
  if (spec.kind !== 'go.mod') return undefined;
  const v = fileVersion(vf);
  return v !== undefined && isExact(v) ? v : undefined;
}

/**
 * What the release list is for: `resolve` when a spec cannot be resolved without it (minors,
 * stable, `min`, a language version in the file), `check` when it only confirms that exact
 * versions not already in the tool cache exist, `none` otherwise.
 */
export function releaseNeed(
  specs: readonly Spec[],
  vf: VersionFile | undefined,
  known: (v: string) => boolean,
): 'none' | 'check' | 'resolve' {
  let need: 'none' | 'check' = 'none';
  for (const spec of specs) {
    const exact = exactOf(spec, vf);
    if (exact === undefined) {
      if (spec.kind === 'go.mod' && fileVersion(vf) === undefined) continue; // an error later, not a list
      return 'resolve';
    }
    if (!known(exact)) need = 'check';
  }
  return need;
}

export interface Resolved {
  spec: string;
  version: string;
  /** How it was found, for the summary: `go.mod toolchain line`, `newest 1.24.x`, … */
  how: string;
}

export interface ResolveOptions {
  /** The input errors about a spec are reported on. */
  input?: string;
  /** The input errors about the version file's content are reported on. */
  fileInput?: string;
  /** Versions already present (the tool cache): accepted without the list. */
  known?: (v: string) => boolean;
}

/**
 * Resolves each spec to one exact Go version. `rel` may be undefined when {@link releaseNeed} said
 * `none`, or `check` and the list could not be read (exact versions are then taken unchecked).
 */
export function resolveSpecs(
  specs: readonly Spec[],
  vf: VersionFile | undefined,
  rel: Releases | undefined,
  o: ResolveOptions = {},
): Resolved[] {
  return specs.map((spec) => resolveSpec(spec, vf, rel, o));
}

function resolveSpec(spec: Spec, vf: VersionFile | undefined, rel: Releases | undefined, o: ResolveOptions): Resolved {
  const input = o.input ?? 'go-version';
  switch (spec.kind) {
    case 'exact':
      checkReleased(spec.version, rel, o, (expected, hint) => new InputError(input, spec.raw, expected, hint));
      return { spec: spec.raw, version: spec.version, how: 'exact' };
    case 'minor':
      return { spec: spec.raw, version: fromMinor(spec, spec.minor, rel, input), how: `newest ${spec.minor}.x` };
    case 'stable':
    case 'oldstable': {
      const list = needList(spec, rel);
      const v = stableVersions(list)[spec.kind];
      if (!v) throw new GoshipError(`${list.source} lists no ${spec.kind === 'stable' ? 'Go release' : 'previous Go minor'}.`);
      return { spec: spec.raw, version: v, how: spec.kind === 'stable' ? 'newest release' : 'newest release of the previous minor' };
    }
    case 'go.mod':
    case 'min':
      return fromFile(spec, vf, rel, o);
  }
}

function fromFile(
  spec: Spec & { kind: 'go.mod' | 'min' },
  vf: VersionFile | undefined,
  rel: Releases | undefined,
  o: ResolveOptions,
): Resolved {
  const input = o.input ?? 'go-version';
  if (!vf) {
    throw new InputError(
      input,
      spec.raw,
      `${ACCEPTED}; \`${spec.kind}\` needs a go.mod, go.work, .go-version or .tool-versions file`,
      'Set `working-directory:` to the module folder or `go-version-file:`, or give versions explicitly',
    );
  }
  const fileInput = o.fileInput ?? input;
  const got = fileInput === input ? spec.raw : vf.kind;
  const bad = (expected: string, hint: string): InputError => new InputError(fileInput, got, expected, hint);
  if (spec.kind === 'min') {
    if (!vf.go || !parseGoVersion(vf.go)) throw bad(`a ${vf.kind} with a go line`, 'Add one: `go mod edit -go=1.24.0`');
    return { spec: spec.raw, version: fromMinor(spec, goMinor(vf.go), rel, fileInput, got), how: `newest patch of ${vf.kind} go ${vf.go}` };
  }
  const v = fileVersion(vf);
  const line = vf.toolchain ? 'toolchain line' : vf.kind === 'go.mod' || vf.kind === 'go.work' ? 'go line' : 'version';
  if (!v) throw bad(`a ${vf.kind} that names a Go version`, 'Add a `go 1.xx` line (run `go mod edit -go=1.24.0`)');
  if (!parseGoVersion(v)) throw bad(`a ${vf.kind} whose ${line} is a Go version`, `Its ${line} is not one (e.g. \`1.24.6\`); fix it`);
  const how = vf.toolchain ? `${vf.kind} toolchain line` : line === 'go line' ? `${vf.kind} go line` : vf.kind;
  if (!isExact(v)) return { spec: spec.raw, version: fromMinor(spec, goMinor(v), rel, fileInput, got), how: `${how}, newest ${v}.x` };
  checkReleased(v, rel, o, (expected, hint) =>
    bad(`a ${vf.kind} that names a released Go version: ${expected}`, `Its ${line} names go${v}; ${hint}`),
  );
  return { spec: spec.raw, version: v, how };
}

function needList(spec: Spec, rel: Releases | undefined): Releases {
  if (!rel) throw new GoshipError(`Resolving "${spec.raw}" needs the list of Go releases, which could not be read.`);
  return rel;
}

function fromMinor(spec: Spec, minor: string, rel: Releases | undefined, input: string, got = spec.raw): string {
  const list = needList(spec, rel);
  const v = newestPatch(minor, list);
  if (v) return v;
  throw new InputError(
    input,
    got,
    `a Go minor with a release (${describeReleases(list)}; released minors: ${releasedMinors(list).join(', ')})`,
    `Go ${minor} has no release${spec.raw === got ? '' : ` (from ${spec.raw})`}; pick a released minor, \`stable\` or \`oldstable\``,
  );
}

/** Exact versions must exist: in the tool cache, or in the release list when there is one. */
function checkReleased(
  v: string,
  rel: Releases | undefined,
  o: ResolveOptions,
  fail: (expected: string, hint: string) => InputError,
): void {
  if (o.known?.(v) || !rel || rel.versions.includes(v)) return;
  const sameMinor = parseGoVersion(v) ? newestPatch(goMinor(v), rel) : undefined;
  throw fail(
    `a released Go version (${describeReleases(rel)})`,
    `Go ${v} is not among the ${rel.versions.length} versions it lists for this runner${sameMinor ? ` (the newest ${goMinor(v)} release is ${sameMinor})` : ''}; pick a listed version, a minor such as \`${goMinor(stableVersions(rel).stable ?? v)}\` (its newest patch), \`stable\` or \`oldstable\``,
  );
}

/** Versions in first-seen order without duplicates. */
export function uniqueVersions(rs: readonly Resolved[]): string[] {
  return [...new Set(rs.map((r) => r.version))];
}
