/**
 * Runs the chain in-process: each step is the action's own `main`, called with a child context
 * whose inputs are the step's wiring (over the action.yml defaults, as the runner applies them),
 * whose outputs are captured for the steps after it, whose log groups carry the step's name, and
 * whose job summary is collected into the one summary of the whole chain. Masks, annotations,
 * exported variables, PATH and saved state go straight to the runner.
 */
import { ActionContext, Inputs, type RunnerPort, type SecretSpec, readSecrets, withPort } from '@goship/core/action';
import { GoshipError, isGoshipError } from '@goship/core/errors';
import { formatMs } from '@goship/core/summary';
import { ACTION_DEFAULTS } from './action-defaults.js';
import { type ActionName, type ChainOptions, type ChainState, type ChainStep, type StepId, stepInputs, stepsFor } from './chain.js';

export type ActionMain = (ctx: ActionContext) => Promise<void>;

/** An action as its `main.ts` runs it: the main, and the secret inputs it reads and masks first. */
export interface RunnableAction {
  main: ActionMain;
  secrets: readonly SecretSpec[];
}

export interface StepRun {
  id: StepId;
  action: ActionName;
  title: string;
  ms: number;
  ok: boolean;
  skipped?: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ChainRun {
  state: ChainState;
  steps: StepRun[];
}

/** A port for one step inside the parent's step: its own inputs, outputs and summary; the rest is the parent's. */
export function childPort(
  parent: RunnerPort,
  label: string,
  action: ActionName,
  inputs: Record<string, string>,
): RunnerPort & { outputs: Record<string, string>; summary: string[] } {
  const defaults = ACTION_DEFAULTS[action];
  const outputs: Record<string, string> = {};
  const summary: string[] = [];
  return {
    ...parent,
    outputs,
    summary,
    // As the runner does: every declared input is set, to its default when not given.
    // Defaults that are expressions (`${{ github.token }}`) cannot be evaluated here: the chain passes those explicitly.
    input: (name) => inputs[name] ?? (defaults[name]?.includes('${{') ? '' : defaults[name]),
    output: (name, value) => {
      outputs[name] = value;
    },
    startGroup: (title) => parent.startGroup(`${label} · ${title}`),
    appendSummary: (md) => {
      summary.push(md);
      return Promise.resolve();
    },
  };
}

/**
 * Runs the steps of `opts.command` in order under `parent` (the root action's context). Stops at
 * the first failing step with its error, prefixed with the step's name.
 */
export async function runChain(
  parent: ActionContext,
  opts: ChainOptions,
  mains: Record<ActionName, RunnableAction>,
  hooks: { onStep?: (r: StepRun) => void } = {},
): Promise<ChainRun> {
  const state: ChainState = { opts, outputs: {} };
  const steps: StepRun[] = [];
  for (const step of stepsFor(opts.command)) {
    if (step.when && !step.when(state)) {
      const r: StepRun = {
        id: step.id,
        action: step.action,
        title: step.title,
        ms: 0,
        ok: true,
        skipped: skipReason(step, opts),
        outputs: {},
        summary: '',
      };
      steps.push(r);
      hooks.onStep?.(r);
      continue;
    }
    const r = await runStep(parent, step, state, mains[step.action]);
    steps.push(r);
    hooks.onStep?.(r);
    state.outputs[step.id] = r.outputs;
  }
  return { state, steps };
}

function skipReason(step: ChainStep, opts: ChainOptions): string {
  if (step.id === 'plan') return 'not a tag: the version is a snapshot';
  if (step.id === 'sign') return 'sign: none';
  if (step.id === 'publish') return 'not a tag: nothing is published';
  return `not for ${opts.command}`;
}

async function runStep(parent: ActionContext, step: ChainStep, state: ChainState, action: RunnableAction): Promise<StepRun> {
  const inputs = stepInputs(step, state);
  const label = `${step.id} (${step.action})`;
  const port = childPort(parent.port, label, step.action, inputs);
  const started = performance.now();
  parent.log.info(`▶ ${label}: ${step.title}`);
  try {
    // The action's own declaration, read by the same rules as its `uses:` step: masked first, then checked.
    const secrets = readSecrets(port, action.secrets);
    for (const v of secrets.values.values()) parent.secret(v);
    const ctx = new ActionContext(step.action, port, new Inputs((n) => port.input(n), secrets.values), parent.secrets);
    await withPort(port, () => action.main(ctx));
  } catch (e) {
    const where = `${step.id} (${step.action})`;
    if (isGoshipError(e)) throw new GoshipError(`${where}: ${e.message}`, undefined, { cause: e });
    throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const ms = performance.now() - started;
  parent.log.info(`✓ ${label} (${formatMs(ms)})`);
  parent.phases.push({ name: `${step.id}: ${step.title}`, ms, ok: true });
  return { id: step.id, action: step.action, title: step.title, ms, ok: true, outputs: port.outputs, summary: port.summary.join('') };
}
