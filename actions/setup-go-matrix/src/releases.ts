/**
 * The list of released Go versions for the runner: from the Go download index where it answers
 * (it also carries each archive's sha256), else from the module proxy's `golang.org/toolchain`
 * versions. The only network reads of the resolve step.
 */
import type { Log } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { compareGoVersions, goMinor, isGoRelease, parseGoVersion } from '@goship/core/go';

export interface Releases {
  /** Where the list came from, for the log, the summary and error messages. */
  source: string;
  /** Every version known for the host, releases and pre-releases, newest first. */
  versions: string[];
  /** Archive file and sha256 per version (only from the download index). */
  archives: Map<string, { filename: string; sha256: string }>;
}

/** The newest release of `minor` (`1.24` → `1.24.13`). */
export function newestPatch(minor: string, rel: Releases | undefined): string | undefined {
  return rel?.versions.find((v) => isGoRelease(v) && goMinor(v) === minor);
}

/** Newest release, and the newest release of the minor before it. */
export function stableVersions(rel: Releases): { stable?: string; oldstable?: string } {
  const releases = rel.versions.filter(isGoRelease);
  const stable = releases[0];
  if (!stable) return {};
  const oldstable = releases.find((v) => goMinor(v) !== goMinor(stable));
  return { stable, oldstable };
}

/** The newest minors with a release, newest first. */
export function releasedMinors(rel: Releases, max = 6): string[] {
  return [...new Set(rel.versions.filter(isGoRelease).map(goMinor))].slice(0, max);
}

/** What exists, for an error message: `the module proxy (…) lists stable 1.26.8 and oldstable 1.25.9`. */
export function describeReleases(rel: Releases): string {
  const { stable, oldstable } = stableVersions(rel);
  if (!stable) return `${rel.source} lists no Go release`;
  return `${rel.source} lists stable ${stable}${oldstable ? ` and oldstable ${oldstable}` : ''}`;
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
  for (const rel of Array.isArray(json) ? (json as { version: string; files?: DlFile[] }[]) : []) {
    for (const f of rel.files ?? []) {
      if (f.kind === 'archive' && f.os === goos && f.arch === dlArch && /^[0-9a-f]{64}$/.test(f.sha256)) {
        archives.set(String(rel.version).replace(/^go/, ''), { filename: f.filename, sha256: f.sha256 });
      }
    }
  }
  return { versions: sortNewestFirst(archives.keys()), archives };
}

/** The first http(s) proxy of a GOPROXY list (`direct`, `off` and `file://` skipped). */
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
  /** Base of the download index (https://go.dev/dl). */
  dlBase: string;
  dlTimeoutMs?: number;
  log: Log;
}

/** The list of Go versions: the download index if it answers quickly, else the module proxy. */
export async function fetchReleases(o: FetchReleasesOptions): Promise<Releases> {
  const dlBase = o.dlBase.replace(/\/+$/, '');
  const dlUrl = `${dlBase}/?mode=json&include=all`;
  let dlProblem: string;
  try {
    const res = await fetch(dlUrl, { signal: AbortSignal.timeout(o.dlTimeoutMs ?? 5000) });
    if (res.ok) {
      const parsed = parseDownloadIndex(await res.json(), o.goos, o.goarch);
      if (parsed.versions.length) {
        o.log.info(`Go versions from the download index ${dlUrl} (${parsed.versions.length} for ${o.goos}/${o.goarch})`);
        return { source: `the Go download index (${dlBase})`, ...parsed };
      }
      dlProblem = `no ${o.goos}/${o.goarch} archives listed`;
    } else dlProblem = `HTTP ${res.status}`;
  } catch (e) {
    dlProblem = errText(e);
  }
  o.log.info(`The Go download index ${dlUrl} is not usable (${dlProblem}); asking the module proxy.`);
  return fetchToolchainList(o, dlProblem);
}

async function fetchToolchainList(o: FetchReleasesOptions, dlProblem: string): Promise<Releases> {
  const proxy = firstProxy(o.goproxy);
  if (!proxy) {
    throw new GoshipError(
      `Cannot list Go releases: the download index is not reachable (${dlProblem}) and GOPROXY (${JSON.stringify(o.goproxy)}) names no http(s) proxy.`,
      'Set `goproxy:` to a module proxy (e.g. https://proxy.golang.org)',
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
      'Check the network or `goproxy:`',
    );
  }
  const versions = parseToolchainList(text, o.goos, o.goarch);
  if (!versions.length) throw new GoshipError(`${url} lists no Go toolchain for ${o.goos}/${o.goarch}.`);
  o.log.info(`Go versions from the module proxy ${url} (${versions.length} for ${o.goos}/${o.goarch})`);
  return { source: `the module proxy (${proxy}/golang.org/toolchain)`, versions, archives: new Map() };
}

function errText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
