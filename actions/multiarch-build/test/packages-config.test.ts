/**
 * A GoReleaser file's `nfpms` under the package inputs: the file fills what is not given, an input
 * that is given wins, and a refused value from the file names its key and line.
 */
import { Inputs } from '@goship/core/action';
import { goreleaserConfigFromText } from '@goship/core/config';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { GoreleaserFile } from '../src/goreleaser-file.js';
import { PACKAGE_INPUT_DEFAULTS, readWithConfig, withPackageConfig } from '../src/packages/from-config.js';
import { readPackageSettings } from '../src/packages/settings.js';
import { resolveMetadata } from '../src/packages/step.js';
import { parsePlatform } from '@goship/core/platform';

function file(text: string): { file: GoreleaserFile; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-nfpms-'));
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/acme/widget\n\ngo 1.24.0\n');
  return { file: { path: path.join(dir, '.goreleaser.yaml'), config: goreleaserConfigFromText(text, { moduleDir: dir, env: {} }) }, dir };
}

const NFPMS = `version: 2
nfpms:
  - package_name: widget-cli
    maintainer: Ada <ada@acme.example>
    license: Apache-2.0
    formats: [deb, rpm]
    bindir: /usr/local/bin
    section: devel
`;

/** What the runner passes when no input is given: every declared input, at its action.yml default. */
const runnerDefaults = (over: Record<string, string> = {}): Inputs => Inputs.of({ ...PACKAGE_INPUT_DEFAULTS, packages: '', ...over });

describe('nfpms of a GoReleaser file as the package inputs', () => {
  it('fills the inputs that are not given (those at their action.yml default too)', () => {
    const { file: f, dir } = file(NFPMS);
    const s = readWithConfig(runnerDefaults(), f, (i) =>
      readPackageSettings(i, { workdir: dir, platforms: [parsePlatform('linux/amd64')] }),
    );
    expect(s.formats).toEqual(['deb', 'rpm']);
    expect(s).toMatchObject({
      name: 'widget-cli',
      bindir: '/usr/local/bin',
      section: 'devel',
      license: 'Apache-2.0',
      maintainer: 'Ada <ada@acme.example>',
    });
  });

  it('lets an input that is given win over the file', () => {
    const { file: f, dir } = file(NFPMS);
    const s = readWithConfig(runnerDefaults({ packages: 'apk', 'package-section': 'net' }), f, (i) =>
      readPackageSettings(i, { workdir: dir, platforms: [parsePlatform('linux/amd64')] }),
    );
    expect(s.formats).toEqual(['apk']);
    expect(s.section).toBe('net');
    expect(s.name).toBe('widget-cli');
  });

  it('names the key and line of a refused value from the file', () => {
    const { file: f, dir } = file(NFPMS.replace('bindir: /usr/local/bin', 'bindir: usr/bin'));
    expect(() =>
      readWithConfig(runnerDefaults(), f, (i) => readPackageSettings(i, { workdir: dir, platforms: [parsePlatform('linux/amd64')] })),
    ).toThrow(/nfpms\[0\]\.bindir \(\.goreleaser\.yaml:7\) \(read as input "package-bindir"\): got "usr\/bin"/);
  });

  it('builds no packages with packages: none, whatever the file says', () => {
    const { file: f, dir } = file(NFPMS);
    const s = readWithConfig(runnerDefaults({ packages: 'none' }), f, (i) =>
      readPackageSettings(i, { workdir: dir, platforms: [parsePlatform('linux/amd64')] }),
    );
    expect(s.formats).toEqual([]);
    expect(s.section).toBe('utils');
  });
  it('reads the inputs alone without a file', () => {
    const { inputs } = withPackageConfig(runnerDefaults({ packages: 'deb' }), undefined);
    expect(inputs.list('packages')).toEqual(['deb']);
  });

  it("knows action.yml's defaults of the package inputs", () => {
    const yml = parse(readFileSync(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    const nonEmpty = Object.fromEntries(
      Object.entries(yml.inputs)
        .filter(([k, v]) => k.startsWith('package-') && v.default)
        .map(([k, v]) => [k, v.default]),
    );
    expect(PACKAGE_INPUT_DEFAULTS).toEqual(nonEmpty);
  });
});

describe("a file's nfpms maintainer without an address", () => {
  const meta = (s: ReturnType<typeof readPackageSettings>, dir: string, warn: (m: string) => void) =>
    resolveMetadata(s, {
      workdir: dir,
      toplevel: dir,
      module: 'example.com/acme/widget',
      project: 'widget',
      version: '1.0.0',
      tag: 'v1.0.0',
      commit: 'c'.repeat(40),
      env: {},
      warn,
    });

  it('is built as the file says, with a warning (as GoReleaser does); the same value given as the input is refused', async () => {
    const { file: f, dir } = file(NFPMS.replace('Ada <ada@acme.example>', 'Fernand Galiana'));
    const read = (i: Inputs, fromFile: (input: string) => string | undefined) =>
      readPackageSettings(i, { workdir: dir, platforms: [parsePlatform('linux/amd64')], fromFile });
    const warnings: string[] = [];
    const fromFile = readWithConfig(runnerDefaults(), f, read);
    expect(fromFile.maintainerFromFile).toBe(true);
    expect((await meta(fromFile, dir, (m) => warnings.push(m))).maintainer).toBe('Fernand Galiana');
    expect(warnings).toEqual([expect.stringContaining('nfpms maintainer "Fernand Galiana" has no address')]);
    expect(() => readWithConfig(runnerDefaults({ 'package-maintainer': 'Fernand Galiana' }), f, read)).toThrow(
      /Input "package-maintainer": got "Fernand Galiana"; expected `Name <email>`/,
    );
  });
});
