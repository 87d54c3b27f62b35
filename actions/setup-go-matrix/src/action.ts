/**
 * setup-go-matrix: reads which Go versions a module supports, expands them into the test matrix,
 * installs the first (verified), exports the Go environment, restores the module and build caches
 * (saved by the post step on a key miss), validates the build targets against the toolchain and
 * works out which packages and binaries a change affects.
 *
 * Every input is read and checked before anything is installed, exported or cached.
 */
import * as core from '@actions/core';
import { GoshipError, InputError } from '@goship/core/errors';
import { output, run } from '@goship/core/exec';
import { type VersionFile, compareGoVersions, distList, goEnv, goList, readVersionFile } from '@goship/core/go';
import type { Inputs as InputReader } from '@goship/core/action';
import { DEFAULT_PLATFORMS, type DistPort, type Platform, checkSupported, formatPlatform } from '@goship/core/platform';
import type { ActionContext } from '@goship/core/action';
import { Summary, formatBytes } from '@goship/core/summary';
import { findCachedGo, goBinary, installGoFromArchive, installGoFromProxy } from '@goship/core/go-install';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Affected, affectedPackages, binariesOf, changedFiles, chooseBase, type Binary } from './affected.js';
import {
  type EntryState,
  RESTORED_ENV,
  STATE_ENTRIES,
  type RestoreResult,
  cacheAvailable,
  cacheKeys,
  hashDependencyFiles,
  restoreEntry,
  restoredKeys,
} from './cache.js';
import { checkGoEnvInput, exportedEnv } from './env.js';
import { buildGroups, groupCount, platformEntries, testMatrix } from './matrix.js';
import {
  type Releases,
  applyToolchainEnv,
  type Resolved,
  fetchReleases,
  hostGoPlatform,
  needsReleases,
  parseSpecs,
  resolveSpecs,
  uniqueVersions,
} from './versions.js';

/** Remembers the job's own GOTOOLCHAIN across runs of this action in one job. */
export const USER_GOTOOLCHAIN_ENV = 'GOSHIP_JOB_GOTOOLCHAIN';
export const VERSION_FILES = ['go.work', 'go.mod', '.go-version', '.tool-versions'];

export interface Inputs {
  workdir: string;
  specs: ReturnType<typeof parseSpecs>;
  versionFile?: string;
  oses: string[];
  platforms: Platform[];
  buildGroups: number | 'auto';
  install: boolean;
  cache: boolean;
  depPaths: string[];
  depPathsExplicit: boolean;
  cacheKeySuffix: string;
  goproxy: string;
  goprivate: string;
  gonosumdb: string;
  gitToken: string;
  toolchain: 'local' | 'auto';
  modReadonly: boolean;
  changedSince: string;
}

/** Reads and checks every input; no side effects (except masking the token). */
export function readInputs(inputs: InputReader): Inputs {
  const workdir = path.resolve(inputs.string('working-directory', { default: '.' }));
  if (!existsSync(workdir) || !statSync(workdir).isDirectory()) {
    throw new InputError(
      'working-directory',
      workdir,
      'an existing folder',
      'Check out the repository first (actions/checkout) or fix the path',
    );
  }
  const specs = parseSpecs(inputs.list('go-version', { default: ['go.mod'] }));
  const fileInput = inputs.string('go-version-file');
  let versionFile: string | undefined;
  if (fileInput) {
    versionFile = path.resolve(workdir, fileInput);
    if (!existsSync(versionFile) || !statSync(versionFile).isFile()) {
      throw new InputError(
        'go-version-file',
        fileInput,
        'a go.mod, go.work, .go-version or .tool-versions file',
        `None at ${versionFile}; fix the path (relative to working-directory) or leave it out to search ${workdir}`,
      );
    }
    if (!VERSION_FILES.includes(path.basename(versionFile))) {
      throw new InputError(
        'go-version-file',
        fileInput,
        'a file named go.mod, go.work, .go-version or .tool-versions',
        'Point it at one of those',
      );
    }
  } else {
    versionFile = VERSION_FILES.map((f) => path.join(workdir, f)).find((f) => existsSync(f));
  }
  const oses = inputs.list('os', { default: ['ubuntu-latest'] });
  for (const o of oses) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o)) {
      throw new InputError(
        'os',
        o,
        'runner labels such as `ubuntu-latest`, `macos-14`, `windows-latest`',
        'One label per item, separated by commas or newlines',
      );
    }
  }
  const platforms = inputs.platforms('platforms', [...DEFAULT_PLATFORMS]);
  if (platforms.length === 0) throw new InputError('platforms', '', 'at least one `GOOS/GOARCH`', 'Leave it out for the defaults');
  const buildGroups = inputs.intOr('build-groups', ['auto'] as const, 'auto', { min: 1, max: 256 });
  const install = inputs.bool('install', true);
  const cacheOn = inputs.bool('cache', true);
  const explicit = inputs.list('cache-dependency-path');
  const cacheKeySuffix = inputs.string('cache-key-suffix');
  if (!/^[A-Za-z0-9._+-]*$/.test(cacheKeySuffix) || cacheKeySuffix.length > 100) {
    throw new InputError(
      'cache-key-suffix',
      cacheKeySuffix,
      'letters, digits, `.`, `_`, `+` and `-` (at most 100)',
      'Cache keys cannot contain commas or spaces',
    );
  }
  const goproxy = inputs.string('goproxy');
  const goprivate = inputs.string('goprivate');
  const gonosumdb = inputs.string('gonosumdb');
  checkGoEnvInput('goproxy', goproxy);
  checkGoEnvInput('goprivate', goprivate);
  checkGoEnvInput('gonosumdb', gonosumdb);
  const gitToken = inputs.string('git-token');
  if (gitToken) core.setSecret(gitToken);
  if (/\s/.test(gitToken))
    throw new InputError(
      'git-token',
      '***',
      'a token without spaces or line breaks',
      'Pass the secret itself, e.g. `${{ secrets.GO_MODULES_TOKEN }}`',
    );
  const toolchain = inputs.oneOf('toolchain', ['local', 'auto'] as const, 'local');
  const modReadonly = inputs.bool('mod-readonly', true);
  const changedSince = inputs.string('changed-since');
  if (changedSince && !/^[A-Za-z0-9._/@^~{}-]+$/.test(changedSince)) {
    throw new InputError(
      'changed-since',
      changedSince,
      'a git ref or commit (branch, tag or sha)',
      'For example `origin/main` or a commit sha',
    );
  }
  return {
    workdir,
    specs,
    versionFile,
    oses,
    platforms,
    buildGroups,
    install,
    cache: cacheOn,
    depPaths: explicit.length ? explicit : ['go.sum', 'go.work.sum'],
    depPathsExplicit: explicit.length > 0,
    cacheKeySuffix,
    goproxy,
    goprivate,
    gonosumdb,
    gitToken,
    toolchain,
    modReadonly,
    changedSince,
  };
}

async function pathGo(): Promise<{ bin: string; version: string } | undefined> {
  try {
    const out = await output('go', ['version'], { env: { GOTOOLCHAIN: 'local' } });
    const m = /go version go(\S+)/.exec(out);
    return m ? { bin: 'go', version: m[1]! } : undefined;
  } catch {
    return undefined;
  }
}

export async function main(ctx: ActionContext): Promise<void> {
  const inp = readInputs(ctx.inputs);
  if (inp.changedSince) {
    const r = await run('git', ['rev-parse', '--verify', '--quiet', `${inp.changedSince}^{commit}`], {
      cwd: inp.workdir,
      silent: true,
      allowFailure: true,
    });
    if (r.code !== 0) {
      throw new InputError(
        'changed-since',
        inp.changedSince,
        'a branch, tag or commit present in the checkout',
        'Fetch the history it needs (actions/checkout with `fetch-depth: 0`) or fix the ref',
      );
    }
  }
  const { goos, goarch } = hostGoPlatform();
  const summary = new Summary().heading('setup-go-matrix');

  // Everything below up to the exports only reads: files, the release list, the tool cache.
  // GOTOOLCHAIN as the job set it (not as an earlier run of this action exported it)
  const userGotoolchain = process.env[USER_GOTOOLCHAIN_ENV] ?? process.env.GOTOOLCHAIN ?? '';
  const fileRead: VersionFile | undefined = inp.versionFile ? await readVersionFile(inp.versionFile) : undefined;
  const vf = applyToolchainEnv(fileRead, userGotoolchain);
  if (fileRead?.toolchain && !vf?.toolchain) {
    core.info(
      `GOTOOLCHAIN=local is set for the job: the toolchain line (go${fileRead.toolchain}) is not used, the go line (${fileRead.go}) is.`,
    );
  }
  const goModPath = path.join(inp.workdir, 'go.mod');
  const goMod: VersionFile | undefined = existsSync(goModPath)
    ? vf?.file === goModPath
      ? vf
      : await readVersionFile(goModPath)
    : undefined;
  const deps = await hashDependencyFiles(inp.workdir, inp.depPaths);
  if (inp.cache && inp.depPathsExplicit && deps.missing.length) {
    throw new InputError(
      'cache-dependency-path',
      deps.missing.join(', '),
      `files or globs that exist under ${inp.workdir}`,
      'Paths are relative to working-directory; leave the input out for go.sum and go.work.sum',
    );
  }
  const hostGo = await pathGo();
  const goproxy =
    inp.goproxy ||
    process.env.GOPROXY ||
    (hostGo ? await output('go', ['env', 'GOPROXY'], { env: { GOTOOLCHAIN: 'local' } }).catch(() => '') : '') ||
    'https://proxy.golang.org,direct';

  let releases: Releases | undefined;
  const resolved: Resolved[] = await ctx.phase('Resolve Go versions', async () => {
    if (inp.specs.some((s) => needsReleases(s, vf))) {
      releases = await fetchReleases({ goos, goarch, goproxy, dlBase: process.env.GOSHIP_GO_DL_URL });
    }
    const r = resolveSpecs(inp.specs, vf, releases);
    for (const x of r) core.info(`${x.spec} → Go ${x.version} (${x.how})`);
    return r;
  });
  const versions = uniqueVersions(resolved);
  const goDirective = goMod?.go ?? (vf?.kind === 'go.work' ? vf.go : undefined);
  if (goDirective) {
    const tooOld = versions.filter((v) => compareGoVersions(v, goDirective) < 0);
    if (tooOld.length && inp.toolchain === 'local') {
      throw new InputError(
        'go-version',
        tooOld.join(', '),
        `Go ${goDirective} or newer (the go line of ${goMod ? 'go.mod' : 'go.work'})`,
        `With toolchain: local (GOTOOLCHAIN=local) every go command would fail with "go.mod requires go >= ${goDirective}". Remove ${tooOld.join(', ')} from go-version (\`min\` gives the oldest supported), or set \`toolchain: auto\` to let go download ${goDirective} itself (that job then does not test ${tooOld[0]})`,
      );
    }
    if (tooOld.length) {
      core.warning(
        `Go ${tooOld.join(', ')} is older than the go line (${goDirective}); with GOTOOLCHAIN=auto the go command switches to go${goDirective} in those jobs.`,
      );
    }
  }
  const version = versions[0]!;

  // The toolchain: tool cache, else the download index's archive, else the module proxy.
  let goroot: string | undefined;
  let installedHow = 'not installed (install: false)';
  if (inp.install) {
    await ctx.phase(`Install Go ${version}`, async () => {
      goroot = findCachedGo(version);
      if (goroot) {
        installedHow = 'runner tool cache';
        core.info(`Go ${version} found in the tool cache: ${goroot}`);
        return;
      }
      if (!releases) {
        // exact versions needed no list; the download index (when reachable) has the archive's sha256
        releases = await fetchReleases({ goos, goarch, goproxy, dlBase: process.env.GOSHIP_GO_DL_URL }).catch((e: Error) => {
          core.info(`No release list (${e.message}); installing through the module proxy.`);
          return undefined;
        });
      }
      const archive = releases?.archives.get(version);
      if (archive) {
        const r = await installGoFromArchive({ version, ...archive, dlBase: process.env.GOSHIP_GO_DL_URL ?? 'https://go.dev/dl' });
        goroot = r.goroot;
        installedHow = `download index archive, verified: ${r.verifiedBy}`;
      } else {
        if (!hostGo) {
          throw new GoshipError(
            `Go ${version} is not in the tool cache and the download index is not reachable; installing it from the module proxy needs a Go on PATH.`,
            'Use a runner image with Go, or make https://go.dev/dl reachable',
          );
        }
        const r = await installGoFromProxy({ version, goos, goarch, goproxy, goBin: hostGo.bin });
        goroot = r.goroot;
        installedHow = `module proxy, verified by the checksum database: ${r.verifiedBy}`;
      }
      core.info(`Go ${version} installed in ${goroot} (${installedHow})`);
    });
  } else {
    goroot = findCachedGo(version);
  }
  const goBin = goroot ? goBinary(goroot) : hostGo?.bin;
  const goRunEnv = { GOTOOLCHAIN: 'local', GOROOT: undefined };

  // Build targets against the toolchain's port list.
  let ports: DistPort[] = [];
  let portsFrom: string;
  if (goBin) {
    ports = await distList(goBin, { env: goRunEnv });
    const v = goroot ? version : hostGo!.version;
    portsFrom = `go tool dist list of Go ${v}${goroot ? '' : ' (the Go on PATH)'}`;
    checkSupported(inp.platforms, ports, 'platforms', `Go ${v}`);
  } else {
    core.warning('No Go toolchain to check the platforms against (install: false and no go on PATH); checked only their syntax.');
    portsFrom = 'not checked (no Go toolchain)';
  }

  // Side effects from here on: PATH, exported environment, caches.
  if (goroot) core.addPath(path.join(goroot, 'bin'));
  const envNow = goBin ? await goEnv(goBin, { env: goRunEnv }) : {};
  const exported = exportedEnv({
    toolchain: inp.toolchain,
    modReadonly: inp.modReadonly,
    currentGoflags: envNow.GOFLAGS ?? process.env.GOFLAGS ?? '',
    goproxy: inp.goproxy,
    goprivate: inp.goprivate,
    gonosumdb: inp.gonosumdb,
    gitToken: inp.gitToken,
    gitConfigCount: Number(process.env.GIT_CONFIG_COUNT ?? '0') || 0,
  });
  for (const [k, v] of Object.entries(exported)) {
    core.exportVariable(k, v);
  }
  if (process.env[USER_GOTOOLCHAIN_ENV] === undefined) core.exportVariable(USER_GOTOOLCHAIN_ENV, userGotoolchain);
  core.info(
    inp.toolchain === 'local'
      ? `GOTOOLCHAIN=local: go commands use Go ${version} and fail when a go.mod needs a newer Go (fix: raise go-version, or toolchain: auto).`
      : `GOTOOLCHAIN=auto: go switches to a newer toolchain when a go.mod asks for one (downloaded through GOPROXY).`,
  );
  const goenv = envNow;

  // Caches.
  const restored: RestoreResult[] = [];
  let cacheNote = '';
  if (inp.cache) {
    if (!goenv.GOMODCACHE || !goenv.GOCACHE) cacheNote = 'caching skipped: no Go toolchain to ask for GOMODCACHE and GOCACHE';
    else if (!(await cacheAvailable())) cacheNote = 'caching skipped: the Actions cache service is not available to this job';
    else {
      const keys = cacheKeys({
        runnerOs: process.env.RUNNER_OS ?? os.platform(),
        runnerArch: process.env.RUNNER_ARCH ?? os.arch(),
        goVersion: version,
        depsHash: deps.hash,
        platforms: inp.platforms.map(formatPlatform),
        cgo: goenv.CGO_ENABLED ?? '',
        goflags: exported.GOFLAGS ?? goenv.GOFLAGS ?? '',
        suffix: inp.cacheKeySuffix,
      });
      await ctx.phase('Restore the Go caches', async () => {
        restored.push(await restoreEntry('modules', goenv.GOMODCACHE!, keys.modules.key, keys.modules.restoreKeys));
        restored.push(await restoreEntry('build', goenv.GOCACHE!, keys.build.key, keys.build.restoreKeys));
      });
      const owned = restored.filter((r) => r.save).map((r) => r.key);
      if (owned.length) core.exportVariable(RESTORED_ENV, [...restoredKeys(), ...owned].join(' '));
      const entries: EntryState[] = restored.map(({ kind, path: p, key, restoreKeys, matchedKey, save }) => ({
        kind,
        path: p,
        key,
        restoreKeys,
        matchedKey,
        save,
      }));
      core.saveState(STATE_ENTRIES, JSON.stringify(entries));
    }
  } else cacheNote = 'caching off (cache: false)';
  if (cacheNote) core.info(cacheNote);

  // Binaries and the affected analysis.
  let binaries: Binary[] = [];
  let affected: Affected | undefined;
  if (goMod && goBin) {
    await ctx.phase('Packages, binaries and the affected analysis', async () => {
      const pkgs = await goList(['./...'], { deps: true, goBin, cwd: inp.workdir, env: { ...goRunEnv, ...exported } });
      binaries = binariesOf(pkgs, inp.workdir);
      affected = await analyse(inp, pkgs);
      core.info(`binaries: ${binaries.map((b) => b.importPath).join(', ') || 'none'}`);
      core.info(`affected (${affected.reason}): ${affected.packages.join(', ') || 'none'}`);
    });
  }

  // Outputs.
  const matrix = testMatrix(versions, inp.oses);
  const groups = buildGroups(inp.platforms, groupCount(inp.buildGroups, inp.platforms.length));
  if (typeof inp.buildGroups === 'number' && inp.buildGroups > inp.platforms.length) {
    core.notice(`build-groups: ${inp.buildGroups} is more than the ${inp.platforms.length} platforms; using ${inp.platforms.length}.`);
  }
  const plats = platformEntries(inp.platforms, ports);
  const affectedBins = affected ? binaries.filter((b) => affected!.packages.includes(b.importPath)) : [];
  const modHit = restored.find((r) => r.kind === 'modules');
  core.setOutput('matrix', JSON.stringify(matrix));
  core.setOutput('go-versions', JSON.stringify(versions));
  core.setOutput('go-version', version);
  core.setOutput('platforms', JSON.stringify(plats));
  core.setOutput('build-groups', JSON.stringify(groups));
  core.setOutput('module', goMod?.module ?? vf?.module ?? '');
  core.setOutput('go-directive', goDirective ?? '');
  core.setOutput('binaries', JSON.stringify(binaries));
  core.setOutput('affected-packages', JSON.stringify(affected?.packages ?? []));
  core.setOutput('affected-binaries', JSON.stringify(affectedBins));
  core.setOutput('affected', String(affected ? affected.packages.length > 0 || affected.all : true));
  core.setOutput('cache-hit', String(modHit?.outcome === 'hit' || modHit?.outcome === 'already restored'));
  core.setOutput('cache-key', modHit?.key ?? '');
  core.setOutput('build-cache-key', restored.find((r) => r.kind === 'build')?.key ?? '');
  core.setOutput('go-root', goroot ?? '');

  // Summary.
  summary.text(
    `Go versions listed by ${releases?.source ?? 'no release list (only exact versions asked for)'}.` +
      (vf
        ? ` Version file: \`${path.relative(inp.workdir, vf.file) || vf.file}\` (go ${vf.go ?? '—'}${vf.toolchain ? `, toolchain go${vf.toolchain}` : ''}).`
        : ''),
  );
  summary.table(
    ['spec', 'resolved', 'how'],
    resolved.map((r) => [r.spec, r.version, r.how]),
  );
  summary.table(
    ['file', 'go', 'toolchain', 'resolved'],
    [[vf ? path.basename(vf.file) : '—', vf?.go ?? '—', vf?.toolchain ?? '—', version]],
  );
  summary.text(`**Installed:** Go ${version}${goroot ? ` in \`${goroot}\`` : ''} — ${installedHow}.`);
  summary.text(
    `**Environment:** ${Object.keys(exported)
      .filter((k) => !k.startsWith('GIT_CONFIG_'))
      .map((k) => `\`${k}=${exported[k]}\``)
      .join(
        ', ',
      )}${inp.gitToken ? `; git credentials for ${Object.keys(exported).filter((k) => k.startsWith('GIT_CONFIG_KEY_')).length} host(s) through GIT_CONFIG_*` : ''}.`,
  );
  summary.heading('Test matrix', 3).table(
    ['go', 'os'],
    matrix.include.map((m) => [m.go, m.os]),
  );
  summary
    .heading('Build targets', 3)
    .text(`Checked against ${portsFrom}.`)
    .table(
      ['group', 'platforms'],
      groups.include.map((g) => [g.group, g.platforms]),
    );
  summary.heading('Caches', 3);
  if (restored.length) {
    summary.table(
      ['cache', 'key', 'result', 'size', 'seconds'],
      restored.map((r) => [
        r.kind,
        r.key,
        r.outcome + (r.outcome === 'partial' ? ` (${r.matchedKey})` : ''),
        r.bytes ? formatBytes(r.bytes) : '—',
        r.seconds.toFixed(1),
      ]),
    );
  } else summary.text(cacheNote);
  if (affected) {
    summary.heading('Affected by the change', 3);
    summary.text(
      affected.base
        ? `Compared with \`${affected.base}\` (${affected.baseFrom}), merge-base \`${affected.mergeBase.slice(0, 12)}\`: ${affected.changedFiles.length} file(s) changed; ${affected.reason}.`
        : `${affected.reason}.`,
    );
    summary.table(
      ['package', 'binary'],
      affected.packages.map((p) => [p, affectedBins.some((b) => b.importPath === p) ? '✓' : '']),
    );
  }
  await ctx.summary(summary);
}

async function analyse(inp: Inputs, pkgs: Parameters<typeof affectedPackages>[1]): Promise<Affected> {
  const all = (reason: string, extra: Partial<Affected> = {}): Affected => ({
    base: '',
    baseFrom: '',
    mergeBase: '',
    changedFiles: [],
    all: true,
    reason,
    packages: affectedPackages(['go.mod'], pkgs, inp.workdir).packages,
    binaries: [],
    ...extra,
  });
  let base;
  try {
    base = await chooseBase(inp.workdir, inp.changedSince, process.env.GITHUB_EVENT_NAME ?? '', process.env.GITHUB_EVENT_PATH);
  } catch (e) {
    return all(`no git history (${(e as Error).message.split('\n')[0]}): everything counts as affected`);
  }
  if (!base)
    return all('no base to compare with (no changed-since, pull request base, push before or previous tag): everything counts as affected');
  let diff;
  try {
    diff = await changedFiles(inp.workdir, base.ref);
  } catch (e) {
    if (inp.changedSince) {
      throw new InputError(
        'changed-since',
        inp.changedSince,
        'a ref or commit present in the checkout',
        `git could not find it; fetch more history (actions/checkout with fetch-depth: 0)`,
      );
    }
    core.warning(`Cannot compare with ${base.ref} (${base.from}): ${(e as Error).message.split('\n')[0]}; everything counts as affected.`);
    return all(`${base.ref} not in the checkout: everything counts as affected`, { base: base.ref, baseFrom: base.from });
  }
  const r = affectedPackages(diff.files, pkgs, inp.workdir);
  return { base: base.ref, baseFrom: base.from, mergeBase: diff.mergeBase, changedFiles: diff.files, ...r, binaries: [] };
}
