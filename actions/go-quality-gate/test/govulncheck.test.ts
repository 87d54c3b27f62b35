import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PathMapper } from '../src/findings.js';
import { failsPolicy, parseGovulncheck, vulnFindings } from '../src/govulncheck.js';

// A real stream recorded from govulncheck v1.8.0 on fixtures/go/multi.
const data = (f: string): string => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', f), 'utf8');

describe('govulncheck -json', () => {
  it('reports a called symbol with the call site in the main module', () => {
    const { vulns, goVersion } = parseGovulncheck(data('govulncheck.out'), 'example.com/multi');
    expect(goVersion).toBe('go1.26.8');
    const v1 = vulns.find((v) => v.id === 'GO-2099-0001')!;
    expect(v1).toMatchObject({
      module: 'github.com/google/uuid',
      found: 'v1.6.0',
      fixed: 'v1.6.1',
      reach: 'called',
      symbol: 'github.com/google/uuid.NewString',
      callSite: { file: 'internal/store/store.go', line: 28, column: 29 },
    });
    const mp = new PathMapper('/w', '/w', 'example.com/multi');
    const [f] = vulnFindings([v1], 'called', mp);
    expect(f).toMatchObject({ class: 'vuln', severity: 'error', file: 'internal/store/store.go', line: 28 });
    expect(f!.hint).toBe('Run `go get github.com/google/uuid@v1.6.1` and commit go.mod and go.sum.');
  });

  it('keeps the deepest reach per advisory and applies the policy', () => {
    const text = [
      { osv: { id: 'GO-1', aliases: [] } },
      { finding: { osv: 'GO-1', fixed_version: 'v2.0.0', trace: [{ module: 'm', version: 'v1.0.0' }] } },
      { finding: { osv: 'GO-1', fixed_version: 'v2.0.0', trace: [{ module: 'm', version: 'v1.0.0', package: 'm/p' }] } },
      { finding: { osv: 'GO-2', trace: [{ module: 'n', version: 'v0.1.0' }] } },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { vulns } = parseGovulncheck(text, 'example.com/x');
    expect(vulns.map((v) => `${v.id}:${v.reach}`)).toEqual(['GO-1:imported', 'GO-2:required']);
    expect(vulns.map((v) => failsPolicy(v, 'called'))).toEqual([false, false]);
    expect(vulns.map((v) => failsPolicy(v, 'any'))).toEqual([true, true]);
    expect(vulns.map((v) => failsPolicy(v, 'none'))).toEqual([false, false]);
    const f = vulnFindings(vulns, 'called', new PathMapper('/w', '/w', 'example.com/x'));
    expect(f.map((x) => `${x.severity} ${x.file}`)).toEqual(['warning go.mod', 'warning go.mod']);
    expect(f[1]!.message).toContain('no fix yet');
  });
});
