import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readManifest } from '@goship/core/manifest';
import { actionDir, runAction, runTool, tempDir } from '@goship/testkit';
import { startAttestations } from '@goship/testkit/attestations';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinaries, makeRelease, type Release } from './release.js';

const dir = actionDir('sign-attest');

const cosign = (args: string[]) => runTool('cosign', args, { SIGSTORE_NO_CACHE: '1', TUF_ROOT: '/nonexistent' });

describe('sign-attest keyless against local Sigstore stand-ins', () => {
  let sigstore: SigstoreStandIn;
  let foreign: SigstoreStandIn;
  let rootFile: string;
  let foreignRootFile: string;
  let bins: string;
  let rel: Release;
  let run: Awaited<ReturnType<typeof runAction>>;

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    'fulcio-url': sigstore.urls.fulcio,
    'rekor-url': sigstore.urls.rekor,
    'tsa-url': sigstore.urls.tsa,
    'trusted-root': 'keys/trusted_root.json',
    'github-attestations': 'false',
    'retry-timeout': '20s',
    ...extra,
  });
  const release = () => makeRelease({ binaryCache: bins, copy: { 'keys/trusted_root.json': rootFile } });

  beforeAll(async () => {
    [sigstore, foreign, bins] = await Promise.all([startSigstore(), startSigstore(), buildBinaries()]);
    const tmp = await tempDir('goship-roots-');
    rootFile = await sigstore.writeTrustedRoot(path.join(tmp, 'trusted_root.json'));
    foreignRootFile = await foreign.writeTrustedRoot(path.join(tmp, 'foreign_root.json'));
    rel = await release();
    run = await runAction(dir, {
      cwd: rel.dir,
      env: sigstore.tokenEnv(),
      inputs: inputs({ sign: 'checksums,archives', 'sbom-attestations': 'all' }),
    });
  });
  afterAll(async () => {
    await Promise.all([sigstore?.close(), foreign?.close()]);
  });

  it('signs every selected subject with one certificate and writes v0.3 bundles beside them', async () => {
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.verified).toBe('true');
    const bundles = JSON.parse(run.outputs.bundles!) as Record<string, string>;
    expect(Object.keys(bundles).sort()).toEqual([
      'hello_1.4.0_checksums.txt',
      'hello_1.4.0_linux_amd64.tar.gz',
      'hello_1.4.0_linux_arm64.tar.gz',
    ]);
    for (const [name, file] of Object.entries(bundles)) {
      expect(file).toBe(`dist/${name}.sigstore.json`);
      const b = JSON.parse(await readFile(path.join(rel.dir, file), 'utf8'));
      expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(b.verificationMaterial.certificate.rawBytes).toBeTruthy();
      expect(b.verificationMaterial.tlogEntries).toHaveLength(1);
      expect(b.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    }
    // One OIDC token, one certificate for the whole run; one log entry per bundle (3 subjects + provenance + 1 SBOM).
    expect(sigstore.count('fulcio', 200)).toBe(1);
    expect(sigstore.count('oidc')).toBe(1);
    expect(sigstore.count('rekor', 201)).toBe(5);
    const certs = new Set(
      await Promise.all(
        Object.values(bundles).map(
          async (f) => JSON.parse(await readFile(path.join(rel.dir, f), 'utf8')).verificationMaterial.certificate.rawBytes,
        ),
      ),
    );
    expect(certs.size).toBe(1);
  });

  it('bundles verify with @sigstore/verify against the trusted root and the workflow identity', async () => {
    const root = TrustedRoot.fromJSON(JSON.parse(await readFile(rootFile, 'utf8')));
    const verifier = new Verifier(toTrustMaterial(root));
    const file = path.join(rel.dir, 'dist', 'hello_1.4.0_checksums.txt');
    const bundle = bundleFromJSON(JSON.parse(await readFile(`${file}.sigstore.json`, 'utf8')));
    const signer = verifier.verify(toSignedEntity(bundle, await readFile(file)), {
      subjectAlternativeName: sigstore.identity,
      extensions: { issuer: sigstore.issuer },
    });
    expect(signer.identity?.subjectAlternativeName).toBe(
      'https://github.com/goship-test/hello/.github/workflows/release.yml@refs/heads/main',
    );
    expect(() => verifier.verify(toSignedEntity(bundle, Buffer.from('tampered')))).toThrow();
  });

  it('real cosign verify-blob accepts the bundle; a tampered file, a wrong identity and a foreign root fail', async () => {
    const file = path.join(rel.dir, 'dist', 'hello_1.4.0_linux_amd64.tar.gz');
    const args = (f: string, root = rootFile, identity = sigstore.identity): string[] => [
      'verify-blob',
      '--bundle',
      `${file}.sigstore.json`,
      '--trusted-root',
      root,
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      sigstore.issuer,
      f,
    ];
    const ok = await cosign(args(file));
    expect(ok.out).toContain('Verified OK');
    expect(ok.out).not.toMatch(/deprecated/i);
    expect(ok.code).toBe(0);

    const tampered = path.join(await tempDir('goship-tamper-'), 'x.tar.gz');
    await writeFile(tampered, Buffer.concat([await readFile(file), Buffer.from('!')]));
    expect((await cosign(args(tampered))).code).not.toBe(0);
    expect((await cosign(args(file, rootFile, 'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main'))).code).not.toBe(0);
    expect((await cosign(args(file, foreignRootFile))).code).not.toBe(0);
  });

  it('writes SLSA v1 provenance whose subjects equal the manifest digests, and records it all in the manifest', async () => {
    expect(run.outputs.provenance).toBe('dist/hello_1.4.0.intoto.jsonl');
    const lines = (await readFile(path.join(rel.dir, run.outputs.provenance!), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const bundle = JSON.parse(lines[0]!);
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.predicate.runDetails.builder.id).toBe(
      'https://github.com/goship-test/hello/.github/workflows/release.yml@refs/heads/main',
    );
    expect(statement.predicate.buildDefinition.resolvedDependencies[0].uri).toBe(
      'git+https://github.com/goship-test/hello@refs/heads/main',
    );

    const manifest = await readManifest(rel.manifestPath);
    const want = rel.manifest.artifacts
      .filter((a) => a.sha256)
      .map((a) => ({ name: a.kind === 'binary' ? a.path : a.name, sha256: a.sha256 }))
      .sort((a, b) => (a.name! < b.name! ? -1 : 1));
    const got = (statement.subject as { name: string; digest: { sha256: string } }[])
      .filter((s) => s.name !== 'hello_1.4.0_checksums.txt')
      .map((s) => ({ name: s.name, sha256: s.digest.sha256 }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(got).toEqual(want);

    const sigs = manifest.artifacts
      .filter((a) => a.kind === 'signature')
      .map((a) => a.signs)
      .sort();
    expect(sigs).toEqual(['hello_1.4.0_checksums.txt', 'hello_1.4.0_linux_amd64.tar.gz', 'hello_1.4.0_linux_arm64.tar.gz']);
    expect(manifest.artifacts.find((a) => a.kind === 'provenance')?.path).toBe('dist/hello_1.4.0.intoto.jsonl');
    expect(manifest.artifacts.find((a) => a.kind === 'attestation')?.describes).toBe('hello_1.4.0_linux_amd64.tar.gz');

    const prov = path.join(rel.dir, run.outputs.provenance!);
    const attest = await cosign([
      'verify-blob-attestation',
      '--bundle',
      prov,
      '--trusted-root',
      rootFile,
      '--certificate-identity',
      sigstore.identity,
      '--certificate-oidc-issuer',
      sigstore.issuer,
      '--type',
      'slsaprovenance1',
      path.join(rel.dir, 'dist', 'hello_1.4.0_checksums.txt'),
    ]);
    expect(attest.out).toContain('Verified OK');

    // The SBOM attestation (sbom-attestations: all) verifies as spdxjson, about the archive its SBOM describes.
    const sbomAtt = manifest.artifacts.find((a) => a.kind === 'attestation')!;
    expect(sbomAtt).toMatchObject({
      name: 'hello_1.4.0_linux_amd64.tar.gz.spdx.intoto.jsonl',
      predicateType: 'https://spdx.dev/Document',
      type: 'spdxjson',
    });
    const spdx = await cosign([
      'verify-blob-attestation',
      '--bundle',
      path.join(rel.dir, sbomAtt.path!),
      '--trusted-root',
      rootFile,
      '--certificate-identity',
      sigstore.identity,
      '--certificate-oidc-issuer',
      sigstore.issuer,
      '--type',
      'spdxjson',
      path.join(rel.dir, 'dist', 'hello_1.4.0_linux_amd64.tar.gz'),
    ]);
    expect(spdx.out).toContain('Verified OK');
    expect(spdx.code).toBe(0);

    // The manifest says how to verify: keyless, the certificate identity and issuer, a private instance.
    const sig = manifest.artifacts.find((a) => a.kind === 'signature' && a.signs === 'hello_1.4.0_checksums.txt')!;
    expect(sig).toMatchObject({
      mode: 'keyless',
      tlog: true,
      tsa: true,
      identity: sigstore.identity,
      issuer: sigstore.issuer,
      trust: 'custom',
    });
  });

  it('stores provenance and SBOM attestations through the GitHub attestations API when asked', async () => {
    const token = 'ghs_canaryTokenForAttestations0123456789';
    const api = await startAttestations(token);
    try {
      const r2 = await release();
      const r = await runAction(dir, {
        cwd: r2.dir,
        env: { ...sigstore.tokenEnv(), GITHUB_API_URL: api.url },
        inputs: inputs({ 'github-attestations': 'true', 'github-token': token, 'sbom-attestations': 'all' }),
      });
      expect(r.exitCode, r.log).toBe(0);
      const out = JSON.parse(r.outputs.attestations!) as { type: string; id: string; url: string; path: string }[];
      expect(out.map((a) => a.type)).toEqual(['provenance', 'sbom']);
      expect(out.map((a) => a.id)).toEqual(['1', '2']);
      expect(out[0]!.url).toBe('https://github.com/goship-test/hello/attestations/1');
      expect(api.stored.map((a) => a.repo)).toEqual(['goship-test/hello', 'goship-test/hello']);
      const archive = r2.manifest.artifacts.find((a) => a.name === 'hello_1.4.0_linux_amd64.tar.gz')!;
      expect(api.stored.filter((a) => a.subjects.includes(`sha256:${archive.sha256}`))).toHaveLength(2);
      const recorded = (await readManifest(r2.manifestPath)).artifacts.find((a) => a.kind === 'provenance');
      expect(recorded?.github).toEqual({ id: '1', url: 'https://github.com/goship-test/hello/attestations/1' });
      expect(r.log.split('\n').filter((l) => !l.startsWith('::add-mask::') && l.includes(token))).toEqual([]);

      // Without `attestations: write` GitHub answers 403: the error says what to add.
      api.fail(403, 1, 'Resource not accessible by integration');
      const denied = await runAction(dir, {
        cwd: r2.dir,
        env: { ...sigstore.tokenEnv(), GITHUB_API_URL: api.url },
        inputs: inputs({ 'github-attestations': 'true', 'github-token': token, 'sbom-attestations': 'all' }),
      });
      expect(denied.exitCode).toBe(1);
      const err = denied.annotations.find((a) => a.type === 'error')?.message ?? '';
      expect(err).toContain('GitHub refused to store the provenance attestation: HTTP 403');
      expect(err).toContain('attestations: write');
    } finally {
      await api.close();
    }
  });

  it('a re-run converges: bundles are replaced, the manifest gains no duplicates', async () => {
    const before = await readManifest(rel.manifestPath);
    const again = await runAction(dir, {
      cwd: rel.dir,
      env: sigstore.tokenEnv(),
      inputs: inputs({ sign: 'checksums,archives', 'sbom-attestations': 'all' }),
    });
    expect(again.exitCode, again.log).toBe(0);
    const after = await readManifest(rel.manifestPath);
    expect(after.artifacts.map((a) => `${a.kind}:${a.name}`)).toEqual(before.artifacts.map((a) => `${a.kind}:${a.name}`));
    expect(after.artifacts.filter((a) => a.kind === 'signature')).toHaveLength(3);
  });

  it('verify mode checks every bundle and the provenance, and fails on a tampered file', async () => {
    const ok = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'verify',
        sign: 'checksums,archives',
        'trusted-root': 'keys/trusted_root.json',
        'certificate-identity': sigstore.identity,
        'certificate-oidc-issuer': sigstore.issuer,
      },
    });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(ok.outputs.verified).toBe('true');
    expect(ok.outputs.provenance).toBe('dist/hello_1.4.0.intoto.jsonl');
    expect(ok.summary).toContain('| hello_1.4.0_checksums.txt |');
    expect(ok.summary).toMatch(/\| hello_1.4.0_linux_amd64.tar.gz \| SBOM attestation \|.*✅/);

    const wrong = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'verify',
        'trusted-root': 'keys/trusted_root.json',
        'certificate-identity-regexp': '^https://github.com/someone-else/',
        'certificate-oidc-issuer': sigstore.issuer,
      },
    });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.annotations.find((a) => a.type === 'error')?.message).toMatch(/did not verify/);

    // Tamper with a signed archive (and its manifest digest, as an attacker would): verify mode refuses it.
    const m = await readManifest(rel.manifestPath);
    const archive = path.join(rel.dir, 'dist', 'hello_1.4.0_linux_arm64.tar.gz');
    await writeFile(archive, Buffer.concat([await readFile(archive), Buffer.from('evil')]));
    const { hashFile } = await import('@goship/core/digest');
    const { writeManifest } = await import('@goship/core/manifest');
    const art = m.artifacts.find((a) => a.name === 'hello_1.4.0_linux_arm64.tar.gz')!;
    art.sha256 = await hashFile(archive);
    await writeManifest(rel.manifestPath, m);
    const tampered = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'verify',
        sign: 'checksums,archives',
        'trusted-root': 'keys/trusted_root.json',
        'certificate-identity': sigstore.identity,
        'certificate-oidc-issuer': sigstore.issuer,
      },
    });
    expect(tampered.exitCode).toBe(1);
    expect(tampered.outputs.verified).toBe('false');
    const err = tampered.annotations.find((a) => a.type === 'error')?.message ?? '';
    expect(err).toContain('dist/hello_1.4.0_linux_arm64.tar.gz did not verify');
    expect(err).toContain('The provenance does not cover hello_1.4.0_linux_arm64.tar.gz');
    expect(tampered.summary).toContain('❌');
  });
});
