import { describe, expect, it } from 'vitest';
import { DEFAULT_SECTIONS, highlights, parseSections, renderChangelog } from '../src/changelog.js';
import { parseCommits } from '../src/commits.js';

const s = (n: number) => String(n).repeat(40);
const changes = parseCommits([
  { sha: s(1), message: 'feat(cli): add --json (#12)' },
  { sha: s(2), message: 'fix: trim output' },
  { sha: s(3), message: 'docs: typo' },
  { sha: s(4), message: 'perf: faster hashing' },
  { sha: s(5), message: 'Bump deps by hand' },
  { sha: s(6), message: 'refactor!: rename Greet to Hello\n\nBREAKING CHANGE: callers must use Hello' },
]);
const links = { web: 'https://github.com/o/r' };

describe('changelog', () => {
  it('renders sections in order with commit and pull-request links, hiding docs', () => {
    const md = renderChangelog({
      version: '2.0.0',
      tag: 'v2.0.0',
      previousTag: 'v1.3.0',
      date: '2026-11-20',
      changes,
      sections: DEFAULT_SECTIONS,
      links,
    });
    expect(md).toBe(
      [
        '## [2.0.0](https://github.com/o/r/compare/v1.3.0...v2.0.0) (2026-11-20)',
        '',
        '### ⚠ Breaking changes',
        '',
        `- rename Greet to Hello ([6666666](https://github.com/o/r/commit/${s(6)}))`,
        '  callers must use Hello',
        '',
        '### Features',
        '',
        `- **cli:** add --json ([1111111](https://github.com/o/r/commit/${s(1)}), [#12](https://github.com/o/r/pull/12))`,
        '',
        '### Fixes',
        '',
        `- trim output ([2222222](https://github.com/o/r/commit/${s(2)}))`,
        '',
        '### Performance',
        '',
        `- faster hashing ([4444444](https://github.com/o/r/commit/${s(4)}))`,
        '',
        '### Other changes',
        '',
        `- Bump deps by hand ([5555555](https://github.com/o/r/commit/${s(5)}))`,
        '',
      ].join('\n'),
    );
  });

  it('shows hidden types when changelog-types lists them', () => {
    const md = renderChangelog({ version: '1.0.0', tag: 'v1.0.0', changes, sections: parseSections(['feat=New', 'docs=Documentation']) });
    expect(md).toContain('### Documentation\n\n- typo');
    expect(md).toContain('### New');
    expect(md).not.toContain('### Fixes');
  });

  it('rejects a malformed changelog-types item', () => {
    expect(() => parseSections(['feat: Features'])).toThrow(/Input "changelog-types"/);
  });

  it('puts breaking changes first among highlights', () => {
    expect(highlights(changes, DEFAULT_SECTIONS, 2)).toEqual(['⚠ rename Greet to Hello', 'cli: add --json']);
  });
});
