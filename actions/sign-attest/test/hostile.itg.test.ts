/**
 * The hostile-input catalogue of sign-attest, through the committed bundle (the test kit's
 * harness): every case must fail with an `::error::` naming the input, print no stack, write
 * nothing outside the workspace (the trap folder), print no trap content and no canary secret,
 * and send no request to the Sigstore stand-in or the registry — before anything is signed.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readManifest, writeManifest } from '@goship/core/manifest';
import { actionDir, runTool, tempDir } from '@goship/testkit';
import { CANARIES, type HostileCase, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { type RegistryProxy, type TestRegistry, startProxy, startRegistry } from '@goship/testkit/registry';
import { type SigstoreStandIn, startSigstore } from '@goship/testkit/sigstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinaries, makeRelease } from './release.js';

const dir = actionDir('sign-attest');
const D = `sha256:${'d'.repeat(64)}`;

describe('sign-attest hostile inputs', () => {
  let sigstore: SigstoreStandIn;
  let registry: TestRegistry;
  let proxy: RegistryProxy;
  let keys: string;
  let bins: string;
  let release: string;

  beforeAll(async () => {
    keys = await tempDir('goship-hostile-keys-');
    [sigstore, registry, bins] = await Promise.all([
      startSigstore(),
      startRegistry(),
      buildBinaries(),
      // The key opens with the canary password: a case that gets past key loading would sign.
      runTool('cosign', ['generate-key-pair', '--output-key-prefix', path.join(keys, 'cosign')], { COSIGN_PASSWORD: CANARIES.keyPassword }),
    ]);
    proxy = await startProxy(registry);
    await sigstore.writeTrustedRoot(path.join(keys, 'trusted_root.json'));
    const rel = await makeRelease({ binaryCache: bins });
    // An image at the proxy: a case that got as far as the registry would be counted.
    const m = await readManifest(rel.manifestPath);
    m.artifacts.push({
      kind: 'image',
      name: `${proxy.host}/goship/hello`,
      ref: `${proxy.host}/goship/hello@${D}`,
      platforms: ['linux/amd64'],
    });
    await writeManifest(rel.manifestPath, m);
    release = rel.dir;
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
    await sigstore?.close();
  });

  /** A fresh workspace: the release in the module, the keys, and hostile manifests beside the good one. */
  async function workspace(): Promise<HostileWorkspace> {
    const ws = await hostileWorkspace();
    await runTool('cp', ['-r', path.join(release, 'dist'), path.join(ws.module, 'dist')]);
    await mkdir(path.join(ws.module, 'keys'));
    for (const f of ['cosign.key', 'cosign.pub', 'trusted_root.json'])
      await writeFile(path.join(ws.module, 'keys', f), await readFile(path.join(keys, f)));
    const good = JSON.parse(await readFile(path.join(ws.module, 'dist', 'goship-manifest.json'), 'utf8'));
    const variant = async (name: string, edit: (m: typeof good) => void): Promise<void> => {
      const m = structuredClone(good);
      edit(m);
      await writeFile(path.join(ws.module, 'dist', name), JSON.stringify(m));
    };
    const archive = (m: typeof good) => m.artifacts.find((a: { kind: string }) => a.kind === 'archive');
    await variant('escape.json', (m) => (archive(m).path = '../../trap/passwd'));
    await variant('absolute.json', (m) => (archive(m).path = path.join(ws.trap, 'passwd')));
    await variant('symlinked.json', (m) => (archive(m).path = 'trap-link/passwd'));
    await variant(
      'tag-image.json',
      (m) => (m.artifacts.find((a: { kind: string }) => a.kind === 'image').ref = `${proxy.host}/goship/hello:latest`),
    );
    await variant('changed.json', (m) => (archive(m).sha256 = 'e'.repeat(64)));
    await variant('bad-kind.json', (m) => m.artifacts.push({ kind: 'rootkit', name: 'x', path: 'dist/x' }));
    return ws;
  }

  type Case = Omit<HostileCase, 'inputs'> & { inputs: Record<string, string | undefined>; setup?: (ws: HostileWorkspace) => Promise<void> };
  // Built again inside each test: the stand-ins' URLs exist only once beforeAll ran.
  const cases = (): Case[] => {
    const key = { mode: 'key', key: 'keys/cosign.key', 'key-password': CANARIES.keyPassword, 'github-token': CANARIES.token };
    const keyless = {
      mode: 'keyless',
      'fulcio-url': sigstore?.urls.fulcio,
      'rekor-url': sigstore?.urls.rekor,
      'github-token': CANARIES.token,
    };
    return [
      // modes and kinds
      { name: 'an unknown mode', inputs: { ...key, mode: 'sigstore' }, input: 'mode' },
      { name: 'a mode in capitals', inputs: { ...key, mode: 'KEY' }, input: 'mode' },
      { name: 'a unicode look-alike mode', inputs: { ...key, mode: 'kéyless' }, input: 'mode' },
      { name: 'an unknown sign kind', inputs: { ...key, sign: 'checksums, tarballs' }, input: 'sign' },
      { name: 'sign kinds joined with ;', inputs: { ...key, sign: 'checksums;archives' }, input: 'sign' },
      { name: 'a command substitution as a sign kind', inputs: { ...key, sign: '$(touch ../../trap/pwned)' }, input: 'sign' },
      { name: 'a 10 000-character sign kind', inputs: { ...key, sign: 'a'.repeat(10_000) }, input: 'sign' },
      { name: 'an unknown SBOM attestation mode', inputs: { ...key, 'sbom-attestations': 'sometimes' }, input: 'sbom-attestations' },
      // URLs
      {
        name: 'a Fulcio URL without a scheme',
        inputs: { ...keyless, 'fulcio-url': 'fulcio.example.com' },
        input: 'fulcio-url',
        env: sigstore?.tokenEnv(),
      },
      { name: 'a file: Rekor URL', inputs: { ...key, 'rekor-url': 'file:///etc/passwd' }, input: 'rekor-url' },
      { name: 'a javascript: TSA URL', inputs: { ...key, 'tsa-url': 'javascript:alert(1)' }, input: 'tsa-url' },
      {
        name: 'a Rekor URL carrying a password (not echoed)',
        inputs: { ...key, 'rekor-url': `https://robot:${CANARIES.password}@rekor.example.com` },
        input: 'rekor-url',
      },
      { name: 'a URL with a space', inputs: { ...key, 'rekor-url': 'https://rekor.example.com/ $(id)' }, input: 'rekor-url' },
      // durations and numbers
      { name: 'a duration in words', inputs: { ...key, 'retry-timeout': '10 minutes' }, input: 'retry-timeout' },
      { name: 'a negative duration', inputs: { ...key, 'retry-timeout': '-5m' }, input: 'retry-timeout' },
      { name: 'concurrency 0', inputs: { ...key, concurrency: '0' }, input: 'concurrency' },
      { name: 'concurrency 1e9', inputs: { ...key, concurrency: '1e9' }, input: 'concurrency' },
      { name: 'concurrency with a shell tail', inputs: { ...key, concurrency: '8; rm -rf /' }, input: 'concurrency' },
      { name: 'a boolean that is not one', inputs: { ...key, tlog: 'maybe' }, input: 'tlog' },
      { name: 'provenance: yes please', inputs: { ...key, provenance: 'yes please' }, input: 'provenance' },
      // subjects
      { name: 'subjects climbing out with ../', inputs: { ...key, subjects: '../../trap/passwd' }, input: 'subjects' },
      { name: 'an absolute subject', inputs: { ...key, subjects: '/etc/passwd' }, input: 'subjects' },
      { name: 'a subject through a symlink out', inputs: { ...key, subjects: 'trap-link/passwd' }, input: 'subjects' },
      { name: 'a glob that climbs out midway', inputs: { ...key, subjects: 'dist/**/../../../trap/*' }, input: 'subjects' },
      { name: 'a subject that looks like a flag', inputs: { ...key, subjects: '--help' }, input: 'subjects' },
      { name: 'a unicode subject that matches nothing', inputs: { ...key, subjects: 'dist/ünïcødé-*.tar.gz' }, input: 'subjects' },
      // manifests
      { name: 'a manifest outside the workspace', inputs: { ...key, manifest: '../../trap/passwd' }, input: 'manifest' },
      { name: 'a manifest through a symlink out', inputs: { ...key, manifest: 'trap-link/passwd' }, input: 'manifest' },
      {
        name: 'a manifest that is not JSON (content not quoted)',
        inputs: { ...key, manifest: 'dist/hello_1.4.0_checksums.txt' },
        input: 'manifest',
      },
      { name: 'a manifest that does not exist', inputs: { ...key, manifest: 'dist/nope.json' }, input: 'manifest' },
      { name: 'a manifest listing ../ paths', inputs: { ...key, manifest: 'dist/escape.json', sign: 'archives' }, input: 'manifest' },
      {
        name: 'a manifest listing an absolute path outside',
        inputs: { ...key, manifest: 'dist/absolute.json', sign: 'archives' },
        input: 'manifest',
      },
      {
        name: 'a manifest listing a symlink out',
        inputs: { ...key, manifest: 'dist/symlinked.json', sign: 'archives' },
        input: 'manifest',
      },
      { name: 'a manifest whose archive changed since the build', inputs: { ...key, manifest: 'dist/changed.json' }, input: 'manifest' },
      { name: 'a manifest with an image not pinned by digest', inputs: { ...key, manifest: 'dist/tag-image.json' }, input: 'manifest' },
      { name: 'a manifest with an unknown artifact kind', inputs: { ...key, manifest: 'dist/bad-kind.json' }, input: 'manifest' },
      {
        name: 'a bundle path pre-placed as a symlink into the trap',
        inputs: key,
        input: 'manifest',
        setup: (ws) => symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'dist', 'hello_1.4.0_checksums.txt.sigstore.json')),
      },
      {
        name: 'the provenance path pre-placed as a symlink into the trap',
        inputs: key,
        input: 'manifest',
        setup: (ws) => symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'dist', 'hello_1.4.0.intoto.jsonl')),
      },
      { name: 'a working directory outside', inputs: { ...key, 'working-directory': '../../trap' }, input: 'working-directory' },
      { name: 'the root as working directory', inputs: { ...key, 'working-directory': '/' }, input: 'working-directory' },
      // keys, passwords, tokens
      { name: 'a key path outside the workspace', inputs: { ...key, key: '../../trap/passwd' }, input: 'key' },
      { name: 'a key path through a symlink out', inputs: { ...key, key: 'trap-link/passwd' }, input: 'key' },
      { name: 'the system password file as key', inputs: { ...key, key: '/etc/passwd' }, input: 'key' },
      { name: 'a key that is a canary, not a key (not echoed)', inputs: { ...key, key: CANARIES.webhook }, input: 'key' },
      {
        name: 'a PEM block around a canary (not echoed)',
        inputs: { ...key, key: `-----BEGIN PRIVATE KEY-----\n${CANARIES.webhook}\n-----END PRIVATE KEY-----` },
        input: 'key',
      },
      { name: 'a key file that is a public key', inputs: { ...key, key: 'keys/cosign.pub' }, input: 'key' },
      { name: 'a wrong key password', inputs: { ...key, 'key-password': `${CANARIES.password}` }, input: 'key-password' },
      {
        name: 'a key password with a line break',
        inputs: { ...key, 'key-password': `${CANARIES.keyPassword}\nsecond line` },
        input: 'key-password',
      },
      {
        name: 'a GitHub token with a line break',
        inputs: { ...key, 'github-token': `${CANARIES.token}\r\nX-Injected: 1` },
        input: 'github-token',
      },
      { name: 'a trusted root outside the workspace', inputs: { ...key, 'trusted-root': '../../trap/passwd' }, input: 'trusted-root' },
      { name: 'a trusted root through a symlink out', inputs: { ...key, 'trusted-root': 'trap-link/passwd' }, input: 'trusted-root' },
      {
        name: 'a trusted root that is not one (content not quoted)',
        inputs: { ...key, 'trusted-root': 'dist/hello_1.4.0_checksums.txt' },
        input: 'trusted-root',
      },
      // combinations
      { name: 'key mode without a key', inputs: { ...key, key: '' }, input: 'key' },
      { name: 'keyless without an OIDC token', inputs: keyless, input: 'mode' },
      { name: 'keyless without log or timestamps', inputs: { ...keyless, tlog: 'false' }, input: 'tlog', env: sigstore?.tokenEnv() },
      {
        name: 'raw signatures in keyless mode',
        inputs: { ...keyless, 'raw-signatures': 'true' },
        input: 'raw-signatures',
        env: sigstore?.tokenEnv(),
      },
      { name: 'GitHub attestations in key mode', inputs: { ...key, 'github-attestations': 'true' }, input: 'github-attestations' },
      {
        name: 'verify mode without an expected signer',
        inputs: { mode: 'verify', 'trusted-root': 'keys/trusted_root.json' },
        input: 'certificate-identity',
      },
      {
        name: 'verify mode with a broken identity regexp',
        inputs: { mode: 'verify', 'certificate-identity-regexp': '(unclosed' },
        input: 'certificate-identity-regexp',
      },
    ];
  };

  it('has at least 30 cases', () => {
    expect(cases().length).toBeGreaterThanOrEqual(30);
  });

  it('controls: good inputs sign (the harness says "exited 0"); reaching the registry is counted', async () => {
    const requests = () => sigstore.requests.length + proxy.requests.length;
    const good = { mode: 'key', key: 'keys/cosign.key', 'key-password': CANARIES.keyPassword, tlog: 'false' };
    const ws = await workspace();
    const signed = await runHostile(
      dir,
      ws,
      { name: 'good', inputs: { ...good, sign: 'checksums', provenance: 'false' }, input: 'key' },
      { requests },
    );
    expect(signed.result.exitCode, signed.result.log.slice(-2000)).toBe(0);
    expect(signed.problems.sort()).toEqual(['exited 0', 'no ::error:: names input "key" (errors: none)']);
    expect(await readFile(path.join(ws.module, 'dist', 'hello_1.4.0_checksums.txt.sigstore.json'), 'utf8')).toContain('v0.3');
    // With provenance, the attestation is attached to the manifest's image: the proxy sees it.
    const attached = await runHostile(dir, await workspace(), { name: 'image', inputs: good, input: 'key' }, { requests });
    expect(attached.problems.some((p) => /request\(s\) reached a service/.test(p))).toBe(true);
  });

  for (const c of cases()) {
    it(c.name, async () => {
      const ws = await workspace();
      const live = cases().find((x) => x.name === c.name)!;
      await live.setup?.(ws);
      const inputs = Object.fromEntries(Object.entries(live.inputs).filter((e): e is [string, string] => e[1] !== undefined));
      const { problems, result } = await runHostile(
        dir,
        ws,
        { ...live, inputs },
        { requests: () => sigstore.requests.length + proxy.requests.length },
      );
      expect(problems, result.log.slice(-3000)).toEqual([]);
      if (process.env.GOSHIP_SHOW_ERRORS) console.log(`${c.name}: ${result.annotations.find((a) => a.type === 'error')?.message}`);
    });
  }
});
