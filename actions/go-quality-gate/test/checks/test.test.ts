import { describe, expect, it } from 'vitest';
import { testArgv } from '../../src/checks/test.js';
import type { GateContext } from '../../src/gate.js';

const g = (cfg: Partial<GateContext['cfg']>): GateContext =>
  ({ cfg: { buildTags: '', packages: ['./...'], testArgs: [], bench: '.', benchCount: 6, ...cfg } }) as unknown as GateContext;

describe('the go test run', () => {
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
});
