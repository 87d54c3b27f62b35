import { describe, expect, it } from 'vitest';
import { benchArgv } from '../../src/checks/bench.js';
import type { GateContext } from '../../src/gate.js';

const g = (cfg: Partial<GateContext['cfg']>): GateContext =>
  ({ cfg: { buildTags: '', packages: ['./...'], testArgs: [], bench: '.', benchCount: 6, ...cfg } }) as unknown as GateContext;

describe('the benchmark run', () => {
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
