import { readActionYaml } from '@goship/testkit';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { setupOutputs } from '../src/outputs.js';
import { setupFixture } from './setup-fixture.js';

const actionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('outputs', () => {
  it('writes every output action.yml declares, and only those', async () => {
    const declared = Object.keys((await readActionYaml(actionDir)).outputs ?? {}).sort();
    expect(Object.keys(setupOutputs(setupFixture())).sort()).toEqual(declared);
  });

  it('carries the key facts as strings a workflow can chain', () => {
    const o = setupOutputs(setupFixture());
    expect(JSON.parse(o.matrix!)).toEqual({
      include: [
        { go: '1.24.0', os: 'ubuntu-latest' },
        { go: '1.26.8', os: 'ubuntu-latest' },
      ],
    });
    expect(o['go-version']).toBe('1.24.0');
    expect(JSON.parse(o['build-groups']!).include.map((g: { split: string }) => g.split)).toEqual(['1/2', '2/2']);
    expect(JSON.parse(o.platforms!)[1]).toMatchObject({ id: 'linux_arm_v7', goarm: '7', cgo: true });
    expect(o).toMatchObject({ module: 'example.com/hello', 'cache-hit': 'true', 'cache-key': 'mod-key', 'build-cache-key': 'build-key' });
    // without an analysis everything counts as affected
    expect(o.affected).toBe('true');
  });

  it('an analysis that found nothing changed says affected: false', () => {
    const affected = {
      base: 'abc',
      baseFrom: 'x',
      mergeBase: 'abc',
      changedFiles: ['README.md'],
      all: false,
      reason: 'no Go input changed',
      packages: [],
    };
    const o = setupOutputs(setupFixture({ analysis: { binaries: [], affected, affectedBinaries: [] } }));
    expect(o.affected).toBe('false');
    expect(o['affected-packages']).toBe('[]');
  });
});
