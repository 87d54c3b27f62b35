/**
 * The image path through multiarch-build's committed bundle, the way the runner runs it: build
 * hello for linux/amd64 and linux/arm64 from a tagged checkout, push the image to a real registry,
 * read it back with crane, run the amd64 binary out of it; a second run gives the same digest.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, readManifest } from '@goship/core/manifest';
import { type ActionResult, type GitRepo, actionDir, fixtureRepo, runAction, tempDir } from '@goship/testkit';
import { CANARIES } from '@goship/testkit/hostile';
import { type TestRegistry, startProxy, startRegistry } from '@goship/testkit/registry';
import { crane } from './image-helpers.js';

const execFileP = promisify(execFile);
const dir = actionDir('multiarch-build');
const ENV = {
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_REF_NAME: 'v1.2.3',
  GITHUB_REF_TYPE: 'tag',
  GITHUB_REPOSITORY: 'goship/hello',
  PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`,
};

describe('multiarch-build with image (bundle)', () => {
  let reg: TestRegistry;
  let repo: GitRepo;
  let work: string;
  let r: ActionResult;
  let manifest: Manifest;

  beforeAll(async () => {
    [reg, repo, work] = await Promise.all([
      startRegistry(),
      fixtureRepo('hello', { date: '2026-11-20T10:00:00Z' }),
      tempDir('goship-image-action-'),
    ]);
    await repo.tag('v1.2.3');
    r = await runAction(dir, {
      cwd: repo.dir,
      env: ENV,
      inputs: { platforms: 'linux/amd64,linux/arm64,darwin/arm64', image: `${reg.host}/goship/hello`, 'insecure-registries': reg.host },
    });
    if (r.exitCode === 0) manifest = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
  });

  afterAll(async () => {
    await reg?.stop();
    for (const d of [repo?.dir, work]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('pushes the linux platforms and reports the image in outputs, manifest and summary', async () => {
    expect(r.exitCode, r.log).toBe(0);
    const platforms = JSON.parse(r.outputs['image-platforms']!) as Record<string, string>;
    expect(Object.keys(platforms)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(r.outputs.image).toBe(`${reg.host}/goship/hello@${r.outputs.digest}`);
    expect(JSON.parse(r.outputs['image-tags']!)).toEqual(['1.2.3', '1.2', '1', 'latest']);
    const image = manifest.artifacts.find((a) => a.kind === 'image');
    expect(image).toMatchObject({ name: `${reg.host}/goship/hello`, ref: r.outputs.image, platforms: ['linux/amd64', 'linux/arm64'] });
    const sboms = manifest.artifacts.filter((a) => a.kind === 'sbom-image');
    expect(sboms.map((s) => s.describes).sort()).toEqual(
      Object.values(platforms)
        .map((d) => `${reg.host}/goship/hello@${d}`)
        .sort(),
    );
    expect(JSON.parse(r.outputs.artifacts!)).toEqual(manifest.artifacts);
    expect(r.summary).toContain(`Image ${reg.host}/goship/hello`);
    expect((await crane('digest', '--insecure', `${reg.host}/goship/hello:latest`)).trim()).toBe(r.outputs.digest);
  });

  it('the image runs the binary the action built, labelled with the commit', async () => {
    const tar = path.join(work, 'x.tar');
    await crane('export', '--insecure', '--platform', 'linux/amd64', `${reg.host}/goship/hello:1.2.3`, tar);
    await mkdir(path.join(work, 'x'));
    await execFileP('tar', ['-xf', tar, '-C', path.join(work, 'x')]);
    const { stdout } = await execFileP(path.join(work, 'x', 'usr', 'local', 'bin', 'hello'), ['--version']);
    expect(stdout).toContain('hello 1.2.3');
    const cfg = JSON.parse(await crane('config', '--insecure', '--platform', 'linux/amd64', `${reg.host}/goship/hello:1.2.3`)) as {
      created: string;
      config: { Labels: Record<string, string> };
    };
    expect(cfg.created).toBe('2026-11-20T10:00:00Z');
    expect(cfg.config.Labels['org.opencontainers.image.revision']).toBe(manifest.commit);
    expect(cfg.config.Labels['org.opencontainers.image.source']).toBe('https://github.com/goship/hello');
  });

  it('a second run of the same commit gives the same image digest and uploads nothing', async () => {
    const again = await runAction(dir, {
      cwd: repo.dir,
      env: ENV,
      inputs: { platforms: 'linux/amd64,linux/arm64', image: `${reg.host}/goship/hello`, 'insecure-registries': reg.host },
    });
    expect(again.exitCode, again.log).toBe(0);
    expect(again.outputs.digest).toBe(r.outputs.digest);
    expect(again.summary).toMatch(/Blobs: 0 uploaded \(0 bytes\), 0 mounted, \d+ already there/);
  });

  it('split parts leave the image to the merge job, which pushes the same digest', async () => {
    const inputs = { platforms: 'linux/amd64,linux/arm64', image: `${reg.host}/goship/hello-split`, 'insecure-registries': reg.host };
    const mergeRepo = await fixtureRepo('hello', { date: '2026-11-20T10:00:00Z', dir: path.join(work, 'merge') });
    for (const i of [1, 2]) {
      const part = await runAction(dir, { cwd: repo.dir, env: ENV, inputs: { ...inputs, split: `${i}/2` } });
      expect(part.exitCode, part.log).toBe(0);
      expect(part.log).toMatch(/assembled by the merge job/);
      expect(part.outputs.image ?? '').toBe('');
      await cp(path.join(repo.dir, 'dist'), path.join(mergeRepo.dir, 'parts', `part-${i}`), { recursive: true });
      await rm(path.join(repo.dir, 'dist'), { recursive: true, force: true });
    }
    const merged = await runAction(dir, { cwd: mergeRepo.dir, env: ENV, inputs: { ...inputs, merge: 'parts' } });
    expect(merged.exitCode, merged.log).toBe(0);
    expect(merged.outputs.digest).toBe(r.outputs.digest);
    const m = await readManifest(path.join(mergeRepo.dir, 'dist', 'goship-manifest.json'));
    expect(m.artifacts.find((a) => a.kind === 'image')?.ref).toBe(`${reg.host}/goship/hello-split@${r.outputs.digest}`);
  });

  it('a malformed image reference fails before anything is built, naming the input', async () => {
    const bad = await runAction(dir, { cwd: repo.dir, env: ENV, inputs: { platforms: 'linux/amd64', image: 'Ghcr.io/Owner/App' } });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.find((a) => a.type === 'error')?.message).toMatch(/Input "image": got "Ghcr.io\/Owner\/App"/);
    expect(bad.log).not.toMatch(/go build|built \d+\/\d+/);
    const notBuilt = await runAction(dir, {
      cwd: repo.dir,
      env: ENV,
      inputs: { platforms: 'linux/amd64', image: `${reg.host}/goship/x`, 'image-platforms': 'linux/amd64,linux/arm64' },
    });
    expect(notBuilt.exitCode).toBe(1);
    expect(notBuilt.annotations.find((a) => a.type === 'error')?.message).toMatch(/Input "image-platforms": got "linux\/arm64"/);
    expect(notBuilt.log).not.toMatch(/built \d+\/\d+/);
  });

  it('a wrong registry password fails the push with the registry error, and is never shown in any form', async () => {
    const secured = await startRegistry({ basicAuth: { username: 'ci', password: 'right-password' } });
    const bearer = await startProxy(reg, { bearer: { username: 'bot', password: 'right-token' } });
    try {
      for (const host of [secured.host, bearer.host]) {
        const user = host === secured.host ? 'ci' : 'bot';
        const bad = await runAction(dir, {
          cwd: repo.dir,
          env: { ...ENV, DOCKER_CONFIG: path.join(work, 'no-docker-config') },
          inputs: {
            platforms: 'linux/amd64',
            sbom: 'none',
            image: `${host}/goship/private`,
            'insecure-registries': host,
            'registry-username': user,
            'registry-password': CANARIES.password,
          },
        });
        expect(bad.exitCode, bad.log).toBe(1);
        expect(bad.annotations.find((a) => a.type === 'error')?.message, bad.log).toMatch(/401|refused user/);
        const forms = [
          CANARIES.password,
          encodeURIComponent(CANARIES.password),
          Buffer.from(`${user}:${CANARIES.password}`).toString('base64'),
          Buffer.from(CANARIES.password).toString('base64'),
        ];
        const shown = [
          bad.log
            .split('\n')
            .filter((l) => !l.startsWith('::add-mask::'))
            .join('\n'),
          bad.summary,
          JSON.stringify(bad.outputs),
          await readFile(path.join(repo.dir, 'dist', 'goship-manifest.json'), 'utf8'),
        ].join('\n');
        for (const f of forms) expect(shown, `${host}: ${f}`).not.toContain(f);
      }
    } finally {
      await bearer.close();
      await secured.stop();
    }
  });
});
