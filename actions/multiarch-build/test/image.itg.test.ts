/**
 * The image path against a real registry (distribution, pinned) with crane as the independent
 * client: push, platforms, running the amd64 binary out of the pushed image, idempotent re-runs,
 * reproducible digests, base images, SBOM artifacts, faults, auth.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@goship/core/errors';
import { fixtureRepo, tempDir } from '@goship/testkit';
import { type TestRegistry, freePort, isBlobUpload, startProxy, startRegistry } from '@goship/testkit/registry';
import { type ImageBinary, type PublishOptions, type PublishResult, publishImage } from '../src/image/publish.js';
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
  image: imageInputs({ image: `${host}/${repo}`, 'insecure-registries': host, ...extra }),
  distDir: path.join(work, 'dist'),
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
  log: () => undefined,
  ...o,
});

const runnerTemp = process.env.RUNNER_TEMP;

beforeAll(async () => {
  work = await tempDir('goship-image-itg-');
  // the scratch folder plays RUNNER_TEMP: the files these tests put in images are inside the path policy's roots
  process.env.RUNNER_TEMP = work;
  const src = await fixtureRepo('hello', { date: TIME });
  [binaries, reg] = await Promise.all([
    buildHello(path.join(work, 'bin'), ['linux/amd64', 'linux/arm64'], '1.2.3', src.dir),
    startRegistry(),
  ]);
  await rm(src.dir, { recursive: true, force: true });
  first = await publishImage(opts(reg.host, 'goship/hello'));
});

afterAll(async () => {
  if (runnerTemp === undefined) delete process.env.RUNNER_TEMP;
  else process.env.RUNNER_TEMP = runnerTemp;
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
    const listing = (await execFileP('tar', ['--utc', '-tvf', tar], { env: { ...process.env, TZ: 'UTC' } })).stdout;
    // mode 0755, owner 0/0, mtime = the commit time the binary was built from
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 +\d+ 2026-11-20 10:00 usr\/local\/bin\/hello/);
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

  it('uses the referrers API where the registry has one (no sha256-<hex> tag then)', async () => {
    const proxy = await startProxy(reg, { referrers: true });
    try {
      const r = await publishImage(opts(proxy.host, 'goship/with-referrers'));
      expect(r.digest).toBe(first.digest);
      expect(r.sbomDiscovery).toBe('referrers');
      const amd = r.platforms['linux/amd64']!;
      const res = await fetch(`${proxy.url}/v2/goship/with-referrers/referrers/${amd}`);
      const idx = (await res.json()) as { manifests: { digest: string; artifactType: string }[] };
      expect(idx.manifests).toEqual([expect.objectContaining({ digest: r.sboms['linux/amd64'], artifactType: 'application/spdx+json' })]);
      const tags = (await crane('ls', '--insecure', `${reg.host}/goship/with-referrers`)).split('\n').filter(Boolean);
      expect(tags.sort()).toEqual(['1', '1.2', '1.2.3', 'latest']);
    } finally {
      await proxy.close();
    }
  });

  it('puts image-files into the layer with their modes', async () => {
    const ca = path.join(work, 'ca.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
    const r = await publishImage(
      opts(reg.host, 'goship/with-files', { 'image-files': `${ca}:/etc/ssl/certs/ca-certificates.crt\n${ca}:/opt/tool/run.sh:0755` }),
    );
    expect(r.digest).not.toBe(first.digest);
    const tar = path.join(work, 'with-files.tar');
    await crane('export', '--insecure', '--platform', 'linux/arm64', `${reg.host}/goship/with-files:1.2.3`, tar);
    const listing = (await execFileP('tar', ['-tvf', tar])).stdout;
    expect(listing).toMatch(/-rw-r--r-- 0\/0 .* etc\/ssl\/certs\/ca-certificates\.crt/);
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 .* opt\/tool\/run\.sh/);
    expect(listing).toMatch(/usr\/local\/bin\/hello/);
  });

  it('several binaries: all in the layer, the project binary as entrypoint, one SBOM artifact each', async () => {
    const many = [...binaries, ...binaries.map((b) => ({ ...b, name: 'helper' }))];
    const r = await publishImage(opts(reg.host, 'goship/many', {}, { binaries: many }));
    expect(r.sbomArtifacts).toHaveLength(4);
    const cfg = JSON.parse(await crane('config', '--insecure', '--platform', 'linux/arm64', `${reg.host}/goship/many:1.2.3`)) as {
      config: { Entrypoint: string[] };
    };
    expect(cfg.config.Entrypoint).toEqual(['/usr/local/bin/hello']);
    const tar = path.join(work, 'many.tar');
    await crane('export', '--insecure', '--platform', 'linux/arm64', `${reg.host}/goship/many:1.2.3`, tar);
    expect((await execFileP('tar', ['-tf', tar])).stdout.split('\n')).toEqual(
      expect.arrayContaining(['usr/local/bin/hello', 'usr/local/bin/helper']),
    );
    const refs = JSON.parse(
      await crane('manifest', '--insecure', `${reg.host}/goship/many:${r.platforms['linux/arm64']!.replace(':', '-')}`),
    ) as {
      manifests: { digest: string }[];
    };
    expect(refs.manifests.map((m) => m.digest).sort()).toEqual(
      r.sbomArtifacts
        .filter((a) => a.platform === 'linux/arm64')
        .map((a) => a.digest)
        .sort(),
    );
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
    expect(same.platforms).toEqual(first.platforms);
    const later = await publishImage(opts(reg.host, 'goship/hello-later', {}, { commitTime: '2026-11-21T08:30:00Z' }));
    expect(later.digest).not.toBe(first.digest);
    for (const p of ['linux/amd64', 'linux/arm64']) {
      const cfg = async (repo: string): Promise<{ digest: string; diffIds: string[]; created: string }> => {
        const m = JSON.parse(await crane('manifest', '--insecure', '--platform', p, `${reg.host}/${repo}:1.2.3`)) as {
          config: { digest: string };
        };
        const c = JSON.parse(await crane('config', '--insecure', '--platform', p, `${reg.host}/${repo}:1.2.3`)) as {
          rootfs: { diff_ids: string[] };
          created: string;
        };
        return { digest: m.config.digest, diffIds: c.rootfs.diff_ids, created: c.created };
      };
      const a = await cfg('goship/hello');
      const b = await cfg('goship/hello-later');
      expect(b.created).toBe('2026-11-21T08:30:00Z');
      expect(b.digest).not.toBe(a.digest);
      expect(b.diffIds).toEqual(a.diffIds);
    }
  });

  it('writes an OCI image layout that crane can push with the same digest', async () => {
    const r = await publishImage(opts(reg.host, 'goship/hello', { 'image-output': 'oci-layout' }));
    expect(r.digest).toBe(first.digest);
    const index = JSON.parse(await readFile(path.join(r.layoutDir!, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests).toEqual([
      expect.objectContaining({
        digest: first.digest,
        annotations: expect.objectContaining({ 'org.opencontainers.image.ref.name': '1.2.3' }),
      }),
    ]);
    await crane('push', '--insecure', r.layoutDir!, `${reg.host}/goship/from-layout:1`);
    expect((await crane('digest', '--insecure', `${reg.host}/goship/from-layout:1`)).trim()).toBe(first.digest);
  });

  it('uploads in PATCH chunks when asked, with the same result', async () => {
    const proxy = await startProxy(reg);
    try {
      const r = await publishImage(opts(proxy.host, 'goship/chunked', {}, { chunkSize: 256 * 1024 }));
      expect(r.digest).toBe(first.digest);
      expect(proxy.requests.filter((q) => q.method === 'PATCH').length).toBeGreaterThan(4);
      await crane('validate', '--insecure', '--remote', `${reg.host}/goship/chunked:1.2.3`);
    } finally {
      await proxy.close();
    }
  });

  it('falls back to PATCH chunks when a registry refuses a monolithic PUT', async () => {
    const proxy = await startProxy(reg);
    try {
      proxy.addFault({ match: (m, p) => m === 'PUT' && p.includes('/blobs/uploads/'), action: 413, times: 1 });
      const r = await publishImage(opts(proxy.host, 'goship/fallback'));
      expect(r.digest).toBe(first.digest);
      expect(proxy.requests.filter((q) => q.status === 413)).toHaveLength(1);
      expect(proxy.requests.filter((q) => q.method === 'PATCH' && q.status === 202)).toHaveLength(1);
      await crane('validate', '--insecure', '--remote', `${reg.host}/goship/fallback:1.2.3`);
    } finally {
      await proxy.close();
    }
  });
});

describe('base images', () => {
  it('keeps the layers of a Docker-typed multi-platform base, converted to OCI media types', async () => {
    const baseRef = `${reg.host}/base/os`;
    for (const arch of ['amd64', 'arm64']) {
      const fs = path.join(work, `basefs-${arch}`);
      await mkdir(path.join(fs, 'etc'), { recursive: true });
      await writeFile(path.join(fs, 'etc', 'base-release'), `base for ${arch}\n`);
      await execFileP('tar', ['-cf', path.join(work, `base-${arch}.tar`), '-C', fs, 'etc']);
      await crane('append', '--insecure', '-f', path.join(work, `base-${arch}.tar`), '-t', `${baseRef}:${arch}`);
      await crane(
        'mutate',
        '--insecure',
        '--set-platform',
        `linux/${arch}`,
        '-e',
        'BASE_ENV=yes',
        '-l',
        'base.label=kept',
        `${baseRef}:${arch}`,
        '-t',
        `${baseRef}:${arch}`,
      );
    }
    await crane(
      'index',
      'append',
      '--insecure',
      '--docker-empty-base',
      '-m',
      `${baseRef}:amd64`,
      '-m',
      `${baseRef}:arm64`,
      '-t',
      `${baseRef}:multi`,
    );
    const baseIndex = JSON.parse(await crane('manifest', '--insecure', `${baseRef}:multi`)) as { mediaType: string };
    expect(baseIndex.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');

    const r = await publishImage(opts(reg.host, 'goship/on-base', { 'image-base': `${baseRef}:multi` }));
    expect(r.stats?.blobsMounted).toBe(2);
    for (const arch of ['amd64', 'arm64']) {
      const base = JSON.parse(await crane('manifest', '--insecure', `${baseRef}:${arch}`)) as { layers: { digest: string }[] };
      const ours = JSON.parse(await crane('manifest', '--insecure', `${reg.host}/goship/on-base@${r.platforms[`linux/${arch}`]}`)) as {
        layers: { digest: string; mediaType: string }[];
        annotations: Record<string, string>;
      };
      expect(ours.layers).toHaveLength(2);
      expect(ours.layers[0]!.digest).toBe(base.layers[0]!.digest);
      expect(ours.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip')).toBe(true);
      expect(ours.annotations['org.opencontainers.image.base.name']).toBe(`${baseRef}:multi`);
      const cfg = JSON.parse(await crane('config', '--insecure', `${reg.host}/goship/on-base@${r.platforms[`linux/${arch}`]}`)) as {
        config: { Env: string[]; Labels: Record<string, string>; Entrypoint: string[] };
        history: unknown[];
      };
      expect(cfg.config.Env).toContain('BASE_ENV=yes');
      expect(cfg.config.Labels['base.label']).toBe('kept');
      expect(cfg.config.Entrypoint).toEqual(['/usr/local/bin/hello']);
    }
    const tar = path.join(work, 'on-base.tar');
    await crane('export', '--insecure', '--platform', 'linux/amd64', `${reg.host}/goship/on-base:1.2.3`, tar);
    const files = (await execFileP('tar', ['-tf', tar])).stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['etc/base-release', 'usr/local/bin/hello']));

    // A base on another registry: its layers are copied.
    const other = await startRegistry();
    try {
      const copied = await publishImage(
        opts(other.host, 'goship/on-base', { 'image-base': `${baseRef}:multi`, 'insecure-registries': `${other.host},${reg.host}` }),
      );
      expect(copied.digest).toBe(r.digest);
      // base layers ×2, our layers ×2, configs ×2, SBOM documents ×2, the empty artifact config
      expect(copied.stats?.blobsUploaded).toBe(9);
      expect(copied.stats?.blobsMounted).toBe(0);
      await crane('validate', '--insecure', '--remote', `${other.host}/goship/on-base:1.2.3`);
    } finally {
      await other.stop();
    }
  });

  it('fails on a base that does not exist, naming image-base', async () => {
    const err = await publishImage(opts(reg.host, 'goship/nobase', { 'image-base': `${reg.host}/base/missing:1` })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('image-base');
    const tags = await crane('ls', '--insecure', `${reg.host}/goship/nobase`).catch((e: Error) => e.message);
    expect(tags).toMatch(/NAME_UNKNOWN|not found|404/i);
  });
});

describe('faults and errors', () => {
  it('retries 500s, 503s, 429s and connection resets on blob requests and ends with the right index', async () => {
    const proxy = await startProxy(reg);
    try {
      proxy.addFault({ match: isBlobUpload, action: 'reset', times: 1 });
      proxy.addFault({ match: isBlobUpload, action: 500, times: 2 });
      proxy.addFault({ match: (m, p) => m === 'POST' && p.includes('/blobs/uploads/'), action: 503, times: 1 });
      proxy.addFault({ match: (m, p) => m === 'HEAD' && p.includes('/blobs/'), action: 429, times: 1 });
      const r = await publishImage(opts(proxy.host, 'goship/faulty'));
      expect(r.digest).toBe(first.digest);
      expect(proxy.requests.filter((q) => q.fault === 'reset')).toHaveLength(1);
      expect(proxy.requests.filter((q) => q.fault === 'status')).toHaveLength(4);
      expect(r.stats?.retries).toBeGreaterThanOrEqual(5);
      expect((await crane('digest', '--insecure', `${reg.host}/goship/faulty:latest`)).trim()).toBe(first.digest);
      await crane('validate', '--insecure', '--remote', `${reg.host}/goship/faulty:latest`);
    } finally {
      await proxy.close();
    }
  });

  it('pushes nothing under a tag when a manifest cannot be pushed', async () => {
    const proxy = await startProxy(reg);
    try {
      proxy.addFault({ match: (m, p) => m === 'PUT' && /\/manifests\/sha256:/.test(p), action: 500, times: 100 });
      await expect(publishImage(opts(proxy.host, 'goship/halfway'))).rejects.toThrow(/500/);
      expect(proxy.requests.filter((q) => q.method === 'PUT' && /\/manifests\/(?!sha256)/.test(q.path))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('the preflight fails the step when the registry does not serve what was pushed', async () => {
    const proxy = await startProxy(reg);
    try {
      // The registry "loses" the 1 tag: every GET of it answers 404.
      proxy.addFault({ match: (m, p) => m === 'GET' && p.endsWith('/manifests/1'), action: 404, times: 100 });
      const e = await publishImage(opts(proxy.host, 'goship/preflight')).catch((err: unknown) => err);
      expect(String(e)).toMatch(/image check after the push failed: tag 1 is missing/);
      // it "loses" a platform manifest and every blob: each is named (all asked for at once)
      proxy.addFault({ match: (m, p) => m === 'HEAD' && /\/blobs\/sha256:/.test(p), action: 404, times: 1000 });
      const lost = await publishImage(opts(proxy.host, 'goship/preflight-blobs')).catch((err: unknown) => err);
      expect(String(lost)).toMatch(/linux\/amd64 blob sha256:[0-9a-f]{64} is missing/);
      expect(String(lost)).toMatch(/linux\/arm64 blob sha256:[0-9a-f]{64} is missing/);
    } finally {
      await proxy.close();
    }
  });

  it('buildx without a Docker daemon fails naming image-builder, before staging anything', async () => {
    const dir = path.join(work, 'buildx');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nARG TARGETPLATFORM\nCOPY $TARGETPLATFORM/hello /hello\n');
    const o = opts(reg.host, 'goship/buildx', {}, { distDir: path.join(dir, 'dist') });
    o.image = imageInputs({ image: `${reg.host}/goship/buildx`, 'image-builder': 'buildx', 'insecure-registries': reg.host }, dir);
    const e = await publishImage(o).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('image-builder');
    expect(String(e)).toMatch(/Docker daemon|docker/i);
    expect(existsSync(path.join(dir, 'dist', 'buildx-context'))).toBe(false);
  });

  it('rejects an image platform that was not built and an unreachable registry', async () => {
    const e1 = await publishImage(opts(reg.host, 'goship/x', { 'image-platforms': 'linux/amd64,linux/s390x' })).catch((e: unknown) => e);
    expect((e1 as InputError).input).toBe('image-platforms');
    const closed = `127.0.0.1:${await freePort()}`;
    const e2 = await publishImage(opts(closed, 'goship/x', {}, { retry: { attempts: 2, baseDelayMs: 1 } })).catch((e: unknown) => e);
    expect((e2 as InputError).input).toBe('image');
    expect(String((e2 as Error).message)).toMatch(/ECONNREFUSED/);
  });
});

describe('auth', () => {
  it('basic auth from ~/.docker/config.json and from the inputs; wrong password fails with the registry error', async () => {
    const secured = await startRegistry({ basicAuth: { username: 'ci', password: 's3cret' } });
    const cfgDir = path.join(work, 'docker-config');
    await mkdir(cfgDir, { recursive: true });
    await writeFile(
      path.join(cfgDir, 'config.json'),
      JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('ci:s3cret').toString('base64') } } }),
    );
    const saved = process.env.DOCKER_CONFIG;
    try {
      process.env.DOCKER_CONFIG = cfgDir;
      const a = await publishImage(opts(secured.host, 'goship/hello'));
      expect(a.digest).toBe(first.digest);
      process.env.DOCKER_CONFIG = path.join(work, 'no-docker-config');
      const anon = await publishImage(opts(secured.host, 'goship/hello')).catch((e: unknown) => e);
      expect(String(anon)).toMatch(/user name and password/);
      const b = await publishImage(opts(secured.host, 'goship/hello2', { 'registry-username': 'ci', 'registry-password': 's3cret' }));
      expect(b.digest).toBe(first.digest);
      const bad = await publishImage(
        opts(secured.host, 'goship/hello3', { 'registry-username': 'ci', 'registry-password': 'wrong' }),
      ).catch((e: unknown) => e);
      expect(String(bad)).toMatch(/401/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      await secured.stop();
    }
  });

  // Uses the base image pushed by the 'base images' test above (the file's tests share one registry).
  it('bearer tokens: challenge, scoped token, cached across requests', async () => {
    const proxy = await startProxy(reg, { bearer: { username: 'bot', password: 'tok3n' } });
    try {
      const r = await publishImage(
        opts(proxy.host, 'goship/bearer', {
          'registry-username': 'bot',
          'registry-password': 'tok3n',
          'image-base': `${proxy.host}/base/os:multi`,
        }),
      );
      expect(r.digest).not.toBe(first.digest);
      expect(r.stats?.blobsMounted).toBe(2);
      expect(proxy.tokens.length).toBeGreaterThan(0);
      // one token per distinct scope set (ping, pull base, mount, pull, push), never fetched twice
      const scopeSets = proxy.tokens.map((t) => [...t.scope].sort().join(' '));
      expect(new Set(scopeSets).size).toBe(scopeSets.length);
      expect(scopeSets).toContain('repository:base/os:pull repository:goship/bearer:pull,push');
      expect(proxy.tokens.some((t) => t.scope.includes('repository:goship/bearer:pull,push'))).toBe(true);
      expect(proxy.requests.length).toBeGreaterThan(proxy.tokens.length * 5);
      const bad = await publishImage(opts(proxy.host, 'goship/bearer2', { 'registry-username': 'bot', 'registry-password': 'nope' })).catch(
        (e: unknown) => e,
      );
      expect(String(bad)).toMatch(/token service .* refused user "bot"/);
      // An unauthorized base names image-base and shows the registry's answer.
      const saved = process.env.DOCKER_CONFIG;
      process.env.DOCKER_CONFIG = path.join(work, 'no-docker-config');
      try {
        const unauthorized = await publishImage(
          opts(reg.host, 'goship/private-base', {
            'image-base': `${proxy.host}/base/os:multi`,
            'insecure-registries': `${reg.host},${proxy.host}`,
          }),
        ).catch((e: unknown) => e);
        expect((unauthorized as InputError).input).toBe('image-base');
        expect(String(unauthorized)).toMatch(/refused anonymous access/);
      } finally {
        if (saved === undefined) delete process.env.DOCKER_CONFIG;
        else process.env.DOCKER_CONFIG = saved;
      }
    } finally {
      await proxy.close();
    }
  });
});
