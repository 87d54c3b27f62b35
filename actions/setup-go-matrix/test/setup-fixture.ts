import { parsePlatform } from '@goship/core/platform';
import type { SetupInputs } from '../src/inputs.js';
import { buildGroups, testMatrix } from '../src/matrix.js';
import type { Setup } from '../src/setup.js';
import { parseSpecs } from '../src/versions.js';

/** A finished main step's results, as the steps hand them over: for the outputs and the summary. */
export function setupFixture(o: Partial<Setup> = {}): Setup {
  const platforms = ['linux/amd64', 'linux/arm/v7', 'windows/amd64'].map((p) => parsePlatform(p));
  const inp = {
    workdir: '/ws/mod',
    specs: parseSpecs(['go.mod', 'stable']),
    platforms,
    oses: ['ubuntu-latest'],
    gitToken: 'ghp_fixtureToken1',
  } as SetupInputs;
  return {
    inp,
    res: {
      versionFile: { file: '/ws/mod/go.mod', kind: 'go.mod', go: '1.24.0', module: 'example.com/hello' },
      goMod: { file: '/ws/mod/go.mod', kind: 'go.mod', go: '1.24.0', module: 'example.com/hello' },
      resolved: [
        { spec: 'go.mod', version: '1.24.0', how: 'go.mod go line' },
        { spec: 'stable', version: '1.26.8', how: 'newest release' },
      ],
      versions: ['1.24.0', '1.26.8'],
      version: '1.24.0',
      goDirective: '1.24.0',
      userGotoolchain: '',
    },
    matrix: testMatrix(['1.24.0', '1.26.8'], ['ubuntu-latest']),
    groups: buildGroups(platforms, 2),
    go: { goroot: '/tc/go/1.24.0/x64', how: 'runner tool cache', goBin: '/tc/go/1.24.0/x64/bin/go', goBinVersion: '1.24.0' },
    targets: { ports: [{ GOOS: 'linux', GOARCH: 'arm', CgoSupported: true, FirstClass: true }], from: 'go tool dist list of Go 1.24.0' },
    env: {
      exported: {
        GOTOOLCHAIN: 'local',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'include.path',
        GIT_CONFIG_VALUE_0: '/rt/goship-git-x/config',
      },
      goenv: {},
      credentials: { file: '/rt/goship-git-x/config', hosts: ['github.com'] },
    },
    caches: {
      restored: [
        {
          kind: 'modules',
          path: '/m',
          key: 'mod-key',
          restoreKeys: [],
          matchedKey: 'mod-key',
          save: true,
          outcome: 'hit',
          seconds: 1.25,
          bytes: 2048,
        },
        {
          kind: 'build',
          path: '/b',
          key: 'build-key',
          restoreKeys: ['b-'],
          matchedKey: 'b-old',
          save: true,
          outcome: 'partial',
          seconds: 0.5,
          bytes: 0,
        },
      ],
      note: '',
    },
    analysis: { binaries: [{ importPath: 'example.com/hello', dir: '.', name: 'hello' }], affectedBinaries: [] },
    ...o,
  };
}
