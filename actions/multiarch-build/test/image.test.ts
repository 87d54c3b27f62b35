import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '@goship/core/errors';
import { parsePlatform } from '@goship/core/platform';
import { MEDIA, sha256 } from '@goship/core/oci';
import { imageConfig, imageIndex, imageManifest, jsonBlob } from '../src/image/assemble.js';
import { ociLayerType } from '../src/image/base.js';
import { buildxArgv, targetPlatform } from '../src/image/buildx.js';
import { imagePlatforms } from '../src/image/config.js';
import { expandTags } from '../src/image/tags.js';
import { LAYER_LEVEL, gzipFixed } from '../src/gzip.js';
import { buildLayer, buildLayerAsync, tarball } from '../src/image/layer.js';
import { entrypointFor } from '../src/image/publish.js';
import { stageBinaries } from '../src/image/stage.js';
import { imageInputs } from './image-helpers.js';

describe('layers', () => {
  const files = [
    { path: '/usr/local/bin/app', data: Buffer.from('binary'), mode: 0o755 },
    { path: '/etc/ssl/certs/ca.crt', data: Buffer.from('cert\n'), mode: 0o644 },
  ];

  it('writes sorted ustar entries with parents, uid/gid 0 and the given mtime', () => {
    const tar = tarball(files, 1_700_000_000);
    const names: string[] = [];
    for (let off = 0; off + 512 <= tar.length;) {
      const h = tar.subarray(off, off + 512);
      if (h.every((b) => b === 0)) break;
      const name = h.subarray(0, 100).toString().replace(/\0.*$/s, '');
      names.push(name);
      expect(h.subarray(108, 115).toString()).toBe('0000000');
      expect(h.subarray(116, 123).toString()).toBe('0000000');
      expect(parseInt(h.subarray(136, 147).toString(), 8)).toBe(1_700_000_000);
      expect(h.subarray(257, 263).toString()).toBe('ustar\0');
      if (name === 'usr/local/bin/app') expect(h.subarray(100, 107).toString()).toBe('0000755');
      const size = parseInt(h.subarray(124, 135).toString(), 8);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual([
      'etc/',
      'etc/ssl/',
      'etc/ssl/certs/',
      'etc/ssl/certs/ca.crt',
      'usr/',
      'usr/local/',
      'usr/local/bin/',
      'usr/local/bin/app',
    ]);
  });

  it('is byte-identical for the same input regardless of order, and the diff_id is the tar digest', () => {
    const a = buildLayer(files, 100);
    const b = buildLayer([...files].reverse(), 100);
    expect(Buffer.from(a.blob).equals(Buffer.from(b.blob))).toBe(true);
    expect(a.diffId).toBe(sha256(gunzipSync(a.blob)));
    expect(buildLayer(files, 101).diffId).not.toBe(a.diffId);
  });

  it('compressed in a worker thread: the same layer as on the main thread', async () => {
    const a = await buildLayerAsync(files, 100);
    const b = buildLayer(files, 100);
    expect(Buffer.from(a.blob).equals(Buffer.from(b.blob))).toBe(true);
    expect([a.digest, a.diffId, a.size]).toEqual([b.digest, b.diffId, b.size]);
  });

  it('compresses layers at libdeflate level 1 (archives at 6), and the blob gunzips to the tar its diffID names', () => {
    const l = buildLayer(files, 100);
    const tar = tarball(files, 100);
    expect(Buffer.from(l.blob).equals(Buffer.from(gzipFixed(tar, LAYER_LEVEL)))).toBe(true);
    expect(Buffer.from(l.blob).equals(Buffer.from(gzipFixed(tar)))).toBe(false);
    expect(gunzipSync(l.blob).equals(Buffer.from(tar))).toBe(true);
    expect(l.diffId).toBe(sha256(tar));
  });

  it('has a fixed gzip header: no mtime, no name, OS 3', () => {
    const gz = gzipFixed(Buffer.from('x'.repeat(1000)));
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  });

  it('rejects paths that escape or collide', () => {
    expect(() => tarball([{ path: '../x', data: Buffer.from(''), mode: 0o644 }], 0)).toThrow(/not a valid path/);
    expect(() => tarball([files[0]!, files[0]!], 0)).toThrow(/same image path/);
  });
});

describe('image documents', () => {
  const layer = buildLayer([{ path: '/usr/local/bin/app', data: Buffer.from('x'), mode: 0o755 }], 0);
  const spec = {
    platform: parsePlatform('linux/arm/v7'),
    created: '2026-01-01T00:00:00Z',
    entrypoint: ['/usr/local/bin/app'],
    user: '65532:65532',
    labels: { 'org.opencontainers.image.version': '1.0.0' },
    createdBy: 'test',
    layer,
  };

  it('config: OCI platform with variant, PATH, user, labels, diff_ids, history', () => {
    const cfg = JSON.parse(Buffer.from(imageConfig(spec).data).toString()) as Record<string, unknown> & {
      config: Record<string, unknown>;
      rootfs: { diff_ids: string[] };
      history: unknown[];
    };
    expect(cfg.architecture).toBe('arm');
    expect(cfg.variant).toBe('v7');
    expect(cfg.config.User).toBe('65532:65532');
    expect((cfg.config.Env as string[])[0]).toMatch(/^PATH=\/usr\/local\/sbin/);
    expect(cfg.rootfs.diff_ids).toEqual([layer.diffId]);
    expect(cfg.history).toHaveLength(1);
  });

  it('config on a base: base env, labels, diff_ids and history come first; our labels win', () => {
    const cfg = JSON.parse(
      Buffer.from(
        imageConfig({
          ...spec,
          base: {
            config: { Env: ['PATH=/bin', 'A=1'], Labels: { 'org.opencontainers.image.version': 'base', b: '2' } },
            rootfs: { diff_ids: ['sha256:base'] },
            history: [{ created_by: 'base' }],
          },
        }).data,
      ).toString(),
    ) as { config: { Env: string[]; Labels: Record<string, string> }; rootfs: { diff_ids: string[] }; history: unknown[] };
    expect(cfg.config.Env).toEqual(['PATH=/bin', 'A=1']);
    expect(cfg.config.Labels).toEqual({ b: '2', 'org.opencontainers.image.version': '1.0.0' });
    expect(cfg.rootfs.diff_ids).toEqual(['sha256:base', layer.diffId]);
    expect(cfg.history).toHaveLength(2);
  });

  it('manifest and index carry OCI media types and the same bytes every time', () => {
    const cfg = imageConfig(spec);
    const m = imageManifest(cfg, [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }]);
    const idx = imageIndex([{ blob: m, platform: spec.platform }]);
    const doc = JSON.parse(Buffer.from(idx.data).toString()) as { mediaType: string; manifests: { mediaType: string; platform: object }[] };
    expect(doc.mediaType).toBe(MEDIA.ociIndex);
    expect(doc.manifests[0]).toMatchObject({ mediaType: MEDIA.ociManifest, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } });
    expect(
      imageIndex([
        {
          blob: imageManifest(imageConfig(spec), [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }]),
          platform: spec.platform,
        },
      ]).digest,
    ).toBe(idx.digest);
    expect(jsonBlob(MEDIA.ociEmpty, {}).digest).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('converts Docker layer media types', () => {
    expect(ociLayerType(MEDIA.dockerLayerGzip)).toBe(MEDIA.ociLayerGzip);
    expect(ociLayerType(MEDIA.ociLayerGzip)).toBe(MEDIA.ociLayerGzip);
    expect(() => ociLayerType('application/x-unknown')).toThrow(/cannot convert/);
  });
});

describe('tags', () => {
  it('defaults to version, MAJOR.MINOR, MAJOR and latest for a stable release', () => {
    expect(expandTags([], '1.4.0', 'abcdef0123')).toEqual(['1.4.0', '1.4', '1', 'latest']);
  });
  it('only the version for a prerelease; + becomes _', () => {
    expect(expandTags([], '1.4.0-rc.1', 'abc')).toEqual(['1.4.0-rc.1']);
    expect(expandTags([], '1.4.0-rc.1+b5', 'abc')).toEqual(['1.4.0-rc.1_b5']);
  });
  it('expands templates', () => {
    expect(expandTags(['{{major}}.{{minor}}', 'sha-{{short-commit}}', 'edge'], '2.3.4', 'abcdef0123')).toEqual([
      '2.3',
      'sha-abcdef0',
      'edge',
    ]);
  });
});

describe('readImageConfig', () => {
  const bad = (values: Record<string, string>): InputError => {
    try {
      imageInputs(values);
    } catch (e) {
      return e as InputError;
    }
    throw new Error('no error');
  };
  it('reads defaults', () => {
    const i = imageInputs({ image: 'ghcr.io/o/app' });
    expect(i).toMatchObject({ user: '65532:65532', builder: 'native', output: 'push', tags: [], base: undefined, platforms: undefined });
  });
  it.each([
    [{ image: 'ghcr.io/o/app:1' }, 'image'],
    [{ image: 'ghcr.io/O/app' }, 'image'],
    [{ image: 'ghcr.io/o/app', 'image-base': 'https://x/y' }, 'image-base'],
    [{ image: 'ghcr.io/o/app', 'image-tags': '{{nope}}' }, 'image-tags'],
    [{ image: 'ghcr.io/o/app', 'image-tags': '-bad' }, 'image-tags'],
    [{ image: 'ghcr.io/o/app', 'image-user': 'root user' }, 'image-user'],
    [{ image: 'ghcr.io/o/app', 'image-files': '/does/not/exist:/x' }, 'image-files'],
    [{ image: 'ghcr.io/o/app', 'image-files': 'README.md:relative' }, 'image-files'],
    [{ image: 'ghcr.io/o/app', 'image-builder': 'docker' }, 'image-builder'],
    [{ image: 'ghcr.io/o/app', 'image-builder': 'buildx', dockerfile: 'nope/Dockerfile' }, 'dockerfile'],
    [{ image: 'ghcr.io/o/app', 'registry-username': 'u' }, 'registry-password'],
    [{ image: 'ghcr.io/o/app', 'image-output': 'tarball' }, 'image-output'],
    [{ image: 'ghcr.io/o/app', 'insecure-registries': 'http://localhost:5000' }, 'insecure-registries'],
    [{ image: 'ghcr.io/o/app', 'image-labels': 'no equals sign' }, 'image-labels'],
    [{ image: 'ghcr.io/o/app', 'image-entrypoint': '[1,2]' }, 'image-entrypoint'],
  ])('%j → InputError on %s', (values, input) => {
    const e = bad(values);
    expect(e).toBeInstanceOf(InputError);
    expect(e.input).toBe(input);
  });
  it('returns undefined without an image', () => {
    expect(() => imageInputs({})).toThrow(/no image input/);
  });

  it('one image-platform rule: each one asked for is linux and available; default: the linux ones', () => {
    const built = ['linux/arm64', 'linux/amd64', 'darwin/arm64', 'linux/amd64'].map((p) => parsePlatform(p));
    expect(imagePlatforms(imageInputs({ image: 'r.io/a' }), built).map((p) => `${p.os}/${p.arch}`)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(() => imagePlatforms(imageInputs({ image: 'r.io/a', 'image-platforms': 'linux/riscv64' }), built)).toThrow(
      /Input "image-platforms".*platforms that were built: linux\/arm64, linux\/amd64, darwin\/arm64/s,
    );
    expect(() => imagePlatforms(imageInputs({ image: 'r.io/a', 'image-platforms': 'darwin/arm64' }), built)).toThrow(/linux platforms/);
    expect(() => imagePlatforms(imageInputs({ image: 'r.io/a' }), [parsePlatform('darwin/arm64')], 'platforms that are built')).toThrow(
      /Input "image".*linux binaries.*Platforms that are built: darwin\/arm64/s,
    );
    const asked = imageInputs({ image: 'r.io/a', 'image-platforms': 'linux/arm64' });
    expect(imagePlatforms(asked, built)).toEqual([parsePlatform('linux/arm64')]);
  });

  it('image-files: sources through the path policy, destinations inside the image', () => {
    for (const line of ['/etc/passwd:/etc/passwd', '../../../../etc/hostname:/x', 'README.md:/../etc/x', 'README.md:/a/../../b']) {
      expect(bad({ image: 'r.io/a', 'image-files': line }).input, line).toBe('image-files');
    }
  });

  it('entrypoint: the project binary by default, a named binary, or a path', () => {
    expect(entrypointFor(imageInputs({ image: 'r.io/a' }), ['api', 'hello'], 'hello')).toEqual(['/usr/local/bin/hello']);
    expect(entrypointFor(imageInputs({ image: 'r.io/a', 'image-entrypoint': '["api","serve"]' }), ['api', 'hello'], 'hello')).toEqual([
      '/usr/local/bin/api',
      'serve',
    ]);
    expect(() => entrypointFor(imageInputs({ image: 'r.io/a', 'image-entrypoint': 'nope' }), ['api'], 'x')).toThrow(/image-entrypoint/);
  });
});

describe('buildx', () => {
  it('builds the argv (no shell) with platforms, tags, labels and the metadata file', () => {
    const argv = buildxArgv({
      dockerfile: 'Dockerfile',
      context: 'dist/ctx',
      platforms: [parsePlatform('linux/amd64'), parsePlatform('linux/arm/v7')],
      refs: ['ghcr.io/o/a:1.0.0', 'ghcr.io/o/a:latest'],
      labels: { 'org.opencontainers.image.version': '1.0.0' },
      metadataFile: 'dist/meta.json',
    });
    expect(argv).toEqual([
      'buildx',
      'build',
      '--file',
      'Dockerfile',
      '--platform',
      'linux/amd64,linux/arm/v7',
      '--push',
      '--metadata-file',
      'dist/meta.json',
      '--provenance=false',
      '--tag',
      'ghcr.io/o/a:1.0.0',
      '--tag',
      'ghcr.io/o/a:latest',
      '--label',
      'org.opencontainers.image.version=1.0.0',
      'dist/ctx',
    ]);
    expect(targetPlatform(parsePlatform('linux/arm64'))).toBe('linux/arm64');
  });

  it('stages binaries by TARGETPLATFORM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-stage-'));
    writeFileSync(path.join(dir, 'a'), 'x');
    const staged = await stageBinaries(
      path.join(dir, 'ctx'),
      [
        { path: path.join(dir, 'a'), platform: parsePlatform('linux/arm/v7'), name: 'app' },
        { path: path.join(dir, 'a'), platform: parsePlatform('linux/amd64'), name: 'app' },
      ],
      [parsePlatform('linux/amd64'), parsePlatform('linux/arm/v7')],
    );
    expect(staged.map((f) => path.relative(path.join(dir, 'ctx'), f))).toEqual(['linux/amd64/app', 'linux/arm/v7/app']);
    rmSync(dir, { recursive: true, force: true });
  });
});
