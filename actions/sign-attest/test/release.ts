/**
 * Test helper: a small release folder like multiarch-build leaves behind, made here with real
 * tools so these tests do not depend on that action: fixtures/go/hello built with `go build` for
 * two platforms, tar.gz archives, a checksums file, an SPDX SBOM, and the manifest written with
 * @goship/core's writeManifest.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatChecksums, hashFile } from '@goship/core/digest';
import { emptyManifest, writeManifest, type Artifact, type Manifest } from '@goship/core/manifest';
import { fixturesDir, goEnv, tempDir } from '@goship/testkit';

const execFileP = promisify(execFile);

export interface Release {
  dir: string;
  manifestPath: string;
  manifest: Manifest;
}

const PLATFORMS = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
];

export async function makeRelease(opts: { binaryCache?: string; copy?: Record<string, string> } = {}): Promise<Release> {
  const dir = await tempDir('goship-sign-');
  // Keys and trusted roots a test passes by path live inside the workspace (the path policy).
  for (const [to, from] of Object.entries(opts.copy ?? {})) {
    await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
    await cp(from, path.join(dir, to));
  }
  const dist = path.join(dir, 'dist');
  await mkdir(dist, { recursive: true });
  const m = emptyManifest({
    project: 'hello',
    module: 'example.com/hello',
    version: '1.4.0',
    tag: 'v1.4.0',
    commit: '0000000000000000000000000000000000000000',
    commitTime: '2026-01-01T00:00:00Z',
    traceId: '1000-1',
  });
  const artifacts: Artifact[] = [];
  const sums: { digest: string; name: string }[] = [];
  for (const p of PLATFORMS) {
    const id = `hello_${p.os}_${p.arch}`;
    const binDir = path.join(dist, id);
    await mkdir(binDir, { recursive: true });
    const bin = path.join(binDir, 'hello');
    const cached = opts.binaryCache ? path.join(opts.binaryCache, id) : undefined;
    if (cached) {
      await cp(cached, bin);
    } else {
      await execFileP('go', ['build', '-trimpath', '-ldflags', '-s -w -buildid= -X main.version=1.4.0', '-o', bin, '.'], {
        cwd: path.join(fixturesDir, 'hello'),
        env: { ...process.env, ...goEnv(), GOOS: p.os, GOARCH: p.arch, CGO_ENABLED: '0' },
      });
    }
    artifacts.push({
      kind: 'binary',
      name: 'hello',
      path: `dist/${id}/hello`,
      os: p.os,
      arch: p.arch,
      variant: '',
      sha256: await hashFile(bin),
      size: (await readFile(bin)).length,
    });
    const archiveName = `hello_1.4.0_${p.os}_${p.arch}.tar.gz`;
    await execFileP('tar', [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '-czf',
      path.join(dist, archiveName),
      '-C',
      binDir,
      'hello',
    ]);
    const digest = await hashFile(path.join(dist, archiveName));
    artifacts.push({ kind: 'archive', name: archiveName, path: `dist/${archiveName}`, os: p.os, arch: p.arch, sha256: digest });
    sums.push({ digest, name: archiveName });
  }
  const checksumsName = 'hello_1.4.0_checksums.txt';
  await writeFile(path.join(dist, checksumsName), formatChecksums(sums));
  artifacts.push({ kind: 'checksums', name: checksumsName, path: `dist/${checksumsName}` });
  const sbomName = 'hello_1.4.0_linux_amd64.tar.gz.spdx.json';
  await writeFile(
    path.join(dist, sbomName),
    JSON.stringify(
      {
        spdxVersion: 'SPDX-2.3',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: 'hello',
        dataLicense: 'CC0-1.0',
        packages: [{ name: 'example.com/hello', SPDXID: 'SPDXRef-Package-hello', versionInfo: '1.4.0' }],
      },
      null,
      2,
    ),
  );
  artifacts.push({
    kind: 'sbom',
    name: sbomName,
    path: `dist/${sbomName}`,
    describes: 'hello_1.4.0_linux_amd64.tar.gz',
    sha256: await hashFile(path.join(dist, sbomName)),
  });
  m.artifacts = artifacts;
  const manifestPath = path.join(dist, 'goship-manifest.json');
  await writeManifest(manifestPath, m);
  return { dir, manifestPath, manifest: m };
}

/**
 * Builds the two binaries once into a cache folder keyed by the fixture's sources, shared by the
 * test files of a run (tests copy them instead of rebuilding).
 */
export async function buildBinaries(): Promise<string> {
  const h = createHash('sha256');
  for (const f of ['go.mod', 'main.go']) h.update(await readFile(path.join(fixturesDir, 'hello', f)));
  const cache = path.join(os.tmpdir(), `goship-sign-attest-bins-${h.digest('hex').slice(0, 16)}`);
  if (PLATFORMS.every((p) => existsSync(path.join(cache, `hello_${p.os}_${p.arch}`)))) return cache;
  const r = await makeRelease();
  const tmp = await tempDir('goship-bins-');
  for (const p of PLATFORMS) {
    const id = `hello_${p.os}_${p.arch}`;
    await cp(path.join(r.dir, 'dist', id, 'hello'), path.join(tmp, id));
  }
  await rename(tmp, cache).catch(() => undefined); // another test file may have won the race
  return existsSync(cache) ? cache : tmp;
}
