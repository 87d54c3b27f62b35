import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readManifest } from '@goship/core/manifest';
import { actionDir, runAction, runTool, tempDir } from '@goship/testkit';
import { startSigstore, type SigstoreStandIn } from '@goship/testkit/sigstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinaries, makeRelease } from './release.js';

const dir = actionDir('sign-attest');
const PASSWORD = 'canary-pw-7f3a9c1e5b';

const tool = runTool;

async function signatureFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true }))
    if (/\.(sigstore\.json|sig|intoto\.jsonl)$/.test(String(e))) out.push(String(e).split(path.sep).join('/'));
  return out;
}

describe('sign-attest key mode (cosign-compatible)', () => {
  let keys: string;
  let bins: string;
  let sigstore: SigstoreStandIn;
  let rootFile: string;

  beforeAll(async () => {
    keys = await tempDir('goship-keys-');
    [bins, sigstore] = await Promise.all([
      buildBinaries(),
      startSigstore(),
      tool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(keys, 'cosign')], { COSIGN_PASSWORD: PASSWORD }).then((r) => {
        if (r.code !== 0) throw new Error(r.out);
      }),
    ]);
    rootFile = await sigstore.writeTrustedRoot(path.join(keys, 'trusted_root.json'));
  });
  afterAll(async () => {
    await sigstore?.close();
  });
  const release = () =>
    makeRelease({
      binaryCache: bins,
      copy: {
        'keys/cosign.key': path.join(keys, 'cosign.key'),
        'keys/cosign.pub': path.join(keys, 'cosign.pub'),
        'keys/trusted_root.json': rootFile,
      },
    });

  it('reads a key made by cosign generate-key-pair; stock cosign and openssl verify what it signs and attests', async () => {
    const rel = await release();
    const key = await readFile(path.join(keys, 'cosign.key'), 'utf8');
    const r = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'key',
        key,
        'key-password': PASSWORD,
        sign: 'checksums,archives',
        'raw-signatures': true,
        tlog: false,
        'github-attestations': false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.verified).toBe('true');
    const dist = path.join(rel.dir, 'dist');
    const file = path.join(dist, 'hello_1.4.0_checksums.txt');
    const bundle = JSON.parse(await readFile(`${file}.sigstore.json`, 'utf8'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial.publicKey.hint).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.verificationMaterial.tlogEntries ?? []).toEqual([]);

    // The public key is published beside the manifest, recorded as a release asset.
    const pub = path.join(keys, 'cosign.pub');
    expect(r.outputs['public-key']).toBe('dist/cosign.pub');
    expect(await readFile(path.join(dist, 'cosign.pub'), 'utf8')).toBe(await readFile(pub, 'utf8'));
    const m = await readManifest(rel.manifestPath);
    expect(m.artifacts.find((a) => a.kind === 'public-key')).toMatchObject({ name: 'cosign.pub', path: 'dist/cosign.pub' });

    const cosign = await tool('cosign', ['verify-blob', '--key', pub, '--bundle', `${file}.sigstore.json`, '--insecure-ignore-tlog', file]);
    expect(cosign.out).toContain('Verified OK');
    expect(cosign.out).not.toMatch(/deprecated/i);
    expect(cosign.code).toBe(0);

    // The provenance verifies with stock cosign for every subject, and not for a file it does not cover.
    const prov = path.join(rel.dir, r.outputs.provenance!);
    for (const subject of ['hello_1.4.0_checksums.txt', 'hello_1.4.0_linux_arm64.tar.gz', 'hello_1.4.0_linux_amd64.tar.gz.spdx.json']) {
      const att = await tool('cosign', [
        'verify-blob-attestation',
        '--key',
        pub,
        '--bundle',
        prov,
        '--type',
        'slsaprovenance1',
        '--insecure-ignore-tlog',
        path.join(dist, subject),
      ]);
      expect(att.out, subject).toContain('Verified OK');
      expect(att.code).toBe(0);
    }
    const stranger = path.join(keys, 'stranger.txt');
    await writeFile(stranger, 'not part of the release');
    expect(
      (
        await tool('cosign', [
          'verify-blob-attestation',
          '--key',
          pub,
          '--bundle',
          prov,
          '--type',
          'slsaprovenance1',
          '--insecure-ignore-tlog',
          stranger,
        ])
      ).code,
    ).not.toBe(0);

    // With raw-signatures, the .sig beside the file is the base64 DER signature older verifiers read.
    const raw = path.join(keys, 'checksums.sig.der');
    await writeFile(raw, Buffer.from(await readFile(`${file}.sig`, 'utf8'), 'base64'));
    const openssl = await tool('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', raw, file]);
    expect(openssl.out).toContain('Verified OK');
    const bad = await tool('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      pub,
      '-signature',
      raw,
      path.join(dist, 'hello_1.4.0_linux_amd64.tar.gz'),
    ]);
    expect(bad.code).not.toBe(0);

    // Verify mode with the public key accepts the release; with another key it fails.
    const ok = await runAction(dir, {
      cwd: rel.dir,
      inputs: { mode: 'verify', key: 'keys/cosign.pub', sign: 'checksums,archives', tlog: false },
    });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(ok.outputs.verified).toBe('true');
    expect(ok.outputs.provenance).toBe('dist/hello_1.4.0.intoto.jsonl');
    const other = await tempDir('goship-other-');
    await tool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(other, 'other')], { COSIGN_PASSWORD: 'x' });
    await writeFile(path.join(rel.dir, 'other.pub'), await readFile(path.join(other, 'other.pub')));
    const wrong = await runAction(dir, { cwd: rel.dir, inputs: { mode: 'verify', key: 'other.pub', tlog: false } });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.outputs.verified).toBe('false');
  });

  it('by default signs only the checksums file (no per-archive bundles, no raw .sig copies)', async () => {
    const rel = await release();
    const r = await runAction(dir, {
      cwd: rel.dir,
      inputs: { mode: 'key', key: 'keys/cosign.key', 'key-password': PASSWORD, tlog: false },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect((await signatureFiles(rel.dir)).sort()).toEqual([
      'dist/hello_1.4.0.intoto.jsonl',
      'dist/hello_1.4.0_checksums.txt.sigstore.json',
    ]);
    expect(JSON.parse(r.outputs.bundles!)).toEqual({ 'hello_1.4.0_checksums.txt': 'dist/hello_1.4.0_checksums.txt.sigstore.json' });
  });

  it('signs a module in a subfolder through working-directory, as the reusable workflow runs it', async () => {
    const rel = await release();
    const key = await readFile(path.join(keys, 'cosign.key'), 'utf8');
    const r = await runAction(dir, {
      cwd: path.dirname(rel.dir),
      inputs: {
        'working-directory': path.basename(rel.dir),
        mode: 'key',
        key,
        'key-password': PASSWORD,
        tlog: false,
        'github-attestations': false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.manifest).toBe('dist/goship-manifest.json');
    expect(await readFile(path.join(rel.dir, 'dist', 'hello_1.4.0_checksums.txt.sigstore.json'), 'utf8')).toContain('v0.3');
    const missing = await runAction(dir, {
      cwd: rel.dir,
      inputs: { 'working-directory': 'nope', mode: 'key', key, 'key-password': PASSWORD },
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.find((a) => a.type === 'error')?.message).toContain('Input "working-directory"');
  });

  it('key mode with the transparency log: the Rekor entry verifies with cosign against the trusted root', async () => {
    const rel = await release();
    const r = await runAction(dir, {
      cwd: rel.dir,
      inputs: {
        mode: 'key',
        key: 'keys/cosign.key',
        'key-password': PASSWORD,
        'rekor-url': sigstore.urls.rekor,
        'trusted-root': 'keys/trusted_root.json',
        'github-attestations': false,
        provenance: false,
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    const file = path.join(rel.dir, 'dist', 'hello_1.4.0_checksums.txt');
    const bundle = JSON.parse(await readFile(`${file}.sigstore.json`, 'utf8'));
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    const cosign = await tool('cosign', [
      'verify-blob',
      '--key',
      path.join(keys, 'cosign.pub'),
      '--bundle',
      `${file}.sigstore.json`,
      '--new-bundle-format',
      '--trusted-root',
      rootFile,
      file,
    ]);
    expect(cosign.out).toContain('Verified OK');
  });

  it('retries a Rekor 503 twice and signs; a 400 fails at once with the server message', async () => {
    const rel = await release();
    const base = {
      mode: 'key',
      key: 'keys/cosign.key',
      'key-password': PASSWORD,
      'rekor-url': sigstore.urls.rekor,
      'trusted-root': 'keys/trusted_root.json',
      'github-attestations': false,
      provenance: false,
      'retry-timeout': '60s',
    };
    sigstore.clearFaults();
    const before503 = sigstore.count('rekor', 503);
    sigstore.fail('rekor', 503, 2);
    const ok = await runAction(dir, { cwd: rel.dir, inputs: base });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(sigstore.count('rekor', 503) - before503).toBe(2);
    expect(ok.log).toMatch(/Rekor: the transparency-log entry for dist\/hello_1.4.0_checksums.txt failed \(HTTP 503\); retry 1/);

    const rel2 = await release();
    const before400 = sigstore.count('rekor');
    sigstore.fail('rekor', 400, 1, 'entry rejected: unsupported public key (goship test)');
    const bad = await runAction(dir, { cwd: rel2.dir, inputs: base });
    expect(bad.exitCode).toBe(1);
    expect(sigstore.count('rekor') - before400).toBe(1);
    const err = bad.annotations.find((a) => a.type === 'error')?.message ?? '';
    expect(err).toContain('Rekor refused the transparency-log entry');
    expect(err).toContain('HTTP 400: entry rejected: unsupported public key (goship test)');
    expect(existsSync(path.join(rel2.dir, 'dist', 'hello_1.4.0_checksums.txt.sigstore.json'))).toBe(false);
  });

  it('no secret reaches the log or the summary (canaries)', async () => {
    const rel = await release();
    const key = await readFile(path.join(keys, 'cosign.key'), 'utf8');
    const signed = await runAction(dir, {
      cwd: rel.dir,
      env: { RUNNER_DEBUG: '1', ...sigstore.tokenEnv() },
      inputs: {
        mode: 'keyless',
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'trusted-root': 'keys/trusted_root.json',
        'github-attestations': false,
        sign: 'all',
      },
    });
    expect(signed.exitCode, signed.log).toBe(0);
    const wrongPw = await runAction(dir, {
      cwd: rel.dir,
      env: { RUNNER_DEBUG: '1' },
      inputs: { mode: 'key', key, 'key-password': `${PASSWORD}-wrong`, tlog: false },
    });
    expect(wrongPw.exitCode).toBe(1);
    const text = [signed.log, signed.summary, wrongPw.log, wrongPw.summary].join('\n');
    const tokens = sigstore.issuedTokens;
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) {
      // Masking is the runner's job; the action must never print the value except in ::add-mask::.
      const unmasked = text.split('\n').filter((l) => !l.startsWith('::add-mask::'));
      expect(unmasked.some((l) => l.includes(t) || l.includes(t.split('.')[2]!))).toBe(false);
    }
    const body = key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    for (const secret of [PASSWORD, `${PASSWORD}-wrong`, sigstore.requestToken, ...body]) {
      const unmasked = text.split('\n').filter((l) => !l.startsWith('::add-mask::'));
      expect(unmasked.filter((l) => l.includes(secret))).toEqual([]);
    }
    // …and the secrets were registered for masking.
    expect(wrongPw.log).toContain(`::add-mask::${PASSWORD}-wrong`);
  });

  describe('bad input fails before anything is signed', () => {
    const cases: [string, (at: string) => Promise<Record<string, string>>, Record<string, string> | undefined, RegExp][] = [
      [
        'key mode without a key',
        async () => ({ mode: 'key' }),
        undefined,
        /^sign-attest: Input "key": got "" \(empty\); expected the signing key in key mode/,
      ],
      [
        'a wrong password',
        async () => ({ mode: 'key', key: 'keys/cosign.key', 'key-password': 'nope' }),
        undefined,
        /^sign-attest: Input "key-password": got "\(hidden\)"; expected the password the key was encrypted with/,
      ],
      [
        'an unsupported key type',
        async (at) => {
          await tool('openssl', [
            'genpkey',
            '-algorithm',
            'RSA',
            '-pkeyopt',
            'rsa_keygen_bits:2048',
            '-out',
            path.join(at, 'keys', 'rsa.pem'),
          ]);
          return { mode: 'key', key: 'keys/rsa.pem' };
        },
        undefined,
        /^sign-attest: Input "key": got "\(a rsa key\)"; expected an ECDSA P-256 key/,
      ],
      [
        'subjects that match nothing',
        async () => ({ mode: 'key', key: 'keys/cosign.key', 'key-password': PASSWORD, subjects: 'dist/*.zip' }),
        undefined,
        /^sign-attest: Input "subjects": got "dist\/\*.zip"; expected globs that match at least one file/,
      ],
      [
        'a trusted root outside the workspace',
        async () => ({
          'trusted-root': '/nonexistent/trusted_root.json',
          'rekor-url': sigstore.urls.rekor,
          'fulcio-url': sigstore.urls.fulcio,
        }),
        sigstore?.tokenEnv(),
        /^sign-attest: Input "trusted-root": got "\/nonexistent\/trusted_root.json"; expected a path inside the workspace/,
      ],
      [
        'a trusted root that is not one',
        async () => ({ 'trusted-root': 'dist/goship-manifest.json', 'rekor-url': sigstore.urls.rekor, 'fulcio-url': sigstore.urls.fulcio }),
        sigstore?.tokenEnv(),
        /^sign-attest: Input "trusted-root": got ".*goship-manifest.json"; expected a Sigstore trusted root/,
      ],
      [
        'keyless without id-token permission',
        async () => ({ mode: 'keyless' }),
        {},
        /^sign-attest: Input "mode": got "keyless"; expected an OIDC token from the workflow \(`permissions: id-token: write`\)/,
      ],
      [
        'verify mode without an identity',
        async () => ({ mode: 'verify', 'trusted-root': 'keys/trusted_root.json' }),
        undefined,
        /^sign-attest: Input "certificate-identity": got "" \(empty\); expected the expected signer in verify mode/,
      ],
      [
        'an unknown sign kind',
        async () => ({ mode: 'key', key: 'keys/cosign.key', 'key-password': PASSWORD, sign: 'checksums,tarballs' }),
        undefined,
        /^sign-attest: Input "sign": got "tarballs"/,
      ],
    ];
    for (const [name, inputs, env, message] of cases) {
      it(name, async () => {
        const rel = await release();
        const before = sigstore.requests.length;
        const r = await runAction(dir, {
          cwd: rel.dir,
          env: env ?? sigstore.tokenEnv(),
          inputs: { 'github-attestations': 'false', ...(await inputs(rel.dir)) },
        });
        expect(r.exitCode).toBe(1);
        const errors = r.annotations.filter((a) => a.type === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0]!.message).toMatch(message);
        expect(await signatureFiles(rel.dir)).toEqual([]);
        expect(sigstore.requests.length).toBe(before);
        expect(r.log).not.toContain('    at ');
      });
    }
  });
});
