import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVetJson } from '../../src/checks/vet.js';
import { parsePositionedLines } from '../../src/findings.js';

// Real outputs recorded from go 1.26 on fixtures/go/hello.
const data = (f: string): string => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'testdata', f), 'utf8');

describe('go vet', () => {
  it('reads analyzer diagnostics from the JSON and type errors from the text', () => {
    const diags = parseVetJson(data('vet-stdout.out'));
    expect(diags).toEqual([
      { analyzer: 'assign', diag: expect.objectContaining({ posn: '/tmp/gqg/v/vetbad.go:5:2', message: 'self-assignment of x' }) },
    ]);
    expect(parsePositionedLines(data('vet-stderr.txt'))).toEqual([
      { file: 'sub/sub.go', line: 4, column: 9, message: 'undefined: missing' },
    ]);
  });
});
