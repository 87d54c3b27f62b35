import { describe, expect, it } from 'vitest';
import { currentPort, memoryPort } from '../../src/action/port.js';
import { runAction } from '../../src/action/run.js';
import { GoshipError, InputError } from '../../src/errors.js';
import { run } from '../../src/exec.js';

const CANARY = 'ghp_CANARY0123456789abcdef';

function runWith(inputs: Record<string, string>, main: Parameters<typeof runAction>[1]) {
  const port = memoryPort({ inputs });
  const failures: string[] = [];
  return runAction('demo', main, {
    port,
    fail: (m) => failures.push(m),
    secrets: [
      { name: 'token', what: 'GitHub token' },
      { name: 'webhook', what: 'webhook URL' },
      { name: 'key', multiline: true },
    ],
  }).then((r) => ({ ...r, port, failures }));
}

describe('runAction', () => {
  it('masks every secret before main runs, even when another input is bad', async () => {
    const { ok, port, failures } = await runWith(
      { token: CANARY, webhook: 'https://hooks.example/T000/B000/XXXX', mode: 'nope' },
      async (ctx) => {
        ctx.inputs.oneOf('mode', ['a', 'b'], 'a');
      },
    );
    expect(ok).toBe(false);
    expect(port.record.masks).toContain(CANARY);
    expect(port.record.masks).toContain('https://hooks.example/T000/B000/XXXX');
    expect(failures[0]).toMatch(/^demo: Input "mode": got "nope"/);
  });

  it('refuses a one-line secret holding a line break by name, without its value, after masking the others', async () => {
    const { ok, port, failures } = await runWith({ token: `${CANARY}\nX-Evil: 1`, webhook: 'https://hooks.example/abc' }, async () => {
      throw new Error('main must not run');
    });
    expect(ok).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('Input "token" holds a line break');
    expect(failures[0]).not.toContain(CANARY);
    expect(failures[0]).not.toContain('X-Evil');
    expect(port.record.masks).toContain('https://hooks.example/abc');
    expect(port.record.masks).toContain(CANARY);
  });

  it('accepts multi-line secrets that are declared so (PEM keys) and masks each line', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n-----END PRIVATE KEY-----';
    const { ok, port } = await runWith({ key: pem }, async (ctx) => {
      expect(ctx.inputs.secret('key')).toBe(pem);
    });
    expect(ok).toBe(true);
    expect(port.record.masks).toContain('MIGHAgEAMBMGByqGSM49AgEGCCqGSM49');
  });

  it('scrubs secrets from errors, log lines, outputs and the summary, in the forms libraries print them', async () => {
    const { failures, port } = await runWith({ token: CANARY }, async (ctx) => {
      ctx.log.info(`Authorization: token ${CANARY}`);
      ctx.outputs({ echoed: `x${CANARY}x` });
      await ctx.summary(`| ${encodeURIComponent(CANARY)} |`);
      currentPort().info(`from core: ${CANARY}`);
      throw new Error(`Headers.append: "token ${CANARY}" is an invalid header value`);
    });
    const everything = [...failures, ...port.record.log, ...Object.values(port.record.outputs), port.record.summary].join('\n');
    expect(everything).not.toContain(CANARY);
    expect(everything).toContain('***');
    expect(failures[0]).toMatch(/unexpected error: Headers\.append: "token \*\*\*"/);
  });

  it('child processes run under the action log through the current port', async () => {
    const { port } = await runWith({}, async () => {
      await run(process.execPath, ['-e', 'process.stdout.write("hello from child\\n")']);
    });
    expect(port.record.log.join('\n')).toContain('hello from child');
    expect(port.record.log.some((l) => l.startsWith('[command]'))).toBe(true);
  });

  it('prints a user error without a stack and an unexpected one with the stack only in debug', async () => {
    const user = await runWith({}, async () => {
      throw new InputError('platforms', 'linux', 'GOOS/GOARCH', 'Add the architecture');
    });
    expect(user.failures[0]).toBe('demo: Input "platforms": got "linux"; expected GOOS/GOARCH. Add the architecture.');
    const bug = await runWith({}, async () => {
      throw new TypeError('x is undefined');
    });
    expect(bug.failures[0]).toContain('demo: unexpected error: x is undefined. This is a goship bug');
    expect(bug.failures[0]).not.toContain('at ');
    const g = await runWith({}, async () => {
      throw new GoshipError('No manifest.', 'Run multiarch-build first');
    });
    expect(g.failures[0]).toBe('demo: No manifest. Run multiarch-build first.');
  });

  it('times phases as log groups', async () => {
    const { ctx, port } = await runWith({}, async (c) => {
      await c.phase('Build', async () => 1);
      await expect(c.phase('Fail', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    });
    expect(ctx!.phases.map((p) => [p.name, p.ok])).toEqual([
      ['Build', true],
      ['Fail', false],
    ]);
    expect(port.record.log.filter((l) => l.startsWith('▸ '))).toEqual(['▸ Build', '▸ Fail']);
  });
});
