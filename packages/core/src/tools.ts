/**
 * Installs pinned external tools: a release binary whose sha256 is checked before use, or
 * `go install module@version` (the Go checksum database verifies the sums). Either way the result
 * lands in the runner's tool cache and is found there next time.
 */
import { currentPort } from './action/port.js';
import * as tc from '@actions/tool-cache';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashFile, parseChecksums } from './digest.js';
import { GoshipError } from './errors.js';
import { run } from './exec.js';

export interface GoTool {
  /** Name in the tool cache and of the binary, e.g. `staticcheck`. */
  name: string;
  /** Package path to install, e.g. `honnef.co/go/tools/cmd/staticcheck`. */
  module: string;
  /** Pinned version, e.g. `v0.8.2`. `latest` is refused. */
  version: string;
}

function exe(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

function cacheVersion(v: string): string {
  return v.replace(/^v/, '');
}

/** @actions/tool-cache needs RUNNER_TEMP and RUNNER_TOOL_CACHE; outside a runner they get local defaults. */
export function ensureRunnerDirs(): void {
  process.env.RUNNER_TEMP ??= path.join(os.tmpdir(), 'goship-runner-temp');
  process.env.RUNNER_TOOL_CACHE ??= path.join(os.homedir(), '.cache', 'goship-tool-cache');
}

/** Path of the tool's binary, installing it with `go install` on a tool-cache miss. */
export async function installGoTool(tool: GoTool, opts: { goBin?: string; env?: Record<string, string> } = {}): Promise<string> {
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tool.version)) {
    throw new GoshipError(
      `${tool.name} version ${JSON.stringify(tool.version)} is not a pinned version.`,
      `Give an exact version such as v1.2.3 (never "latest")`,
    );
  }
  ensureRunnerDirs();
  const cached = tc.find(tool.name, cacheVersion(tool.version));
  if (cached) {
    currentPort().info(`${tool.name} ${tool.version} from the tool cache (${cached})`);
    return path.join(cached, exe(tool.name));
  }
  await mkdir(process.env.RUNNER_TEMP!, { recursive: true });
  const gobin = await mkdtemp(path.join(process.env.RUNNER_TEMP!, `${tool.name}-`));
  try {
    await run(opts.goBin ?? 'go', ['install', `${tool.module}@${tool.version}`], {
      env: { GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '', ...opts.env },
      fix: `Check that ${tool.module}@${tool.version} exists and that the Go module proxy is reachable`,
    });
    const dir = await tc.cacheDir(gobin, tool.name, cacheVersion(tool.version));
    return path.join(dir, exe(tool.name));
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

export interface ReleaseBinary {
  name: string;
  version: string;
  /** Download URL of the archive or binary. */
  url: string;
  /** The exact file name as it appears in the checksums file. */
  fileName: string;
  /** Either the expected sha256, or the URL of the release's checksums file. */
  sha256?: string;
  checksumsUrl?: string;
  /** Path of the binary inside the archive (archives only). */
  binaryPath?: string;
}

/** Downloads a release file, verifies its sha256 (matched by exact file name) and caches it. */
export async function installReleaseBinary(r: ReleaseBinary): Promise<string> {
  ensureRunnerDirs();
  const cached = tc.find(r.name, cacheVersion(r.version));
  if (cached) return path.join(cached, exe(r.name));
  let want = r.sha256;
  if (!want && r.checksumsUrl) {
    const sums = parseChecksums(await readFile(await tc.downloadTool(r.checksumsUrl), 'utf8'));
    want = sums.find((l) => l.name === r.fileName)?.digest;
    if (!want) throw new GoshipError(`${r.fileName} is not listed in ${r.checksumsUrl}.`);
  }
  if (!want) throw new GoshipError(`No checksum for ${r.fileName}: refusing to run an unverified binary.`);
  const file = await tc.downloadTool(r.url);
  const got = await hashFile(file);
  if (got !== want) {
    await rm(file, { force: true });
    throw new GoshipError(`${r.fileName} has sha256 ${got}, expected ${want}: the download is corrupt or was tampered with.`);
  }
  let dir: string;
  if (/\.tar\.gz$|\.tgz$/.test(r.fileName)) dir = await tc.extractTar(file);
  else if (/\.zip$/.test(r.fileName)) dir = await tc.extractZip(file);
  else {
    await chmod(file, 0o755);
    dir = await tc.cacheFile(file, exe(r.name), r.name, cacheVersion(r.version));
    return path.join(dir, exe(r.name));
  }
  const bin = path.join(dir, r.binaryPath ?? exe(r.name));
  const cachedDir = await tc.cacheFile(bin, exe(r.name), r.name, cacheVersion(r.version));
  return path.join(cachedDir, exe(r.name));
}
