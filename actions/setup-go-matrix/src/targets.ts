/** The build targets, held against the port list of the toolchain that will build them. */
import type { Log } from '@goship/core/action';
import { distList } from '@goship/core/go';
import { type DistPort, type Platform, checkSupported } from '@goship/core/platform';
import type { GoInstall } from './install.js';

export interface Targets {
  ports: DistPort[];
  /** What the platforms were checked against, for the summary. */
  from: string;
}

/** The environment the action's own go commands run in: exactly the chosen toolchain. */
export const GO_RUN_ENV: Record<string, string | undefined> = { GOTOOLCHAIN: 'local', GOROOT: undefined };

export async function checkTargets(platforms: readonly Platform[], go: GoInstall, log: Log): Promise<Targets> {
  if (!go.goBin) {
    log.warning('No Go toolchain to check the platforms against (install: false and no go on PATH); checked only their syntax.');
    return { ports: [], from: 'not checked (no Go toolchain)' };
  }
  const ports = await distList(go.goBin, { env: GO_RUN_ENV });
  checkSupported(platforms, ports, 'platforms', `Go ${go.goBinVersion}`);
  return { ports, from: `go tool dist list of Go ${go.goBinVersion}${go.goroot ? '' : ' (the Go on PATH)'}` };
}
