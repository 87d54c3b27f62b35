import { describe, expect, it } from 'vitest';
import { type EnvInputs, exportedEnv, mergeGoflags } from '../src/env.js';

const base: EnvInputs = {
  toolchain: 'local',
  modReadonly: true,
  currentGoflags: '-buildvcs=false',
  goproxy: '',
  goprivate: '',
  gonosumdb: '',
  gitConfigFile: '',
  gitConfigCount: 0,
};

describe('exported environment', () => {
  it('sets the toolchain policy and -mod=readonly, keeping other GOFLAGS', () => {
    expect(mergeGoflags('-buildvcs=false -mod=vendor', true)).toBe('-buildvcs=false -mod=readonly');
    expect(mergeGoflags('-buildvcs=false', false)).toBe('-buildvcs=false');
    expect(exportedEnv(base)).toEqual({ GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -mod=readonly' });
  });

  it('passes the proxy settings, and includes the credentials file after the job’s own GIT_CONFIG entries', () => {
    const env = exportedEnv({
      ...base,
      toolchain: 'auto',
      modReadonly: false,
      currentGoflags: '',
      goproxy: 'https://proxy.corp',
      goprivate: 'github.com/acme/*',
      gonosumdb: 'github.com/acme/*',
      gitConfigFile: '/runner/temp/goship-git-x/config',
      gitConfigCount: 1,
    });
    expect(env).toEqual({
      GOTOOLCHAIN: 'auto',
      GOPROXY: 'https://proxy.corp',
      GOPRIVATE: 'github.com/acme/*',
      GONOSUMDB: 'github.com/acme/*',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_1: 'include.path',
      GIT_CONFIG_VALUE_1: '/runner/temp/goship-git-x/config',
      GIT_TERMINAL_PROMPT: '0',
    });
  });
});
