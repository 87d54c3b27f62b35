/** A GateContext for unit tests: only what the code under test reads is filled in. */
import type { CheckResult } from '../src/checks/check.js';
import { type Finding, PathMapper } from '../src/findings.js';
import type { GateContext } from '../src/gate.js';

export function fakeGate(over: Omit<Partial<GateContext>, 'cfg'> & { cfg?: Partial<GateContext['cfg']> } = {}): GateContext {
  const { cfg, ...rest } = over;
  return {
    cfg: { workdir: '/ws/mod', lint: { staticcheck: [] }, race: true, failOnVuln: 'called', buildTags: '', packages: ['./...'], ...cfg },
    log: { info: () => undefined, debug: () => undefined, group: () => undefined },
    paths: new PathMapper('/ws', '/ws/mod', 'example.com/m'),
    modulePath: 'example.com/m',
    moduleGo: '1.24.0',
    goVersion: '1.26.8',
    gofmt: 'gofmt',
    outDir: '/tmp/out',
    enabled: new Set(['fmt', 'staticcheck']),
    tools: {},
    installs: new Map(),
    ...rest,
  } as GateContext;
}

export const lintFinding = (o: Partial<Finding> = {}): Finding => ({
  check: 'staticcheck',
  class: 'lint',
  severity: 'error',
  rule: 'U1000',
  file: 'mod/old.go',
  line: 3,
  message: 'U1000: func unusedOld is unused',
  hint: 'h',
  ...o,
});

export const result = (name: string, o: Partial<CheckResult> = {}): CheckResult => ({
  name,
  status: 'passed',
  ms: 12,
  findings: [],
  preExisting: [],
  note: '',
  ...o,
});
