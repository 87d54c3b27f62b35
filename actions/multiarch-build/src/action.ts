/**
 * multiarch-build: inputs → (build | split part | merge) → package → manifest, outputs, summary.
 * The domain work lives in build.ts, archive.ts, package.ts, sbom.ts, split.ts, reproduce.ts and
 * smoke.ts; this file only orders it.
 */
import * as core from '@actions/core';
import type { ActionContext } from '@goship/core/action';
import { distList, goVersion } from '@goship/core/go';
import { type Artifact, type Manifest, emptyManifest, sortManifest, upsertArtifacts, writeManifest } from '@goship/core/manifest';
import { checkSupported } from '@goship/core/platform';
import { formatBytes, formatMs, phaseTable, Summary } from '@goship/core/summary';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Built, baseEnv, buildAll, downloadModules, ldflagsFor, planParallelism, vcsEnv } from './build.js';
import { type Config, readConfig } from './config.js';
import { type PackageOptions, packageBinaries, rel, writeChecksumsFile } from './package.js';
import { type Project, resolveProject, templateVars } from './project.js';
import { cleanup, compareArtifacts, copyCheckout, mismatchError, tmpRoot } from './reproduce.js';
import { checkImagePlatforms, readImageInputs } from './image/inputs.js';
import { imageStep } from './image/step.js';
import { smokeTest } from './smoke.js';
import {
  type BuiltPackage,
  type NfpmRunner,
  type PackageSettings,
  installNfpm,
  makePackages,
  manifestMetadata,
  packagesSummary,
  readPackageSettings,
  resolveMetadata,
  verifyBuilt,
} from './packages/step.js';
import type { Verification } from './packages/verify.js';
import type { ResolvedMetadata } from './packages/build.js';
import { binaryRecs, gather, loadAndMerge } from './split.js';
import { type Target, allTargets, resolveMains, splitTargets, targetKey } from './targets.js';

/** The Linux-package part of a run (packages/), when `packages` is set. */
interface Packaging {
  settings: PackageSettings;
  meta: ResolvedMetadata;
  nfpm?: NfpmRunner;
}

export interface Result {
  manifest: Manifest;
  built: Built[];
  packages: BuiltPackage[];
  /** The checks each package passed (packages/verify.ts). */
  verification?: Verification[];
  checksums?: Artifact;
  reproducible: 'true' | 'false' | 'unchecked';
  buildSeconds: number;
}

function binaryArtifact(b: Built, workdir: string): Artifact {
  const t = b.target;
  return {
    kind: 'binary',
    name: t.main.binary,
    path: rel(workdir, t.out),
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
  p: Pick<Project, 'version'> & { created: string; vars: Record<string, string> },
  workdir: string,
  dist: string,
): PackageOptions {
  return {
    workdir,
    dist,
    format: cfg.archiveFormat,
    nameTemplate: cfg.archiveName,
    nameDefault: !cfg.archiveNameSet,
    archiveFiles: cfg.archiveFiles,
    sbom: cfg.sbom,
    algorithm: cfg.checksumAlgorithm,
    vars: p.vars,
    version: p.version,
    created: p.created,
  };
}

/** Builds, then packages complete platforms, into `dist` of `workdir`. Used for the job and for the proof. */
async function produce(
  cfg: Config,
  project: Project,
  targets: readonly Target[],
  allMains: number,
  o: { workdir: string; dist: string; env: Record<string, string>; progress: boolean; packageAll: boolean; packaging?: Packaging },
): Promise<{ built: Built[]; artifacts: Artifact[]; packages: BuiltPackage[]; seconds: number }> {
  const started = performance.now();
  const plan = planParallelism(cfg.parallelism, targets.length);
  if (o.progress) core.info(`${targets.length} build(s), ${plan.workers} at a time with GOMAXPROCS=${plan.gomaxprocs} (${plan.reason})`);
  const built = await buildAll(cfg, targets, {
    cwd: o.workdir,
    env: o.env,
    ldflags: ldflagsFor(cfg, templateVars(project)),
    plan,
    progress: o.progress,
  });
  const seconds = (performance.now() - started) / 1000;
  const bins = binaryRecs(
    built.map((b) => binaryArtifact(b, o.workdir)),
    o.workdir,
  );
  // a part packages only the platforms it built completely; the merge job packages the rest
  const perPlatform = new Map<string, number>();
  for (const b of bins) perPlatform.set(b.platformName, (perPlatform.get(b.platformName) ?? 0) + 1);
  const complete = o.packageAll ? bins : bins.filter((b) => perPlatform.get(b.platformName) === allMains);
  const vars = templateVars(project);
  const packStart = performance.now();
  const packaged = complete.length
    ? await packageBinaries(
        complete,
        packageOptions(cfg, { version: project.version, created: project.commit.time, vars }, o.workdir, o.dist),
      )
    : { archives: [], sboms: [] };
  if (o.progress) {
    core.info(
      `packaged ${packaged.archives.length} release file(s) and ${packaged.sboms.length} SBOM(s) in ${formatMs(performance.now() - packStart)}`,
    );
  }
  const linux = await linuxPackages(cfg, o.packaging, complete, {
    workdir: o.workdir,
    dist: o.dist,
    project: project.project,
    module: project.module,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
    commitTime: project.commit.time,
  });
  if (o.progress && linux.built.length) core.info(`built ${linux.built.length} Linux package(s) with nFPM`);
  return {
    built,
    artifacts: [...built.map((b) => binaryArtifact(b, o.workdir)), ...packaged.archives, ...packaged.sboms, ...linux.artifacts],
    packages: linux.built,
    seconds,
  };
}

/** deb/rpm/apk of the linux binaries among `bins` (packages/), when `packages` is set. */
async function linuxPackages(
  cfg: Config,
  p: Packaging | undefined,
  bins: Parameters<typeof makePackages>[3],
  c: { workdir: string; dist: string; project: string; module: string; version: string; tag: string; commit: string; commitTime: string },
): Promise<{ built: BuiltPackage[]; artifacts: Artifact[] }> {
  if (!p?.nfpm || !bins.some((b) => b.os === 'linux')) return { built: [], artifacts: [] };
  return makePackages(p.settings, p.meta, { ...c, tmp: tmpRoot(), staticBinaries: !cfg.cgo, warn: (m) => core.warning(m) }, bins, {
    sbom: cfg.sbom,
    nfpm: p.nfpm,
  });
}

/** Release files the checksums file lists. */
const CHECKSUMMED = new Set<Artifact['kind']>(['archive', 'package']);

async function preparePackaging(
  settings: PackageSettings,
  ctx: ActionContext,
  c: Parameters<typeof resolveMetadata>[1],
): Promise<Packaging> {
  const meta = await resolveMetadata(settings, c);
  const nfpm = settings.formats.length
    ? await ctx.phase(`Install nFPM ${settings.nfpmVersion}`, () => installNfpm(settings.nfpmVersion))
    : undefined;
  return { settings, meta, ...(nfpm ? { nfpm } : {}) };
}

export async function build(cfg: Config, ctx: ActionContext, pkgs: PackageSettings): Promise<Result> {
  const project = await resolveProject(cfg.workdir, cfg.version);
  const meta = await resolveMetadata(pkgs, {
    workdir: cfg.workdir,
    toplevel: project.commit.toplevel,
    module: project.module,
    project: project.project,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
  });
  const goEnvBase = baseEnv(cfg, project);
  const { mains, targets, part } = await ctx.phase('Check the inputs against the toolchain', async () => {
    const gv = await goVersion();
    checkSupported(cfg.platforms, await distList(), 'platforms', `Go ${gv}`);
    const mains = await resolveMains(cfg.workdir, cfg.mains, cfg.binaryName, goEnvBase);
    const targets = allTargets(mains, cfg.platforms, cfg.dist);
    const part = cfg.split ? splitTargets(targets, cfg.split) : targets;
    core.info(`${project.project} ${project.version} (${project.commit.sha.slice(0, 12)}, ${project.commit.time}) with Go ${gv}`);
    core.info(`mains: ${mains.map((m) => m.importPath).join(', ')}`);
    core.info(
      `targets${cfg.split ? ` of part ${cfg.split.index}/${cfg.split.total}` : ''}: ${part.map((t) => `${t.main.binary} ${t.platformName}`).join(', ')}`,
    );
    return { mains, targets, part };
  });
  await mkdir(cfg.dist, { recursive: true });
  const env = { ...goEnvBase, ...(await vcsEnv(project.commit.toplevel, cfg.dist, tmpRoot())) };
  await ctx.phase('Download modules', () => downloadModules(cfg.workdir, env));
  const nfpm = pkgs.formats.length ? await ctx.phase(`Install nFPM ${pkgs.nfpmVersion}`, () => installNfpm(pkgs.nfpmVersion)) : undefined;
  const packaging: Packaging = { settings: pkgs, meta, ...(nfpm ? { nfpm } : {}) };
  const produced = await ctx.phase(`Build ${part.length} binaries and package them`, () =>
    produce(cfg, project, part, mains.length, {
      workdir: cfg.workdir,
      dist: cfg.dist,
      env,
      progress: true,
      packageAll: !cfg.split,
      packaging,
    }),
  );
  const verification = produced.packages.length
    ? await ctx.phase(`Verify ${produced.packages.length} Linux package(s) with dpkg-deb, lintian, rpm and tar`, () =>
        verifyBuilt(produced.packages),
      )
    : undefined;
  if (cfg.smokeTest.length) {
    const bins = binaryRecs(produced.artifacts, cfg.workdir);
    await ctx.phase('Smoke test', () => smokeTest(bins, cfg.smokeTest));
  }
  let reproducible: Result['reproducible'] = 'unchecked';
  if (cfg.verifyReproducible) {
    const mismatches = await ctx.phase('Prove reproducibility: rebuild in a fresh GOCACHE from a copy of the checkout', async () => {
      const tmp = await copyCheckout(project.commit.toplevel, cfg.dist, tmpRoot());
      try {
        const workdir = path.join(tmp, 'src', path.relative(project.commit.toplevel, cfg.workdir));
        const dist = path.join(tmp, 'dist');
        const gocache = path.join(tmp, 'gocache');
        const copyTargets = allTargets(
          part.map((t) => t.main).filter((m, i, a) => a.indexOf(m) === i),
          cfg.platforms,
          dist,
        ).filter((t) => part.some((p) => targetKey(p) === targetKey(t)));
        const again = await produce(cfg, project, copyTargets, mains.length, {
          workdir,
          dist,
          env: { ...goEnvBase, ...(await vcsEnv(path.join(tmp, 'src'), dist, tmp)), GOCACHE: gocache },
          progress: false,
          packageAll: !cfg.split,
          packaging,
        });
        // binaries live at other paths in the copy: compare by name and platform
        return compareArtifacts(produced.artifacts, again.artifacts);
      } finally {
        await cleanup(tmp);
      }
    });
    reproducible = mismatches.length ? 'false' : 'true';
    if (mismatches.length) {
      core.setOutput('reproducible', 'false');
      throw mismatchError(mismatches);
    }
    core.info(`reproducible: all ${produced.artifacts.length} artifacts are byte-identical in the rebuild`);
  }

  let manifest = emptyManifest({
    project: project.project,
    module: project.module,
    version: project.version,
    tag: project.tag,
    commit: project.commit.sha,
    commitTime: project.commit.time,
    traceId: project.traceId,
  });
  const metadata = manifestMetadata(meta);
  if (Object.keys(metadata).length) manifest.metadata = metadata;
  manifest = upsertArtifacts(manifest, produced.artifacts);
  let checksums: Artifact | undefined;
  if (cfg.split) {
    Object.assign(manifest, {
      part: `${cfg.split.index}/${cfg.split.total}`,
      targets: targets.map(targetKey).sort(),
      dist: rel(cfg.workdir, cfg.dist),
    });
  } else {
    checksums = await writeChecksumsFile(
      produced.artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
      { workdir: cfg.workdir, dist: cfg.dist, project: project.project, version: project.version, algorithm: cfg.checksumAlgorithm },
    );
    manifest = upsertArtifacts(manifest, [checksums]);
  }
  manifest = sortManifest(manifest);
  await writeManifest(cfg.manifest, manifest);
  return {
    manifest,
    built: produced.built,
    packages: produced.packages,
    verification,
    checksums,
    reproducible,
    buildSeconds: produced.seconds,
  };
}

export async function merge(cfg: Config, ctx: ActionContext, pkgs: PackageSettings): Promise<Result> {
  const folder = cfg.merge!;
  const merged = await ctx.phase('Join the part manifests', () => loadAndMerge(folder, path.relative(cfg.workdir, folder) || '.'));
  await ctx.phase('Gather and check the parts’ files', () => gather(merged, cfg.workdir));
  let manifest = merged.manifest;
  const archived = new Set(
    manifest.artifacts
      .filter((a) => a.kind === 'archive')
      .flatMap((a) => ((a.binaries as string[] | undefined) ?? []).map((n) => `${n}@${a.os}/${a.arch}/${a.variant ?? ''}`)),
  );
  const bins = binaryRecs(manifest.artifacts, cfg.workdir);
  const todo = bins.filter((b) => !archived.has(`${b.name}@${b.os}/${b.arch}/${b.variant}`));
  if (todo.length) {
    const vars = templateVars({
      project: manifest.project,
      module: manifest.module,
      version: manifest.version,
      tag: manifest.tag,
      commit: { sha: manifest.commit, time: manifest.commitTime, epoch: 0, toplevel: cfg.workdir },
      traceId: manifest.traceId,
    });
    const packaged = await ctx.phase(`Package ${todo.length} binaries the parts left unpackaged`, () =>
      packageBinaries(todo, packageOptions(cfg, { version: manifest.version, created: manifest.commitTime, vars }, cfg.workdir, cfg.dist)),
    );
    manifest = upsertArtifacts(manifest, [...packaged.archives, ...packaged.sboms]);
  }
  // Linux packages of the platforms no part packaged (a part packages only the platforms it built completely).
  let packages: BuiltPackage[] = [];
  let verification: Verification[] | undefined;
  const hasPackage = new Set(manifest.artifacts.filter((a) => a.kind === 'package').map((a) => `${a.os}/${a.arch}/${a.variant ?? ''}`));
  const pkgTodo = bins.filter((b) => b.os === 'linux' && !hasPackage.has(`${b.os}/${b.arch}/${b.variant}`));
  if (pkgs.formats.length && pkgTodo.length) {
    const c = {
      workdir: cfg.workdir,
      dist: cfg.dist,
      project: manifest.project,
      module: manifest.module,
      version: manifest.version,
      tag: manifest.tag,
      commit: manifest.commit,
      commitTime: manifest.commitTime,
    };
    const packaging = await preparePackaging(pkgs, ctx, { ...c, toplevel: cfg.workdir });
    const made = await ctx.phase(`Package ${pkgTodo.length} linux binaries the parts left unpackaged`, () =>
      linuxPackages(cfg, packaging, pkgTodo, c),
    );
    packages = made.built;
    verification = await ctx.phase(`Verify ${packages.length} Linux package(s)`, () => verifyBuilt(made.built));
    manifest = upsertArtifacts(manifest, made.artifacts);
    const metadata = manifestMetadata(packaging.meta);
    if (Object.keys(metadata).length) manifest.metadata = metadata;
  }
  const checksums = await writeChecksumsFile(
    manifest.artifacts.filter((a) => CHECKSUMMED.has(a.kind)),
    { workdir: cfg.workdir, dist: cfg.dist, project: manifest.project, version: manifest.version, algorithm: cfg.checksumAlgorithm },
  );
  manifest = sortManifest(upsertArtifacts(manifest, [checksums]));
  await writeManifest(cfg.manifest, manifest);
  return { manifest, built: [], packages, verification, checksums, reproducible: 'unchecked', buildSeconds: 0 };
}

function writeOutputs(cfg: Config, r: Result): void {
  const binaries = r.manifest.artifacts
    .filter((a) => a.kind === 'binary')
    .map((a) => {
      const b = r.built.find(
        (x) =>
          x.target.main.importPath === a.main &&
          x.target.platform.os === a.os &&
          x.target.platform.arch === a.arch &&
          x.target.platform.variant === (a.variant ?? ''),
      );
      return {
        name: a.name,
        main: a.main,
        platform: [a.os, a.arch, a.variant].filter(Boolean).join('/'),
        path: a.path,
        sha256: a.sha256,
        size: a.size,
        ...(b ? { seconds: Math.round(b.seconds * 10) / 10 } : {}),
      };
    });
  core.setOutput('artifacts', JSON.stringify(r.manifest.artifacts));
  core.setOutput('manifest', rel(process.cwd(), cfg.manifest) || cfg.manifest);
  core.setOutput('checksums', r.checksums ? r.checksums.path : '');
  core.setOutput('version', r.manifest.version);
  core.setOutput('binaries', JSON.stringify(binaries));
  core.setOutput('reproducible', r.reproducible);
  core.setOutput('build-seconds', r.buildSeconds.toFixed(1));
  core.setOutput(
    'packages',
    JSON.stringify(
      r.manifest.artifacts
        .filter((a) => a.kind === 'package')
        .map((a) => ({
          name: a.name,
          format: a.format,
          platform: [a.os, a.arch, a.variant].filter(Boolean).join('/'),
          arch: a.packageArch,
          path: a.path,
          sha256: a.sha256,
          size: a.size,
        })),
    ),
  );
}

async function writeSummary(cfg: Config, r: Result, ctx: ActionContext): Promise<void> {
  const s = new Summary().heading(
    `multiarch-build: ${r.manifest.project} ${r.manifest.version}${cfg.split ? ` (part ${cfg.split.index}/${cfg.split.total})` : cfg.merge ? ' (merged)' : ''}`,
  );
  const secs = new Map(r.built.map((b) => [`${b.target.main.importPath}@${b.target.platformName}`, b.seconds]));
  const bins = r.manifest.artifacts.filter((a) => a.kind === 'binary');
  if (bins.length) {
    s.table(
      ['binary', 'platform', 'size', 'sha256', 'build'],
      bins.map((a) => {
        const platform = [a.os, a.arch, a.variant].filter(Boolean).join('/');
        const t = secs.get(`${a.main}@${platform}`);
        return [
          a.name,
          platform,
          formatBytes(a.size ?? 0),
          `\`${String(a.sha256).slice(0, 16)}…\``,
          t === undefined ? '—' : formatMs(t * 1000),
        ];
      }),
    );
  }
  const archives = r.manifest.artifacts.filter((a) => a.kind === 'archive');
  if (archives.length) {
    s.table(
      ['release file', 'platform', 'size', 'sha256'],
      archives.map((a) => [
        a.name,
        [a.os, a.arch, a.variant].filter(Boolean).join('/'),
        formatBytes(a.size ?? 0),
        `\`${String(a.sha256).slice(0, 16)}…\``,
      ]),
    );
  }
  const sboms = r.manifest.artifacts.filter((a) => a.kind === 'sbom').length;
  s.text(
    `Reproducible: **${r.reproducible}**${r.reproducible === 'unchecked' ? ' (set `verify-reproducible: true` to prove it)' : ''} · SBOMs: ${sboms} · checksums: ${r.checksums ? `\`${r.checksums.name}\`` : '— (part)'} · build: ${r.buildSeconds.toFixed(1)} s`,
  );
  s.details('Phases', phaseTable(ctx.phases));
  await ctx.summary(s);
}

export async function main(ctx: ActionContext): Promise<void> {
  const cfg = readConfig(ctx.inputs);
  const image = readImageInputs(ctx.inputs, cfg.workdir);
  if (image && !cfg.merge) checkImagePlatforms(image, cfg.platforms);
  const pkgs = readPackageSettings(ctx.inputs, {
    workdir: cfg.workdir,
    platforms: cfg.merge ? [{ os: 'linux', arch: '', variant: '' }] : cfg.platforms,
  });
  const r = cfg.merge ? await merge(cfg, ctx, pkgs) : await build(cfg, ctx, pkgs);
  let imageSummary: Summary | undefined;
  if (image && cfg.split) {
    core.info(`image ${image.image.registry}/${image.image.repository}: assembled by the merge job, not by a part`);
  } else if (image) {
    const step = await imageStep(ctx, image, r.manifest, { workdir: cfg.workdir, dist: cfg.dist, manifestPath: cfg.manifest });
    r.manifest = step.manifest;
    imageSummary = step.summary;
  }
  writeOutputs(cfg, r);
  await writeSummary(cfg, r, ctx);
  if (r.verification?.length) await ctx.summary(packagesSummary(r.verification));
  if (imageSummary) await ctx.summary(imageSummary);
}
