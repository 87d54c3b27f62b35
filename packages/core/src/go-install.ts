/**
 * Installs a Go toolchain into the runner's tool cache (`RUNNER_TOOL_CACHE/go/<version>/<arch>`,
 * the layout actions/setup-go and the hosted runners' images use), verified either way:
 * the official archive checked against the sha256 of the download index, or the
 * `golang.org/toolchain` module through GOPROXY, which `go mod download` checks against the Go
 * checksum database (sum.golang.org).
 */
import { currentPort } from './action/port.js';
import { ensureRunnerDirs } from './tools.js';
import * as tc from '@actions/tool-cache';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashFile } from './digest.js';
import { GoshipError } from './errors.js';
import { run } from './exec.js';
import { goVersion, parseGoVersion } from './go.js';

/** The tool cache uses SemVer: `1.24.6` stays, `1.25rc1` → `1.25.0-rc.1`, `1.24` → `1.24.0`. */
export function toolCacheVersion(v: string): string {
  const p = parseGoVersion(v);
  if (!p) throw new GoshipError(`Not a Go version: ${JSON.stringify(v)}.`);
  const base = `${p.major}.${p.minor}.${p.patch ?? 0}`;
  return p.kind ? `${base}-${p.kind}.${p.pre}` : base;
}

/** The GOROOT of a cached Go, or undefined. `arch` is Node's name (x64, arm64), as setup-go uses. */
export function findCachedGo(version: string, arch: string = os.arch()): string | undefined {
  ensureRunnerDirs();
  const dir = tc.find('go', toolCacheVersion(version), arch);
  return dir || undefined;
}

export function goBinary(goroot: string): string {
  return path.join(goroot, 'bin', process.platform === 'win32' ? 'go.exe' : 'go');
}

export interface ProxyInstall {
  version: string;
  goos: string;
  goarch: string;
  /** The proxy list to download through (GOPROXY syntax). */
  goproxy: string;
  /** A Go on this machine that runs `go mod download` (default `go` on PATH). */
  goBin?: string;
  /** GOSUMDB to verify against (default the environment's, never `off`). */
  gosumdb?: string;
  arch?: string;
}

export interface Installed {
  goroot: string;
  /** `golang.org/toolchain@…` with its h1 sum, or the archive name with its sha256. */
  verifiedBy: string;
}

/**
 * `go mod download -json golang.org/toolchain@v0.0.1-go<version>.<goos>-<goarch>` into a
 * throw-away module cache (verified by the checksum database), execute bits set as the go command
 * sets them for its own toolchain downloads, then copied into the tool cache.
 */
export async function installGoFromProxy(o: ProxyInstall): Promise<Installed> {
  ensureRunnerDirs();
  const mod = `golang.org/toolchain@v0.0.1-go${o.version}.${o.goos}-${o.goarch}`;
  const tmp = await mkdtemp(path.join(process.env.RUNNER_TEMP!, 'goship-go-toolchain-'));
  const modcache = path.join(tmp, 'mod');
  const sumdb =
    o.gosumdb && o.gosumdb !== 'off' ? o.gosumdb : process.env.GOSUMDB && process.env.GOSUMDB !== 'off' ? process.env.GOSUMDB : '';
  const env: Record<string, string | undefined> = {
    GOMODCACHE: modcache,
    GOPROXY: o.goproxy,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    GONOSUMDB: '',
    GONOSUMCHECK: '',
    GONOPROXY: '',
    GOPRIVATE: '',
    GOINSECURE: '',
    GOSUMDB: sumdb || undefined,
    GO111MODULE: 'on',
  };
  try {
    const r = await run(o.goBin ?? 'go', ['mod', 'download', '-json', mod], {
      cwd: tmp,
      env,
      silent: true,
      allowFailure: true,
      fix: 'Installing Go through the module proxy needs a Go on PATH (any version) to verify the download',
    });
    const info = JSON.parse(r.stdout || '{}') as { Dir?: string; Sum?: string; Error?: string };
    if (r.code !== 0 || !info.Dir) {
      const why = (info.Error ?? r.stderr.trim()) || `exit code ${r.code}`;
      throw new GoshipError(
        `Downloading ${mod} through ${o.goproxy} failed: ${why}`,
        /not found|unknown revision|404|410/.test(why)
          ? `Go ${o.version} has no toolchain for ${o.goos}/${o.goarch} on the proxy; pick another version`
          : 'Check that the module proxy is reachable (input `goproxy`) and that the checksum database (GOSUMDB) is not turned off',
      );
    }
    currentPort().info(`${mod} downloaded and verified against the checksum database (${info.Sum})`);
    await setToolchainModes(info.Dir);
    const arch = o.arch ?? os.arch();
    const goroot = await moveIntoToolCache(info.Dir, toolCacheVersion(o.version), arch);
    await checkGo(goroot, o.version);
    return { goroot, verifiedBy: `${mod} ${info.Sum}` };
  } finally {
    await makeWritable(tmp).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

export interface ArchiveInstall {
  version: string;
  filename: string;
  sha256: string;
  /** Where the archives live (https://go.dev/dl). */
  dlBase: string;
  arch?: string;
}

/** The official archive, checked against the download index's sha256 before extraction. */
export async function installGoFromArchive(o: ArchiveInstall): Promise<Installed> {
  ensureRunnerDirs();
  const file = await tc.downloadTool(`${o.dlBase.replace(/\/+$/, '')}/${o.filename}`);
  try {
    const got = await hashFile(file);
    if (got !== o.sha256) {
      throw new GoshipError(`${o.filename} has sha256 ${got}, but the download index says ${o.sha256}: corrupt or tampered with.`);
    }
    const extracted = o.filename.endsWith('.zip') ? await tc.extractZip(file) : await tc.extractTar(file);
    const goroot = await tc.cacheDir(path.join(extracted, 'go'), 'go', toolCacheVersion(o.version), o.arch ?? os.arch());
    await rm(extracted, { recursive: true, force: true });
    await checkGo(goroot, o.version);
    return { goroot, verifiedBy: `${o.filename} sha256 ${o.sha256}` };
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Like `tc.cacheDir`, but moves the tree when it is on the same file system (a toolchain is
 * ~300 MB): `RUNNER_TOOL_CACHE/go/<version>/<arch>` plus the `<arch>.complete` marker `tc.find` checks.
 */
async function moveIntoToolCache(src: string, version: string, arch: string): Promise<string> {
  const dest = path.join(process.env.RUNNER_TOOL_CACHE!, 'go', version, arch);
  await rm(dest, { recursive: true, force: true });
  await rm(`${dest}.complete`, { force: true });
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await chmod(path.dirname(src), 0o755);
    await rename(src, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(src, dest, { recursive: true, preserveTimestamps: true });
  }
  await writeFile(`${dest}.complete`, '');
  return dest;
}

async function checkGo(goroot: string, version: string): Promise<void> {
  const got = await goVersion(goBinary(goroot), { env: { GOTOOLCHAIN: 'local', GOROOT: undefined } });
  if (got !== version) throw new GoshipError(`The installed toolchain in ${goroot} says go${got}, expected go${version}.`);
}

/**
 * Module zips carry no modes: files come out read-only and without execute bits. Like the go
 * command does for the toolchains it downloads: directories 0755, files 0644, and executable
 * (0755) everything in bin/ and pkg/tool/ plus lib's go_*_*_exec helpers.
 */
export async function setToolchainModes(root: string): Promise<void> {
  const walk = async (dir: string, exec: (rel: string) => boolean): Promise<void> => {
    await chmod(dir, 0o755);
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p, exec);
      else if (e.isFile()) await chmod(p, exec(path.relative(root, p)) ? 0o755 : 0o644);
    }
  };
  await walk(root, (rel) => {
    const parts = rel.split(path.sep);
    if (parts[0] === 'bin' || (parts[0] === 'pkg' && parts[1] === 'tool')) return true;
    return parts[0] === 'lib' && /^go_.+_.+_exec$/.test(parts[parts.length - 1]!);
  });
}

/** Gives the owner write permission on every directory under `root` (module caches are read-only). */
export async function makeWritable(root: string): Promise<void> {
  let st;
  try {
    st = await stat(root);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  await chmod(root, st.mode | 0o700);
  for (const e of await readdir(root, { withFileTypes: true })) {
    if (e.isDirectory()) await makeWritable(path.join(root, e.name));
  }
}
