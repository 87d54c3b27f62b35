/**
 * `signs` and `sboms` of a `.goreleaser.yaml` mapped onto sign-attest: cosign entries give the
 * kinds to sign, `sboms` which SBOMs are attested; another signer, other signature names and ids
 * are listed as not applied; inputs given in the step override the file; `config: none` and
 * verify mode read no file.
 */
import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Inputs } from '@goship/core/action';
import { loadConfig } from '@goship/core/config-input';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { fileSigning } from '../src/goreleaser.js';
import { fileLog } from '../src/report.js';

/** The file as the action reads it: through loadConfig, from a folder of its own. */
const gr = (yaml: string) => {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'goship-sign-gr-')));
  writeFileSync(path.join(dir, '.goreleaser.yaml'), `version: 2\n${yaml}`);
  return loadConfig('', { moduleDir: dir, roots: { workspace: dir }, env: {}, repository: 'octo/hello' })!;
};
const none = Inputs.of({});
const rows = (f: ReturnType<typeof fileSigning>) => f.notApplied.map((n) => `${n.key} @${n.where}`);

describe('fileSigning', () => {
  it('cosign entries: artifacts become sign kinds (images kept); a bundle-named signature is applied', () => {
    const f = fileSigning(
      gr(
        [
          'signs:',
          '  - cmd: cosign',
          '    artifacts: checksum',
          '    signature: "${artifact}.sigstore.json"',
          '    args: [sign-blob, "--bundle=${signature}", "${artifact}", --yes]',
          '  - id: pkgs',
          '    cmd: /usr/local/bin/cosign',
          '    artifacts: package',
          '',
        ].join('\n'),
      ),
      none,
    );
    expect([...f.sign!].sort()).toEqual(['checksums', 'images', 'packages']);
    // The command and its args are not run (core's rows); the signature name is goship's own, so it is applied.
    expect(rows(f)).toEqual(['signs[0].cmd @.goreleaser.yaml:3', 'signs[0].args @.goreleaser.yaml:6', 'signs[1].cmd @.goreleaser.yaml:8']);
  });

  it('GoReleaser’s `all` is what a release uploads: checksums, archives, packages, SBOMs', () => {
    const f = fileSigning(gr('signs:\n  - cmd: cosign\n    artifacts: all\n'), none);
    expect([...f.sign!].sort()).toEqual(['archives', 'checksums', 'images', 'packages', 'sboms']);
  });

  it('a gpg signer (explicit or GoReleaser’s default cmd) is not mapped and is listed with why', () => {
    const f = fileSigning(gr('signs:\n  - cmd: gpg\n    artifacts: checksum\n  - id: other\n    artifacts: all\n'), none);
    expect(f.sign).toBeUndefined();
    expect(rows(f)).toContain('signs[0] @.goreleaser.yaml:3');
    expect(rows(f)).toContain('signs[1] @.goreleaser.yaml:5');
    expect(f.notApplied.find((n) => n.key === 'signs[0]')!.reason).toMatch(/`gpg` signer/);
    expect(f.notApplied.find((n) => n.key === 'signs[1]')!.reason).toMatch(/gpg/);
  });

  it('other signature names, ids and source are listed', () => {
    const f = fileSigning(gr('signs:\n  - cmd: cosign\n    artifacts: source\n    ids: [a]\n    signature: "${artifact}.bundle"\n'), none);
    expect([...f.sign!]).toEqual(['images']);
    expect(rows(f)).toEqual(
      expect.arrayContaining([
        'signs[0].signature @.goreleaser.yaml:6',
        'signs[0].artifacts @.goreleaser.yaml:4',
        'signs[0].ids @.goreleaser.yaml:5',
      ]),
    );
  });

  it('sboms: enabled entries attest the SBOMs of the kinds they describe; disabled ones do not count', () => {
    const f = fileSigning(
      gr('sboms:\n  - artifacts: archive\n  - id: pk\n    artifacts: package\n  - id: off\n    artifacts: binary\n    disable: true\n'),
      none,
    );
    expect(f.sbomAttestations).toBe('all');
    expect([...f.sbomDescribes!].sort()).toEqual(['archive', 'package']);
    expect(fileSigning(gr('sboms:\n  - artifacts: any\n'), none).sbomDescribes).toEqual(new Set(['archive', 'binary', 'package']));
    expect(fileSigning(gr('project_name: x\n'), none).sbomAttestations).toBeUndefined();
  });

  it('inputs given in the step override the file, and say so', () => {
    const f = fileSigning(
      gr('signs:\n  - cmd: cosign\n    artifacts: all\nsboms:\n  - artifacts: archive\n'),
      Inputs.of({ sign: 'checksums', 'sbom-attestations': 'none' }),
    );
    expect(f.sign).toBeUndefined();
    expect(f.sbomAttestations).toBeUndefined();
    expect(rows(f)).toEqual(expect.arrayContaining(['signs @.goreleaser.yaml:2', 'sboms @.goreleaser.yaml:5']));
  });
});

describe('readConfig with a GoReleaser file', () => {
  let ws = '';
  const TOKEN_ENV = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?x=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };
  const read = (inputs: Record<string, string>) =>
    readConfig(
      Inputs.of(inputs, new Map(['key', 'key-password', 'github-token'].map((k) => [k, inputs[k] ?? '']))),
      { GITHUB_WORKSPACE: ws, ...TOKEN_ENV },
      ws,
    );

  beforeAll(async () => {
    ws = path.join(await realpath(await mkdtemp(path.join(os.tmpdir(), 'goship-sign-gr-'))), 'ws');
    await mkdir(ws, { recursive: true });
    await writeFile(
      path.join(ws, '.goreleaser.yaml'),
      'version: 2\nproject_name: hello\nsigns:\n  - cmd: cosign\n    artifacts: archive\nsboms:\n  - artifacts: archive\n',
    );
  });

  it('auto-detects the file: sign and sbom-attestations come from it, and the log says what was taken', () => {
    const c = read({});
    expect([...c.sign].sort()).toEqual(['archives', 'images']);
    expect(c.sbomAttestations).toBe('all');
    expect(c.sbomDescribes).toEqual(new Set(['archive']));
    expect(fileLog(c)[0]).toBe(
      'Using .goreleaser.yaml (signs and sboms; inputs given in the step override it): sign: images, archives; sbom-attestations: all (SBOMs of archive).',
    );
    expect(fileLog(c).slice(1)).toEqual([
      '.goreleaser.yaml: not applied: signs[0].cmd (.goreleaser.yaml:4): sign-attest signs with Sigstore (`<name>.sigstore.json` bundles); the command is not run',
    ]);
  });

  it('`config: none`, an explicit `sign`, and verify mode', () => {
    const n = read({ config: 'none' });
    expect([...n.sign].sort()).toEqual(['checksums', 'images']);
    expect(n.file).toBeUndefined();
    expect([...read({ sign: 'checksums' }).sign]).toEqual(['checksums']);
    expect(read({ mode: 'verify', 'certificate-identity': 'x' }).file).toBeUndefined();
  });

  it('a config outside the workspace is refused by name', () => {
    expect(() => read({ config: '../../etc/passwd' })).toThrow(/Input "config"/);
  });
});
