import { describe, expect, it } from 'vitest';
import { failureText, settle } from '../src/verdict.js';
import { fakeGate, lintFinding, result } from './gate-fixture.js';

describe('the verdict', () => {
  it('passes when no check failed, notes pre-existing findings, and keeps one copy of a compile error several checks saw', () => {
    const compile = {
      check: 'vet',
      class: 'undefined-symbol' as const,
      severity: 'error' as const,
      file: 'mod/a.go',
      line: 2,
      message: 'undefined: x',
      hint: 'h',
    };
    const v = settle(
      fakeGate(),
      [
        result('vet', { status: 'failed', findings: [compile] }),
        result('test', { status: 'failed', findings: [{ ...compile, check: 'test' }] }),
        result('staticcheck', { preExisting: [lintFinding()] }),
      ],
      { mode: 'release', against: 'v1.0.0', checks: ['staticcheck'], notes: [] },
    );
    expect(v.passed).toBe(false);
    expect(v.findings).toHaveLength(1);
    expect(v.preExisting).toHaveLength(1);
    expect(v.checks.find((c) => c.name === 'staticcheck')!.note).toBe('1 pre-existing');
    expect(failureText(v, '/r.json')).toBe(
      'vet (1), test (1) failed — 1 error finding(s); see the annotations, the job summary and /r.json.',
    );
  });

  it('keeps the note fail-fast gave a skipped check, and passes with only pre-existing lint findings', () => {
    const v = settle(
      fakeGate(),
      [
        result('test', { status: 'skipped', note: 'fail-fast: a cheap check failed' }),
        result('staticcheck', { preExisting: [lintFinding()] }),
      ],
      {
        mode: 'changes',
        checks: ['staticcheck'],
        notes: [],
      },
    );
    expect(v.passed).toBe(true);
    expect(v.checks[0]!.note).toBe('fail-fast: a cheap check failed');
  });
});
