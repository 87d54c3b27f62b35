/**
 * Images, through the committed bundles: multiarch-build pushes hello's two-platform image and
 * its image SBOMs to the test kit's registry, sign-attest signs and attests them, and stock cosign
 * (the pinned v3.1.3) verifies both layouts — the OCI referrers it reads first and the
 * `.sig`/`.att` tags older cosign reads — with a key and keyless.
 */
import path from 'node:path';
import { readManifest } from '@goship/core/manifest';
import { actionDir, runAction, runTool, tempDir } from '@goship/testkit';
import { startRegistry, type TestRegistry } from '@goship/testkit/registry';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelease, type BuiltRelease } from './built.js';

const dir = actionDir('sign-attest');
const PASSWORD = 'image-pw';
const cosign = (args: string[]) => runTool('cosign', args, { SIGSTORE_NO_CACHE: '1', TUF_ROOT: '/nonexistent', COSIGN_EXPERIMENTAL: '1' });
const crane = (args: string[]) => runTool('crane', args);

describe('sign-attest images: signatures and attestations stock cosign finds', () => {
  let registry: TestRegistry;
  let keys: string;
  let sigstore: SigstoreStandIn;
  let rootFile: string;
  let rel: BuiltRelease;
  let image: string;
  let sboms: string[];

  beforeAll(async () => {
    keys = await tempDir('goship-imgkeys-');
    [registry, sigstore] = await Promise.all([
      startRegistry(),
      startSigstore(),
      runTool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(keys, 'cosign')], { COSIGN_PASSWORD: PASSWORD }),
    ]);
    rootFile = await sigstore.writeTrustedRoot(path.join(keys, 'trusted_root.json'));
  });
  afterAll(async () => {
    await registry?.stop();
    await sigstore?.close();
  });

  const release = async (): Promise<BuiltRelease> => {
    const r = await buildRelease({
      platforms: 'linux/amd64,linux/arm64',
      registry: registry.host,
      copy: { 'keys/cosign.key': path.join(keys, 'cosign.key'), 'keys/trusted_root.json': rootFile },
    });
    image = r.manifest.artifacts.find((a) => a.kind === 'image')!.ref!;
    sboms = r.manifest.artifacts.filter((a) => a.kind === 'sbom-image').map((a) => a.ref!);
    return r;
  };

  it('key mode: cosign verify and verify-attestation (provenance, SBOM) accept the image; the image SBOMs are signed', async () => {
    rel = await release();
    expect(sboms).toHaveLength(2);
    const r = await runAction(dir, {
      cwd: rel.dir,
      inputs: { mode: 'key', key: 'keys/cosign.key', 'key-password': PASSWORD, tlog: false },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.verified).toBe('true');
    const digest = image.split('@')[1]!;
    const tags = (await crane(['ls', `${registry.host}/goship-test/hello`])).out.split('\n');
    for (const t of ['.sig', '.att', '']) expect(tags).toContain(`${digest.replace(':', '-')}${t}`);

    const pub = path.join(rel.dir, 'dist', 'cosign.pub');
    const key = ['--key', pub, '--insecure-ignore-tlog'];
    const verify = await cosign(['verify', ...key, image]);
    expect(verify.out).toContain('The signatures were verified against the specified public key');
    expect(verify.code).toBe(0);
    for (const type of ['slsaprovenance1', 'spdxjson']) {
      const att = await cosign(['verify-attestation', '--type', type, ...key, image]);
      expect(att.out, type).toContain('The signatures were verified against the specified public key');
      expect(att.out).not.toMatch(/deprecated/i);
      expect(att.code).toBe(0);
    }
    // The provenance covers the image digest; the SBOM attestations carry the SPDX documents multiarch-build pushed.
    const prov = JSON.parse(
      (await cosign(['verify-attestation', '--type', 'slsaprovenance1', ...key, image])).out.split('\n').find((l) => l.startsWith('{'))!,
    );
    const statement = JSON.parse(Buffer.from(prov.payload, 'base64').toString('utf8'));
    expect(statement.subject).toContainEqual({ name: `${registry.host}/goship-test/hello`, digest: { sha256: digest.slice(7) } });
    // The tag layout older cosign reads verifies too.
    const legacy = await cosign(['verify-attestation', '--new-bundle-format=false', '--type', 'slsaprovenance1', ...key, image]);
    expect(legacy.code, legacy.out).toBe(0);
    const legacySig = await cosign(['verify', '--new-bundle-format=false', ...key, image]);
    expect(legacySig.code, legacySig.out).toBe(0);
    for (const s of sboms) {
      const v = await cosign(['verify', ...key, s]);
      expect(v.code, v.out).toBe(0);
    }
    // cosign tree lists the tags and, in OCI 1.1 mode, the referrers.
    const tree = await cosign(['tree', image]);
    expect(tree.out).toContain('Signatures for an image tag');
    expect(tree.out).toContain('Attestations for an image tag');
    const referrers = await cosign(['tree', '--registry-referrers-mode', 'oci-1-1', image]);
    for (const t of ['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document', 'https://sigstore.dev/cosign/sign/v1']) {
      expect(referrers.out).toContain(`${t} artifacts via OCI referrer`);
    }

    // Another key does not verify.
    const other = await tempDir('goship-imgother-');
    await runTool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(other, 'o')], { COSIGN_PASSWORD: 'x' });
    expect(
      (
        await cosign([
          'verify-attestation',
          '--type',
          'slsaprovenance1',
          '--key',
          path.join(other, 'o.pub'),
          '--insecure-ignore-tlog',
          image,
        ])
      ).code,
    ).not.toBe(0);

    // The manifest records where they live; nothing about the image became a release file.
    const m = await readManifest(rel.manifestPath);
    const img = m.artifacts.find((a) => a.kind === 'image')!;
    expect(img.sigstore).toMatchObject({
      mode: 'key',
      tlog: false,
      signature: { tag: `${registry.host}/goship-test/hello:${digest.replace(':', '-')}.sig` },
    });
    expect((img.sigstore as { attestations: { type: string }[] }).attestations.map((a) => a.type).sort()).toEqual([
      'slsaprovenance1',
      'spdxjson',
      'spdxjson',
    ]);
    expect(m.artifacts.filter((a) => a.kind === 'signature').map((a) => a.signs)).toEqual(['hello_1.4.0_checksums.txt']);

    // Verify mode finds the signature and provenance among the referrers; without them it fails.
    const ok = await runAction(dir, { cwd: rel.dir, inputs: { mode: 'verify', key: 'dist/cosign.pub', sign: 'images', tlog: false } });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(ok.summary).toMatch(new RegExp(`\\| ${registry.host}/goship-test/hello \\| provenance \\|.*✅`));
    expect((await crane(['delete', `${registry.host}/goship-test/hello:${digest.replace(':', '-')}`])).code).toBe(0);
    const gone = await runAction(dir, { cwd: rel.dir, inputs: { mode: 'verify', key: 'dist/cosign.pub', sign: 'images', tlog: false } });
    expect(gone.exitCode).toBe(1);
    expect(gone.annotations.find((a) => a.type === 'error')?.message).toContain('no signature bundle among its referrers verifies');
  });

  it('keyless with the log: cosign checks certificate, Rekor entries and identity in both layouts', async () => {
    rel = await release();
    const r = await runAction(dir, {
      cwd: rel.dir,
      env: sigstore.tokenEnv(),
      inputs: {
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'trusted-root': 'keys/trusted_root.json',
        'github-attestations': false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    const id = ['--trusted-root', rootFile, '--certificate-identity', sigstore.identity, '--certificate-oidc-issuer', sigstore.issuer];
    for (const extra of [[], ['--new-bundle-format=false']]) {
      const v = await cosign(['verify', ...extra, ...id, image]);
      expect(v.code, v.out).toBe(0);
      for (const type of ['slsaprovenance1', 'spdxjson']) {
        const a = await cosign(['verify-attestation', ...extra, '--type', type, ...id, image]);
        expect(a.code, `${type} ${extra.join(' ')}: ${a.out}`).toBe(0);
      }
    }
    const wrong = await cosign([
      'verify-attestation',
      '--type',
      'slsaprovenance1',
      '--trusted-root',
      rootFile,
      '--certificate-identity',
      'https://github.com/evil/x/.github/workflows/x.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      sigstore.issuer,
      image,
    ]);
    expect(wrong.code).not.toBe(0);
    const m = await readManifest(rel.manifestPath);
    expect(m.artifacts.find((a) => a.kind === 'image')!.sigstore).toMatchObject({
      mode: 'keyless',
      identity: sigstore.identity,
      issuer: sigstore.issuer,
      trust: 'custom',
    });
  });
});
