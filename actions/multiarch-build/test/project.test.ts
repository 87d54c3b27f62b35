import { describe, expect, it } from 'vitest';
import { moduleBase, projectName, resolveVersion } from '../src/project.js';

describe('version and project name', () => {
  it('derives version and tag from GITHUB_REF, else a snapshot', () => {
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/tags/v1.4.0' })).toEqual({ version: '1.4.0', tag: 'v1.4.0' });
    expect(resolveVersion('', 'abcdef0123', { GITHUB_REF: 'refs/heads/main' })).toEqual({ version: '0.0.0-SNAPSHOT-abcdef0', tag: '' });
    expect(resolveVersion('2.0.0', 'abcdef0123', {})).toEqual({ version: '2.0.0', tag: 'v2.0.0' });
    expect(() => resolveVersion('', 'abc', { GITHUB_REF: 'refs/tags/nightly' })).toThrow(/Input "version"/);
  });
  it('names the project from GITHUB_REPOSITORY, else the module path', () => {
    expect(projectName('example.com/x/tool/v2', { GITHUB_REPOSITORY: 'o/repo' })).toBe('repo');
    expect(projectName('example.com/x/tool/v2', {})).toBe('tool');
    expect(moduleBase('example.com/hello')).toBe('hello');
  });
});
