import { parsePlatform } from '@goship/core/platform';
import { describe, expect, it } from 'vitest';
import { checkTargets } from '../src/targets.js';
import { recordingLog } from './log.js';

// The Go on PATH (/usr/local/go/bin) answers `go tool dist list -json`.
describe('build targets against the toolchain', () => {
  const go = { goBin: '/usr/local/go/bin/go', goBinVersion: 'on PATH', how: 'test' };

  it('accepts ports of the toolchain and says what they were checked against', async () => {
    const t = await checkTargets([parsePlatform('linux/arm/v7'), parsePlatform('windows/arm64')], go, recordingLog());
    expect(t.ports.find((p) => p.GOOS === 'linux' && p.GOARCH === 'arm')).toMatchObject({ CgoSupported: true });
    expect(t.from).toBe('go tool dist list of Go on PATH (the Go on PATH)');
  });

  it('refuses a pair the toolchain has no port for, naming platforms and the ports of that OS', async () => {
    await expect(checkTargets([parsePlatform('darwin/386')], go, recordingLog())).rejects.toThrow(
      /^Input "platforms": got "darwin\/386"; expected a port Go on PATH supports \(`go tool dist list`\)\. Ports for darwin: darwin\/amd64, darwin\/arm64/,
    );
  });

  it('without any Go, checks only the syntax and says so', async () => {
    const log = recordingLog();
    expect(await checkTargets([parsePlatform('plan9/amd64')], { how: 'none' }, log)).toEqual({
      ports: [],
      from: 'not checked (no Go toolchain)',
    });
    expect(log.lines[0]).toMatch(/^warning: No Go toolchain to check the platforms against/);
  });
});
