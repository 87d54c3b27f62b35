/**
 * The release notes' commands run as written. A release is made by the committed bundles the way
 * the chain makes it — multiarch-build (archives, checksums, SBOMs, a two-platform image in the
 * test kit's registry) then sign-attest (key mode without the log; keyless against the test kit's
 * Sigstore stand-ins) — and its assets are put in a folder as semver-release publishes them. Every
 * command of the notes' "Verify this release" section is run there with stock tools (the pinned
 * cosign, sha256sum): all succeed, none reports a deprecated flag; after one archive is tampered
 * with, the commands that check it fail and the others still pass.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFile, copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { RELEASE_ASSET_KINDS, readManifest, selectArtifacts, type Manifest } from '@goship/core/manifest';
import { actionDir, fixtureRepo, runAction, tempDir } from '@goship/testkit';
import { startRegistry, type TestRegistry } from '@goship/testkit/registry';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRUSTED_ROOT_FILE, releaseNotes } from '../src/notes.js';

const execFileP = promisify(execFile);
const ENV = {
  GITHUB_REF: 'refs/tags/v1.4.0',
  GITHUB_REF_NAME: 'v1.4.0',
  GITHUB_REF_TYPE: 'tag',
  GITHUB_REPOSITORY: 'goship-test/hello',
  PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`,
};

/** The words of one shell command line (POSIX quoting: '…', "…", backslash escapes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; line[j] !== '"'; j++) s += line[j] === '\\' ? line[++j] : line[j];
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === '\\') {
      cur = (cur ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

/** Every command of the notes' verification section, continuation lines joined. */
function commands(notes: string): string[][] {
  const section = notes.slice(notes.indexOf('### Verify this release'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.replace(/\\\n/g, ' ').split('\n'))
    .filter((l) => l.trim())
    .map(shellWords);
}

async function run(argv: string[], cwd: string, home: string): Promise<{ code: number; out: string }> {
  try {
    const r = await execFileP(argv[0]!, argv.slice(1), {
      cwd,
      env: { ...process.env, HOME: home, TUF_ROOT: path.join(home, 'tuf'), SIGSTORE_NO_CACHE: '1' },
      maxBuffer: 64 << 20,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

describe('release notes: every command runs as written against a release the bundles made', () => {
  let registry: TestRegistry;
  let sigstore: SigstoreStandIn;

  beforeAll(async () => {
    [registry, sigstore] = await Promise.all([startRegistry(), startSigstore()]);
  });
  afterAll(async () => {
    await registry?.stop();
    await sigstore?.close();
  });

  /** multiarch-build then sign-attest; the release's assets copied into a folder by name. */
  async function release(
    sign: Record<string, string>,
    env: Record<string, string>,
  ): Promise<{ folder: string; manifest: Manifest; notes: string }> {
    const repo = await fixtureRepo('hello', { date: '2026-11-20T10:00:00Z' });
    await repo.tag('v1.4.0', 'v1.4.0');
    const build = await runAction(actionDir('multiarch-build'), {
      cwd: repo.dir,
      env: ENV,
      inputs: { platforms: 'linux/amd64,linux/arm64', image: `${registry.host}/goship-test/hello`, 'insecure-registries': registry.host },
    });
    expect(build.exitCode, build.log.slice(-3000)).toBe(0);
    await mkdir(path.join(repo.dir, 'keys'));
    await sigstore.writeTrustedRoot(path.join(repo.dir, 'keys', TRUSTED_ROOT_FILE));
    const signed = await runAction(actionDir('sign-attest'), {
      cwd: repo.dir,
      env: { ...ENV, ...env },
      inputs: { 'github-attestations': 'false', ...sign },
    });
    expect(signed.exitCode, signed.log.slice(-3000)).toBe(0);
    const manifest = await readManifest(path.join(repo.dir, 'dist', 'goship-manifest.json'));
    const folder = await tempDir('goship-release-');
    for (const a of selectArtifacts(manifest, { kinds: RELEASE_ASSET_KINDS }))
      if (a.path) await copyFile(path.join(repo.dir, a.path), path.join(folder, a.name));
    const notes = releaseNotes('## 1.4.0\n', manifest, {
      repository: 'goship-test/hello',
      serverUrl: 'https://github.com',
      workflowRef: 'goship-test/hello/.github/workflows/release.yml@refs/tags/v1.4.0',
      traceId: manifest.traceId,
    });
    return { folder, manifest, notes };
  }

  async function check(folder: string, notes: string): Promise<void> {
    const home = await tempDir('goship-verifier-home-');
    const cmds = commands(notes);
    expect(cmds.length).toBeGreaterThanOrEqual(6);
    for (const argv of cmds) {
      const r = await run(argv, folder, home);
      expect(r.code, `${argv.join(' ')}\n${r.out}`).toBe(0);
      expect(r.out, argv.join(' ')).not.toMatch(/deprecated/i);
    }
    // An SBOM is covered by the checksums the signature covers: a changed one fails `sha256sum -c`.
    const sums = cmds.find((c) => c[0] === 'sha256sum')!;
    const sbom = (await readdir(folder)).find((f) => f.endsWith('.spdx.json'))!;
    const original = await readFile(path.join(folder, sbom));
    await appendFile(path.join(folder, sbom), ' ');
    const changed = await run(sums, folder, home);
    expect(changed.code, changed.out).not.toBe(0);
    expect(changed.out).toContain(`${sbom}: FAILED`);
    await writeFile(path.join(folder, sbom), original);
    expect((await run(sums, folder, home)).code).toBe(0);
    // Tamper with the archive the provenance command names: what checks it fails, the rest still passes.
    const provenance = cmds.find((c) => c[1] === 'verify-blob-attestation')!;
    const target = provenance.at(-1)!;
    await appendFile(path.join(folder, target), 'x');
    for (const argv of cmds) {
      const r = await run(argv, folder, home);
      const checksTarget = argv.includes(target) || argv[0] === 'sha256sum';
      expect(r.code === 0, `${checksTarget ? 'should fail' : 'should pass'}: ${argv.join(' ')}\n${r.out}`).toBe(!checksTarget);
    }
  }

  it('key mode (the key as text, no transparency log): 8 assets, cosign.pub among them', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { folder, notes } = await release(
      { mode: 'key', key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), tlog: 'false' },
      {},
    );
    expect((await readdir(folder)).sort()).toEqual([
      'cosign.pub',
      'hello_1.4.0.intoto.jsonl',
      'hello_1.4.0_checksums.txt',
      'hello_1.4.0_checksums.txt.sigstore.json',
      'hello_1.4.0_linux_amd64.tar.gz',
      'hello_1.4.0_linux_amd64.tar.gz.spdx.json',
      'hello_1.4.0_linux_arm64.tar.gz',
      'hello_1.4.0_linux_arm64.tar.gz.spdx.json',
    ]);
    for (const c of commands(notes).filter((x) => x[0] === 'cosign'))
      expect(c).toEqual(expect.arrayContaining(['--key', 'cosign.pub', '--insecure-ignore-tlog']));
    await check(folder, notes);
  });

  it('keyless against the stand-ins (log and timestamps): the certificate identity of the workflow, the private trusted root', async () => {
    const { folder, notes, manifest } = await release(
      {
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'tsa-url': sigstore.urls.tsa,
        'trusted-root': `keys/${TRUSTED_ROOT_FILE}`,
      },
      sigstore.tokenEnv(),
    );
    expect(await readdir(folder)).toHaveLength(7);
    expect(notes).toContain(`--certificate-identity ${sigstore.identity}`);
    expect(notes).toContain(`--certificate-oidc-issuer ${sigstore.issuer}`);
    expect(notes).toContain(`--trusted-root ${TRUSTED_ROOT_FILE}`);
    expect(manifest.artifacts.find((a) => a.kind === 'provenance')?.identity).toBe(sigstore.identity);
    // The notes say to keep the instance's trusted root beside the files: a verifier does.
    await sigstore.writeTrustedRoot(path.join(folder, TRUSTED_ROOT_FILE));
    await check(folder, notes);
  });
});
