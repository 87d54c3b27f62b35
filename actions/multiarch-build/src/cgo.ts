/**
 * cgo, per target: CGO_ENABLED comes from the `cgo` input when given, else from the build's
 * environment (the GoReleaser file's `env`, the build's `env` and overrides, the `env` input), else
 * goship's default 0. A target built with cgo needs a C compiler for that GOOS/GOARCH: the
 * compiler `go build` would use (`CC` of the target's environment, else `go env CC`) is asked
 * what it compiles for (`-dumpmachine`), before anything is built, and a target it cannot
 * compile C for fails naming the target and the compiler.
 */
import { splitArgs } from '@goship/core/args';
import { GoshipError } from '@goship/core/errors';
import { run } from '@goship/core/exec';

const CPU: readonly [RegExp, string][] = [
  [/^(x86_64|amd64)$/, 'amd64'],
  [/^i[3-6]86$/, '386'],
  [/^(aarch64|arm64)$/, 'arm64'],
  [/^arm/, 'arm'],
  [/^riscv64$/, 'riscv64'],
  [/^(powerpc64le|ppc64le)$/, 'ppc64le'],
  [/^(powerpc64|ppc64)$/, 'ppc64'],
  [/^s390x$/, 's390x'],
  [/^mipsel$/, 'mipsle'],
  [/^mips$/, 'mips'],
  [/^mips64el$/, 'mips64le'],
  [/^mips64$/, 'mips64'],
  [/^loongarch64$/, 'loong64'],
];
const SYSTEM: readonly [RegExp, string][] = [
  [/mingw|windows|cygwin/, 'windows'],
  [/darwin|apple|macos/, 'darwin'],
  [/android/, 'android'],
  [/linux/, 'linux'],
  [/freebsd/, 'freebsd'],
  [/netbsd/, 'netbsd'],
  [/openbsd/, 'openbsd'],
];

/** GOOS/GOARCH of a GCC/Clang target triple (`aarch64-linux-gnu`, `x86_64-w64-mingw32`, `arm64-apple-darwin23`). */
export function tripleTarget(triple: string): { goos: string; goarch: string } | undefined {
  const [cpu = '', ...rest] = triple.trim().toLowerCase().split('-');
  const sys = rest.join('-');
  const goarch = CPU.find(([re]) => re.test(cpu))?.[1];
  const goos = SYSTEM.find(([re]) => re.test(sys))?.[1];
  return goarch && goos ? { goos, goarch } : undefined;
}

export interface CgoCheck {
  /** `linux/arm64` as shown to the user. */
  target: string;
  goos: string;
  goarch: string;
  /** The build's environment for this target (CC may be set there). */
  env: Record<string, string>;
  cwd: string;
}

/** The C compiler `go build` would run for `env`: its CC, else `go env CC` there. */
export async function compilerFor(env: Record<string, string>, cwd: string): Promise<string> {
  if (env.CC) return env.CC;
  const r = await run('go', ['env', 'CC'], { cwd, env, silent: true, allowFailure: true });
  return r.code === 0 ? r.stdout.trim() : '';
}

/**
 * Fails before building when a cgo target has no C compiler for it. Checks each distinct
 * (compiler, target) once.
 */
export async function checkCgoTargets(checks: readonly CgoCheck[]): Promise<void> {
  const done = new Set<string>();
  for (const c of checks) {
    const cc = await compilerFor(c.env, c.cwd);
    const key = `${cc}\u0000${c.goos}/${c.goarch}`;
    if (done.has(key)) continue;
    done.add(key);
    const fix =
      `Install a C cross-compiler for ${c.goos}/${c.goarch} and point CC at it for this target ` +
      '(e.g. `env: CC=aarch64-linux-gnu-gcc` in an override, or `CC=zig cc -target aarch64-linux-gnu`), ' +
      'build it on a runner of that platform, or build it without cgo (`cgo: false` / CGO_ENABLED=0)';
    if (!cc) {
      throw new GoshipError(`cgo is on for ${c.target}, but there is no C compiler: CC is not set and \`go env CC\` names none.`, fix);
    }
    const argv = splitArgs(cc, 'CC');
    const doesNotRun = (why: string): GoshipError =>
      new GoshipError(`cgo is on for ${c.target}, but its C compiler \`${cc}\` does not run (${why}).`, fix);
    // a compiler that is not there at all makes run() throw rather than exit non-zero
    const r = await run(argv[0]!, [...argv.slice(1), '-dumpmachine'], { cwd: c.cwd, env: c.env, silent: true, allowFailure: true }).catch(
      () => {
        throw doesNotRun('not found on PATH');
      },
    );
    if (r.code !== 0) throw doesNotRun((r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`);
    const triple = r.stdout.trim();
    const made = tripleTarget(triple);
    if (!made || made.goos !== c.goos || made.goarch !== c.goarch) {
      throw new GoshipError(
        `cgo is on for ${c.target}, but the C compiler \`${cc}\` compiles for ${triple || 'an unknown target'}${made ? ` (${made.goos}/${made.goarch})` : ''}, not for ${c.goos}/${c.goarch}: no C toolchain for this target.`,
        fix,
      );
    }
  }
}
