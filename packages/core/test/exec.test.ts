/**
 * Child processes and the action's secrets: a real child (`env`) must not see the inputs or the
 * runner's token-minting credentials, however the step was started, unless they are passed to it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mergeEnv, run } from '../src/exec.js';

const planted = {
  INPUT_TOKEN: 'ghs_plantedTOKEN',
  'INPUT_KEY-PASSWORD': 'planted-password',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'planted-oidc-request',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://planted.example/token',
  ACTIONS_RUNTIME_TOKEN: 'planted-runtime',
};

describe('the environment of a child process', () => {
  afterEach(() => {
    for (const k of Object.keys(planted)) delete process.env[k];
  });

  it('has no INPUT_* variable and no OIDC or runtime token of the runner, as a real child sees it', async () => {
    Object.assign(process.env, planted, { GOSHIP_EXEC_TEST_KEPT: 'kept' });
    const r = await run('env', [], { silent: true });
    for (const [k, v] of Object.entries(planted)) {
      expect(r.stdout, k).not.toContain(v);
      expect(r.stdout, k).not.toContain(`${k}=`);
    }
    expect(r.stdout).toContain('GOSHIP_EXEC_TEST_KEPT=kept');
    expect(r.stdout).toContain(`PATH=${process.env.PATH}`);
    delete process.env.GOSHIP_EXEC_TEST_KEPT;
  });

  it('passes what the caller gives explicitly, and removes what it sets to undefined', () => {
    Object.assign(process.env, planted);
    const env = mergeEnv({ INPUT_TOKEN: 'given', HOME: undefined });
    expect(env.INPUT_TOKEN).toBe('given');
    expect(env.HOME).toBeUndefined();
    expect(env.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
    expect(mergeEnv({}, true)).toEqual({});
  });
});
