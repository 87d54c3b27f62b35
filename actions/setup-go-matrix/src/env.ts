/**
 * The environment later steps get: the toolchain policy, GOFLAGS, the proxy settings and, for
 * private modules over https, git credentials through GIT_CONFIG_COUNT/KEY/VALUE (no file is
 * written, nothing lands in a git config).
 */
import { InputError } from '@goship/core/errors';

export interface EnvInputs {
  toolchain: 'local' | 'auto';
  modReadonly: boolean;
  /** GOFLAGS as the resolved go reports it (`go env GOFLAGS`). */
  currentGoflags: string;
  goproxy: string;
  goprivate: string;
  gonosumdb: string;
  gitToken: string;
  /** The job's current GIT_CONFIG_COUNT (entries are appended after it). */
  gitConfigCount: number;
}

/** `-mod=readonly` replaces any other `-mod=` flag; other flags are kept in order. */
export function mergeGoflags(current: string, modReadonly: boolean): string {
  const flags = current.split(/\s+/).filter(Boolean);
  if (!modReadonly) return flags.join(' ');
  return [...flags.filter((f) => !/^--?mod=/.test(f)), '-mod=readonly'].join(' ');
}

/** Hosts of GOPRIVATE patterns with no wildcard in the host (github.com when none). */
export function privateHosts(goprivate: string): string[] {
  const hosts = goprivate
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => p.split('/')[0]!)
    .filter((h) => h && !/[*?[\]]/.test(h));
  return hosts.length ? [...new Set(hosts)].sort() : ['github.com'];
}

export function exportedEnv(i: EnvInputs): Record<string, string> {
  const env: Record<string, string> = { GOTOOLCHAIN: i.toolchain };
  const goflags = mergeGoflags(i.currentGoflags, i.modReadonly);
  if (goflags !== i.currentGoflags.trim() || i.modReadonly) env.GOFLAGS = goflags;
  if (i.goproxy) env.GOPROXY = i.goproxy;
  if (i.goprivate) env.GOPRIVATE = i.goprivate;
  if (i.gonosumdb) env.GONOSUMDB = i.gonosumdb;
  if (i.gitToken) {
    let n = i.gitConfigCount;
    for (const host of privateHosts(i.goprivate)) {
      env[`GIT_CONFIG_KEY_${n}`] = `url.https://x-access-token:${i.gitToken}@${host}/.insteadOf`;
      env[`GIT_CONFIG_VALUE_${n}`] = `https://${host}/`;
      n++;
    }
    env.GIT_CONFIG_COUNT = String(n);
    env.GIT_TERMINAL_PROMPT = '0';
  }
  return env;
}

/** GOPROXY/GOPRIVATE/GONOSUMDB values: one line, no spaces, and a proxy list of URLs/direct/off. */
export function checkGoEnvInput(name: string, value: string): void {
  if (value === '') return;
  if (/\s/.test(value)) throw new InputError(name, value, 'a comma-separated list without spaces', 'Remove the spaces and line breaks');
  if (name === 'goproxy') {
    for (const part of value.split(/[,|]/)) {
      if (part !== 'direct' && part !== 'off' && !/^(https?|file):\/\/\S+$/.test(part)) {
        throw new InputError(
          name,
          value,
          'proxy URLs (https://…), `direct` or `off`, separated by `,` or `|`',
          `"${part}" is none of those`,
        );
      }
    }
  }
}
