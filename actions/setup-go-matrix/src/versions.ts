/**
 * Which Go versions: the `go-version` specs, the version file, and the list of released Go
 * versions (from the Go download index where reachable, else from the module proxy's
 * `golang.org/toolchain` versions).
 */
import * as core from '@actions/core';
import { GoshipError, InputError } from '@goship/core/errors';
import { type VersionFile, compareGoVersions, isGoRelease, parseGoVersion } from '@goship/core/go';

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

/** Parses one `go-version` item; throws an InputError naming the input. */
export function parseSpec(raw: string, input = 'go-version'): Spec {
  const s = raw.trim();
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

/** Whether resolving `spec` needs the list of released versions. */
export function needsReleases(spec: Spec, vf: VersionFile | undefined): boolean {
  if (spec.kind === 'exact') return false;
  if (spec.kind === 'go.mod') {
    const v = fileVersion(vf);
    return v !== undefined && !isExact(v);
  }
  return true;
}

function isExact(v: string): boolean {
  const p = parseGoVersion(v);
  return !!p && (p.patch !== undefined || p.kind !== '');
}

/**
 * setup-go's rule: with `GOTOOLCHAIN=local` set for the job, the go command will not switch to the
 * toolchain line, so the go line is what runs: the toolchain line is dropped.
 */
export function applyToolchainEnv(vf: VersionFile | undefined, userGotoolchain: string): VersionFile | undefined {
  if (!vf?.toolchain || userGotoolchain !== 'local') return vf;
  return { ...vf, toolchain: undefined };
}

/** The version a file asks for: the toolchain line over the go line (setup-go's rule). */
export function fileVersion(vf: VersionFile | undefined): string | undefined {
  if (!vf) return undefined;
  return vf.toolchain ?? vf.go;
}

export interface Releases {
  /** Where the list came from, for the log and the summary. */
  source: string;
  /** Every version known for the host, releases and pre-releases, newest first. */
  versions: string[];
  /** Archive file and sha256 per version (only from the download index). */
  archives: Map<string, { filename: string; sha256: string }>;
}

export function newestPatch(minor: string, rel: Releases | undefined): string | undefined {
  return rel?.versions.find((v) => isGoRelease(v) && goMinorOf(v) === minor);
}

function goMinorOf(v: string): string {
  const p = parseGoVersion(v)!;
  return `${p.major}.${p.minor}`;
}

/** Newest release, and the newest release of the minor before it. */
export function stableVersions(rel: Releases): { stable?: string; oldstable?: string } {
  const releases = rel.versions.filter(isGoRelease);
  const stable = releases[0];
  if (!stable) return {};
  const minor = goMinorOf(stable);
  const oldstable = releases.find((v) => goMinorOf(v) !== minor);
  return { stable, oldstable };
}

export interface Resolved {
  spec: string;
  version: string;
  /** How it was found, for the summary: `go.mod toolchain line`, `newest 1.24.x`, … */
  how: string;
}

/**
 * Resolves each spec to one exact Go version. `rel` may be undefined when no spec needs it
 * ({@link needsReleases}).
 */
export function resolveSpecs(
  specs: readonly Spec[],
  vf: VersionFile | undefined,
  rel: Releases | undefined,
  input = 'go-version',
): Resolved[] {
  const out: Resolved[] = [];
  const needRel = (spec: Spec): Releases => {
    if (!rel) throw new GoshipError(`Resolving "${spec.raw}" needs the list of Go releases, which could not be read.`);
    return rel;
  };
  const fromMinor = (spec: Spec, minor: string, how: string): Resolved => {
    const v = newestPatch(minor, needRel(spec));
    if (!v) {
      throw new InputError(
        input,
        spec.raw,
        `a Go minor with a release (${rel!.source} lists ${knownMinors(rel!).join(', ')})`,
        `Pick a released minor, or an exact version`,
      );
    }
    return { spec: spec.raw, version: v, how };
  };
  for (const spec of specs) {
    switch (spec.kind) {
      case 'exact':
        if (rel && !rel.versions.includes(spec.version)) {
          throw new InputError(
            input,
            spec.raw,
            `a released Go version (newest of that minor: ${newestPatch(goMinorOf(spec.version), rel) ?? 'none'})`,
            `${rel.source} has no Go ${spec.version} for this runner`,
          );
        }
        out.push({ spec: spec.raw, version: spec.version, how: 'exact' });
        break;
      case 'minor':
        out.push(fromMinor(spec, spec.minor, `newest ${spec.minor}.x`));
        break;
      case 'stable': {
        const { stable } = stableVersions(needRel(spec));
        if (!stable) throw new GoshipError(`${needRel(spec).source} lists no Go release.`);
        out.push({ spec: spec.raw, version: stable, how: 'newest release' });
        break;
      }
      case 'oldstable': {
        const { oldstable } = stableVersions(needRel(spec));
        if (!oldstable) throw new GoshipError(`${needRel(spec).source} lists no previous Go minor.`);
        out.push({ spec: spec.raw, version: oldstable, how: 'newest release of the previous minor' });
        break;
      }
      case 'go.mod':
      case 'min': {
        if (!vf) {
          throw new InputError(
            input,
            spec.raw,
            `${ACCEPTED}; \`${spec.kind}\` needs a go.mod, go.work, .go-version or .tool-versions file`,
            'Set `working-directory:` to the module folder or `go-version-file:`, or give versions explicitly',
          );
        }
        const name = vf.kind;
        if (spec.kind === 'min') {
          if (!vf.go) throw new GoshipError(`${vf.file} has no go line.`, 'Add one: `go mod edit -go=1.24.0`');
          out.push(fromMinor(spec, goMinorOf(vf.go), `newest patch of ${name} go ${vf.go}`));
          break;
        }
        const v = fileVersion(vf);
        if (!v) throw new GoshipError(`${vf.file} names no Go version.`, 'Add a `go 1.xx` line (run `go mod edit -go=1.24.0`)');
        if (!parseGoVersion(v)) throw new GoshipError(`${vf.file} names ${JSON.stringify(v)}, which is not a Go version.`);
        const how = vf.toolchain ? `${name} toolchain line` : vf.kind === 'go.mod' || vf.kind === 'go.work' ? `${name} go line` : name;
        if (isExact(v)) out.push({ spec: spec.raw, version: v, how });
        else out.push(fromMinor(spec, goMinorOf(v), `${how}, newest ${v}.x`));
        break;
      }
    }
  }
  return out;
}

function knownMinors(rel: Releases): string[] {
  return [...new Set(rel.versions.filter(isGoRelease).map(goMinorOf))].slice(0, 6);
}

/** Versions in first-seen order without duplicates. */
export function uniqueVersions(rs: readonly Resolved[]): string[] {
  return [...new Set(rs.map((r) => r.version))];
}

/** Go's names for the runner's OS and architecture. */
export function hostGoPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): { goos: string; goarch: string } {
  const goos = platform === 'win32' ? 'windows' : platform;
  const goarch =
    (
      {
        x64: 'amd64',
        ia32: '386',
        arm: 'arm',
        arm64: 'arm64',
        ppc64: 'ppc64le',
        s390x: 's390x',
        riscv64: 'riscv64',
        loong64: 'loong64',
      } as Record<string, string>
    )[arch] ?? arch;
  return { goos, goarch };
}

function sortNewestFirst(vs: Iterable<string>): string[] {
  return [...new Set(vs)].filter((v) => parseGoVersion(v)).sort((a, b) => compareGoVersions(b, a));
}

/** Parses `golang.org/toolchain/@v/list`: `v0.0.1-go1.24.6.linux-amd64` lines. */
export function parseToolchainList(text: string, goos: string, goarch: string): string[] {
  const suffix = `.${goos}-${goarch}`;
  const vs: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^v0\.0\.1-go(.+)$/.exec(line.trim());
    if (!m || !m[1]!.endsWith(suffix)) continue;
    vs.push(m[1]!.slice(0, -suffix.length));
  }
  return sortNewestFirst(vs);
}

interface DlFile {
  filename: string;
  os: string;
  arch: string;
  version: string;
  sha256: string;
  kind: string;
}

/** Parses the download index (`https://go.dev/dl/?mode=json&include=all`). */
export function parseDownloadIndex(json: unknown, goos: string, goarch: string): Omit<Releases, 'source'> {
  const archives = new Map<string, { filename: string; sha256: string }>();
  const dlArch = goarch === 'arm' ? 'armv6l' : goarch;
  for (const rel of json as { version: string; files: DlFile[] }[]) {
    for (const f of rel.files ?? []) {
      if (f.kind === 'archive' && f.os === goos && f.arch === dlArch) {
        archives.set(rel.version.replace(/^go/, ''), { filename: f.filename, sha256: f.sha256 });
      }
    }
  }
  return { versions: sortNewestFirst(archives.keys()), archives };
}

/** The first http(s) proxy of a GOPROXY list (`direct` and `off` skipped). */
export function firstProxy(goproxy: string): string | undefined {
  return goproxy
    .split(/[,|]/)
    .map((s) => s.trim())
    .find((s) => /^https?:\/\//.test(s))
    ?.replace(/\/+$/, '');
}

export interface FetchReleasesOptions {
  goos: string;
  goarch: string;
  goproxy: string;
  /** Base of the download index; `GOSHIP_GO_DL_URL` or https://go.dev/dl. */
  dlBase?: string;
  dlTimeoutMs?: number;
}

/** The list of Go versions: the download index if it answers quickly, else the module proxy. */
export async function fetchReleases(o: FetchReleasesOptions): Promise<Releases> {
  const dlBase = (o.dlBase ?? 'https://go.dev/dl').replace(/\/+$/, '');
  const dlUrl = `${dlBase}/?mode=json&include=all`;
  let dlProblem: string;
  try {
    const res = await fetch(dlUrl, { signal: AbortSignal.timeout(o.dlTimeoutMs ?? 5000) });
    if (res.ok) {
      const parsed = parseDownloadIndex(await res.json(), o.goos, o.goarch);
      if (parsed.versions.length) {
        core.info(`Go versions from the download index ${dlUrl} (${parsed.versions.length} for ${o.goos}/${o.goarch})`);
        return { source: `the Go download index (${dlBase})`, ...parsed };
      }
      dlProblem = `no ${o.goos}/${o.goarch} archives listed`;
    } else dlProblem = `HTTP ${res.status}`;
  } catch (e) {
    dlProblem = errText(e);
  }
  core.info(`The Go download index ${dlUrl} is not usable (${dlProblem}); asking the module proxy.`);
  const proxy = firstProxy(o.goproxy);
  if (!proxy) {
    throw new GoshipError(
      `Cannot list Go releases: the download index is not reachable (${dlProblem}) and GOPROXY (${JSON.stringify(o.goproxy)}) names no http(s) proxy.`,
      'Set `goproxy:` to a module proxy (e.g. https://proxy.golang.org) or give exact versions',
    );
  }
  const url = `${proxy}/golang.org/toolchain/@v/list`;
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (e) {
    throw new GoshipError(
      `Cannot list Go releases: the download index is not reachable (${dlProblem}) and ${url} failed (${errText(e)}).`,
      'Check the network or `goproxy:`, or give exact versions (`go-version: 1.24.6`)',
    );
  }
  const versions = parseToolchainList(text, o.goos, o.goarch);
  if (!versions.length) throw new GoshipError(`${url} lists no Go toolchain for ${o.goos}/${o.goarch}.`);
  core.info(`Go versions from the module proxy ${url} (${versions.length} for ${o.goos}/${o.goarch})`);
  return { source: `the module proxy (${proxy}/golang.org/toolchain)`, versions, archives: new Map() };
}

function errText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
