/**
 * The runner port of a bundled step: the one file of goship that talks to the GitHub runner
 * through `@actions/core` (workflow commands on stdout, the GITHUB_OUTPUT/ENV/PATH/STATE and
 * GITHUB_STEP_SUMMARY files, the OIDC token service). Lint allows `@actions/core` nowhere else.
 */
import * as core from '@actions/core';
import { inputEnvName } from './inputs.js';
import type { AnnotationLevel, AnnotationProps, RunnerPort } from './port.js';

export function runnerPort(env: NodeJS.ProcessEnv = process.env): RunnerPort {
  return {
    info: (m) => core.info(m),
    debug: (m) => core.debug(m),
    annotation: (level: AnnotationLevel, m: string, props?: AnnotationProps) => {
      if (level === 'error') core.error(m, props);
      else if (level === 'warning') core.warning(m, props);
      else core.notice(m, props);
    },
    startGroup: (t) => core.startGroup(t),
    endGroup: () => core.endGroup(),
    mask: (v) => core.setSecret(v),
    input: (name) => env[inputEnvName(name)],
    output: (n, v) => core.setOutput(n, v),
    exportVariable: (n, v) => core.exportVariable(n, v),
    addPath: (d) => core.addPath(d),
    saveState: (n, v) => core.saveState(n, v),
    getState: (n) => core.getState(n),
    appendSummary: async (md) => {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(md).write();
    },
    idToken: (audience) => core.getIDToken(audience),
    isDebug: () => core.isDebug(),
    write: (t) => void process.stdout.write(t),
  };
}

/** Ends the step as failed: the message becomes one `::error::` line and the exit code 1. */
export function failStep(message: string): void {
  core.setFailed(message);
}
