/**
 * The install step: the resolved version from the runner's tool cache, else the download index's
 * archive (checked against its sha256), else the `golang.org/toolchain` module through GOPROXY
 * (checked against the checksum database). The version was confirmed to exist before this runs.
 */
import type { ActionContext } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { findCachedGo, goBinary, installGoFromArchive, installGoFromProxy } from '@goship/core/go-install';
import type { Host } from './host.js';
import type { Releases } from './releases.js';

export interface GoInstall {
  /** GOROOT of the installed (or, with install: false, cached) Go. */
  goroot?: string;
  /** How it got there, for the log and the summary. */
  how: string;
  /** The go binary later commands of this step run: the installed one, else the Go on PATH. */
  goBin?: string;
  /** The version goBin runs. */
  goBinVersion?: string;
}

export async function installGo(
  ctx: ActionContext,
  install: boolean,
  version: string,
  releases: Releases | undefined,
  host: Host,
): Promise<GoInstall> {
  if (!install) return located(findCachedGo(version), version, 'not installed (install: false)', host);
  return ctx.phase(`Install Go ${version}`, async () => {
    const cached = findCachedGo(version);
    if (cached) {
      ctx.log.info(`Go ${version} found in the tool cache: ${cached}`);
      return located(cached, version, 'runner tool cache', host);
    }
    const archive = releases?.archives.get(version);
    let r;
    let how;
    if (archive) {
      r = await installGoFromArchive({ version, ...archive, dlBase: host.dlBase });
      how = `download index archive, verified: ${r.verifiedBy}`;
    } else {
      if (!host.go) {
        throw new GoshipError(
          `Go ${version} is not in the tool cache and the download index does not list it; installing it from the module proxy needs a Go on PATH.`,
          'Use a runner image with Go, or make https://go.dev/dl reachable',
        );
      }
      r = await installGoFromProxy({ version, goos: host.goos, goarch: host.goarch, goproxy: host.goproxy, goBin: host.go.bin });
      how = `module proxy, verified by the checksum database: ${r.verifiedBy}`;
    }
    ctx.log.info(`Go ${version} installed in ${r.goroot} (${how})`);
    return located(r.goroot, version, how, host);
  });
}

function located(goroot: string | undefined, version: string, how: string, host: Host): GoInstall {
  if (goroot) return { goroot, how, goBin: goBinary(goroot), goBinVersion: version };
  return { how, ...(host.go ? { goBin: host.go.bin, goBinVersion: host.go.version } : {}) };
}
