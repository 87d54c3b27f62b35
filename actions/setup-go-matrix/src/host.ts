/**
 * The runner as Go sees it: its GOOS/GOARCH, the Go on PATH (if any) and the GOPROXY the action
 * lists and downloads through. Reads only.
 */
import { output } from '@goship/core/exec';

export interface Host {
  goos: string;
  goarch: string;
  /** The Go on PATH, which verifies proxy downloads and stands in when nothing is installed. */
  go?: { bin: string; version: string };
  /** The `goproxy` input, else the job's GOPROXY, else the Go on PATH's, else Go's default. */
  goproxy: string;
  /** Where the Go download index lives (GOSHIP_GO_DL_URL points tests at a stand-in). */
  dlBase: string;
}

const GO_DEFAULT_PROXY = 'https://proxy.golang.org,direct';

export async function inspectHost(goproxyInput: string, env: NodeJS.ProcessEnv = process.env): Promise<Host> {
  const { goos, goarch } = hostGoPlatform();
  const go = await pathGo();
  const goproxy =
    goproxyInput ||
    env.GOPROXY ||
    (go ? await output('go', ['env', 'GOPROXY'], { env: { GOTOOLCHAIN: 'local' } }).catch(() => '') : '') ||
    GO_DEFAULT_PROXY;
  return { goos, goarch, ...(go ? { go } : {}), goproxy, dlBase: env.GOSHIP_GO_DL_URL || 'https://go.dev/dl' };
}

async function pathGo(): Promise<{ bin: string; version: string } | undefined> {
  try {
    const out = await output('go', ['version'], { env: { GOTOOLCHAIN: 'local' } });
    const m = /go version go(\S+)/.exec(out);
    return m ? { bin: 'go', version: m[1]! } : undefined;
  } catch {
    return undefined;
  }
}

/** Go's names for the runner's OS and architecture. */
export function hostGoPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): { goos: string; goarch: string } {
  const goos = platform === 'win32' ? 'windows' : platform;
  const goarch =
    (
      {
        x64: 'amd64',
        ia32: '386',
        arm: 'arm',
        arm64: 'arm64',
        ppc64: 'ppc64le',
        s390x: 's390x',
        riscv64: 'riscv64',
        loong64: 'loong64',
      } as Record<string, string>
    )[arch] ?? arch;
  return { goos, goarch };
}
