/**
 * The resolve step: the version file (and go.mod) are read, the release list is fetched when a
 * spec needs it or an exact version has to be confirmed, every spec becomes one exact version,
 * and the versions are held against go.mod's go line. Reads only: nothing is downloaded here but
 * the list.
 */
import type { Log } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { type VersionFile, compareGoVersions, parseGoVersion, readVersionFile } from '@goship/core/go';
import { findCachedGo } from '@goship/core/go-install';
import type { Host } from './host.js';
import type { SetupInputs } from './inputs.js';
import { type Releases, fetchReleases } from './releases.js';
import { JobEnv } from './state.js';
import { type Resolved, applyToolchainEnv, releaseNeed, resolveSpecs, uniqueVersions } from './versions.js';

export interface Resolution {
  /** The version file as it applies (the toolchain line dropped under the job's GOTOOLCHAIN=local). */
  versionFile?: VersionFile;
  goMod?: VersionFile;
  resolved: Resolved[];
  versions: string[];
  /** The first version: the one installed. */
  version: string;
  goDirective?: string;
  releases?: Releases;
  /** GOTOOLCHAIN as the job set it (not as an earlier run of this action exported it). */
  userGotoolchain: string;
}

export async function resolveVersions(inp: SetupInputs, host: Host, log: Log, env: NodeJS.ProcessEnv = process.env): Promise<Resolution> {
  const userGotoolchain = env[JobEnv.userGotoolchain] ?? env.GOTOOLCHAIN ?? '';
  const read = inp.versionFile ? await readVersionFile(inp.versionFile) : undefined;
  const versionFile = applyToolchainEnv(read, userGotoolchain);
  if (read?.toolchain && !versionFile?.toolchain) {
    log.info(`GOTOOLCHAIN=local is set for the job: the toolchain line (go${read.toolchain}) is not used, the go line (${read.go}) is.`);
  }
  const goMod = !inp.goMod ? undefined : versionFile?.file === inp.goMod ? versionFile : await readVersionFile(inp.goMod);
  const cached = new Map<string, boolean>();
  const known = (v: string): boolean => cached.get(v) ?? cached.set(v, findCachedGo(v) !== undefined).get(v)!;
  const releases = await releaseList(inp, versionFile, host, known, log);
  const resolved = resolveSpecs(inp.specs, versionFile, releases, { fileInput: inp.versionFileInput, known });
  for (const r of resolved) log.info(`${r.spec} → Go ${r.version} (${r.how})`);
  const versions = uniqueVersions(resolved);
  const goDirective = goMod?.go ?? (versionFile?.kind === 'go.work' ? versionFile.go : undefined);
  if (goDirective) checkGoDirective(versions, goDirective, goMod ? 'go.mod' : 'go.work', inp, log);
  return { versionFile, goMod, resolved, versions, version: versions[0]!, goDirective, releases, userGotoolchain };
}

/**
 * The release list when resolving needs it (then a failure to read it fails the step), or when it
 * only confirms exact versions (then a failure is a warning and the versions go unchecked).
 */
async function releaseList(
  inp: SetupInputs,
  vf: VersionFile | undefined,
  host: Host,
  known: (v: string) => boolean,
  log: Log,
): Promise<Releases | undefined> {
  const need = releaseNeed(inp.specs, vf, known);
  if (need === 'none') return undefined;
  const fetching = fetchReleases({ goos: host.goos, goarch: host.goarch, goproxy: host.goproxy, dlBase: host.dlBase, log });
  if (need === 'resolve') return fetching;
  return fetching.catch((e: Error) => {
    log.warning(`Could not check that the Go versions asked for exist (${e.message}); taking them as given.`);
    return undefined;
  });
}

function checkGoDirective(versions: readonly string[], goDirective: string, file: string, inp: SetupInputs, log: Log): void {
  if (!parseGoVersion(goDirective)) {
    throw new InputError(
      inp.versionFileInput,
      inp.versionFileInput === 'go-version' ? inp.specs.map((s) => s.raw).join(', ') : file,
      `a module whose ${file} go line is a Go version`,
      `The go line of ${file} is not one; fix it with \`go mod edit -go=1.24.0\``,
    );
  }
  const tooOld = versions.filter((v) => compareGoVersions(v, goDirective) < 0);
  if (!tooOld.length) return;
  if (inp.toolchain === 'local') {
    throw new InputError(
      'go-version',
      tooOld.join(', '),
      `Go ${goDirective} or newer (the go line of ${file})`,
      `With toolchain: local (GOTOOLCHAIN=local) every go command would fail with "go.mod requires go >= ${goDirective}". Remove ${tooOld.join(', ')} from go-version (\`min\` gives the oldest supported), or set \`toolchain: auto\` to let go download ${goDirective} itself (that job then does not test ${tooOld[0]})`,
    );
  }
  log.warning(
    `Go ${tooOld.join(', ')} is older than the go line (${goDirective}); with GOTOOLCHAIN=auto the go command switches to go${goDirective} in those jobs.`,
  );
}
