/** Stages binaries for a Dockerfile build by TARGETPLATFORM: `<context>/linux/arm64/<name>`. */
import path from 'node:path';
import { type Platform, formatPlatform } from '@goship/core/platform';
import { realDir, replaceCopy } from '../dist.js';
import { targetPlatform } from './buildx.js';

export async function stageBinaries(
  context: string,
  binaries: readonly { path: string; platform: Platform; name?: string }[],
  platforms: readonly Platform[],
): Promise<string[]> {
  const out: string[] = [];
  for (const p of platforms) {
    for (const b of binaries.filter((x) => formatPlatform(x.platform) === formatPlatform(p))) {
      const dest = path.join(context, ...targetPlatform(p).split('/'), b.name ?? path.basename(b.path));
      await realDir(path.dirname(dest), path.dirname(context));
      await replaceCopy(b.path, dest);
      out.push(dest);
    }
  }
  return out.sort();
}
