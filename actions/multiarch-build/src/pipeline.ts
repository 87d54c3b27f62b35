/**
 * The two flows of multiarch-build over the manifest's artifact list. `build`: the plan (a
 * GoReleaser file or the inputs) checked against the toolchain, every name and command rendered
 * before anything runs → before hooks → build → package → smoke test → prove → manifest (a part
 * manifest for a split). `merge`: join the parts → gather their files → checksums → manifest. Each
 * returns the data main turns into outputs and a summary; none writes outputs itself.
 */
import type { ActionContext, Log } from '@goship/core/action';
import type { NotApplied } from '@goship/core/config';
import { distList, goVersion } from '@goship/core/go';
import { type Artifact, type Manifest, emptyManifest, sortManifest, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { checkSupported, parsePlatform } from '@goship/core/platform';
import { allInOrder } from '@goship/core/retry';
import { formatMs } from '@goship/core/summary';
import {
  type Built,
  type CommandContext,
  buildAll,
  buildOrder,
  commandFor,
  downloadModules,
  groupTargets,
  planParallelism,
  vcsEnv,
} from './build.js';
import { type CgoCheck, checkCgoTargets } from './cgo.js';
import { type Config, checkSplit } from './config.js';
import { posixRel, realDir } from './dist.js';
import { inputVariables, renderEnv, runHooks } from './hooks.js';
import { imagePlatforms } from './image/config.js';
import type { PublishResult } from './image/publish.js';
import {
  type BinaryRec,
  type PackageOptions,
  checksumsName,
  packageBinaries,
  planUnits,
  withDigest,
  writeChecksumsFile,
} from './package.js';
import { type Project, resolveProject } from './project.js';
import {
  type Plan,
  type PlanBuild,
  GOSHIP_LDFLAGS,
  describeTarget,
  inputBuilds,
  planFromConfig,
  planFromInputs,
  planTargets,
} from './release-plan.js';
import { type Mismatch, prove, tmpRoot } from './reproduce.js';
import { smokeTest } from './smoke.js';
import { binaryRecs, gather, loadAndMerge } from './split.js';
import {
  type ResolvedBuild,
  type Target,
  partTargetIds,
  planBuildTargets,
  platformOf,
  resolveBuildMains,
  resolveMains,
  targetKey,
} from './targets.js';
import { type TemplateScope, renderBool, renderTmpl, templateFields } from './template.js';
import { type Stamp, findStamps, versionPackages } from './version-vars.js';
import type { ResolvedMetadata } from './packages/build.js';
import {
  type BuiltPackage,
  type ManifestMetadata,
  type NfpmRunner,
  type PackageSettings,
  installNfpm,
  makePackages,
  manifestMetadata,
  resolveMetadata,
  verifyBuilt,
} from './packages/step.js';
import type { Verification } from './packages/verify.js';

export interface Result {
  manifest: Manifest;
  built: Built[];
  checksums?: Artifact;
  reproducible: 'true' | 'false' | 'unchecked';
  /** What differed in the proof's rebuild (the step fails after reporting them). */
  mismatches: Mismatch[];
  buildSeconds: number;
  image?: PublishResult;
  /** The GoReleaser file used, as shown to the user. */
  configFile?: string;
  notApplied: NotApplied[];
  /** Version variables found and stamped, per build id. */
  stamps: { build: string; stamp: Stamp }[];
  /** The Linux packages this job built (packages/), and the checks each passed. */
  packages?: BuiltPackage[];
  verification?: Verification[];
}

/** The Linux-package part of a run, when `packages` is set. */
export interface Packaging {
  settings: PackageSettings;
  meta: ResolvedMetadata;
  nfpm?: NfpmRunner;
}

/** Release files the checksums file lists: what is uploaded, SBOMs included (as GoReleaser does), so one signature covers them. */
const CHECKSUMMED = new Set<Artifact['kind']>(['archive', 'package', 'sbom']);

export interface Produced {
  built: Built[];
  artifacts: Artifact[];
  packages: BuiltPackage[];
  seconds: number;
}

export interface ProduceOptions {
  workdir: string;
  dist: string;
  env: Record<string, string>;
  /** Where progress lines go (none for the proof's rebuild). */
  log?: Log;
  warn: (message: string) => void;
  packaging?: Packaging;
  /** buildAll's keepBinaries (off for the proof's rebuild). */
  keepBinaries?: boolean;
}

/** The plan of this run: the GoReleaser file's with the inputs over it, or the inputs'. */
export function planOf(cfg: Config): Plan {
  return cfg.goreleaser ? planFromConfig(cfg, cfg.goreleaser.config) : planFromInputs(cfg);
}

/** `.Env`: the runner's environment without the action's inputs, then the file's `env`. */
function baseEnv(): Record<string, string> {
  const drop = inputVariables();
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !(e[0] in drop)));
}

/** The project, and the template scope every template of the run renders in. */
async function projectAndScope(
  cfg: Config,
  plan: Plan,
): Promise<{ project: Project; scope: TemplateScope; fileEnv: Record<string, string> }> {
  const run = baseEnv();
  let fileEnv: Record<string, string> = {};
  const snapshot = plan.snapshot;
  const project = await resolveProject(cfg.workdir, cfg.version, {
    projectName: cfg.goreleaser?.config.projectName,
    goreleaser: snapshot
      ? {
          snapshot: (p) => {
            fileEnv = renderEnv(plan.env, (e) => templateFields({ project: p, env: { ...run, ...e } }), {});
            return renderTmpl(snapshot, templateFields({ project: p, env: { ...run, ...fileEnv } }));
          },
        }
      : undefined,
  });
  fileEnv = renderEnv(plan.env, (e) => templateFields({ project, env: { ...run, ...e } }), {});
  return { project, scope: { project, env: { ...run, ...fileEnv } }, fileEnv };
}

function binaryArtifact(b: Built, workdir: string): Artifact {
  const t = b.target;
  return {
    kind: 'binary',
    name: t.file.replace(/\.(exe|wasm)$/, ''),
    path: posixRel(workdir, t.out),
    os: t.platform.os,
    arch: t.platform.arch,
    variant: t.platform.variant,
    main: t.main.importPath,
    build: t.build.id,
    target: t.target.id,
    goTarget: t.target.go.target,
    file: t.file,
    ...(b.cgo ? { cgo: true } : {}),
    sha256: b.sha256,
    size: b.size,
  };
}

function packageOptions(
  cfg: Config,
  plan: Plan,
  scope: TemplateScope,
  o: Pick<ProduceOptions, 'workdir' | 'dist' | 'warn'>,
): PackageOptions {
  return {
    workdir: o.workdir,
    dist: o.dist,
    archives: plan.archives,
    goshipDefaultName: !cfg.goreleaser && !cfg.archiveNameSet,
    sbom: cfg.sbom,
    algorithm: plan.checksum.algorithm,
    scope,
    version: scope.project.version,
    created: scope.project.commit.time,
    warn: o.warn,
  };
}

/** What a build job does, planned: the builds with their mains, the targets of this job, the stamps. */
interface JobPlan {
  plan: Plan;
  builds: ResolvedBuild[];
  part: Set<string>;
  commands: CommandContext;
  stamps: { build: string; stamp: Stamp }[];
}

interface Pending<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/** A value that comes later; a rejection nobody waits for is not unhandled. */
function pendingValue<T>(): Pending<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Builds whole targets and packages each as soon as it is built, into `dist` of `workdir`. Used for the job and for the proof. */
export async function produce(cfg: Config, job: JobPlan, o: ProduceOptions): Promise<Produced> {
  const started = performance.now();
  const targets = jobTargets(job, o.workdir, o.dist);
  const par = planParallelism(cfg.parallelism, targets.length);
  const goBuilds = groupTargets(buildOrder(targets, par.workers), job.commands).length;
  o.log?.info(
    `${targets.length} binaries in ${goBuilds} go build(s), ${par.workers} at a time, each with the go command's own parallelism (${par.reason})`,
  );
  const log = o.log;
  const progress = log ? (line: string): void => log.info(line) : undefined;
  // Each release file is made as soon as its binaries are built, while the rest still build — unless
  // a build hook may write files an archive takes (GoReleaser archives after every build).
  const overlap = !targets.some((t) => t.build.hooks.pre.length > 0 || t.build.hooks.post.length > 0);
  const recOf = (b: Built): BinaryRec => binaryRecs([binaryArtifact(b, o.workdir)], o.workdir)[0]!;
  // the binaries as planned (their digests come with `ready`), by path
  const planned = targets.map((t) => recOf({ target: t, sha256: '', size: 0, seconds: 0, cgo: false }));
  const pending = new Map<string, Pending<BinaryRec>>();
  if (overlap) for (const b of planned) pending.set(b.abs, pendingValue());
  const building = buildAll(targets, {
    workdir: o.workdir,
    dist: o.dist,
    env: o.env,
    commands: job.commands,
    plan: par,
    log,
    progress,
    keepBinaries: o.keepBinaries,
    onBuilt: (b) => {
      const rec = recOf(b);
      pending.get(rec.abs)?.resolve(rec);
    },
  });
  building.catch((e: unknown) => {
    for (const d of pending.values()) d.reject(e);
  });
  const packaging = overlap
    ? packageBinaries(planned, packageOptions(cfg, job.plan, job.commands.scope, o), (b) => pending.get(b.abs)!.promise)
    : undefined;
  packaging?.catch(() => undefined); // awaited below, after the builds
  const built = await building.catch(async (e: unknown) => {
    await packaging?.catch(() => undefined); // nothing is still writing when the error is reported
    throw e;
  });
  const seconds = (performance.now() - started) / 1000;
  const reused = built.filter((b) => b.reused).length;
  if (reused) {
    o.log?.info(
      `${reused} of ${built.length} binaries were up to date: go found the ones kept from the last run (in the GOCACHE) built from the same inputs and did not link them again`,
    );
  }
  const binaries = built.map((b) => binaryArtifact(b, o.workdir));
  const packStart = performance.now();
  const packaged = await (packaging ??
    packageBinaries(binaryRecs(binaries, o.workdir), packageOptions(cfg, job.plan, job.commands.scope, o)));
  o.log?.info(
    `packaged ${packaged.archives.length} release file(s) and ${packaged.sboms.length} SBOM(s)${overlap ? ' while building,' : ''} ${formatMs(performance.now() - packStart)} after the last build`,
  );
  // deb/rpm/apk of the linux binaries just built (a part builds whole platforms, so it packages them)
  const p = o.packaging;
  const project = job.commands.scope.project;
  const linux =
    p?.nfpm && built.some((b) => b.target.platform.os === 'linux')
      ? await makePackages(
          p.settings,
          p.meta,
          {
            workdir: o.workdir,
            dist: o.dist,
            tmp: tmpRoot(),
            project: project.project,
            module: project.module,
            version: project.version,
            tag: project.tag,
            commit: project.commit.sha,
            commitTime: project.commit.time,
            staticBinaries: !built.some((b) => b.cgo && b.target.platform.os === 'linux'),
            warn: o.warn,
          },
          binaryRecs(binaries, o.workdir),
          { sbom: cfg.sbom, nfpm: p.nfpm },
        )
      : { built: [], artifacts: [] };
  if (linux.built.length) o.log?.info(`built ${linux.built.length} Linux package(s) with nFPM`);
  const packages = await withDigest(linux.artifacts, job.plan.checksum.algorithm, o.workdir);
  return { built, artifacts: [...binaries, ...packaged.archives, ...packaged.sboms, ...packages], packages: linux.built, seconds };
}

function jobTargets(job: JobPlan, workdir: string, dist: string): Target[] {
  return planBuildTargets(job.builds, { workdir, dist, binaryName: (b, m, t) => jobBinaryName(job, b, m, t) }, job.part);
}

/**
 * The environment `go list` reads a build's packages in: its CGO_ENABLED as the build will have it
 * (the `cgo` input, the `env` input, the build's env, the file's), else 0 — a package whose files
 * all import "C" has no Go files without cgo.
 */
function listingEnv(cfg: Config, fileEnv: Record<string, string>, build?: PlanBuild): Record<string, string> {
  const cgo = cfg.cgo !== undefined ? (cfg.cgo ? '1' : '0') : (cfg.env.CGO_ENABLED ?? build?.cgo ?? fileEnv.CGO_ENABLED ?? '0');
  return { ...fileEnv, CGO_ENABLED: cgo };
}

/** The builds with their main packages, the skipped ones left out. */
async function resolveBuilds(
  cfg: Config,
  plan: Plan,
  scope: TemplateScope,
  fileEnv: Record<string, string>,
  log: Log,
): Promise<ResolvedBuild[]> {
  if (!cfg.goreleaser) {
    const mains = await resolveMains(cfg.workdir, cfg.mains, cfg.binaryName, listingEnv(cfg, fileEnv));
    plan.builds = inputBuilds(cfg, mains);
    return plan.builds.map((build, i) => ({ build, mains: [mains[i]!] }));
  }
  const kept: PlanBuild[] = [];
  for (const build of plan.builds) {
    if (renderBool(build.skip, templateFields(scope))) {
      log.info(`${build.where}: skipped (skip renders true)`);
      continue;
    }
    if (build.targets.length === 0) {
      log.info(`${build.where}: skipped (none of its targets is in the platforms input)`);
      continue;
    }
    kept.push(build);
  }
  // each build's `go list` of its main at once
  const mains = await allInOrder(kept.map((build) => resolveBuildMains(cfg.workdir, build, listingEnv(cfg, fileEnv, build))));
  return kept.map((build, i) => ({ build, mains: mains[i]! }));
}

/** `-X` flags for the version variables of each build whose ldflags are the defaults. */
async function stampsOf(
  cfg: Config,
  builds: readonly ResolvedBuild[],
  versionPkgs: Promise<Awaited<ReturnType<typeof versionPackages>>> | undefined,
  env: Record<string, string>,
): Promise<{ build: string; stamp: Stamp }[]> {
  const wanting = builds.filter((b) => b.build.defaultLdflags);
  if (wanting.length === 0 || !versionPkgs) return [];
  const pkgs = await versionPkgs;
  // each build's `go list` of its mains at once; the stamps in build order
  const found = await allInOrder(
    wanting.map((b) => {
      const already = cfg.goreleaser
        ? b.build
            .details(b.build.targets[0]!)
            .ldflags.map((t) => t.text)
            .join(' ')
        : GOSHIP_LDFLAGS;
      return findStamps(cfg.workdir, b.mains, pkgs, env, { builtBy: 'goship', already });
    }),
  );
  return wanting.flatMap((b, i) => found[i]!.map((stamp) => ({ build: b.build.id, stamp })));
}

/**
 * Everything checked before anything runs: the targets against the toolchain, the mains, every
 * command and name rendered (a template error names its key or input), cgo's C compilers.
 */
async function planJob(cfg: Config, plan: Plan, scope: TemplateScope, fileEnv: Record<string, string>, log: Log): Promise<JobPlan> {
  const env = listingEnv(cfg, fileEnv);
  // the toolchain's facts, the builds' mains and the module's version packages are independent
  // `go` calls: they run at once (a real module's warm check is mostly these process starts)
  const stamping = cfg.goreleaser ? plan.builds.some((b) => b.defaultLdflags) : !cfg.ldflags;
  const versionPkgs = stamping ? versionPackages(cfg.workdir, env) : undefined;
  versionPkgs?.catch(() => undefined); // awaited in stampsOf; a failure before that is not unhandled
  const [gv, ports, builds] = await allInOrder([goVersion(), distList(), resolveBuilds(cfg, plan, scope, fileEnv, log)] as const);
  const targets = planTargets(plan);
  checkSupported(
    targets.map((t) => parsePlatform(`${t.go.goos}/${t.go.goarch}`)),
    ports,
    cfg.goreleaser && !cfg.platformsGiven ? 'config' : 'platforms',
    `Go ${gv}`,
  );
  if (cfg.split)
    checkSplit(
      cfg.split,
      targets.map((t) => t.platform),
    );
  const part = partTargetIds(targets, cfg.split);
  const stamps = await stampsOf(cfg, builds, versionPkgs, env);
  const byBuild = new Map<string, string[]>();
  for (const s of stamps) byBuild.set(s.build, [...(byBuild.get(s.build) ?? []), s.stamp.flag]);
  const commands: CommandContext = { cfg, scope, fileEnv, stamps: byBuild, vcs: true };
  const job: JobPlan = { plan, builds, part, commands, stamps };
  const p = scope.project;
  log.info(`${p.project} ${p.version}${p.snapshot ? ' (snapshot)' : ''} (${p.commit.short}, ${p.commit.time}) with Go ${gv}`);
  log.info(`builds: ${builds.map((b) => `${b.build.id} (${b.mains.map((m) => m.importPath).join(', ')})`).join('; ')}`);
  const which = cfg.split ? ` of part ${cfg.split.index}/${cfg.split.total}` : '';
  log.info(
    `targets${which}: ${targets
      .filter((t) => part.has(t.id))
      .map(describeTarget)
      .join(', ')}`,
  );
  // dry run: every command and release file name, so that a template error stops the job here
  const planned = jobTargets(job, cfg.workdir, cfg.dist);
  const cgo: CgoCheck[] = [];
  for (const t of planned) {
    const c = commandFor(commands, t);
    if (c.cgo)
      cgo.push({ target: `${t.platformName} (${t.build.id})`, goos: t.target.go.goos, goarch: t.target.go.goarch, env: c.env, cwd: t.cwd });
  }
  await checkCgoTargets(cgo);
  const recs: BinaryRec[] = binaryRecs(
    planned.map((t) => binaryArtifact({ target: t, sha256: '0'.repeat(64), size: 0, seconds: 0, cgo: false }, cfg.workdir)),
    cfg.workdir,
  );
  const names = packageOptions(cfg, plan, scope, { workdir: cfg.workdir, dist: cfg.dist, warn: () => undefined });
  await planUnits(recs, { ...names, filesLater: plan.before.length > 0 });
  if (!cfg.split) checksumsName({ checksum: plan.checksum, scope });
  return job;
}

function manifestOf(project: Project, artifacts: readonly Artifact[]): Manifest {
  const header = {
    project: project.project,
    module: project.module,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
    commitTime: project.commit.time,
    traceId: project.traceId,
  };
  return upsertArtifacts(emptyManifest(header), artifacts);
}

/** One warning per key of the GoReleaser file that goship does not do: never silent. */
function warnNotApplied(plan: Plan, log: Log): void {
  if (!plan.file) return;
  if (plan.notApplied.length === 0) {
    log.info(`${plan.file}: every key is applied`);
    return;
  }
  log.info(`${plan.file}: ${plan.notApplied.length} key(s) not applied`);
  for (const n of plan.notApplied) log.warning(`${plan.file}: ${n.key} (${n.where}) is not applied: ${n.reason}`);
}

export async function build(cfg: Config, ctx: ActionContext, pkgs: PackageSettings): Promise<Result> {
  const plan = planOf(cfg);
  if (plan.file)
    ctx.log.info(`using ${plan.file} (GoReleaser schema v${cfg.goreleaser!.config.schemaVersion}); inputs that are set override it`);
  warnNotApplied(plan, ctx.log);
  const { project, scope, fileEnv } = await projectAndScope(cfg, plan);
  // package metadata is resolved (and refused) before anything is built
  const meta = await resolveMetadata(pkgs, {
    workdir: cfg.workdir,
    toplevel: project.commit.toplevel,
    module: project.module,
    project: project.project,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
    warn: (m) => ctx.log.warning(m),
  });
  // With no before hook (which may change go.mod: `go mod tidy`), the modules download while the
  // inputs are checked; the go command's check and its download are independent processes.
  const downloadEnv = { CGO_ENABLED: '0', ...fileEnv };
  const early = plan.before.length ? undefined : downloadModules(cfg.workdir, downloadEnv, { silent: true });
  early?.catch(() => undefined); // awaited below, after the check
  const job = await ctx
    .phase('Check the inputs against the toolchain', () => planJob(cfg, plan, scope, fileEnv, ctx.log))
    .catch(async (e: unknown) => {
      await early?.catch(() => undefined); // no download left running when the error is reported
      throw e;
    });
  if (plan.before.length) {
    await ctx.phase('Before hooks', () =>
      runHooks(plan.before, 'before hook', {
        workdir: cfg.workdir,
        data: (env) => templateFields({ ...scope, env: { ...scope.env, ...env } }),
        env: fileEnv,
        log: ctx.log,
      }),
    );
  }
  await realDir(cfg.dist);
  const env = await vcsEnv(project.commit.toplevel, cfg.dist, tmpRoot());
  await ctx.phase('Download modules', async () => {
    if (!early) return void (await downloadModules(cfg.workdir, { ...downloadEnv, ...env }));
    const said = await early;
    ctx.log.info(`go mod download (while the inputs were checked)${said ? `:\n${said}` : ''}`);
  });
  const nfpm = pkgs.formats.length ? await ctx.phase(`Install nFPM ${pkgs.nfpmVersion}`, () => installNfpm(pkgs.nfpmVersion)) : undefined;
  const packaging: Packaging = { settings: pkgs, meta, ...(nfpm ? { nfpm } : {}) };
  const o: ProduceOptions = { workdir: cfg.workdir, dist: cfg.dist, env, log: ctx.log, warn: (m) => ctx.log.warning(m), packaging };
  const count = jobTargets(job, cfg.workdir, cfg.dist).length;
  const produced = await ctx.phase(`Build ${count} binaries and package them`, () => produce(cfg, job, o));
  const verification = produced.packages.length
    ? await ctx.phase(`Verify ${produced.packages.length} Linux package(s) with dpkg-deb, lintian, rpm and tar`, () =>
        verifyBuilt(produced.packages, pkgs.lintianErrors),
      )
    : undefined;
  for (const w of verification?.flatMap((v) =>
    v.warnings.filter((x) => x.includes('not enforced')).map((x) => `${v.pkg.artifact.name}: ${x}`),
  ) ?? []) {
    ctx.log.warning(`lintian: ${w}`);
  }
  if (cfg.smokeTest.length) {
    await ctx.phase('Smoke test', () => smokeTest(binaryRecs(produced.artifacts, cfg.workdir), cfg.smokeTest, ctx.log));
  }
  const mismatches = cfg.verifyReproducible
    ? await ctx.phase('Prove reproducibility: rebuild in a fresh GOCACHE from a copy of the checkout', () =>
        prove(project.commit.toplevel, cfg, produced.artifacts, (at) =>
          // the copy carries the same symlinks: their warnings were given already
          // and links every binary: nothing kept from a run may stand in for the rebuild
          produce(cfg, job, { ...at, env: at.env, warn: () => undefined, packaging, keepBinaries: false }),
        ),
      )
    : [];
  if (cfg.verifyReproducible && mismatches.length === 0) {
    ctx.log.info(`reproducible: all ${produced.artifacts.length} artifacts are byte-identical in the rebuild`);
  }
  const all = planBuildTargets(job.builds, { workdir: cfg.workdir, dist: cfg.dist, binaryName: (b, m, t) => jobBinaryName(job, b, m, t) });
  const { manifest, checksums } = await writeBuildManifest(cfg, job, all, produced.artifacts, manifestMetadata(meta));
  const reproducible = !cfg.verifyReproducible ? 'unchecked' : mismatches.length ? 'false' : 'true';
  return {
    manifest,
    built: produced.built,
    checksums,
    reproducible,
    mismatches,
    buildSeconds: produced.seconds,
    configFile: plan.file,
    notApplied: plan.notApplied,
    stamps: job.stamps,
    packages: produced.packages,
    ...(verification ? { verification } : {}),
  };
}

function jobBinaryName(
  job: JobPlan,
  ...a: Parameters<Parameters<typeof planBuildTargets>[1]['binaryName']>
): { name: string; flat: boolean } {
  const [b, m, t] = a;
  if (b.binaryFromPackage || m.binary) return { name: m.binary, flat: false };
  const data = templateFields(job.commands.scope, { target: t.go, platform: t.platform });
  return { name: renderTmpl(b.binary, data), flat: renderBool(b.noUniqueDistDir, data) };
}

/** The manifest of a build, with the checksums file; a part's instead names every target of the whole build and has no checksums. */
async function writeBuildManifest(
  cfg: Config,
  job: JobPlan,
  all: readonly Target[],
  artifacts: readonly Artifact[],
  metadata: ManifestMetadata,
): Promise<{ manifest: Manifest; checksums?: Artifact }> {
  let manifest = manifestOf(job.commands.scope.project, artifacts);
  // what the packages say about the software, for semver-release's Homebrew and Scoop manifests
  if (Object.keys(metadata).length) manifest.metadata = metadata;
  let checksums: Artifact | undefined;
  if (cfg.split) {
    Object.assign(manifest, {
      part: `${cfg.split.index}/${cfg.split.total}`,
      targets: [...new Set(all.map(targetKey))].sort(),
      dist: posixRel(cfg.workdir, cfg.dist),
    });
  } else {
    checksums = await writeChecksumsFile(
      artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
      {
        workdir: cfg.workdir,
        dist: cfg.dist,
        checksum: job.plan.checksum,
        algorithm: job.plan.checksum.algorithm,
        scope: job.commands.scope,
        warn: () => undefined,
      },
    );
    if (checksums) manifest = upsertArtifacts(manifest, [checksums]);
  }
  manifest = sortManifest(manifest);
  await writeManifest(cfg.manifest, manifest);
  return { manifest, checksums };
}

export async function merge(cfg: Config, ctx: ActionContext): Promise<Result> {
  const { dir, given } = cfg.merge!;
  const plan = planOf(cfg);
  warnNotApplied(plan, ctx.log);
  const merged = await ctx.phase('Join the part manifests', () => loadAndMerge(dir, given, cfg));
  if (cfg.image) {
    const built = merged.manifest.artifacts.filter((a) => a.kind === 'binary');
    imagePlatforms(
      cfg.image,
      built.map((a) => parsePlatform(platformOf(a))),
      'platforms the parts built',
    );
  }
  await ctx.phase('Gather and check the parts’ files', () => gather(merged, { ...cfg, given }));
  const m = merged.manifest;
  const { project: here, scope } = await projectAndScope(cfg, plan);
  // the parts decided the version: the checksums file is named with theirs
  const project: Project = { ...here, project: m.project, version: m.version, tag: m.tag };
  const checksums = await writeChecksumsFile(
    m.artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
    {
      workdir: cfg.workdir,
      dist: cfg.dist,
      checksum: plan.checksum,
      algorithm: plan.checksum.algorithm,
      scope: { ...scope, project },
      warn: (w) => ctx.log.warning(w),
    },
  );
  const manifest = sortManifest(checksums ? upsertArtifacts(m, [checksums]) : m);
  await writeManifest(cfg.manifest, manifest);
  return {
    manifest,
    built: [],
    checksums,
    reproducible: 'unchecked',
    mismatches: [],
    buildSeconds: 0,
    configFile: plan.file,
    notApplied: plan.notApplied,
    stamps: [],
    packages: [],
  };
}
