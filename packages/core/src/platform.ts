/**
 * Build targets: `GOOS/GOARCH[/variant]`, with the variant mapped to the environment variable Go
 * reads for it (GOARM, GOAMD64, GOARM64, GO386, GOMIPS, GOPPC64, GORISCV64).
 */
import { InputError } from './errors.js';

export interface Platform {
  os: string;
  arch: string;
  /** '' when none was given. */
  variant: string;
}

/** Go's first-class ports (https://go.dev/wiki/PortingPolicy#first-class-ports). */
export const FIRST_CLASS_PORTS: readonly string[] = [
  'darwin/amd64',
  'darwin/arm64',
  'linux/386',
  'linux/amd64',
  'linux/arm',
  'linux/arm64',
  'windows/386',
  'windows/amd64',
];

export const DEFAULT_PLATFORMS: readonly string[] = [
  'linux/amd64',
  'linux/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'windows/amd64',
  'windows/arm64',
];

interface VariantRule {
  env: string;
  /** Accepted spellings → the value Go wants in `env`. */
  values: (v: string) => string | undefined;
  accepted: string;
}

const arm64Levels = [
  'v8.0',
  'v8.1',
  'v8.2',
  'v8.3',
  'v8.4',
  'v8.5',
  'v8.6',
  'v8.7',
  'v8.8',
  'v8.9',
  'v9.0',
  'v9.1',
  'v9.2',
  'v9.3',
  'v9.4',
  'v9.5',
];

const VARIANTS: Record<string, VariantRule> = {
  arm: {
    env: 'GOARM',
    values: (v) => ({ v5: '5', v6: '6', v7: '7', '5': '5', '6': '6', '7': '7' })[v],
    accepted: 'v5, v6 or v7',
  },
  amd64: {
    env: 'GOAMD64',
    values: (v) => (/^v[1-4]$/.test(v) ? v : undefined),
    accepted: 'v1, v2, v3 or v4',
  },
  arm64: {
    env: 'GOARM64',
    values: (v) => {
      const [level, ...features] = v.split(',');
      if (level === 'v8') return features.length === 0 ? 'v8.0' : undefined;
      if (!level || !arm64Levels.includes(level)) return undefined;
      return features.every((f) => f === 'lse' || f === 'crypto') ? v : undefined;
    },
    accepted: 'v8.0 … v9.5 (optionally with ,lse or ,crypto)',
  },
  '386': {
    env: 'GO386',
    values: (v) => (v === 'sse2' || v === 'softfloat' ? v : undefined),
    accepted: 'sse2 or softfloat',
  },
  mips: { env: 'GOMIPS', values: mipsFloat, accepted: 'hardfloat or softfloat' },
  mipsle: { env: 'GOMIPS', values: mipsFloat, accepted: 'hardfloat or softfloat' },
  mips64: { env: 'GOMIPS64', values: mipsFloat, accepted: 'hardfloat or softfloat' },
  mips64le: { env: 'GOMIPS64', values: mipsFloat, accepted: 'hardfloat or softfloat' },
  ppc64: { env: 'GOPPC64', values: ppc, accepted: 'power8, power9 or power10' },
  ppc64le: { env: 'GOPPC64', values: ppc, accepted: 'power8, power9 or power10' },
  riscv64: {
    env: 'GORISCV64',
    values: (v) => (['rva20u64', 'rva22u64', 'rva23u64'].includes(v) ? v : undefined),
    accepted: 'rva20u64, rva22u64 or rva23u64',
  },
};

function mipsFloat(v: string): string | undefined {
  return v === 'hardfloat' || v === 'softfloat' ? v : undefined;
}
function ppc(v: string): string | undefined {
  return ['power8', 'power9', 'power10'].includes(v) ? v : undefined;
}

const OS_RE = /^[a-z][a-z0-9]*$/;
const ARCH_RE = /^[a-z0-9]+$/;

/**
 * Parses `GOOS/GOARCH[/variant]`. Syntax and the variant are checked here; whether the toolchain
 * supports the pair is checked by {@link checkSupported} against `go tool dist list`.
 */
export function parsePlatform(s: string, input = 'platforms'): Platform {
  const expected = '`GOOS/GOARCH` or `GOOS/GOARCH/variant`, e.g. `linux/amd64` or `linux/arm/v7`';
  const parts = s.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || !OS_RE.test(parts[0]!) || !ARCH_RE.test(parts[1]!)) {
    const hint =
      parts.length === 1 && OS_RE.test(parts[0]!)
        ? `Add the architecture, e.g. \`${parts[0]}/amd64\``
        : 'List the targets of `go tool dist list`, one a line or comma-separated';
    throw new InputError(input, s, expected, hint);
  }
  const [os, arch, variant = ''] = parts as [string, string, string?];
  if (variant !== '') {
    const rule = VARIANTS[arch];
    if (!rule) {
      throw new InputError(
        input,
        s,
        `no variant for ${arch} (variants exist for ${Object.keys(VARIANTS).join(', ')})`,
        `Write \`${os}/${arch}\``,
      );
    }
    if (rule.values(variant) === undefined) {
      throw new InputError(input, s, `a ${arch} variant: ${rule.accepted}`, `It sets ${rule.env}; see \`go help environment\``);
    }
  }
  return { os, arch, variant };
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.arch}/${p.variant}` : `${p.os}/${p.arch}`;
}

/** A file-name-safe id: `linux_arm_v7`, `darwin_arm64`. */
export function platformId(p: Platform): string {
  return [p.os, p.arch, p.variant]
    .filter(Boolean)
    .join('_')
    .replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** The Go environment for a build of this platform: GOOS, GOARCH and the variant's variable. */
export function platformEnv(p: Platform): Record<string, string> {
  const env: Record<string, string> = { GOOS: p.os, GOARCH: p.arch };
  const v = variantEnv(p);
  if (v) env[v.name] = v.value;
  return env;
}

export function variantEnv(p: Platform): { name: string; value: string } | undefined {
  if (!p.variant) return undefined;
  const rule = VARIANTS[p.arch];
  const value = rule?.values(p.variant);
  return rule && value !== undefined ? { name: rule.env, value } : undefined;
}

/** The OCI platform object (`variant` only where OCI uses one: arm and arm64). */
export function ociPlatform(p: Platform): { os: string; architecture: string; variant?: string } {
  const out: { os: string; architecture: string; variant?: string } = { os: p.os, architecture: p.arch };
  if (p.arch === 'arm') out.variant = `v${variantEnv(p)?.value ?? '7'}`;
  else if (p.arch === 'arm64' && p.variant) out.variant = p.variant.startsWith('v8') ? 'v8' : p.variant.split('.')[0]!;
  return out;
}

export interface DistPort {
  GOOS: string;
  GOARCH: string;
  CgoSupported: boolean;
  FirstClass: boolean;
}

/** Throws an InputError for any platform whose GOOS/GOARCH is not in the toolchain's port list. */
export function checkSupported(
  ps: readonly Platform[],
  ports: readonly DistPort[],
  input = 'platforms',
  goVersion = 'the installed Go',
): void {
  const known = new Set(ports.map((d) => `${d.GOOS}/${d.GOARCH}`));
  for (const p of ps) {
    const pair = `${p.os}/${p.arch}`;
    if (!known.has(pair)) {
      const sameOs = ports.filter((d) => d.GOOS === p.os).map((d) => `${d.GOOS}/${d.GOARCH}`);
      throw new InputError(
        input,
        formatPlatform(p),
        `a port ${goVersion} supports (\`go tool dist list\`)`,
        sameOs.length ? `Ports for ${p.os}: ${sameOs.join(', ')}` : `No port has GOOS=${p.os}; check the spelling`,
      );
    }
  }
}
