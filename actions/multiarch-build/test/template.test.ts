import { InputError } from '@goship/core/errors';
import { describe, expect, it } from 'vitest';
import { checkTemplate, expand } from '../src/template.js';

const vars = {
  Version: '1.2.3',
  Tag: 'v1.2.3',
  Commit: 'c'.repeat(40),
  ShortCommit: 'ccccccc',
  Date: '2026-01-01T00:00:00Z',
  TraceId: '1-1',
  Project: 'hello',
};

describe('templates', () => {
  it('expands variables with or without spaces', () => {
    expect(expand('{{.Project}}_{{ .Version }}', vars)).toBe('hello_1.2.3');
  });
  it('refuses an unknown variable, naming the input and suggesting the right case', () => {
    expect(() => checkTemplate('ldflags', '-X main.v={{.version}}', ['Version'])).toThrow(
      /Input "ldflags".*did you mean \{\{\.Version\}\}/s,
    );
    expect(() => checkTemplate('archive-name', '{{.Nope}}', ['Version'])).toThrow(InputError);
    expect(() => checkTemplate('archive-name', '{{ printf "x" }}', ['Version'])).toThrow(/Only plain variables/);
  });
});
