/**
 * sign-attest's committed bundle on a release whose module has a `.goreleaser.yaml` with `signs`
 * (a cosign entry for archives named like goship's bundles, a gpg entry for the checksums) and
 * `sboms` (archives): the archives are signed, the gpg entry is not mapped and is listed, the
 * archive SBOM is attested; an explicit `sign` input overrides the file; `config: none` ignores it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { actionDir, runAction } from '@goship/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBinaries, makeRelease } from './release.js';

const dir = actionDir('sign-attest');
const KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const GORELEASER = [
  'version: 2',
  'project_name: hello',
  'signs:',
  '  - cmd: cosign',
  '    artifacts: archive',
  '    signature: "${artifact}.sigstore.json"',
  '    args: [sign-blob, "--bundle=${signature}", "${artifact}", --yes]',
  '  - id: gpg',
  '    cmd: gpg',
  '    artifacts: checksum',
  'sboms:',
  '  - artifacts: archive',
  '',
].join('\n');

let bins = '';
beforeAll(async () => {
  bins = await buildBinaries();
}, 300_000);

const sign = (cwd: string, inputs: Record<string, string> = {}) =>
  runAction(dir, {
    cwd,
    inputs: { mode: 'key', key: KEY, tlog: 'false', provenance: 'false', 'github-attestations': 'false', ...inputs },
  });

describe('sign-attest with .goreleaser.yaml', () => {
  it('signs what the cosign entry names, attests the archive SBOM, lists the gpg entry as not applied', async () => {
    const rel = await makeRelease({ binaryCache: bins });
    await writeFile(path.join(rel.dir, '.goreleaser.yaml'), GORELEASER);
    const r = await sign(rel.dir);
    expect(r.exitCode, r.log).toBe(0);
    const dist = path.join(rel.dir, 'dist');
    expect(Object.keys(JSON.parse(r.outputs.bundles!)).sort()).toEqual([
      'hello_1.4.0_linux_amd64.tar.gz',
      'hello_1.4.0_linux_arm64.tar.gz',
    ]);
    expect(existsSync(path.join(dist, 'hello_1.4.0_linux_amd64.tar.gz.sigstore.json'))).toBe(true);
    expect(existsSync(path.join(dist, 'hello_1.4.0_checksums.txt.sigstore.json'))).toBe(false);
    expect(existsSync(path.join(dist, 'hello_1.4.0_linux_amd64.tar.gz.spdx.intoto.jsonl'))).toBe(true);
    expect(r.log).toContain('Using .goreleaser.yaml (signs and sboms; inputs given in the step override it): sign: images, archives');
    expect(r.summary).toContain('Not applied from .goreleaser.yaml');
    expect(r.summary).toMatch(/`signs\[1\]` \| \.goreleaser\.yaml:8 \| a `gpg` signer: no such signature is made/);
    expect(r.summary).toMatch(/`signs\[0\]\.cmd` \| \.goreleaser\.yaml:4 \|/);
    expect(r.summary).not.toContain('signs[0].signature');
  });

  it('an explicit `sign` input overrides the file; `config: none` ignores it', async () => {
    const rel = await makeRelease({ binaryCache: bins });
    await writeFile(path.join(rel.dir, '.goreleaser.yaml'), GORELEASER);
    const r = await sign(rel.dir, { sign: 'checksums' });
    expect(r.exitCode, r.log).toBe(0);
    expect(Object.keys(JSON.parse(r.outputs.bundles!))).toEqual(['hello_1.4.0_checksums.txt']);
    expect(r.summary).toMatch(/`signs` \| \.goreleaser\.yaml:3 \| the input `sign` is given and overrides it/);

    const rel2 = await makeRelease({ binaryCache: bins });
    await writeFile(path.join(rel2.dir, '.goreleaser.yaml'), GORELEASER);
    const n = await sign(rel2.dir, { config: 'none' });
    expect(n.exitCode, n.log).toBe(0);
    expect(Object.keys(JSON.parse(n.outputs.bundles!))).toEqual(['hello_1.4.0_checksums.txt']);
    expect(n.log).not.toContain('Using .goreleaser.yaml');
    expect(existsSync(path.join(rel2.dir, 'dist', 'hello_1.4.0_linux_amd64.tar.gz.spdx.intoto.jsonl'))).toBe(false);
  });
});
