/**
 * The Go toolchain as data: `go env -json`, `go version`, `go list -json`, build info
 * (`go version -m -json`), go.mod/go.work/.go-version/.tool-versions, `go tool dist list -json`,
 * and Go's own version ordering (1.21 < 1.21rc1 < 1.21.0 < 1.21.1).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBuildInfo } from './buildinfo.js';
import { GoshipError } from './errors.js';
import { output, type RunOptions } from './exec.js';
import type { DistPort } from './platform.js';

export interface GoVersion {
  major: number;
  minor: number;
  /** undefined for a language version such as `1.21` (or a pre-release `1.21rc1`). */
  patch?: number;
  /** '' for a release; 'alpha', 'beta' or 'rc' for a pre-release. */
  kind: '' | 'alpha' | 'beta' | 'rc';
  pre: number;
}

const GO_VERSION_RE = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$/;

/** Parses `1.24`, `1.24.3`, `go1.24.3`, `1.25rc1`. Undefined when it is none of those. */
export function parseGoVersion(s: string): GoVersion | undefined {
  const m = GO_VERSION_RE.exec(s.trim());
  if (!m) return undefined;
  const v: GoVersion = { major: Number(m[1]), minor: Number(m[2]), kind: (m[4] ?? '') as GoVersion['kind'], pre: m[5] ? Number(m[5]) : 0 };
  if (m[3] !== undefined) {
    if (v.kind !== '') return undefined;
    v.patch = Number(m[3]);
  }
  return v;
}

const KIND_RANK = { alpha: 1, beta: 2, rc: 3, '': 4 } as const;

/** Orders Go versions as `go/version.Compare` does: 1.21 < 1.21rc1 < 1.21.0 < 1.21.1. */
export function compareGoVersions(a: string, b: string): number {
  const x = parseGoVersion(a);
  const y = parseGoVersion(b);
  if (!x || !y) throw new GoshipError(`Cannot compare Go versions ${JSON.stringify(a)} and ${JSON.stringify(b)}.`);
  if (x.major !== y.major) return x.major - y.major;
  if (x.minor !== y.minor) return x.minor - y.minor;
  // language version (no patch, no pre-release) sorts first
  const rank = (v: GoVersion): number => (v.patch === undefined && v.kind === '' ? 0 : v.patch === undefined ? KIND_RANK[v.kind] : 10);
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx - ry;
  if (x.kind !== '' || y.kind !== '') return x.pre - y.pre;
  return (x.patch ?? 0) - (y.patch ?? 0);
}

export function isGoRelease(s: string): boolean {
  const v = parseGoVersion(s);
  return !!v && v.patch !== undefined && v.kind === '';
}

/** `1.24.3` → `1.24`. */
export function goMinor(s: string): string {
  const v = parseGoVersion(s);
  if (!v) throw new GoshipError(`Not a Go version: ${JSON.stringify(s)}.`);
  return `${v.major}.${v.minor}`;
}

/** Parses the output of `go version`: `go version go1.24.3 linux/amd64` → `1.24.3`. */
export function parseGoVersionOutput(out: string): { version: string; os: string; arch: string } {
  const m = /go version (?:devel )?go(\S+) (\w+)\/(\w+)/.exec(out);
  if (!m) throw new GoshipError(`Unrecognised \`go version\` output: ${JSON.stringify(out.trim())}.`);
  return { version: m[1]!, os: m[2]!, arch: m[3]! };
}

export async function goVersion(goBin = 'go', opts: RunOptions = {}): Promise<string> {
  return parseGoVersionOutput(await output(goBin, ['version'], opts)).version;
}

export async function goEnv(goBin = 'go', opts: RunOptions = {}): Promise<Record<string, string>> {
  return JSON.parse(await output(goBin, ['env', '-json'], opts)) as Record<string, string>;
}

export async function distList(goBin = 'go', opts: RunOptions = {}): Promise<DistPort[]> {
  return JSON.parse(await output(goBin, ['tool', 'dist', 'list', '-json'], opts)) as DistPort[];
}

export interface GoMod {
  module: string;
  go?: string;
  toolchain?: string;
  require: { path: string; version: string; indirect: boolean }[];
}

/** A small go.mod reader: module, go, toolchain and require directives (block and single-line). */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: '', require: [] };
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      if (block === 'require') {
        const [p, v] = line.split(/\s+/);
        if (p && v) mod.require.push({ path: unquote(p), version: v, indirect });
      }
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, verb, rest = ''] = m;
    if (rest === '(') {
      block = verb;
      continue;
    }
    if (verb === 'module') mod.module = unquote(rest.trim());
    else if (verb === 'go') mod.go = rest.trim();
    else if (verb === 'toolchain') mod.toolchain = rest.trim().replace(/^go/, '');
    else if (verb === 'require') {
      const [p, v] = rest.trim().split(/\s+/);
      if (p && v) mod.require.push({ path: unquote(p), version: v, indirect });
    }
  }
  return mod;
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1').replace(/^`(.*)`$/, '$1');
}

export interface VersionFile {
  file: string;
  kind: 'go.mod' | 'go.work' | '.go-version' | '.tool-versions';
  /** The `go` line (go.mod, go.work) or the single version (.go-version, .tool-versions). */
  go?: string;
  /** The `toolchain` line, without its `go` prefix. */
  toolchain?: string;
  module?: string;
}

/** Reads any of the four files that can say which Go a project uses. */
export async function readVersionFile(file: string): Promise<VersionFile> {
  const text = await readFile(file, 'utf8');
  const base = path.basename(file);
  if (base === '.tool-versions') {
    const line = text.split('\n').find((l) => /^golang\s+/.test(l.trim()));
    return { file, kind: '.tool-versions', go: line?.trim().split(/\s+/)[1] };
  }
  if (base === '.go-version') {
    return { file, kind: '.go-version', go: text.trim().replace(/^go/, '') || undefined };
  }
  const mod = parseGoMod(text);
  return { file, kind: base === 'go.work' ? 'go.work' : 'go.mod', go: mod.go, toolchain: mod.toolchain, module: mod.module || undefined };
}

/** Splits a stream of concatenated JSON values (what `go list -json` and `go test -json` print). */
export function parseJSONStream<T = unknown>(text: string): T[] {
  const out: T[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(JSON.parse(text.slice(start, i + 1)) as T);
        start = -1;
      }
    }
  }
  return out;
}

export interface GoPackage {
  Dir: string;
  ImportPath: string;
  Name: string;
  Module?: { Path: string; Dir?: string; Main?: boolean; GoVersion?: string };
  GoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  EmbedFiles?: string[];
  OtherFiles?: string[];
  Imports?: string[];
  Deps?: string[];
  Standard?: boolean;
  DepOnly?: boolean;
  Error?: { Err: string; Pos?: string };
}

/** The fields a `find` listing prints: what naming and reading a package's own files needs. */
const FIND_FIELDS = 'Dir,ImportPath,Name,Module,GoFiles,Error';

/**
 * `go list -json -e` of `patterns`. With `find`, the packages are identified but their imports are
 * not loaded (`-find`, and only the FIND_FIELDS): on a real CLI that is 30 ms instead of 200 ms a
 * call, for the same Dir, Name, GoFiles and Error (an import that does not resolve is the build's
 * error either way; `-json` alone reports it in DepsErrors, not Error).
 */
export async function goList(
  patterns: readonly string[],
  opts: RunOptions & { goBin?: string; tags?: string } & ({ deps?: boolean; find?: never } | { deps?: never; find?: boolean }) = {},
): Promise<GoPackage[]> {
  const args = opts.find ? ['list', '-find', `-json=${FIND_FIELDS}`, '-e'] : ['list', '-json', '-e'];
  if (opts.deps) args.push('-deps');
  if (opts.tags) args.push('-tags', opts.tags);
  args.push('--', ...patterns);
  return parseJSONStream<GoPackage>(await output(opts.goBin ?? 'go', args, opts));
}

/** Main packages among `patterns`, sorted by import path. */
export async function mainPackages(patterns: readonly string[], opts: RunOptions & { goBin?: string } = {}): Promise<GoPackage[]> {
  return (await goList(patterns, opts))
    .filter((p) => p.Name === 'main' && !p.Error)
    .sort((a, b) => a.ImportPath.localeCompare(b.ImportPath));
}

export interface BuildInfo {
  GoVersion: string;
  Path: string;
  Main: { Path: string; Version: string; Sum?: string };
  Deps?: { Path: string; Version: string; Sum?: string; Replace?: { Path: string; Version: string; Sum?: string } }[];
  Settings?: { Key: string; Value: string }[];
}

/**
 * Build info embedded in a Go binary, as `go version -m -json` gives it: read from the file in
 * this process (buildinfo.ts), or by the go command for a format that reader does not know.
 */
export async function buildInfo(binary: string, goBin = 'go', bytes?: Uint8Array): Promise<BuildInfo> {
  // `bytes`: the file's contents when the caller has read them already
  const read = bytes ? parseBuildInfo(bytes) : await readFile(binary).then(parseBuildInfo, () => undefined);
  return read ?? (JSON.parse(await output(goBin, ['version', '-m', '-json', binary])) as BuildInfo);
}

export function buildSetting(info: BuildInfo, key: string): string | undefined {
  return info.Settings?.find((s) => s.Key === key)?.Value;
}
