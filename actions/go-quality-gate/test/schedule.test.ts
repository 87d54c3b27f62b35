import { describe, expect, it } from 'vitest';
import { CHECKS, checkNamed } from '../src/checks/index.js';
import type { GateContext } from '../src/gate.js';
import { selectChecks, startOrder } from '../src/schedule.js';

const names = (cs: readonly { name: string }[]): string[] => cs.map((c) => c.name);

function gate(enabled: string[], cfg: Partial<GateContext['cfg']> = {}): GateContext & { logged: string[] } {
  const logged: string[] = [];
  return {
    cfg: { lint: { staticcheck: [] }, bench: '', ...cfg },
    enabled: new Set(enabled),
    log: { info: (m: string) => logged.push(m), debug: () => undefined, group: () => undefined },
    logged,
  } as unknown as GateContext & { logged: string[] };
}

describe('the check registry', () => {
  it('lists every check once, cheap ones before the tool checks, derived and benchmark checks last', () => {
    expect(names(CHECKS)).toEqual(['fmt', 'mod', 'vet', 'test', 'staticcheck', 'golangci-lint', 'vuln', 'race', 'coverage', 'bench']);
    expect(new Set(names(CHECKS)).size).toBe(CHECKS.length);
    expect(names(CHECKS.filter((c) => c.byDefault))).toEqual(['fmt', 'mod', 'vet', 'test', 'staticcheck', 'vuln', 'race', 'coverage']);
    expect(names(CHECKS.filter((c) => c.linter))).toEqual(['staticcheck', 'golangci-lint']);
  });

  it("judges only the linters' own diagnostics as lint: compile errors, vet, tests, formatting and vulnerabilities always fail", () => {
    const f = (check: string, cls: string): string => checkNamed(check).classify({ check, class: cls } as never);
    expect(f('staticcheck', 'lint')).toBe('lint');
    expect(f('golangci-lint', 'lint')).toBe('lint');
    expect(f('staticcheck', 'undefined-symbol')).toBe('gate');
    expect(f('golangci-lint', 'compile')).toBe('gate');
    expect(f('staticcheck', 'tool')).toBe('gate');
    for (const [c, cls] of [
      ['vet', 'vet'],
      ['fmt', 'format'],
      ['test', 'test-failure'],
      ['mod', 'tidy'],
      ['vuln', 'vuln'],
      ['race', 'race'],
    ]) {
      expect(f(c!, cls!), c).toBe('gate');
    }
  });
});

describe('scheduling', () => {
  it('starts govulncheck first when there are two or more cores, else keeps cheap checks first', () => {
    const cs = ['fmt', 'mod', 'vet', 'test', 'staticcheck', 'vuln'].map(checkNamed);
    expect(names(startOrder(cs, 2))).toEqual(['vuln', 'fmt', 'mod', 'vet', 'test', 'staticcheck']);
    expect(names(startOrder(cs, 1))).toEqual(['fmt', 'mod', 'vet', 'test', 'staticcheck', 'vuln']);
    expect(names(startOrder(['fmt', 'test'].map(checkNamed), 4))).toEqual(['fmt', 'test']);
  });

  it('runs the test run for race or coverage, and adds golangci-lint and bench when the module or the inputs ask for them', () => {
    expect(names(selectChecks(gate(['coverage'])))).toEqual(['test', 'coverage']);
    expect(names(selectChecks(gate(['fmt', 'vet'])))).toEqual(['fmt', 'vet']);
    const g = gate(['fmt'], { lint: { golangci: '/m/.golangci.yml', staticcheck: [] }, bench: 'Parse' });
    expect(names(selectChecks(g))).toEqual(['fmt', 'golangci-lint', 'bench']);
    expect(g.logged).toEqual([
      '.golangci.yml found: golangci-lint added to the checks',
      '`bench` is set: the benchmark gate added to the checks',
    ]);
    expect([...g.enabled].sort()).toEqual(['bench', 'fmt', 'golangci-lint']);
  });
});
