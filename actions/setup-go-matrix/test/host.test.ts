import { describe, expect, it } from 'vitest';
import { hostGoPlatform, inspectHost } from '../src/host.js';

describe('host', () => {
  it('maps the runner to Go names', () => {
    expect(hostGoPlatform('win32', 'x64')).toEqual({ goos: 'windows', goarch: 'amd64' });
    expect(hostGoPlatform('darwin', 'arm64')).toEqual({ goos: 'darwin', goarch: 'arm64' });
    expect(hostGoPlatform('linux', 'ppc64')).toEqual({ goos: 'linux', goarch: 'ppc64le' });
  });

  it('takes the goproxy input over the job GOPROXY, and the download index from GOSHIP_GO_DL_URL', async () => {
    const h = await inspectHost('https://proxy.corp.example', {
      GOPROXY: 'https://other.example',
      GOSHIP_GO_DL_URL: 'http://127.0.0.1:9/dl',
    });
    expect(h.goproxy).toBe('https://proxy.corp.example');
    expect(h.dlBase).toBe('http://127.0.0.1:9/dl');
    expect((await inspectHost('', { GOPROXY: 'https://other.example' })).goproxy).toBe('https://other.example');
    expect((await inspectHost('', {})).dlBase).toBe('https://go.dev/dl');
  });
});
