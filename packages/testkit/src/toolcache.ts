/**
 * A runner tool cache pre-populated with the pinned tools the lead builds into
 * `/root/go/goship-tools/NAME-VERSION/NAME` (see tools.versions), in the layout
 * @actions/tool-cache expects: `<cache>/<name>/<version without v>/<arch>/<name>` plus the
 * `<arch>.complete` marker. Tests then find the tools without rebuilding them; an action still
 * installs them itself when the cache is empty.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from './fixtures.js';

export const goshipToolsDir = process.env.GOSHIP_TOOLS_DIR ?? path.join(os.homedir(), 'go', 'goship-tools');

/** Adds `name@version` (e.g. `staticcheck`, `v0.8.2`) to the cache; false when it is not built. */
export async function addCachedTool(cache: string, name: string, version: string): Promise<boolean> {
  const bin = path.join(goshipToolsDir, `${name}-${version}`, name);
  if (!existsSync(bin)) return false;
  const dir = path.join(cache, name, version.replace(/^v/, ''), os.arch());
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, name);
  if (!existsSync(target)) await symlink(bin, target);
  await writeFile(`${dir}.complete`, '');
  return true;
}

/** A new tool cache holding the given tools; throws when one is not built yet. */
export async function prebuiltToolCache(tools: Record<string, string>, dir?: string): Promise<string> {
  const cache = dir ?? (await tempDir('goship-toolcache-'));
  for (const [name, version] of Object.entries(tools)) {
    if (!(await addCachedTool(cache, name, version))) {
      throw new Error(`${name} ${version} is not built in ${goshipToolsDir}; run scripts/install-tools ${name}`);
    }
  }
  return cache;
}
