/**
 * The reference side of the differential tests: run the pinned GoReleaser OSS (tools.versions)
 * on a fixture of `fixtures/goreleaser/` and describe what it produced as a {@link ReleaseRecord}.
 * The goship side builds the same record from its manifest and dist folder; {@link diffRecords}
 * compares two records and says, one line a difference, what is missing, extra or different.
 *
 * A fixture is copied into a fresh git repository with fixed dates, authors, remote and tags
 * (described by its `goship-fixture.json`), so two runs see the same commits and hashes.
 * GoReleaser runs with no network (GOPROXY=off, no token, publishing and everything goship does
 * not do skipped), a private HOME and the machine's Go caches.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ArchiveEntry, listArchive } from './archive-listing.js';
import { GitRepo, repoRoot, tempDir } from './fixtures.js';
import { pinnedTool } from './registry.js';
import { goshipToolsDir } from './toolcache.js';

const byCode = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const execFileP = promisify(execFile);

export const goreleaserFixturesDir = path.join(repoRoot, 'fixtures', 'goreleaser');
export const FIXTURE_SPEC = 'goship-fixture.json';
/** Author and committer date of a fixture's first commit; each later commit is one hour later. */
export const FIXTURE_DATE = '2026-03-04T05:06:07Z';
export const FIXTURE_OWNER = 'goship-fixtures';

export interface FixtureSpec {
  /** The configuration shape the fixture models. */
  describes: string;
  /** The tag released (or, with `snapshot`, the last tag before HEAD). */
  tag: string;
  /** A tag on the first commit when `history` follows it. */
  previousTag?: string;
  /** Commit messages after the first commit (empty commits); the last one gets `tag`. */
  history?: string[];
  /** Release a snapshot of HEAD (one commit after `tag`) with `--snapshot`. */
  snapshot?: boolean;
  /** Extra environment for the release tool. */
  env?: Record<string, string>;
  /** What the integration test checks against GoReleaser's output. */
  expect?: Record<string, unknown>;
}

/** The fixture names (sync: test files build their `it.each` tables from it when collected). */
export function goreleaserFixtures(): string[] {
  return readdirSync(goreleaserFixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(goreleaserFixturesDir, d.name, FIXTURE_SPEC)))
    .map((d) => d.name)
    .sort();
}

export async function fixtureSpec(name: string): Promise<FixtureSpec> {
  return JSON.parse(await readFile(path.join(goreleaserFixturesDir, name, FIXTURE_SPEC), 'utf8')) as FixtureSpec;
}

export interface FixtureCheckout {
  name: string;
  dir: string;
  repo: GitRepo;
  spec: FixtureSpec;
  /** HEAD. */
  commit: string;
  remote: string;
}

/** Modes as a fresh clone gives them (0644, or 0755 for executables), whatever the umask of the copy. */
async function normaliseModes(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const f = path.join(e.parentPath, e.name);
    if (e.isDirectory()) await chmod(f, 0o755);
    else if (e.isFile()) await chmod(f, (await stat(f)).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** The fixture in a new git repository: first commit, scripted history, tags, GitHub remote. */
export async function checkoutFixture(name: string, dir?: string): Promise<FixtureCheckout> {
  const spec = await fixtureSpec(name);
  const target = dir ?? path.join(await tempDir(`goship-gr-${name}-`), name);
  await mkdir(target, { recursive: true });
  await cp(path.join(goreleaserFixturesDir, name), target, {
    recursive: true,
    filter: (src) => path.basename(src) !== FIXTURE_SPEC,
  });
  await writeFile(path.join(target, '.gitignore'), '/dist/\n');
  await normaliseModes(target);
  const repo = new GitRepo(target);
  const remote = `https://github.com/${FIXTURE_OWNER}/${name}.git`;
  await repo.git('init', '-q', '-b', 'main');
  await repo.git('remote', 'add', 'origin', remote);
  const history = spec.history ?? [];
  const at = (i: number): string => new Date(Date.parse(FIXTURE_DATE) + i * 3600_000).toISOString().replace('.000Z', 'Z');
  const firstTag = spec.snapshot || history.length === 0 ? spec.tag : spec.previousTag;
  await repo.commit({ message: `chore: import ${name}`, date: at(0), ...(firstTag ? { tag: firstTag } : {}) });
  for (const [i, message] of history.entries()) {
    const last = i === history.length - 1;
    await repo.commit({ message, date: at(i + 1), ...(last && !spec.snapshot ? { tag: spec.tag } : {}) });
  }
  return { name, dir: target, repo, spec, commit: await repo.head(), remote };
}

// ---- the record ----

export interface RecordBinary {
  /** Build id. */
  id: string;
  name: string;
  /** `linux_amd64_v1`. */
  target: string;
  /** Relative to dist/, forward slashes. */
  path: string;
}

export interface RecordArchiveEntry extends ArchiveEntry {
  /** A binary of the release (its bytes depend on build flags), or another file. */
  kind: 'binary' | 'file';
}

export interface RecordArchive {
  name: string;
  /** Archive id. */
  id: string;
  format: string;
  /** Empty for a meta archive. */
  target: string;
  /** The folder every entry is in, or ''. */
  wrappedIn: string;
  entries: RecordArchiveEntry[];
}

export interface RecordChecksums {
  name: string;
  /** In file order. */
  lines: { digest: string; name: string }[];
}

export interface RecordVersion {
  binary: string;
  target: string;
  code: number;
  output: string;
}

/** What a release produced, as goship and GoReleaser can both describe it. */
export interface ReleaseRecord {
  /** `goreleaser v2.15.1`, `goship`. */
  producer: string;
  projectName: string;
  version: string;
  tag: string;
  commit: string;
  /** Names by kind: archive, binary (built), binary-asset (a bare binary released), checksums, file, sbom, signature… */
  artifacts: Record<string, string[]>;
  /** Everything the release would upload, sorted. */
  assets: string[];
  binaries: RecordBinary[];
  /** Build id → the targets built, sorted. */
  targets: Record<string, string[]>;
  archives: RecordArchive[];
  checksums: RecordChecksums | undefined;
  /** `--version` of every binary built for the machine running the test. */
  versionOutput: RecordVersion[];
  /** dist/CHANGELOG.md (the release notes), when written. */
  changelog: string | undefined;
}

interface GoreleaserArtifact {
  name: string;
  path: string;
  goos?: string;
  goarch?: string;
  goamd64?: string;
  target?: string;
  internal_type: number;
  type: string;
  extra?: Record<string, unknown>;
}

/** GoReleaser's internal artifact types (internal/artifact) in goship's words. */
const KINDS: Readonly<Record<number, string>> = {
  1: 'archive',
  2: 'binary-asset',
  3: 'file',
  4: 'binary',
  5: 'universal-binary',
  6: 'linux-package',
  12: 'checksums',
  13: 'signature',
  14: 'certificate',
  15: 'source-archive',
  28: 'sbom',
  35: 'metadata',
};
const UPLOADED = new Set([
  'archive',
  'binary-asset',
  'file',
  'checksums',
  'signature',
  'certificate',
  'source-archive',
  'sbom',
  'linux-package',
]);

function hostGo(): { goos: string; goarch: string } {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[os.arch()] ?? os.arch();
  return { goos: process.platform === 'win32' ? 'windows' : process.platform, goarch: arch };
}

async function versionOf(bin: string): Promise<{ code: number; output: string }> {
  try {
    const r = await execFileP(bin, ['--version'], { timeout: 10_000, env: { PATH: process.env.PATH ?? '' } });
    return { code: 0, output: (r.stdout + r.stderr).trim() };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() };
  }
}

function rel(dist: string, p: string, moduleDir: string): string {
  const abs = path.isAbsolute(p) ? p : path.join(moduleDir, p);
  return path.relative(dist, abs).split(path.sep).join('/');
}

/** Reads GoReleaser's dist/ (artifacts.json, metadata.json, the archives) into a record. */
export async function recordFromGoreleaserDist(
  moduleDir: string,
  dist = path.join(moduleDir, 'dist'),
  producer = 'goreleaser',
): Promise<ReleaseRecord> {
  const artifacts = JSON.parse(await readFile(path.join(dist, 'artifacts.json'), 'utf8')) as GoreleaserArtifact[];
  const meta = JSON.parse(await readFile(path.join(dist, 'metadata.json'), 'utf8')) as Record<string, string>;
  const byKind: Record<string, string[]> = {};
  for (const a of artifacts) (byKind[KINDS[a.internal_type] ?? a.type.toLowerCase()] ??= []).push(a.name);
  for (const names of Object.values(byKind)) names.sort();
  const kindOf = (a: GoreleaserArtifact): string => KINDS[a.internal_type] ?? a.type.toLowerCase();

  const binaries = artifacts
    .filter((a) => kindOf(a) === 'binary')
    .map((a) => ({ id: String(a.extra?.ID ?? ''), name: a.name, target: a.target ?? '', path: rel(dist, a.path, moduleDir) }))
    .sort((x, y) => byCode(x.path, y.path));
  const targets: Record<string, string[]> = {};
  for (const b of binaries) (targets[b.id] ??= []).push(b.target);
  for (const [id, t] of Object.entries(targets)) targets[id] = [...new Set(t)].sort();

  const archives: RecordArchive[] = [];
  for (const a of artifacts.filter((x) => kindOf(x) === 'archive')) {
    const bins = new Set(((a.extra?.Binaries as string[] | undefined) ?? []).map(String));
    const wrappedIn = String(a.extra?.WrappedIn ?? '');
    const listing = await listArchive(path.isAbsolute(a.path) ? a.path : path.join(moduleDir, a.path));
    archives.push({
      name: a.name,
      id: String(a.extra?.ID ?? ''),
      format: String(a.extra?.Format ?? ''),
      target: a.target ?? '',
      wrappedIn,
      entries: listing
        .map((e) => {
          const inner = wrappedIn && e.path.startsWith(`${wrappedIn}/`) ? e.path.slice(wrappedIn.length + 1) : e.path;
          return { ...e, kind: bins.has(inner) ? ('binary' as const) : ('file' as const) };
        })
        .sort((x, y) => byCode(x.path, y.path)),
    });
  }
  archives.sort((x, y) => byCode(x.name, y.name));

  const sum = artifacts.find((a) => kindOf(a) === 'checksums');
  const checksums = sum && (await readChecksums(sum.name, path.isAbsolute(sum.path) ? sum.path : path.join(moduleDir, sum.path)));

  const host = hostGo();
  const versionOutput: RecordVersion[] = [];
  for (const a of artifacts.filter((x) => kindOf(x) === 'binary' && x.goos === host.goos && x.goarch === host.goarch)) {
    // amd64 levels above v1 may not run on this machine; v1 always does.
    if (a.goamd64 && a.goamd64 !== 'v1') continue;
    const r = await versionOf(path.isAbsolute(a.path) ? a.path : path.join(moduleDir, a.path));
    versionOutput.push({ binary: a.name, target: a.target ?? '', ...r });
  }
  versionOutput.sort((x, y) => byCode(`${x.binary} ${x.target}`, `${y.binary} ${y.target}`));

  const changelogFile = path.join(dist, 'CHANGELOG.md');
  return {
    producer,
    projectName: meta.project_name ?? '',
    version: meta.version ?? '',
    tag: meta.tag ?? '',
    commit: meta.commit ?? '',
    artifacts: byKind,
    assets: artifacts
      .filter((a) => UPLOADED.has(kindOf(a)))
      .map((a) => a.name)
      .sort(),
    binaries,
    targets,
    archives,
    checksums,
    versionOutput,
    changelog: existsSync(changelogFile) ? await readFile(changelogFile, 'utf8') : undefined,
  };
}

/** The artifact fields of a goship manifest the record reads (see multiarch-build's pipeline and package). */
interface GoshipArtifact {
  kind: string;
  name: string;
  path?: string;
  os?: string;
  arch?: string;
  variant?: string;
  format?: string;
  id?: string;
  build?: string;
  target?: string;
  goTarget?: string;
  file?: string;
  wrappedIn?: string;
  binaryFiles?: string[];
}

/**
 * goship's side of the differential tests: reads multiarch-build's manifest and the files it names
 * into the same record {@link recordFromGoreleaserDist} makes of GoReleaser's dist/ — artifact names
 * by kind (a bare binary released is a `binary-asset`, as GoReleaser calls it), binaries by build id,
 * target and path under dist/, archive listings from the archives' bytes, the checksums file, and
 * the `--version` of every binary built for this machine. goship writes no release notes here
 * (semver-release does), so `changelog` is undefined.
 */
export async function recordFromGoshipManifest(
  moduleDir: string,
  manifestFile = path.join(moduleDir, 'dist', 'goship-manifest.json'),
  dist = path.dirname(manifestFile),
  producer = 'goship',
): Promise<ReleaseRecord> {
  const m = JSON.parse(await readFile(manifestFile, 'utf8')) as {
    project: string;
    version: string;
    tag: string;
    commit: string;
    artifacts: GoshipArtifact[];
  };
  const abs = (a: GoshipArtifact): string => path.join(moduleDir, ...(a.path ?? a.name).split('/'));
  const kindOf = (a: GoshipArtifact): string => (a.kind === 'archive' && a.format === 'binary' ? 'binary-asset' : a.kind);
  const fileOf = (a: GoshipArtifact): string => a.file ?? path.posix.basename(a.path ?? a.name);
  const byKind: Record<string, string[]> = {};
  for (const a of m.artifacts) (byKind[kindOf(a)] ??= []).push(a.kind === 'binary' ? fileOf(a) : a.name);
  for (const names of Object.values(byKind)) names.sort();

  const bins = m.artifacts.filter((a) => a.kind === 'binary');
  const binaries = bins
    .map((a) => ({ id: a.build ?? a.name, name: fileOf(a), target: a.target ?? '', path: rel(dist, abs(a), moduleDir) }))
    .sort((x, y) => byCode(x.path, y.path));
  const targets: Record<string, string[]> = {};
  for (const b of binaries) (targets[b.id] ??= []).push(b.target);
  for (const [id, t] of Object.entries(targets)) targets[id] = [...new Set(t)].sort();

  const archives: RecordArchive[] = [];
  for (const a of m.artifacts.filter((x) => kindOf(x) === 'archive')) {
    const wrappedIn = a.wrappedIn ?? '';
    const binFiles = new Set(a.binaryFiles ?? []);
    archives.push({
      name: a.name,
      id: a.id ?? '',
      format: a.format ?? '',
      target: a.target ?? '',
      wrappedIn,
      entries: (await listArchive(abs(a)))
        .map((e) => {
          const inner = wrappedIn && e.path.startsWith(`${wrappedIn}/`) ? e.path.slice(wrappedIn.length + 1) : e.path;
          return { ...e, kind: binFiles.has(inner) ? ('binary' as const) : ('file' as const) };
        })
        .sort((x, y) => byCode(x.path, y.path)),
    });
  }
  archives.sort((x, y) => byCode(x.name, y.name));

  const sum = m.artifacts.find((a) => a.kind === 'checksums');
  const checksums = sum && (await readChecksums(sum.name, abs(sum)));

  const host = hostGo();
  const versionOutput: RecordVersion[] = [];
  for (const a of bins.filter((x) => x.os === host.goos && x.arch === host.goarch)) {
    // as on GoReleaser's side: amd64 levels above v1 may not run here
    if (a.variant) continue;
    versionOutput.push({ binary: fileOf(a), target: a.target ?? '', ...(await versionOf(abs(a))) });
  }
  versionOutput.sort((x, y) => byCode(`${x.binary} ${x.target}`, `${y.binary} ${y.target}`));

  return {
    producer,
    projectName: m.project,
    version: m.version,
    tag: m.tag,
    commit: m.commit,
    artifacts: byKind,
    assets: m.artifacts
      .filter((a) => ['archive', 'binary-asset', 'checksums', 'sbom'].includes(kindOf(a)))
      .map((a) => a.name)
      .sort(),
    binaries,
    targets,
    archives,
    checksums,
    versionOutput,
    changelog: undefined,
  };
}

/** Name → absolute path of every file GoReleaser would upload. */
export async function uploadedFiles(moduleDir: string, dist = path.join(moduleDir, 'dist')): Promise<Record<string, string>> {
  const artifacts = JSON.parse(await readFile(path.join(dist, 'artifacts.json'), 'utf8')) as GoreleaserArtifact[];
  const out: Record<string, string> = {};
  for (const a of artifacts) {
    if (UPLOADED.has(KINDS[a.internal_type] ?? '')) out[a.name] = path.isAbsolute(a.path) ? a.path : path.join(moduleDir, a.path);
  }
  return out;
}

/** What GoReleaser skips in reference runs: publishing, and everything goship does not do. */
export const REFERENCE_SKIPS = [
  'publish',
  'announce',
  'sign',
  'sbom',
  'docker',
  'ko',
  'nfpm',
  'snapcraft',
  'homebrew',
  'scoop',
  'winget',
  'nix',
  'aur',
  'aur-source',
  'chocolatey',
  'notarize',
  'flatpak',
  'makeself',
  'mcp',
  'srpm',
] as const;

async function goEnvVars(): Promise<Record<string, string>> {
  const { stdout } = await execFileP('go', ['env', '-json', 'GOPATH', 'GOCACHE', 'GOMODCACHE'], {
    env: { ...process.env, PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}` },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

export interface ReferenceRun {
  checkout: FixtureCheckout;
  record: ReleaseRecord;
  /** Uploaded file name → its path (a bare binary asset is the built binary itself). */
  files: Record<string, string>;
  /** GoReleaser's output. */
  log: string;
  argv: string[];
}

/**
 * The pinned GoReleaser: `$GOSHIP_TOOLS_DIR/goreleaser-<version>/goreleaser` as scripts/install-tools
 * builds it, else `.tools/bin/goreleaser` (installed on first use, a few minutes).
 */
export async function goreleaserBinary(): Promise<string> {
  const built = path.join(goshipToolsDir, `goreleaser-${await toolVersion()}`, 'goreleaser');
  return existsSync(built) ? built : pinnedTool('goreleaser');
}

/** Runs the pinned GoReleaser on a fixture and records what it produced; throws with its log on failure. */
export async function goreleaserReference(name: string, opts: { dir?: string } = {}): Promise<ReferenceRun> {
  const tool = await goreleaserBinary();
  const checkout = await checkoutFixture(name, opts.dir);
  const home = path.join(path.dirname(checkout.dir), 'home');
  await mkdir(home, { recursive: true });
  const goVars = await goEnvVars();
  const env: Record<string, string> = {
    PATH: [path.dirname(tool), '/usr/local/go/bin', '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    HOME: home,
    TMPDIR: os.tmpdir(),
    ...goVars,
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...checkout.spec.env,
  };
  const argv = ['release', '--clean', `--skip=${REFERENCE_SKIPS.join(',')}`, '--parallelism=2', '--timeout=10m'];
  if (checkout.spec.snapshot) argv.push('--snapshot');
  let log: string;
  try {
    const r = await execFileP(tool, argv, { cwd: checkout.dir, env, maxBuffer: 64 << 20, timeout: 10 * 60_000 });
    log = r.stdout + r.stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`goreleaser ${argv.join(' ')} failed on fixture ${name}:\n${(err.stdout ?? '') + (err.stderr ?? '') || err.message}`, {
      cause: e,
    });
  }
  const dist = path.join(checkout.dir, 'dist');
  const record = await recordFromGoreleaserDist(checkout.dir, dist, `goreleaser ${await toolVersion()}`);
  return { checkout, record, files: await uploadedFiles(checkout.dir, dist), log, argv: [tool, ...argv] };
}

async function toolVersion(): Promise<string> {
  const line = (await readFile(path.join(repoRoot, 'tools.versions'), 'utf8')).split('\n').find((l) => l.startsWith('goreleaser '));
  return line?.split(/\s+/)[1] ?? 'unknown';
}

/** A checksums file (`DIGEST  NAME` lines, as sha256sum writes them), as both sides of the record read it. */
async function readChecksums(name: string, file: string): Promise<RecordChecksums> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  return {
    name,
    lines: lines.map((l) => {
      const [digest = '', ...rest] = l.split('  ');
      return { digest, name: rest.join('  ') };
    }),
  };
}

/** sha256 (or sha512) of a file, for checking a checksums file against dist/. */
export async function fileDigest(file: string, algorithm: 'sha256' | 'sha512' = 'sha256'): Promise<string> {
  return createHash(algorithm)
    .update(await readFile(file))
    .digest('hex');
}

// ---- comparing two records ----

export interface DiffOptions {
  /** Compare digests and sizes of binaries (only equal when both sides build with the same flags). Default false. */
  binaryBytes?: boolean;
  /** Compare the checksums file's digests, not only its name and file list. Default false. */
  digests?: boolean;
}

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)/g;

/** The record as "key: value" lines, keyed so that two records line up (timestamps masked). */
export function flattenRecord(r: ReleaseRecord, opts: DiffOptions = {}): Map<string, string> {
  const m = new Map<string, string>();
  m.set('projectName', r.projectName);
  m.set('version', r.version);
  m.set('tag', r.tag);
  for (const [kind, names] of Object.entries(r.artifacts)) {
    if (kind === 'metadata') continue;
    for (const n of names) m.set(`artifact ${kind} ${n}`, 'present');
  }
  for (const b of r.binaries) m.set(`binary ${b.path}`, `${b.id} ${b.target}`);
  for (const a of r.archives) {
    m.set(`archive ${a.name}`, `id=${a.id} format=${a.format} target=${a.target} wrappedIn=${a.wrappedIn}`);
    for (const e of a.entries) {
      const bytes = e.kind === 'file' || opts.binaryBytes ? ` size=${e.size} sha256=${e.sha256 ?? ''}` : '';
      m.set(`archive ${a.name} entry ${e.path}`, `${e.kind} ${e.type} mode=${e.mode}${bytes}${e.linkname ? ` -> ${e.linkname}` : ''}`);
    }
  }
  if (r.checksums) {
    m.set('checksums', r.checksums.name);
    // keyed by name, so a file only one side lists does not shift the lines after it; the order is compared apart
    for (const l of r.checksums.lines) m.set(`checksums lists ${l.name}`, opts.digests ? l.digest : 'listed');
    const names = r.checksums.lines.map((l) => l.name);
    m.set('checksums order', names.every((n, i) => i === 0 || names[i - 1]! < n) ? 'sorted by name' : names.join(', '));
  }
  for (const v of r.versionOutput) m.set(`--version ${v.binary} ${v.target}`, `exit ${v.code}: ${v.output.replace(TIME, '<time>')}`);
  if (r.changelog !== undefined) {
    r.changelog.split('\n').forEach((l, i) => m.set(`changelog line ${String(i + 1).padStart(3, '0')}`, l.replace(TIME, '<time>')));
  }
  return m;
}

/**
 * The differences between two records, one readable line each (`- key: value` only in
 * `expected`, `+ key: value` only in `actual`, `~ key: expected → actual`); empty when equal.
 */
export function diffRecords(expected: ReleaseRecord, actual: ReleaseRecord, opts: DiffOptions = {}): string[] {
  const a = flattenRecord(expected, opts);
  const b = flattenRecord(actual, opts);
  const out: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    if (y === undefined) out.push(`- ${key}: ${x}`);
    else if (x === undefined) out.push(`+ ${key}: ${y}`);
    else out.push(`~ ${key}: ${x} → ${y}`);
  }
  return out;
}

/** Removes a reference run's folders. */
export async function removeCheckout(c: FixtureCheckout): Promise<void> {
  await rm(path.dirname(c.dir), { recursive: true, force: true });
}
