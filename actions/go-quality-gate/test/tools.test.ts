import { describe, expect, it } from 'vitest';
import { toolGoMismatch } from '../src/tools.js';

describe('tool built with an older Go', () => {
  const tool = { name: 'golangci-lint' as const, version: 'v2.15.0', path: '/x', builtWith: '1.24.3' };
  it('is explained when the module targets a newer Go', () => {
    const msg = toolGoMismatch(tool, '1.25.0', '1.26.8');
    expect(msg).toContain("golangci-lint v2.15.0 was built with Go 1.24.3, older than the module's `go 1.25.0` line");
    expect(msg).toContain('rebuilt with the Go on PATH (1.26.8)');
    expect(toolGoMismatch(tool, '1.27', '1.26.8')).toContain('Set up Go 1.27 or newer');
  });
  it('is fine for the same or an older language version', () => {
    expect(toolGoMismatch(tool, '1.24.0', '1.26.8')).toBeUndefined();
    expect(toolGoMismatch(tool, '1.24.9', '1.26.8')).toBeUndefined();
    expect(toolGoMismatch({ ...tool, name: 'govulncheck' }, '1.25', '1.26.8')).toContain('govulncheck v2.15.0 was built with Go 1.24.3');
    expect(toolGoMismatch(tool, undefined, '1.26.8')).toBeUndefined();
  });
});
