/**
 * The two flows of multiarch-build over the manifest's artifact list. `build`: check the inputs
 * against the toolchain → build → package → smoke test → prove → manifest (a part manifest for a
 * split). `merge`: join the parts → gather their files → checksums → manifest. Each returns the
 * data main turns into outputs and a summary; none writes outputs itself.
 */
import type { ActionContext, Log } from '@goship/core/action';
import { distList, goVersion } from '@goship/core/go';
import { type Artifact, type Manifest, emptyManifest, sortManifest, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { checkSupported, parsePlatform } from '@goship/core/platform';
import { formatMs } from '@goship/core/summary';
import { type Built, baseEnv, buildAll, downloadModules, ldflagsFor, planParallelism, vcsEnv } from './build.js';
import type { Config } from './config.js';
import { posixRel, realDir } from './dist.js';
import { imagePlatforms } from './image/config.js';
import type { PublishResult } from './image/publish.js';
import { type PackageOptions, packageBinaries, writeChecksumsFile } from './package.js';
import { type Project, resolveProject, templateVars } from './project.js';
import { type Mismatch, prove, tmpRoot } from './reproduce.js';
import { smokeTest } from './smoke.js';
import { binaryRecs, gather, loadAndMerge } from './split.js';
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
import { type MainPkg, type Target, jobTargets, platformOf, resolveMains, targetKey } from './targets.js';

export interface Result {
  manifest: Manifest;
  built: Built[];
  checksums?: Artifact;
  reproducible: 'true' | 'false' | 'unchecked';
  /** What differed in the proof's rebuild (the step fails after reporting them). */
  mismatches: Mismatch[];
  buildSeconds: number;
  image?: PublishResult;
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

/** Release files the checksums file lists. */
const CHECKSUMMED = new Set<Artifact['kind']>(['archive', 'package']);

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
}

function binaryArtifact(b: Built, workdir: string): Artifact {
  const t = b.target;
  return {
    kind: 'binary',
    name: t.main.binary,
    path: posixRel(workdir, t.out),
    os: t.platform.os,
    arch: t.platform.arch,
    variant: t.platform.variant,
    main: t.main.importPath,
    sha256: b.sha256,
    size: b.size,
  };
}

function packageOptions(
  cfg: Config,
  m: Pick<Manifest, 'version' | 'commitTime'>,
  vars: Record<string, string>,
  o: ProduceOptions,
): PackageOptions {
  return {
    workdir: o.workdir,
    dist: o.dist,
    format: cfg.archiveFormat,
    nameTemplate: cfg.archiveName,
    nameDefault: !cfg.archiveNameSet,
    archiveFiles: cfg.archiveFiles,
    sbom: cfg.sbom,
    algorithm: cfg.checksumAlgorithm,
    vars,
    version: m.version,
    created: m.commitTime,
    warn: o.warn,
  };
}

/** Builds whole platforms, then packages them, into `dist` of `workdir`. Used for the job and for the proof. */
export async function produce(cfg: Config, project: Project, targets: readonly Target[], o: ProduceOptions): Promise<Produced> {
  const started = performance.now();
  const plan = planParallelism(cfg.parallelism, targets.length);
  o.log?.info(`${targets.length} build(s), ${plan.workers} at a time with GOMAXPROCS=${plan.gomaxprocs} (${plan.reason})`);
  const vars = templateVars(project);
  const log = o.log;
  const progress = log ? (line: string): void => log.info(line) : undefined;
  const built = await buildAll(cfg, targets, { cwd: o.workdir, env: o.env, ldflags: ldflagsFor(cfg, vars), plan, progress });
  const seconds = (performance.now() - started) / 1000;
  const binaries = built.map((b) => binaryArtifact(b, o.workdir));
  const packStart = performance.now();
  const m = { version: project.version, commitTime: project.commit.time };
  const packaged = await packageBinaries(binaryRecs(binaries, o.workdir), packageOptions(cfg, m, vars, o));
  o.log?.info(
    `packaged ${packaged.archives.length} release file(s) and ${packaged.sboms.length} SBOM(s) in ${formatMs(performance.now() - packStart)}`,
  );
  // deb/rpm/apk of the linux binaries just built (a part builds whole platforms, so it packages them)
  const p = o.packaging;
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
            staticBinaries: !cfg.cgo,
            warn: o.warn,
          },
          binaryRecs(binaries, o.workdir),
          { sbom: cfg.sbom, nfpm: p.nfpm },
        )
      : { built: [], artifacts: [] };
  if (linux.built.length) o.log?.info(`built ${linux.built.length} Linux package(s) with nFPM`);
  return { built, artifacts: [...binaries, ...packaged.archives, ...packaged.sboms, ...linux.artifacts], packages: linux.built, seconds };
}

/** The mains and the targets of this job (a part: the mains on its platforms); every target of the whole build too. */
async function planTargets(
  cfg: Config,
  project: Project,
  env: Record<string, string>,
  log: Log,
): Promise<{ mains: MainPkg[]; all: Target[]; part: Target[] }> {
  const gv = await goVersion();
  checkSupported(cfg.platforms, await distList(), 'platforms', `Go ${gv}`);
  const mains: MainPkg[] = await resolveMains(cfg.workdir, cfg.mains, cfg.binaryName, env);
  const { all, part } = jobTargets(mains, cfg.platforms, cfg.dist, cfg.split);
  log.info(`${project.project} ${project.version} (${project.commit.sha.slice(0, 12)}, ${project.commit.time}) with Go ${gv}`);
  log.info(`mains: ${mains.map((m) => m.importPath).join(', ')}`);
  const which = cfg.split ? ` of part ${cfg.split.index}/${cfg.split.total}` : '';
  log.info(`targets${which}: ${part.map((t) => `${t.main.binary} ${t.platformName}`).join(', ')}`);
  return { mains, all, part };
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

export async function build(cfg: Config, ctx: ActionContext, pkgs: PackageSettings): Promise<Result> {
  const project = await resolveProject(cfg.workdir, cfg.version);
  // package metadata is resolved (and refused) before anything is built
  const meta = await resolveMetadata(pkgs, {
    workdir: cfg.workdir,
    toplevel: project.commit.toplevel,
    module: project.module,
    project: project.project,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
  });
  const goEnv = baseEnv(cfg, project);
  const targets = await ctx.phase('Check the inputs against the toolchain', () => planTargets(cfg, project, goEnv, ctx.log));
  await realDir(cfg.dist);
  const env = { ...goEnv, ...(await vcsEnv(project.commit.toplevel, cfg.dist, tmpRoot())) };
  await ctx.phase('Download modules', () => downloadModules(cfg.workdir, env));
  const nfpm = pkgs.formats.length ? await ctx.phase(`Install nFPM ${pkgs.nfpmVersion}`, () => installNfpm(pkgs.nfpmVersion)) : undefined;
  const packaging: Packaging = { settings: pkgs, meta, ...(nfpm ? { nfpm } : {}) };
  const o: ProduceOptions = { workdir: cfg.workdir, dist: cfg.dist, env, log: ctx.log, warn: (m) => ctx.log.warning(m), packaging };
  const produced = await ctx.phase(`Build ${targets.part.length} binaries and package them`, () => produce(cfg, project, targets.part, o));
  const verification = produced.packages.length
    ? await ctx.phase(`Verify ${produced.packages.length} Linux package(s) with dpkg-deb, lintian, rpm and tar`, () =>
        verifyBuilt(produced.packages),
      )
    : undefined;
  if (cfg.smokeTest.length) {
    await ctx.phase('Smoke test', () => smokeTest(binaryRecs(produced.artifacts, cfg.workdir), cfg.smokeTest, ctx.log));
  }
  const mismatches = cfg.verifyReproducible
    ? await ctx.phase('Prove reproducibility: rebuild in a fresh GOCACHE from a copy of the checkout', () =>
        prove(project.commit.toplevel, cfg, produced.artifacts, (at) => {
          const again = jobTargets(targets.mains, cfg.platforms, at.dist, cfg.split).part;
          // the copy carries the same symlinks: their warnings were given already
          return produce(cfg, project, again, { ...at, env: { ...goEnv, ...at.env }, warn: () => undefined, packaging });
        }),
      )
    : [];
  if (cfg.verifyReproducible && mismatches.length === 0) {
    ctx.log.info(`reproducible: all ${produced.artifacts.length} artifacts are byte-identical in the rebuild`);
  }
  const { manifest, checksums } = await writeBuildManifest(cfg, project, targets.all, produced.artifacts, manifestMetadata(meta));
  const reproducible = !cfg.verifyReproducible ? 'unchecked' : mismatches.length ? 'false' : 'true';
  return {
    manifest,
    built: produced.built,
    checksums,
    reproducible,
    mismatches,
    buildSeconds: produced.seconds,
    packages: produced.packages,
    ...(verification ? { verification } : {}),
  };
}

/** The manifest of a build, with the checksums file; a part's instead names every target of the whole build and has no checksums. */
async function writeBuildManifest(
  cfg: Config,
  project: Project,
  all: readonly Target[],
  artifacts: readonly Artifact[],
  metadata: ManifestMetadata,
): Promise<{ manifest: Manifest; checksums?: Artifact }> {
  let manifest = manifestOf(project, artifacts);
  // what the packages say about the software, for semver-release's Homebrew and Scoop manifests
  if (Object.keys(metadata).length) manifest.metadata = metadata;
  let checksums: Artifact | undefined;
  if (cfg.split) {
    Object.assign(manifest, {
      part: `${cfg.split.index}/${cfg.split.total}`,
      targets: all.map(targetKey).sort(),
      dist: posixRel(cfg.workdir, cfg.dist),
    });
  } else {
    checksums = await writeChecksumsFile(
      artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
      { workdir: cfg.workdir, dist: cfg.dist, project: project.project, version: project.version, algorithm: cfg.checksumAlgorithm },
    );
    manifest = upsertArtifacts(manifest, [checksums]);
  }
  manifest = sortManifest(manifest);
  await writeManifest(cfg.manifest, manifest);
  return { manifest, checksums };
}

export async function merge(cfg: Config, ctx: ActionContext): Promise<Result> {
  const { dir, given } = cfg.merge!;
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
  const checksums = await writeChecksumsFile(
    m.artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
    { workdir: cfg.workdir, dist: cfg.dist, project: m.project, version: m.version, algorithm: cfg.checksumAlgorithm },
  );
  const manifest = sortManifest(upsertArtifacts(m, [checksums]));
  await writeManifest(cfg.manifest, manifest);
  return { manifest, built: [], checksums, reproducible: 'unchecked', mismatches: [], buildSeconds: 0, packages: [] };
}
