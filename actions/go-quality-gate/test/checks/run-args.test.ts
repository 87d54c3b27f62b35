import { describe, expect, it } from 'vitest';
import { benchArgv } from '../../src/checks/bench.js';
import { testArgv } from '../../src/checks/test.js';
import type { GateContext } from '../../src/gate.js';

const g = (cfg: Partial<GateContext['cfg']>): GateContext =>
  ({ cfg: { buildTags: '', packages: ['./...'], testArgs: [], bench: '.', benchCount: 6, ...cfg } }) as unknown as GateContext;

describe('go test command lines', () => {
  it('puts the packages before test-args, so `-args` in test-args hands only what follows it to the test binary', () => {
    const argv = testArgv(g({ buildTags: 'netgo', packages: ['./cmd/...'], testArgs: ['-timeout=5m', '-args', '-v'] }), '/t/c.out', true);
    expect(argv).toEqual([
      'test',
      '-json',
      '-race',
      '-covermode=atomic',
      '-coverprofile=/t/c.out',
      '-tags',
      'netgo',
      './cmd/...',
      '-timeout=5m',
      '-args',
      '-v',
    ]);
    expect(testArgv(g({}), '/t/c.out', false)).toEqual(['test', '-json', '-covermode=atomic', '-coverprofile=/t/c.out', './...']);
  });

  it('passes the benchmark regex as one -bench= value, never as a flag of its own', () => {
    expect(benchArgv(g({ bench: '-toolexec=./pwn.sh', benchCount: 3, testArgs: ['-benchtime=2s'] }))).toEqual([
      'test',
      '-run=^$',
      '-bench=-toolexec=./pwn.sh',
      '-count=3',
      './...',
      '-benchtime=2s',
    ]);
  });
});
