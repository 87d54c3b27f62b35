import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/findings.js';
import { type Fingerprint, fingerprint, normalizeMessage, preExisting } from '../src/match.js';

const lint = (o: Partial<Finding>): Finding => ({ check: 'staticcheck', class: 'lint', severity: 'error', hint: '', message: '', ...o });
const fp = (line: number, o: Partial<Fingerprint> = {}): Fingerprint => ({
  check: 'staticcheck',
  file: 'old.go',
  rule: 'U1000',
  message: 'U1000: func unusedOld is unused',
  text: 'func unusedOld() int {',
  line,
  ...o,
});

describe('matching findings across versions', () => {
  it('identifies a finding by check, module-relative file, rule, message and line text, not by its line number', () => {
    const f = lint({ rule: 'U1000', file: 'svc/old.go', line: 7, message: 'U1000: func unusedOld is unused' });
    expect(fingerprint(f, 'old.go', '\tfunc  unusedOld() int {  ')).toEqual(fp(7));
    expect(preExisting([fp(12)], [fp(3)])).toEqual(new Set([0]));
  });

  it('takes positions out of messages: they move with the code', () => {
    expect(normalizeMessage('dupl: lines 10-20 are duplicate of `x.go:30-40`')).toBe('dupl: line N are duplicate of `x.go:N-40`');
    expect(normalizeMessage('SA4006: this value of  x is never used (see a.go:12:3)')).toBe(
      'SA4006: this value of x is never used (see a.go:N)',
    );
    expect(normalizeMessage('unused on line 4')).toBe('unused on line N');
  });

  it('is new when any part of the identity differs', () => {
    for (const other of [
      { check: 'golangci-lint' },
      { file: 'new.go' },
      { rule: 'SA4006' },
      { message: 'U1000: func unusedNew is unused' },
      { text: 'func unusedNew() int {' },
    ]) {
      expect(preExisting([fp(3, other)], [fp(3)]), JSON.stringify(other)).toEqual(new Set());
    }
  });

  it('pairs duplicates nearest line first; one old finding matches one new finding', () => {
    // The old finding was at line 10; code was added above it (now at 14) and a copy of the same line added at 2.
    expect(preExisting([fp(2), fp(14)], [fp(10)])).toEqual(new Set([1]));
    expect(preExisting([fp(2), fp(14)], [fp(10), fp(1)])).toEqual(new Set([0, 1]));
    expect(preExisting([fp(5)], [])).toEqual(new Set());
  });
});
