/**
 * The environment later steps get: the toolchain (PATH), the toolchain policy, GOFLAGS, the proxy
 * settings and, for private modules over https, an `include.path` of the git credentials file
 * appended to the job's GIT_CONFIG_* entries.
 */
import type { ActionContext } from '@goship/core/action';
import { goEnv } from '@goship/core/go';
import path from 'node:path';
import { type GitCredentials, writeGitCredentials } from './credentials.js';
import type { SetupInputs } from './inputs.js';
import type { GoInstall } from './install.js';
import type { Resolution } from './resolve.js';
import { JobEnv, State } from './state.js';
import { GO_RUN_ENV } from './targets.js';

export interface EnvInputs {
  toolchain: 'local' | 'auto';
  modReadonly: boolean;
  /** GOFLAGS as the resolved go reports it (`go env GOFLAGS`). */
  currentGoflags: string;
  goproxy: string;
  goprivate: string;
  gonosumdb: string;
  /** The git config file holding the token's rules ('' when no token). */
  gitConfigFile: string;
  /** The job's current GIT_CONFIG_COUNT (our entry is appended after it). */
  gitConfigCount: number;
}

/** `-mod=readonly` replaces any other `-mod=` flag; other flags are kept in order. */
export function mergeGoflags(current: string, modReadonly: boolean): string {
  const flags = current.split(/\s+/).filter(Boolean);
  if (!modReadonly) return flags.join(' ');
  return [...flags.filter((f) => !/^--?mod=/.test(f)), '-mod=readonly'].join(' ');
}

export function exportedEnv(i: EnvInputs): Record<string, string> {
  const env: Record<string, string> = { GOTOOLCHAIN: i.toolchain };
  const goflags = mergeGoflags(i.currentGoflags, i.modReadonly);
  if (goflags !== i.currentGoflags.trim() || i.modReadonly) env.GOFLAGS = goflags;
  if (i.goproxy) env.GOPROXY = i.goproxy;
  if (i.goprivate) env.GOPRIVATE = i.goprivate;
  if (i.gonosumdb) env.GONOSUMDB = i.gonosumdb;
  if (i.gitConfigFile) {
    const n = i.gitConfigCount;
    env[`GIT_CONFIG_KEY_${n}`] = 'include.path';
    env[`GIT_CONFIG_VALUE_${n}`] = i.gitConfigFile;
    env.GIT_CONFIG_COUNT = String(n + 1);
    env.GIT_TERMINAL_PROMPT = '0';
  }
  return env;
}

export interface Environment {
  exported: Record<string, string>;
  /** `go env` of the toolchain (GOMODCACHE, GOCACHE, CGO_ENABLED, …); {} without one. */
  goenv: Record<string, string>;
  credentials?: GitCredentials;
}

/** The first side effects on the job: PATH, the exported variables and the credentials file. */
export async function exportEnvironment(
  ctx: ActionContext,
  inp: SetupInputs,
  go: GoInstall,
  res: Pick<Resolution, 'version' | 'userGotoolchain'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Environment> {
  const goenv = go.goBin ? await goEnv(go.goBin, { env: GO_RUN_ENV }) : {};
  if (go.goroot) ctx.addPath(path.join(go.goroot, 'bin'));
  const credentials = inp.gitToken ? await writeGitCredentials(inp.gitToken, inp.goprivate) : undefined;
  if (credentials) ctx.saveState(State.gitCredentials, credentials.file);
  const exported = exportedEnv({
    toolchain: inp.toolchain,
    modReadonly: inp.modReadonly,
    currentGoflags: goenv.GOFLAGS ?? env.GOFLAGS ?? '',
    goproxy: inp.goproxy,
    goprivate: inp.goprivate,
    gonosumdb: inp.gonosumdb,
    gitConfigFile: credentials?.file ?? '',
    gitConfigCount: Number(env.GIT_CONFIG_COUNT ?? '0') || 0,
  });
  for (const [k, v] of Object.entries(exported)) ctx.exportVariable(k, v);
  if (env[JobEnv.userGotoolchain] === undefined) ctx.exportVariable(JobEnv.userGotoolchain, res.userGotoolchain);
  ctx.log.info(
    inp.toolchain === 'local'
      ? `GOTOOLCHAIN=local: go commands use Go ${res.version} and fail when a go.mod needs a newer Go (fix: raise go-version, or toolchain: auto).`
      : `GOTOOLCHAIN=auto: go switches to a newer toolchain when a go.mod asks for one (downloaded through GOPROXY).`,
  );
  return { exported, goenv, credentials };
}
