/** The root action's inputs, read and checked before anything runs, as chain options. */
import type { Inputs } from '@goship/core/action';
import { GoshipError, InputError } from '@goship/core/errors';
import { ACTION_DEFAULTS } from '../action-defaults.js';
import { CHAIN, COMMANDS, type ChainOptions, type Command, type StepId } from '../chain.js';

/** The secret inputs of the one-step action, masked before anything else is read. */
export const ROOT_SECRETS = [
  { name: 'token', what: 'GitHub token' },
  { name: 'registry-password', what: 'registry password' },
  { name: 'key', what: 'signing key', multiline: true },
  { name: 'key-password', what: 'key password' },
] as const;

function tagOf(env: NodeJS.ProcessEnv): string | undefined {
  const ref = env.GITHUB_REF ?? '';
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/** `release` on a tag push, `check` on a pull request, `snapshot` otherwise. */
export function defaultCommand(env: NodeJS.ProcessEnv): Command {
  if (tagOf(env)) return 'release';
  if (/^pull_request/.test(env.GITHUB_EVENT_NAME ?? '') || env.GITHUB_EVENT_NAME === 'merge_group') return 'check';
  return 'snapshot';
}

export function readRootInputs(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): ChainOptions {
  const command = inputs.oneOf<Command>('command', COMMANDS, defaultCommand(env));
  const tag = tagOf(env);
  const snapshotRelease = inputs.bool('snapshot-release', false);
  if (command === 'release' && !tag && !snapshotRelease) {
    throw new GoshipError(
      `command: release runs on a tag push, and ${env.GITHUB_REF ? `this run is for ${env.GITHUB_REF}` : 'GITHUB_REF names no tag'}.`,
      'Trigger the workflow with `on: push: tags: [v*]`, or use `command: snapshot` (build and sign, publish nothing) or `command: check`',
    );
  }
  const signMode = inputs.oneOf('sign-mode', ['keyless', 'key', 'none'] as const, 'keyless');
  const key = inputs.secret('key');
  if (signMode === 'key' && !key) {
    throw new GoshipError(
      'Input "sign-mode" is `key`, but `key` is empty.',
      'Pass the private key from a secret: `key: ${{ secrets.COSIGN_KEY }}`',
    );
  }
  const checks = inputs.string('checks');
  const config = inputs.string('config');
  const extra = stepInputsOf(inputs);
  if (checks) extra.gate = { checks, ...extra.gate };
  return {
    command,
    ...(tag ? { tag } : {}),
    workingDirectory: inputs.string('working-directory', { default: '.' }),
    goVersion: inputs.string('go-version'),
    platforms: inputs.string('platforms'),
    config,
    image: inputs.string('image'),
    registryUsername: inputs.string('registry-username'),
    registryPassword: inputs.secret('registry-password'),
    signMode,
    key,
    keyPassword: inputs.secret('key-password'),
    token: inputs.secret('token'),
    // empty: semver-release decides (the .goreleaser.yaml's release.draft, else publish)
    draft: inputs.string('draft') === '' ? undefined : inputs.bool('draft', false),
    insecureRegistries: inputs.string('insecure-registries'),
    publishSnapshot: !tag && snapshotRelease,
    stepInputs: extra,
  };
}

/** `step-inputs`: a JSON object of step id → { input: value }, each input one the step's action declares. */
export function stepInputsOf(inputs: Inputs): Partial<Record<StepId, Record<string, string>>> {
  const raw = inputs.json<unknown>('step-inputs', {});
  const steps = new Map(CHAIN.map((s) => [s.id, s]));
  const expected = `a JSON object of step ids (${[...steps.keys()].join(', ')}) to objects of that step's inputs, e.g. {"build": {"archive-format": "zip"}}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('step-inputs', JSON.stringify(raw), expected);
  const out: Partial<Record<StepId, Record<string, string>>> = {};
  for (const [id, given] of Object.entries(raw)) {
    const step = steps.get(id as StepId);
    if (!step) throw new InputError('step-inputs', id, expected, `"${id}" is not a step`);
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw new InputError('step-inputs', `${id}: ${JSON.stringify(given)}`, expected);
    const declared = ACTION_DEFAULTS[step.action];
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
      if (!(k in declared)) {
        throw new InputError(
          'step-inputs',
          `${id}.${k}`,
          `inputs of ${step.action}: ${Object.keys(declared).join(', ')}`,
          `${step.action} has no input "${k}"`,
        );
      }
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new InputError('step-inputs', `${id}.${k}`, 'a string, number or boolean value');
      }
      values[k] = String(v);
    }
    out[id as StepId] = values;
  }
  return out;
}
