/** race: the data races the go test run found with `-race` (input `race: false` runs the tests without it). */
import type { GateContext } from '../gate.js';
import { defineCheck } from './check.js';

export const race = defineCheck({
  name: 'race',
  cost: 'derived',
  byDefault: true,
  needsTestRun: true,
  run: (g: GateContext) => Promise.resolve(g.test?.races ?? []),
  status: (g, findings) => (!g.cfg.race ? 'skipped' : findings.some((f) => f.severity === 'error') ? 'failed' : 'passed'),
  note: (g, r) =>
    g.cfg.race ? `${r.findings.length} data race${r.findings.length === 1 ? '' : 's'}` : 'race: false — tests ran without -race',
});
