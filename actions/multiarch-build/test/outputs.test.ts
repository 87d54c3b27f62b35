/** The step's outputs and job summary, each built once from the result. */
import { emptyManifest, upsertArtifacts } from '@goship/core/manifest';
import { parsePlatform } from '@goship/core/platform';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PublishResult } from '../src/image/publish.js';
import { outputsOf } from '../src/outputs.js';
import type { Result } from '../src/pipeline.js';
import { summaryOf } from '../src/summary.js';
import { planBuildTargets } from '../src/targets.js';
import { inputConfig, resolved } from './plan-helpers.js';

const manifest = upsertArtifacts(
  emptyManifest({
    project: 'hello',
    module: 'example.com/hello',
    version: '1.2.3',
    tag: 'v1.2.3',
    commit: 'c'.repeat(40),
    commitTime: '2026-01-01T00:00:00Z',
    traceId: '1-1',
  }),
  [
    {
      kind: 'binary',
      name: 'hello',
      path: 'dist/hello_linux_arm_v7/hello',
      os: 'linux',
      arch: 'arm',
      variant: 'v7',
      main: 'example.com/hello',
      sha256: 'a'.repeat(64),
      size: 2048,
    },
    {
      kind: 'archive',
      name: 'hello_1.2.3_linux_armv7.tar.gz',
      path: 'dist/hello_1.2.3_linux_armv7.tar.gz',
      os: 'linux',
      arch: 'arm',
      variant: 'v7',
      sha256: 'b'.repeat(64),
      size: 1024,
    },
  ],
);
const [build] = resolved(inputConfig({ platforms: [parsePlatform('linux/arm/v7')] }), [
  { arg: '.', importPath: 'example.com/hello', binary: 'hello' },
]);
const target = planBuildTargets([build!], { workdir: '/m', dist: '/m/dist', binaryName: (_b, m) => ({ name: m.binary, flat: false }) })[0]!;
const result = (extra: Partial<Result> = {}): Result => ({
  manifest,
  built: [{ target, sha256: 'a'.repeat(64), size: 2048, seconds: 1.26, cgo: false }],
  checksums: { kind: 'checksums', name: 'hello_1.2.3_checksums.txt', path: 'dist/hello_1.2.3_checksums.txt' },
  reproducible: 'unchecked',
  mismatches: [],
  buildSeconds: 3.04,
  notApplied: [],
  stamps: [],
  ...extra,
});
const image: PublishResult = {
  name: 'ghcr.io/o/hello',
  ref: `ghcr.io/o/hello@sha256:${'d'.repeat(64)}`,
  digest: `sha256:${'d'.repeat(64)}`,
  platforms: { 'linux/arm/v7': `sha256:${'e'.repeat(64)}` },
  tags: ['1.2.3', 'latest'],
  sboms: { 'linux/arm/v7': `sha256:${'f'.repeat(64)}` },
  sbomArtifacts: [],
};

describe('outputs', () => {
  const cwd = path.resolve('/work/mod');
  const cfg = { manifest: path.join(cwd, 'dist', 'goship-manifest.json') };

  it('carries the key facts, the binaries with their build time, and no image outputs without an image', () => {
    const out = outputsOf(cfg, result(), cwd);
    expect(out).toEqual({
      artifacts: JSON.stringify(manifest.artifacts),
      manifest: 'dist/goship-manifest.json',
      checksums: 'dist/hello_1.2.3_checksums.txt',
      version: '1.2.3',
      binaries: JSON.stringify([
        {
          name: 'hello',
          main: 'example.com/hello',
          platform: 'linux/arm/v7',
          path: 'dist/hello_linux_arm_v7/hello',
          sha256: 'a'.repeat(64),
          size: 2048,
          seconds: 1.3,
        },
      ]),
      reproducible: 'unchecked',
      'build-seconds': '3.0',
    });
  });

  it('adds the image outputs when an image was published; a part has no checksums', () => {
    const out = outputsOf(cfg, result({ image, checksums: undefined, built: [] }), cwd);
    expect(out).toMatchObject({ image: image.ref, digest: image.digest, 'image-tags': '["1.2.3","latest"]', checksums: '' });
    expect(JSON.parse(out['image-platforms']!)).toEqual(image.platforms);
    expect(JSON.parse(out.binaries!)[0]).not.toHaveProperty('seconds');
  });
});

describe('summary', () => {
  it('binaries, release files, the proof and the image, in one summary', () => {
    const md = summaryOf({ workdir: '/work/mod' }, result({ image, reproducible: 'true' }), [
      { name: 'Build', ms: 1200, ok: true },
    ]).toString();
    expect(md).toContain('multiarch-build: hello 1.2.3');
    expect(md).toMatch(/\| hello \| linux\/arm\/v7 \| 2\.00 KiB \| `a{16}…` \| 1\.3 s \|/);
    expect(md).toContain('hello_1.2.3_linux_armv7.tar.gz');
    expect(md).toContain('Reproducible: **true**');
    expect(md).toContain('### Image ghcr.io/o/hello');
    expect(md).toContain('`1.2.3`, `latest`');
    expect(md).toContain('Phases');
  });

  it('a part or a merge says so; a rebuild that differs is listed', () => {
    const r = result({
      reproducible: 'false',
      mismatches: [{ name: 'dist/hello_linux_arm_v7/hello', expected: '1'.repeat(64), actual: '2'.repeat(64) }],
    });
    const md = summaryOf({ workdir: '/w', split: { index: 2, total: 3 } }, r, []).toString();
    expect(md).toContain('multiarch-build: hello 1.2.3 (part 2/3)');
    expect(md).toMatch(/\| dist\/hello_linux_arm_v7\/hello \| `1{16}…` \| `2{16}…` \|/);
    expect(summaryOf({ workdir: '/w', merge: { dir: '/w/dist', given: 'true' } }, result(), []).toString()).toContain('(merged)');
  });
});
