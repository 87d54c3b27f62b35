/**
 * Test helper: a real release made by multiarch-build's committed bundle (the way the runner runs
 * it) from a tagged copy of fixtures/go/hello — binaries, archives, checksums, SBOMs and, with a
 * registry, the multi-arch image and the image SBOMs pushed to it. What sign-attest gets in a
 * workflow.
 */
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readManifest, type Manifest } from '@goship/core/manifest';
import { actionDir, fixtureRepo, runAction } from '@goship/testkit';

export const BUILD_ENV = {
  GITHUB_REF: 'refs/tags/v1.4.0',
  GITHUB_REF_NAME: 'v1.4.0',
  GITHUB_REF_TYPE: 'tag',
  GITHUB_REPOSITORY: 'goship-test/hello',
  GITHUB_WORKFLOW_REF: 'goship-test/hello/.github/workflows/release.yml@refs/tags/v1.4.0',
  PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`,
};

export interface BuiltRelease {
  /** The module checkout (cwd and workspace of the steps). */
  dir: string;
  manifestPath: string;
  manifest: Manifest;
}

export async function buildRelease(opts: { platforms: string; registry?: string; copy?: Record<string, string> }): Promise<BuiltRelease> {
  const repo = await fixtureRepo('hello', { date: '2026-11-20T10:00:00Z' });
  await repo.tag('v1.4.0', 'v1.4.0');
  const r = await runAction(actionDir('multiarch-build'), {
    cwd: repo.dir,
    env: BUILD_ENV,
    inputs: {
      platforms: opts.platforms,
      ...(opts.registry ? { image: `${opts.registry}/goship-test/hello`, 'insecure-registries': opts.registry } : {}),
    },
  });
  if (r.exitCode !== 0) throw new Error(`multiarch-build failed:\n${r.log.slice(-4000)}`);
  for (const [to, from] of Object.entries(opts.copy ?? {})) {
    await mkdir(path.dirname(path.join(repo.dir, to)), { recursive: true });
    await cp(from, path.join(repo.dir, to));
  }
  const manifestPath = path.join(repo.dir, 'dist', 'goship-manifest.json');
  return { dir: repo.dir, manifestPath, manifest: await readManifest(manifestPath) };
}
