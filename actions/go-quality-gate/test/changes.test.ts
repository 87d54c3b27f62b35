import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstChangedLine, isChanged, parseDiff } from '../src/changes.js';

// `git diff --unified=0` of a new file, an edited one and a deleted one.
const DIFF = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'changes.diff'), 'utf8');

describe('changed lines', () => {
  it('parses the new side of git diff --unified=0, per file', () => {
    const c = parseDiff(DIFF);
    expect([...c.get('shout.go')!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect([...c.get('main.go')!]).toEqual([3, 4, 11]);
    expect(c.has('gone.go')).toBe(false);
  });

  it('tells a changed line of a file by its absolute path', () => {
    const changes = { top: '/repo', from: 'abc', lines: parseDiff(DIFF) };
    expect(isChanged(changes, '/repo/main.go', 4)).toBe(true);
    expect(isChanged(changes, '/repo/main.go', 5)).toBe(false);
    expect(isChanged(changes, '/repo/main.go', undefined)).toBe(false);
    expect(isChanged(changes, '/repo/svc/main.go', 4)).toBe(false);
  });

  it("finds the first line a formatter's diff changes, blank-line changes last", () => {
    expect(firstChangedLine('--- a/x.go\n+++ b/x.go\n@@ -3,3 +3,3 @@\n package main\n-func   f() {}\n+func f() {}\n')).toBe(4);
    expect(firstChangedLine('@@ -2,4 +2,3 @@\n a\n-\n b\n-c\n+ c\n')).toBe(5);
    expect(firstChangedLine('@@ -7,2 +7,1 @@\n x\n-\n')).toBe(8);
    expect(firstChangedLine('no hunks')).toBeUndefined();
  });
});
