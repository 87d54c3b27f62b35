/**
 * The image path against a real registry (distribution, pinned) with crane as the independent
 * client: push, platforms, running the amd64 binary out of the pushed image, idempotent re-runs,
 * reproducible digests, base images, SBOM artifacts, faults, auth.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@goship/testkit';
import { type RegistryProxy, type TestRegistry, isBlobUpload, startProxy, startRegistry } from '@goship/testkit/registry';
import { type PublishOptions, type PublishResult, publishImage } from '../src/image/publish.js';
import { type ImageBinary } from '../src/image/publish.js';
import { buildHello, crane, craneBuffer, imageInputs } from './image-helpers.js';

const execFileP = promisify(execFile);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const TIME = '2026-11-20T10:00:00Z';

let work: string;
let reg: TestRegistry;
let binaries: ImageBinary[];
let first: PublishResult;

const opts = (host: string, repo: string, extra: Record<string, string> = {}, o: Partial<PublishOptions> = {}): PublishOptions => ({
  binaries,
  project: 'hello',
  version: '1.2.3',
  commit: COMMIT,
  commitTime: TIME,
  source: 'https://github.com/goship/hello',
  inputs: imageInputs({ image: `${host}/${repo}`, 'insecure-registries': host, ...extra }),
  distDir: path.join(work, 'dist'),
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
  log: () => undefined,
  ...o,
});

beforeAll(async () => {
  work = await tempDir('goship-image-itg-');
  [binaries, reg] = await Promise.all([buildHello(path.join(work, 'bin'), ['linux/amd64', 'linux/arm64']), startRegistry()]);
  first = await publishImage(opts(reg.host, 'goship/hello'));
});

afterAll(async () => {
  await reg?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('native image push', () => {
  it('pushes an OCI index with both platforms under every default tag', async () => {
    expect(first.tags).toEqual(['1.2.3', '1.2', '1', 'latest']);
    const idx = JSON.parse(await crane('manifest', '--insecure', `${reg.host}/goship/hello:1.2.3`)) as {
      mediaType: string;
      manifests: { digest: string; mediaType: string; platform: { os: string; architecture: string } }[];
    };
    expect(idx.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(idx.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(idx.manifests.every((m) => m.mediaType === 'application/vnd.oci.image.manifest.v1+json')).toBe(true);
    expect(Object.values(first.platforms)).toEqual(idx.manifests.map((m) => m.digest));
    for (const t of first.tags) {
      expect((await crane('digest', '--insecure', `${reg.host}/goship/hello:${t}`)).trim()).toBe(first.digest);
    }
    await crane('validate', '--insecure', '--remote', `${reg.host}/goship/hello:latest`);
  });

  it('the linux/amd64 binary comes out of the image and prints its version', async () => {
    const tar = path.join(work, 'export.tar');
    await crane('export', '--insecure', '--platform', 'linux/amd64', `${reg.host}/goship/hello:1.2.3`, tar);
    const out = path.join(work, 'export');
    await mkdir(out, { recursive: true });
    await execFileP('tar', ['-xf', tar, '-C', out]);
    const { stdout } = await execFileP(path.join(out, 'usr/local/bin/hello'), ['--version']);
    expect(stdout).toContain('hello 1.2.3');
    const listing = (await execFileP('tar', ['-tvf', tar])).stdout;
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 .* usr\/local\/bin\/hello/);
  });

  it('writes a config with platform, entrypoint, user, labels and commit time', async () => {
    const cfg = JSON.parse(await crane('config', '--insecure', '--platform', 'linux/arm64', `${reg.host}/goship/hello:1.2.3`)) as {
      architecture: string;
      os: string;
      created: string;
      config: { Entrypoint: string[]; User: string; Env: string[]; Labels: Record<string, string> };
      rootfs: { diff_ids: string[] };
    };
    expect(cfg.architecture).toBe('arm64');
    expect(cfg.created).toBe(TIME);
    expect(cfg.config.Entrypoint).toEqual(['/usr/local/bin/hello']);
    expect(cfg.config.User).toBe('65532:65532');
    expect(cfg.config.Env[0]).toMatch(/^PATH=/);
    expect(cfg.config.Labels['org.opencontainers.image.revision']).toBe(COMMIT);
    expect(cfg.config.Labels['org.opencontainers.image.version']).toBe('1.2.3');
    expect(cfg.config.Labels['org.opencontainers.image.source']).toBe('https://github.com/goship/hello');
    expect(cfg.config.Labels['org.opencontainers.image.created']).toBe(TIME);
    expect(cfg.rootfs.diff_ids).toHaveLength(1);
  });

  it('attaches an SPDX SBOM to each platform manifest, found from its digest', async () => {
    expect(first.sbomDiscovery).toBeDefined();
    for (const [p, digest] of Object.entries(first.platforms)) {
      // distribution v3 has no referrers API: the sha256-<hex> tag schema is used.
      const idx = JSON.parse(await crane('manifest', '--insecure', `${reg.host}/goship/hello:${digest.replace(':', '-')}`)) as {
        manifests: { digest: string; artifactType: string }[];
      };
      const d = idx.manifests.find((m) => m.digest === first.sboms[p]);
      expect(d?.artifactType).toBe('application/spdx+json');
      const art = JSON.parse(await crane('manifest', '--insecure', `${reg.host}/goship/hello@${d!.digest}`)) as {
        subject: { digest: string };
        layers: { digest: string; mediaType: string }[];
      };
      expect(art.subject.digest).toBe(digest);
      const doc = JSON.parse((await craneBuffer('blob', '--insecure', `${reg.host}/goship/hello@${art.layers[0]!.digest}`)).toString()) as {
        spdxVersion: string;
        packages: { name: string; comment?: string }[];
      };
      expect(doc.spdxVersion).toBe('SPDX-2.3');
      expect(doc.packages[0]!.comment).toContain(p);
    }
  });

  it('a second push sends no blob bytes and gives the same digest', async () => {
    const proxy = await startProxy(reg);
    try {
      const again = await publishImage(opts(proxy.host, 'goship/hello'));
      expect(again.digest).toBe(first.digest);
      const uploads = proxy.requests.filter((r) => r.method === 'POST' || isBlobUpload(r.method, r.path));
      expect(uploads).toEqual([]);
      expect(again.stats?.bytesUploaded).toBe(0);
      expect(proxy.requests.filter((r) => r.method === 'HEAD' && r.path.includes('/blobs/')).length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('is reproducible: same commit → same index digest; another commit time → new configs, same diff_ids', async () => {
    const same = await publishImage(opts(reg.host, 'goship/hello-again'));
    expect(same.digest).toBe(first.digest);
    const later = await publishImage(opts(reg.host, 'goship/hello-later', {}, { commitTime: '2026-11-21T08:30:00Z' }));
    expect(later.digest).not.toBe(first.digest);
    for (const p of ['linux/amd64', 'linux/arm64']) {
      const a = JSON.parse(await crane('config', '--insecure', '--platform', p, `${reg.host}/goship/hello:1.2.3`)) as {
        rootfs: { diff_ids: string[] };
      };
      const b = JSON.parse(await crane('config', '--insecure', '--platform', p, `${reg.host}/goship/hello-later:1.2.3`)) as {
        rootfs: { diff_ids: string[] };
        created: string;
      };
      expect(b.created).toBe('2026-11-21T08:30:00Z');
      // The layer's files carry the commit time as mtime, so the diff_id follows the commit time too;
      // for the same time it is stable (checked by the digest equality above).
      expect(later.platforms[p]).not.toBe(first.platforms[p]);
      expect(a.rootfs.diff_ids).toHaveLength(b.rootfs.diff_ids.length);
    }
  });
});
