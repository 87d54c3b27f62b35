/** Shared setup of the image tests: real Go binaries of fixtures/go/hello, crane, inputs. */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parsePlatform } from '@goship/core/platform';
import { fixturesDir, goEnv } from '@goship/testkit';
import { pinnedTool } from '@goship/testkit/registry';
import { type ImageBinary } from '../src/image/publish.js';
import { Inputs } from '@goship/core/action';
import { type ImageConfig, readImageConfig } from '../src/image/config.js';

export const execFileP = promisify(execFile);

/**
 * go build of fixtures/go/hello for each platform, stamped with `version`; from `src` (a git
 * checkout, so the binaries carry vcs.time) or straight from the fixture without VCS stamping.
 */
export async function buildHello(
  dir: string,
  platforms: string[],
  version = '1.2.3',
  src?: string,
  commit = 'abc1234',
): Promise<ImageBinary[]> {
  const out: ImageBinary[] = [];
  for (const p of platforms) {
    const platform = parsePlatform(p);
    const bin = path.join(dir, `${platform.os}_${platform.arch}`, 'hello');
    await mkdir(path.dirname(bin), { recursive: true });
    await execFileP(
      'go',
      [
        'build',
        '-trimpath',
        `-buildvcs=${src ? 'true' : 'false'}`,
        '-ldflags',
        `-s -w -buildid= -X main.version=${version} -X main.commit=${commit}`,
        '-o',
        bin,
        '.',
      ],
      {
        cwd: src ?? path.join(fixturesDir, 'hello'),
        env: { ...process.env, ...goEnv(), CGO_ENABLED: '0', GOOS: platform.os, GOARCH: platform.arch, GOFLAGS: '-mod=mod' },
      },
    );
    out.push({ path: bin, platform });
  }
  return out;
}

export async function crane(...args: string[]): Promise<string> {
  const bin = await pinnedTool('crane');
  const { stdout } = await execFileP(bin, args, { maxBuffer: 256 << 20, encoding: 'utf8' });
  return stdout;
}

export async function craneBuffer(...args: string[]): Promise<Buffer> {
  const bin = await pinnedTool('crane');
  const { stdout } = await execFileP(bin, args, { maxBuffer: 256 << 20, encoding: 'buffer' });
  return stdout;
}

/** Reads the image inputs as the action does (paths relative to `cwd`, default the current folder). */
export function imageInputs(values: Record<string, string>, cwd = process.cwd()): ImageConfig {
  const r = readImageConfig(Inputs.of(values), cwd);
  if (!r) throw new Error('no image input');
  return r;
}
