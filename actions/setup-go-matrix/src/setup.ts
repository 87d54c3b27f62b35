/** What one run of the main step found and did: the steps' results, from which outputs and summary are written. */
import type { Analysis } from './affected.js';
import type { CacheRun } from './cache.js';
import type { Environment } from './env.js';
import type { SetupInputs } from './inputs.js';
import type { GoInstall } from './install.js';
import type { BuildGroups, TestMatrix } from './matrix.js';
import type { Resolution } from './resolve.js';
import type { Targets } from './targets.js';

export interface Setup {
  inp: SetupInputs;
  res: Resolution;
  matrix: TestMatrix;
  groups: BuildGroups;
  go: GoInstall;
  targets: Targets;
  env: Environment;
  caches: CacheRun;
  analysis: Analysis;
}
