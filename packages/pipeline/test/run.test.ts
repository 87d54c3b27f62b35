/**
 * The in-process chain: each step gets its wiring over its action.yml defaults, sees the outputs
 * of the steps before it, logs under its own name, and its failure stops the chain with the step
 * named. The actions here are small stand-ins for the five mains; the real ones run in
 * test/one-step.itg.test.ts.
 */
import { ActionContext, Inputs, Secrets, memoryPort } from '@goship/core/action';
import { GoshipError } from '@goship/core/errors';
import { describe, expect, it } from 'vitest';
import { ACTION_DEFAULTS } from '../src/action-defaults.js';
import type { ActionName, ChainOptions } from '../src/chain.js';
import { type ActionMain, type RunnableAction, runChain } from '../src/run.js';

function parent() {
  const port = memoryPort();
  return { port, ctx: new ActionContext('goship', port, Inputs.of({}), new Secrets(port)) };
}

const seen: Record<string, Record<string, string>> = {};
const recording =
  (action: ActionName, outputs: Record<string, string> = {}): ActionMain =>
  async (ctx) => {
    const got: Record<string, string> = {};
    for (const k of Object.keys(ACTION_DEFAULTS[action])) got[k] = ctx.inputs.string(k);
    seen[action + (got.command ? `:${got.command}` : '')] = got;
    await ctx.phase('work', async () => undefined);
    ctx.outputs(outputs);
    await ctx.summary(`## ${action}\n`);
  };

// The secrets each action declares in its main.ts (the chain reads them by the same declaration).
const SECRETS: Record<ActionName, string[]> = {
  'setup-go-matrix': ['git-token'],
  'go-quality-gate': [],
  'multiarch-build': ['registry-password'],
  'sign-attest': ['key', 'key-password', 'github-token'],
  'semver-release': ['token', 'announce-webhook', 'tap-token'],
};
const runnable = (m: Record<ActionName, ActionMain>): Record<ActionName, RunnableAction> => {
  const out = {} as Record<ActionName, RunnableAction>;
  for (const a of Object.keys(m) as ActionName[]) out[a] = { main: m[a], secrets: SECRETS[a].map((name) => ({ name })) };
  return out;
};

const mains = (): Record<ActionName, RunnableAction> =>
  runnable({
    'setup-go-matrix': recording('setup-go-matrix', {
      platforms: JSON.stringify([{ platform: 'linux/amd64' }, { platform: 'darwin/arm64' }]),
    }),
    'go-quality-gate': recording('go-quality-gate', { passed: 'true' }),
    'multiarch-build': recording('multiarch-build', { manifest: 'dist/goship-manifest.json', version: '1.2.0' }),
    'sign-attest': recording('sign-attest', { manifest: 'dist/goship-manifest.json', verified: 'true' }),
    'semver-release': async (ctx) => {
      const cmd = ctx.inputs.string('command');
      await recording('semver-release', cmd === 'plan' ? { version: '1.2.0', tag: 'v1.2.0' } : { 'release-url': 'https://x/r/1' })(ctx);
    },
  });

const opts: ChainOptions = { command: 'release', tag: 'v1.2.0', workingDirectory: 'mod', signMode: 'keyless', token: 'ghs_secretTOKEN123' };

describe('runChain', () => {
  it('runs the release steps in order, wiring outputs into inputs over the action.yml defaults', async () => {
    const { ctx, port } = parent();
    const run = await runChain(ctx, opts, mains());
    expect(run.steps.map((s) => `${s.id}:${s.skipped ? 'skip' : 'ran'}`)).toEqual([
      'setup:ran',
      'plan:ran',
      'gate:ran',
      'build:ran',
      'sign:ran',
      'publish:ran',
    ]);
    // the build takes only the platforms asked for: setup's list would override the .goreleaser.yaml targets
    expect(seen['multiarch-build']!.platforms).toBe(ACTION_DEFAULTS['multiarch-build'].platforms);
    expect(seen['multiarch-build']!.version).toBe('1.2.0');
    expect(seen['multiarch-build']!['archive-format']).toBe(ACTION_DEFAULTS['multiarch-build']['archive-format']);
    expect(seen['sign-attest']!.manifest).toBe('dist/goship-manifest.json');
    expect(seen['semver-release:publish']!.tag).toBe('v1.2.0');
    expect(seen['go-quality-gate']!['working-directory']).toBe('mod');
    // expression defaults (${{ github.token }}) are not passed through as text
    expect(seen['sign-attest']!['github-token']).toBe('ghs_secretTOKEN123');
    expect(port.record.masks).toContain('ghs_secretTOKEN123');
    expect(port.record.log.filter((l) => l.startsWith('▸ '))).toContain('▸ build (multiarch-build) · work');
    expect(run.steps.find((s) => s.id === 'gate')!.summary).toBe('## go-quality-gate\n');
    expect(port.record.outputs).toEqual({});
  });

  it('passes the platforms asked for to setup and the build, and the config choice to every action that reads it', async () => {
    await runChain(parent().ctx, { ...opts, platforms: 'linux/arm64', config: 'build/.goreleaser.yml' }, mains());
    expect(seen['setup-go-matrix']!.platforms).toBe('linux/arm64');
    expect(seen['multiarch-build']!.platforms).toBe('linux/arm64');
    const readers = (Object.keys(ACTION_DEFAULTS) as ActionName[]).filter((a) => 'config' in ACTION_DEFAULTS[a]);
    expect(readers.length).toBeGreaterThanOrEqual(2);
    for (const a of readers) expect(seen[a === 'semver-release' ? 'semver-release:publish' : a]!.config, a).toBe('build/.goreleaser.yml');
  });

  it('check runs setup and the gate only; snapshot skips plan and publish', async () => {
    const check = await runChain(parent().ctx, { ...opts, command: 'check' }, mains());
    expect(check.steps.map((s) => s.id)).toEqual(['setup', 'gate']);
    const snap = await runChain(parent().ctx, { ...opts, command: 'snapshot', tag: undefined }, mains());
    expect(snap.steps.map((s) => s.id)).toEqual(['setup', 'gate', 'build', 'sign']);
    const unsigned = await runChain(parent().ctx, { ...opts, signMode: 'none' }, mains());
    expect(unsigned.steps.find((s) => s.id === 'sign')!.skipped).toBe('sign: none');
  });

  it('stops at a failing step and names it', async () => {
    const m = mains();
    m['multiarch-build'] = { main: () => Promise.reject(new GoshipError('Input "platforms": got "x".')), secrets: [] };
    await expect(runChain(parent().ctx, opts, m)).rejects.toThrow(/^build \(multiarch-build\): Input "platforms": got "x"\./);
    const ran: string[] = [];
    await runChain(parent().ctx, opts, m, { onStep: (r) => ran.push(r.id) }).catch(() => undefined);
    expect(ran).toEqual(['setup', 'plan', 'gate']);
  });

  it("reads each step's secrets by its action's own declaration: masked first, a line break refused by name", async () => {
    const { ctx, port } = parent();
    await runChain(ctx, { ...opts, stepInputs: { publish: { 'tap-token': 'ghp_tapTOKEN456' } } }, mains());
    expect(port.record.masks).toContain('ghp_tapTOKEN456');
    const bad = parent();
    const run = runChain(bad.ctx, { ...opts, stepInputs: { publish: { 'tap-token': 'ghp_tap\nTOKEN456' } } }, mains());
    await expect(run).rejects.toThrow(/^publish \(semver-release\): Input "tap-token" holds a line break/);
    await expect(run).rejects.not.toThrow(/TOKEN456/);
    expect(bad.port.record.masks).toContain('ghp_tap');
  });
});
