/**
 * Proof of reproducibility: the same targets rebuilt from a temporary copy of the checkout (another
 * path) with a fresh GOCACHE, packaged again, and every artifact's digest compared.
 */
import { GoshipError } from '@goship/core/errors';
import type { Artifact } from '@goship/core/manifest';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vcsEnv } from './build.js';

export interface Mismatch {
  name: string;
  expected: string;
  actual: string;
}

/** Compares artifacts by kind and name (binaries by platform too). */
export function compareArtifacts(first: readonly Artifact[], second: readonly Artifact[]): Mismatch[] {
  const key = (a: Artifact): string =>
    a.kind === 'binary' ? `${a.kind}:${a.name}:${a.os}/${a.arch}/${a.variant ?? ''}` : `${a.kind}:${a.name}`;
  const other = new Map(second.map((a) => [key(a), a]));
  const out: Mismatch[] = [];
  for (const a of first) {
    const b = other.get(key(a));
    const label = a.kind === 'binary' ? `${a.path}` : a.name;
    if (!b) out.push({ name: label, expected: String(a.sha256), actual: '(not produced)' });
    else if (a.sha256 !== b.sha256) out.push({ name: label, expected: String(a.sha256), actual: String(b.sha256) });
  }
  return out;
}

/** Copies the checkout (without `dist`) into a new temporary folder; returns its path. */
export async function copyCheckout(toplevel: string, dist: string, tmpRoot: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpRoot, 'goship-rebuild-'));
  const src = path.join(dir, 'src');
  const skip = path.resolve(dist);
  await cp(toplevel, src, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (f) => path.resolve(f) !== skip,
  });
  return dir;
}

export function mismatchError(m: readonly Mismatch[]): GoshipError {
  return new GoshipError(
    `verify-reproducible: the rebuild differs in ${m.length} file(s):\n${m.map((x) => `  - ${x.name}: ${x.expected.slice(0, 16)}… vs ${x.actual.slice(0, 16)}…`).join('\n')}`,
    'Something in the build depends on the machine: look for cgo, embedded paths or times, generated files, or flags/env that vary (e.g. -buildvcs with a dirty tree); compare the files with `go version -m` and diffoscope',
  );
}

export async function cleanup(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function tmpRoot(): string {
  return process.env.RUNNER_TEMP || os.tmpdir();
}

/** Where the proof rebuilds: the module's folder in the copy, its dist, and the environment for it. */
export interface RebuildPlace {
  workdir: string;
  dist: string;
  env: Record<string, string>;
}

/**
 * Copies the checkout, has `rebuild` build and package the same targets there with a fresh GOCACHE,
 * and compares every artifact with `first`. Binaries live at other paths in the copy: they are
 * compared by name and platform.
 */
export async function prove(
  toplevel: string,
  o: { workdir: string; dist: string },
  first: readonly Artifact[],
  rebuild: (at: RebuildPlace) => Promise<{ artifacts: Artifact[] }>,
): Promise<Mismatch[]> {
  const tmp = await copyCheckout(toplevel, o.dist, tmpRoot());
  try {
    const src = path.join(tmp, 'src');
    const dist = path.join(tmp, 'dist');
    const env = { ...(await vcsEnv(src, dist, tmp)), GOCACHE: path.join(tmp, 'gocache') };
    const again = await rebuild({ workdir: path.join(src, path.relative(toplevel, o.workdir)), dist, env });
    return compareArtifacts(first, again.artifacts);
  } finally {
    await cleanup(tmp);
  }
}
