import { describe, expect, it } from 'vitest';
import { PathMapper, classifyCompileMessage, dedupe, sortFindings, type Finding } from '../src/findings.js';

describe('classification', () => {
  it.each([
    ['undefined: foo', 'undefined-symbol'],
    ['x.Bar undefined (type T has no field or method Bar)', 'undefined-symbol'],
    ['no required module provides package github.com/x/y; to add it:', 'missing-module'],
    ['missing go.sum entry for module providing package golang.org/x/text', 'missing-module'],
    ['cannot use 1 (untyped int constant) as string value in variable declaration', 'type-mismatch'],
    ['invalid operation: a + b (mismatched types int and string)', 'type-mismatch'],
    ['declared and not used: s', 'compile'],
  ])('%s → %s', (msg, cls) => {
    expect(classifyCompileMessage(msg)).toBe(cls);
  });

  it('keeps one copy of a compile error seen by several checks and orders errors by class', () => {
    const base = { severity: 'error' as const, file: 'a.go', line: 3, hint: 'h' };
    const fs: Finding[] = [
      { ...base, check: 'fmt', class: 'format', message: 'not formatted' },
      { ...base, check: 'vet', class: 'undefined-symbol', column: 2, message: 'undefined: x' },
      { ...base, check: 'test', class: 'undefined-symbol', column: 2, message: 'undefined: x' },
      { ...base, check: 'vet', class: 'vet', message: 'printf' },
    ];
    expect(sortFindings(dedupe(fs)).map((f) => `${f.check}:${f.class}`)).toEqual(['vet:undefined-symbol', 'vet:vet', 'fmt:format']);
  });

  it('maps tool paths to workspace-relative ones', () => {
    const p = new PathMapper('/repo', '/repo/svc', 'example.com/svc');
    expect(p.rel('./x.go')).toBe('svc/x.go');
    expect(p.rel('/repo/svc/a/b.go')).toBe('svc/a/b.go');
    expect(p.rel('/elsewhere/c.go')).toBe('/elsewhere/c.go');
    expect(p.packageDir('example.com/svc/a [example.com/svc/a.test]')).toBe('/repo/svc/a');
    expect(p.packageDir('github.com/other')).toBeUndefined();
    expect(p.profileFile('example.com/svc/a/b.go')).toBe('svc/a/b.go');
  });
});
