import { describe, expect, it } from 'vitest';
import { buildSummary } from '../src/summary.js';
import { settle } from '../src/verdict.js';
import { fakeGate, lintFinding, result } from './gate-fixture.js';

const staticcheckTool = { staticcheck: { name: 'staticcheck' as const, version: 'v0.8.2', path: '/x', builtWith: '1.26.8' } };

describe('the job summary', () => {
  it('lists pre-existing findings collapsed, says what they were compared with, and names the linters goship chose', () => {
    const g = fakeGate({ tools: staticcheckTool, enabled: new Set(['fmt', 'vet', 'staticcheck']) });
    const v = settle(g, [result('fmt'), result('staticcheck', { preExisting: [lintFinding()] })], {
      mode: 'release',
      against: 'v1.0.0',
      checks: ['staticcheck'],
      notes: ['Lint findings are compared with v1.0.0 (abc), the previous release.'],
    });
    const md = buildSummary(g, v, 0).toString();
    expect(md).toContain('## go-quality-gate: ✅ passed');
    expect(md).toContain('### New or pre-existing lint findings: 1 pre-existing');
    expect(md).toContain('**1 pre-existing** lint finding (staticcheck) already in v1.0.0: reported here, not failing.');
    expect(md).toMatch(
      /<details><summary>Pre-existing findings \(1\)<\/summary>\n\n\| severity .*\n.*\n\| error \| staticcheck \| lint \| mod\/old\.go:3 \| U1000: func unusedOld is unused \|/,
    );
    expect(md).toContain('goship ran staticcheck v0.8.2 (built with Go 1.26.8) with its default checks');
    expect(md).toContain('(for example `checks: fmt,vet`)');
    expect(md).not.toContain('### Findings');
  });

  it('says nothing about linters when the module configures its own, and nothing about new-only when there was nothing to judge', () => {
    const g = fakeGate({ tools: staticcheckTool, cfg: { lint: { staticcheck: ['/ws/mod/staticcheck.conf'] } } });
    const v = settle(g, [result('staticcheck', { status: 'failed', findings: [lintFinding()] })], { mode: 'all', checks: [], notes: [] });
    const md = buildSummary(g, v, 1).toString();
    expect(md).not.toContain('### Linters');
    expect(md).not.toContain('pre-existing');
    expect(md).toContain('### Findings (1; 1 annotated)');
  });
});
