import { ActionContext, Inputs, Secrets, memoryPort } from '@goship/core/action';
import { tempDir } from '@goship/testkit';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGitCredentials } from '../src/credentials.js';
import { post } from '../src/post-step.js';
import { State } from '../src/state.js';

const savedTemp = process.env.RUNNER_TEMP;
afterEach(() => {
  if (savedTemp === undefined) delete process.env.RUNNER_TEMP;
  else process.env.RUNNER_TEMP = savedTemp;
});

function context(state: Record<string, string>): { ctx: ActionContext; port: ReturnType<typeof memoryPort> } {
  const port = memoryPort({ state });
  return { ctx: new ActionContext('setup-go-matrix (post)', port, Inputs.of({}), new Secrets(port)), port };
}

describe('the post step', () => {
  it('removes the git credentials file the main step wrote, and says so', async () => {
    process.env.RUNNER_TEMP = await tempDir('goship-post-');
    const creds = await writeGitCredentials('ghp_postTest123', '');
    const { ctx, port } = context({ [State.gitCredentials]: creds.file });
    await post(ctx);
    expect(existsSync(creds.file)).toBe(false);
    expect(port.record.log).toContain('The git credentials file of the main step was removed.');
    expect(port.record.summary).toContain('The git credentials file of the main step was removed.');
  });

  it('with nothing saved by the main step, says there is nothing to save and writes no summary', async () => {
    const { ctx, port } = context({});
    await post(ctx);
    expect(port.record.log).toEqual(['No Go cache entries to save (caching off, unavailable, or the main step stopped early).']);
    expect(port.record.summary).toBe('');
  });

  it('skips entries it does not own or that were an exact hit, without asking the cache service', async () => {
    const entries = [
      { kind: 'modules', path: '/nope', key: 'k1', restoreKeys: [], matchedKey: 'k1', save: true },
      { kind: 'build', path: '/nope', key: 'k2', restoreKeys: [], matchedKey: '', save: false },
    ];
    const { ctx, port } = context({ [State.cacheEntries]: JSON.stringify(entries) });
    await post(ctx);
    expect(port.record.summary).toMatch(/\| modules \| k1 \| skipped \(hit\) \|/);
    expect(port.record.summary).toMatch(/\| build \| k2 \| skipped \(not owner\) \|/);
  });
});
