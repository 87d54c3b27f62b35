/**
 * End to end: the whole chain on fixtures/go/multi at a tag, against the testkit's GitHub API
 * and Sigstore stand-ins and a real registry. Everything is checked from the outside: the release
 * folder with sha256sum, the signatures with real cosign, the image with crane.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRepo, runTool, tempDir } from '../packages/testkit/src/fixtures.js';
import { type LocalRun, runLocal } from '../packages/pipeline/src/local/run.js';
import { pinnedTool } from '../packages/testkit/src/registry.js';

const execFileP = promisify(execFile);

async function cosign(args: string[]) {
  return runTool(await pinnedTool('cosign'), args, { SIGSTORE_NO_CACHE: '1', TUF_ROOT: '/nonexistent' });
}

describe('the goship chain on fixtures/go/multi at v1.2.0', () => {
  let run: LocalRun;
  let files: string[];
  let notes: string;
  const log: string[] = [];

  beforeAll(async () => {
    const repo = await fixtureRepo('multi', {
      history: [
        { message: 'feat(api): greet several names', date: '2026-03-01T09:00:00Z', files: { 'CHANGELOG.md': '# Changelog\n' } },
        { message: 'fix(worker): sort queued jobs', date: '2026-03-02T09:00:00Z' },
      ],
    });
    run = await runLocal({
      command: 'release',
      steps: 'five',
      validateApi: true,
      moduleDir: repo.dir,
      out: await tempDir('goship-e2e-'),
      tag: 'v1.2.0',
      signing: 'keyless',
      platforms: 'linux/amd64,linux/arm64,darwin/arm64,windows/amd64',
      repository: 'goship-test/multi',
      log: (l) => log.push(l),
    });
    files = (await readdir(run.releaseDir)).sort();
    notes = await readFile(path.join(run.releaseDir, 'RELEASE_NOTES.md'), 'utf8');
  });
  afterAll(async () => {
    await run?.close();
  });

  it('ran every step and published v1.2.0 once', () => {
    expect(run.steps.map((s) => s.id)).toEqual(['setup', 'plan', 'gate', 'build', 'sign', 'publish']);
    expect(run.version).toBe('1.2.0');
    const releases = run.api.releaseByTag('v1.2.0');
    expect(releases).toHaveLength(1);
    expect(releases[0]!.draft).toBe(false);
    expect(releases[0]!.publishCount).toBe(1);
  });

  it('the release holds every archive, the checksums, SBOMs, bundles and provenance, and sha256sum -c passes', async () => {
    for (const p of ['linux_amd64.tar.gz', 'linux_arm64.tar.gz', 'darwin_arm64.tar.gz', 'windows_amd64.zip']) {
      expect(files.filter((f) => f.endsWith(`_${p}`)).length, p).toBeGreaterThan(0);
    }
    const archives = files.filter((f) => /\.(tar\.gz|zip)$/.test(f));
    expect(archives.length).toBeGreaterThanOrEqual(4);
    const checksums = files.find((f) => f.endsWith('_checksums.txt'))!;
    expect(checksums).toBeDefined();
    for (const a of archives) expect(files.some((f) => f.startsWith(a) && f.endsWith('.spdx.json'))).toBe(true);
    // The default layout: one signature bundle (the checksums file's), no per-archive bundles.
    expect(files.filter((f) => f.endsWith('.sigstore.json'))).toEqual([`${checksums}.sigstore.json`]);
    expect(files).toContain(`${checksums}.sigstore.json`);
    expect(files.some((f) => f.endsWith('.intoto.jsonl'))).toBe(true);
    // every archive and every SBOM of the release is listed, so the checksums signature covers them all
    const { stdout } = await execFileP('sha256sum', ['-c', checksums], { cwd: run.releaseDir });
    const sboms = files.filter((f) => f.endsWith('.spdx.json') || f.endsWith('.cdx.json'));
    expect(sboms.length).toBeGreaterThanOrEqual(archives.length);
    expect(stdout.trim().split('\n').sort()).toEqual([...archives, ...sboms].map((f) => `${f}: OK`).sort());
    expect(stdout).not.toMatch(/FAILED/);
  });

  it("every signature verifies with real cosign against the stand-ins' trusted root: files and the image", async () => {
    // The local runner signs as the module's own release workflow at the tag.
    expect(run.sigstore!.identity).toBe('https://github.com/goship-test/multi/.github/workflows/release.yml@refs/tags/v1.2.0');
    const identity = ['--certificate-identity', run.sigstore!.identity, '--certificate-oidc-issuer', run.sigstore!.issuer];
    const bundles = files.filter((f) => f.endsWith('.sigstore.json') && files.includes(f.replace(/\.sigstore\.json$/, '')));
    expect(bundles).toHaveLength(1);
    // The provenance covers every archive.
    const provenance = files.find((f) => f.endsWith('.intoto.jsonl'))!;
    for (const a of files.filter((f) => /\.(tar\.gz|zip)$/.test(f))) {
      const p = await cosign([
        'verify-blob-attestation',
        '--bundle',
        path.join(run.releaseDir, provenance),
        '--type',
        'slsaprovenance1',
        '--trusted-root',
        run.trustedRoot!,
        ...identity,
        path.join(run.releaseDir, a),
      ]);
      expect(p.out, a).toContain('Verified OK');
    }
    const image = run.steps.find((s) => s.id === 'build')!.result.outputs.image ?? '';
    expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const v = await cosign([
      'verify',
      '--trusted-root',
      run.trustedRoot!,
      ...identity,
      '--allow-http-registry',
      '--allow-insecure-registry',
      image,
    ]);
    expect(v.out, 'cosign verify of the image').toMatch(/verified|Verification for/i);
    expect(v.code).toBe(0);
    for (const b of bundles) {
      const subject = path.join(run.releaseDir, b.replace(/\.sigstore\.json$/, ''));
      const r = await cosign([
        'verify-blob',
        '--bundle',
        path.join(run.releaseDir, b),
        '--trusted-root',
        run.trustedRoot!,
        '--certificate-identity',
        run.sigstore!.identity,
        '--certificate-oidc-issuer',
        run.sigstore!.issuer,
        subject,
      ]);
      expect(r.out, b).toContain('Verified OK');
    }
  });

  it('the image index lists the linux platforms, checked with crane', async () => {
    const host = run.registry!.host;
    const { stdout } = await execFileP(await pinnedTool('crane'), ['manifest', '--insecure', `${host}/goship-test/multi:1.2.0`]);
    const index = JSON.parse(stdout) as { mediaType: string; manifests: { platform: { os: string; architecture: string } }[] };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(
      index.manifests
        .map((m) => `${m.platform.os}/${m.platform.architecture}`)
        .filter((p) => !p.startsWith('unknown'))
        .sort(),
    ).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('the notes carry the verification commands and the trace id, which the manifest and provenance carry too', async () => {
    expect(notes).toContain('cosign verify-blob');
    expect(notes).toContain(run.traceId);
    const manifest = JSON.parse(await readFile(path.join(run.workspace, 'dist', 'goship-manifest.json'), 'utf8')) as { traceId: string };
    expect(manifest.traceId).toBe(run.traceId);
    const provenance = files.find((f) => /^multi_1\.2\.0\.intoto\.jsonl$/.test(f))!;
    const bundle = JSON.parse((await readFile(path.join(run.releaseDir, provenance), 'utf8')).split('\n')[0]!) as {
      dsseEnvelope: { payload: string };
    };
    const statement = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8');
    expect(statement).toContain(run.traceId);
  });
});
