import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { readManifest, writeManifest } from '@goship/core/manifest';
import { actionDir, runAction, runTool, tempDir } from '@goship/testkit';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinaries, makeRelease } from './release.js';

const execFileP = promisify(execFile);
const dir = actionDir('sign-attest');
const PASSWORD = 'image-pw';

const tool = runTool;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The pinned CNCF distribution registry (tools.versions) on 127.0.0.1. */
async function startRegistry(): Promise<{ host: string; proc: ChildProcess }> {
  const root = await tempDir('goship-registry-');
  const port = await freePort();
  const config = path.join(root, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const proc = spawn('registry', ['serve', config], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok) return { host, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error('registry did not start');
}

describe('sign-attest image signatures (cosign-compatible, in a local registry)', () => {
  let registry: { host: string; proc: ChildProcess };
  let keys: string;
  let sigstore: SigstoreStandIn;
  let rootFile: string;
  let bins: string;
  let image: string;

  beforeAll(async () => {
    keys = await tempDir('goship-imgkeys-');
    [registry, sigstore, bins] = await Promise.all([
      startRegistry(),
      startSigstore(),
      buildBinaries(),
      tool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(keys, 'cosign')], { COSIGN_PASSWORD: PASSWORD }),
    ]);
    rootFile = await sigstore.writeTrustedRoot(path.join(keys, 'trusted_root.json'));
    // A real image: the hello binary as a layer on scratch, pushed with crane.
    const layer = path.join(keys, 'layer.tar');
    await execFileP('tar', ['-cf', layer, '-C', bins, 'hello_linux_amd64']);
    const tagged = `${registry.host}/goship/hello:1.4.0`;
    const pushed = await tool('crane', ['append', '-f', layer, '-t', tagged, '--platform', 'linux/amd64']);
    if (pushed.code !== 0) throw new Error(pushed.out);
    const digest = (await tool('crane', ['digest', tagged])).out.trim();
    image = `${registry.host}/goship/hello@${digest}`;
  });
  afterAll(async () => {
    registry?.proc.kill();
    await sigstore?.close();
  });

  async function releaseWithImage(): Promise<{ dir: string; manifestPath: string }> {
    const rel = await makeRelease({ binaryCache: bins });
    const m = await readManifest(rel.manifestPath);
    m.artifacts.push({ kind: 'image', name: `${registry.host}/goship/hello`, ref: image, platforms: ['linux/amd64'] });
    await writeManifest(rel.manifestPath, m);
    return rel;
  }

  it('key mode: the signature is stored under sha256-<hex>.sig and `cosign verify --key` accepts it', async () => {
    const rel = await releaseWithImage();
    const r = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'key',
        key: path.join(keys, 'cosign.key'),
        'key-password': PASSWORD,
        sign: 'images',
        tlog: false,
        'github-attestations': false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.verified).toBe('true');
    const digest = image.split('@')[1]!;
    const tags = (await tool('crane', ['ls', `${registry.host}/goship/hello`])).out;
    expect(tags).toContain(`${digest.replace(':', '-')}.sig`);
    const v = await tool('cosign', ['verify', '--key', path.join(keys, 'cosign.pub'), '--insecure-ignore-tlog', image]);
    expect(v.out).toContain('The signatures were verified against the specified public key');
    expect(v.code).toBe(0);
    const m = await readManifest(rel.manifestPath);
    const sig = m.artifacts.find((a) => a.kind === 'signature' && a.signs === `${registry.host}/goship/hello`);
    expect(sig?.ref).toBe(`${registry.host}/goship/hello:${digest.replace(':', '-')}.sig`);
    // The provenance covers the image digest too.
    const bundle = JSON.parse(await readFile(path.join(rel.dir, r.outputs.provenance!), 'utf8'));
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(statement.subject).toContainEqual({ name: `${registry.host}/goship/hello`, digest: { sha256: digest.slice(7) } });

    // Another key does not verify.
    const other = await tempDir('goship-imgother-');
    await tool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(other, 'o')], { COSIGN_PASSWORD: 'x' });
    expect((await tool('cosign', ['verify', '--key', path.join(other, 'o.pub'), '--insecure-ignore-tlog', image])).code).not.toBe(0);

    // Verify mode: the local bundle verifies and the registry holds that signature (and the provenance covers the image).
    const pub = path.join(keys, 'cosign.pub');
    const ok = await runAction(dir, { cwd: rel.dir, inputs: { mode: 'verify', key: pub, sign: 'images', tlog: false } });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(ok.summary).toContain(`| ${registry.host}/goship/hello |`);
    expect((await tool('crane', ['delete', `${registry.host}/goship/hello:${digest.replace(':', '-')}.sig`])).code).toBe(0);
    const gone = await runAction(dir, {
      cwd: rel.dir,
      inputs: { mode: 'verify', key: pub, sign: 'images', tlog: false, provenance: false },
    });
    expect(gone.exitCode).toBe(1);
    expect(gone.annotations.find((a) => a.type === 'error')?.message).toContain(
      `the registry holds no ${digest.replace(':', '-')}.sig signature`,
    );
  });

  it('keyless: `cosign verify` checks certificate, Rekor entry and identity against the trusted root', async () => {
    const rel = await releaseWithImage();
    const r = await runAction(dir, {
      cwd: rel.dir,
      env: sigstore.tokenEnv(),
      inputs: {
        sign: 'images',
        provenance: false,
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'trusted-root': rootFile,
        'github-attestations': false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    const v = await tool('cosign', [
      'verify',
      '--trusted-root',
      rootFile,
      '--certificate-identity',
      sigstore.identity,
      '--certificate-oidc-issuer',
      sigstore.issuer,
      image,
    ]);
    expect(v.out).toContain('The code-signing certificate was verified using trusted certificate authority certificates');
    expect(v.code).toBe(0);
    const wrong = await tool('cosign', [
      'verify',
      '--trusted-root',
      rootFile,
      '--certificate-identity',
      'https://github.com/evil/x/.github/workflows/x.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      sigstore.issuer,
      image,
    ]);
    expect(wrong.code).not.toBe(0);
  });
});
