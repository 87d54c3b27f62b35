/** A project, a template scope and input-mode builds for unit tests of the plan, build and packaging. */
import { Inputs } from '@goship/core/action';
import { parsePlatform } from '@goship/core/platform';
import type { Config } from '../src/config.js';
import type { Project } from '../src/project.js';
import { type PlanBuild, inputBuilds } from '../src/release-plan.js';
import type { MainPkg, ResolvedBuild } from '../src/targets.js';
import type { TemplateScope } from '../src/template.js';

export const COMMIT = 'c'.repeat(40);

export function project(over: Partial<Project> = {}): Project {
  return {
    project: 'hello',
    module: 'example.com/hello',
    version: '1.2.3',
    tag: 'v1.2.3',
    commit: { sha: COMMIT, short: 'ccccccc', time: '2026-01-01T00:00:00Z', epoch: 1767225600, toplevel: '/repo' },
    traceId: '1-1',
    snapshot: false,
    git: {
      branch: 'main',
      previousTag: 'v1.2.2',
      url: 'https://github.com/o/hello.git',
      summary: 'v1.2.3',
      dirty: false,
      tagSubject: '',
      tagContents: '',
      tagBody: '',
    },
    ...over,
  };
}

export function scope(over: Partial<Project> = {}, env: Record<string, string> = {}): TemplateScope {
  return { project: project(over), env };
}

export const MAINS: MainPkg[] = [
  { arg: './cmd/api', importPath: 'example.com/multi/cmd/api', binary: 'api' },
  { arg: './cmd/worker', importPath: 'example.com/multi/cmd/worker', binary: 'worker' },
];

/** The fields of Config the plan reads, as readConfig gives them for `inputs`. */
export function inputConfig(over: Partial<Config> = {}): Config {
  return {
    workdir: '/m',
    mains: [],
    binaryName: '',
    platforms: ['linux/amd64', 'linux/arm/v7', 'windows/amd64'].map((p) => parsePlatform(p)),
    platformsGiven: true,
    version: '',
    ldflags: '',
    flags: [],
    tags: '',
    cgo: undefined,
    env: {},
    reproducible: true,
    verifyReproducible: false,
    smokeTest: [],
    parallelism: 'auto',
    archiveFormat: undefined,
    archiveName: '',
    archiveNameSet: false,
    archiveFiles: undefined,
    checksumAlgorithm: undefined,
    sbom: 'none',
    dist: '/m/dist',
    manifest: '/m/dist/goship-manifest.json',
    ...over,
  };
}

export function resolved(cfg: Config, mains: readonly MainPkg[] = MAINS): ResolvedBuild[] {
  const builds: PlanBuild[] = inputBuilds(cfg, mains);
  return builds.map((build, i) => ({ build, mains: [mains[i]!] }));
}

export { Inputs };
