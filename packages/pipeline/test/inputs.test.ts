import { Inputs } from '@goship/core/action';
import { InputError } from '@goship/core/errors';
import { describe, expect, it } from 'vitest';
import { defaultCommand, readRootInputs } from '../src/action/inputs.js';

const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readRootInputs(
    Inputs.of(
      values,
      new Map(Object.entries({ token: values.token ?? '', key: values.key ?? '', 'key-password': '', 'registry-password': '' })),
    ),
    env,
  );

describe('the one-step action’s inputs', () => {
  it('picks the command from the event: release on a tag, check on a pull request, else snapshot', () => {
    expect(defaultCommand({ GITHUB_REF: 'refs/tags/v1.0.0' })).toBe('release');
    expect(defaultCommand({ GITHUB_REF: 'refs/pull/3/merge', GITHUB_EVENT_NAME: 'pull_request' })).toBe('check');
    expect(defaultCommand({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' })).toBe('snapshot');
  });

  it('refuses release without a tag, and key mode without a key, naming what to do', () => {
    expect(() => read({ command: 'release' }, { GITHUB_REF: 'refs/heads/main' })).toThrow(/runs on a tag push.*command: snapshot/);
    expect(read({ command: 'release', 'snapshot-release': 'true' }, { GITHUB_REF: 'refs/heads/main' }).publishSnapshot).toBe(true);
    expect(() => read({ 'sign-mode': 'key' }, { GITHUB_REF: 'refs/tags/v1.0.0' })).toThrow(/`key` is empty/);
  });

  it('step-inputs: step ids and the inputs their actions declare only', () => {
    const o = read(
      { 'step-inputs': '{"build": {"archive-format": "zip", "parallelism": 2}}', checks: 'fmt,vet' },
      { GITHUB_REF: 'refs/tags/v1.0.0' },
    );
    expect(o.stepInputs).toEqual({ build: { 'archive-format': 'zip', parallelism: '2' }, gate: { checks: 'fmt,vet' } });
    for (const bad of [
      '[1]',
      '{"deploy": {}}',
      '{"build": {"no-such-input": "x"}}',
      '{"build": {"flags": ["-x"]}}',
      '{"build": 1}',
      'not json',
    ]) {
      expect(() => read({ 'step-inputs': bad }, { GITHUB_REF: 'refs/tags/v1.0.0' }), bad).toThrow(InputError);
    }
    expect(() => read({ 'step-inputs': '{"build": {"no-such-input": "x"}}' }, { GITHUB_REF: 'refs/tags/v1.0.0' })).toThrow(
      /multiarch-build has no input "no-such-input"/,
    );
  });
});
