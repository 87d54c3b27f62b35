import { describe, expect, it } from 'vitest';
import { postSummary, setupSummary } from '../src/summary.js';
import { setupFixture } from './setup-fixture.js';

describe('summary', () => {
  it('shows versions, environment, matrix, targets and caches; names the credential hosts, never the token', () => {
    const md = String(setupSummary(setupFixture()));
    expect(md).toContain('| go.mod | 1.24.0 | go.mod go line |');
    expect(md).toContain('**Installed:** Go 1.24.0 in `/tc/go/1.24.0/x64` — runner tool cache.');
    expect(md).toContain(
      '`GOTOOLCHAIN=local`; git credentials for github.com in a git config file in RUNNER_TEMP (mode 0600, removed by the post step)',
    );
    expect(md).not.toContain('GIT_CONFIG_VALUE');
    expect(md).not.toContain('ghp_fixtureToken1');
    expect(md).toContain('| 1 | linux/amd64,linux/arm/v7 |');
    expect(md).toMatch(/\| modules \| mod-key \| hit \| 2\.00 KiB \| 1\.3 \|/);
    expect(md).toContain('| build | build-key | partial (b-old) | — | 0.5 |');
  });

  it('says why no cache was looked up', () => {
    const md = String(setupSummary(setupFixture({ caches: { restored: [], note: 'caching off (cache: false)' } })));
    expect(md).toContain('caching off (cache: false)');
  });

  it('post: the saves and the credentials clean-up', () => {
    const md = String(postSummary([{ kind: 'build', key: 'k', outcome: 'saved', seconds: 2, bytes: 1024 }], 'removed.'));
    expect(md).toContain('| build | k | saved | 1.00 KiB | 2.0 |');
    expect(md).toContain('removed.');
  });
});
