/** Smoke test: run the host platform's binaries with the given arguments; a failure shows the output. */
import type { Log } from '@goship/core/action';
import { GoshipError, lastLines } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import type { BinaryRec } from './package.js';

export function hostPlatform(): { os: string; arch: string } {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch =
    (
      { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<
        string,
        string
      >
    )[process.arch] ?? process.arch;
  return { os, arch };
}

export interface SmokeResult {
  binary: string;
  platform: string;
  output: string;
}

export async function smokeTest(bins: readonly BinaryRec[], args: readonly string[], log: Log): Promise<SmokeResult[]> {
  const host = hostPlatform();
  const candidates = bins.filter((b) => b.os === host.os && b.arch === host.arch);
  const byName = new Map<string, BinaryRec>();
  // prefer the baseline variant (runs on any CPU of the architecture)
  for (const b of [...candidates].sort((x, y) => x.variant.localeCompare(y.variant))) if (!byName.has(b.name)) byName.set(b.name, b);
  if (byName.size === 0) {
    log.warning(`smoke-test: no binary was built for this runner's platform (${host.os}/${host.arch}); skipped.`);
    return [];
  }
  const out: SmokeResult[] = [];
  for (const b of byName.values()) {
    const r = await run(b.abs, args, { silent: true, allowFailure: true, timeoutMs: 60_000, env: { GOSHIP_SMOKE_TEST: '1' } });
    const text = (r.stdout + r.stderr).trim();
    if (r.code !== 0) {
      throw new GoshipError(
        `smoke-test: \`${b.name} ${args.join(' ')}\` (${b.platformName}) ${r.timedOut ? 'timed out after 60 s' : `exited with code ${r.code}`}:\n${lastLines(text, 30) || '(no output)'}`,
        'Run the binary locally with the same arguments; set `smoke-test:` to arguments that exit 0 (e.g. --version), or leave it empty',
      );
    }
    log.info(`smoke-test ${b.name} ${args.join(' ')} → ${lastLines(text, 5)}`);
    out.push({ binary: b.name, platform: b.platformName, output: text });
  }
  return out;
}
