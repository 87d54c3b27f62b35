/** The five actions' own `main` functions: the chain runs exactly the code each `uses:` step runs. */
import { main as goQualityGate } from '@goship/go-quality-gate/action';
import { main as multiarchBuild } from '@goship/multiarch-build/action';
import { main as semverRelease } from '@goship/semver-release/action';
import { main as setupGoMatrix } from '@goship/setup-go-matrix/action';
import { main as signAttest } from '@goship/sign-attest/action';
import type { ActionName } from './chain.js';
import type { ActionMain } from './run.js';

export const MAINS: Record<ActionName, ActionMain> = {
  'setup-go-matrix': setupGoMatrix,
  'go-quality-gate': goQualityGate,
  'multiarch-build': multiarchBuild,
  'sign-attest': signAttest,
  'semver-release': semverRelease,
};
