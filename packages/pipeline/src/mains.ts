/** The five actions' own `main` functions and secret declarations: the chain runs exactly the code each `uses:` step runs. */
import * as goQualityGate from '@goship/go-quality-gate/action';
import * as multiarchBuild from '@goship/multiarch-build/action';
import * as semverRelease from '@goship/semver-release/action';
import * as setupGoMatrix from '@goship/setup-go-matrix/action';
import * as signAttest from '@goship/sign-attest/action';
import type { ActionName } from './chain.js';
import type { RunnableAction } from './run.js';

export const MAINS: Record<ActionName, RunnableAction> = {
  'setup-go-matrix': { main: setupGoMatrix.main, secrets: setupGoMatrix.SECRETS },
  'go-quality-gate': { main: goQualityGate.main, secrets: goQualityGate.SECRETS },
  'multiarch-build': { main: multiarchBuild.main, secrets: multiarchBuild.SECRETS },
  'sign-attest': { main: signAttest.main, secrets: signAttest.SECRETS },
  'semver-release': { main: semverRelease.main, secrets: semverRelease.SECRETS },
};
