/**
 * The one top-level wrapper every action's entry point uses (as codeql-action's `runWrapper`):
 * secrets read and masked first, the action's main run with its context as the current port, and a
 * single catch that turns a GoshipError into one `::error::` line prefixed with the action's name
 * and anything else into a failure whose stack is shown only with debug on. Every message is
 * scrubbed of secrets before it is printed.
 */
import { isGoshipError } from '../errors.js';
import { ActionContext } from './context.js';
import { Inputs } from './inputs.js';
import { type RunnerPort, withPort } from './port.js';
import { failStep, runnerPort } from './runner.js';
import { readSecrets, Secrets, type SecretSpec } from './secrets.js';

export interface ActionOptions {
  /** The action's secret inputs: read and masked before anything else. */
  secrets?: readonly SecretSpec[];
  /** Another port than the runner's (the in-process chain, tests). */
  port?: RunnerPort;
  /** How a failure is reported (default: the step fails with `::error::`). */
  fail?: (message: string) => void;
}

/** The failure message of an error, as the step prints it. */
export function failureMessage(name: string, e: unknown): { message: string; stack?: string } {
  if (isGoshipError(e)) return { message: `${name}: ${e.message}` };
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    message: `${name}: unexpected error: ${err.message}. This is a goship bug; please report it with the log (re-run with debug logging for the stack).`,
    stack: err.stack ?? String(err),
  };
}

/**
 * Runs an action's main function. Never throws: failures end the step as failed. Returns the
 * context (useful in tests) and whether main succeeded.
 */
export async function runAction(
  name: string,
  main: (ctx: ActionContext) => Promise<void>,
  opts: ActionOptions = {},
): Promise<{ ctx?: ActionContext; ok: boolean }> {
  const port = opts.port ?? runnerPort();
  const fail = opts.fail ?? failStep;
  let secrets = new Secrets(port);
  try {
    secrets = readSecrets(port, opts.secrets ?? []);
    const scrubbed = scrubbingPort(port, secrets);
    const ctx = new ActionContext(name, scrubbed, new Inputs((n) => port.input(n), secrets.values), secrets);
    await withPort(scrubbed, () => main(ctx));
    return { ctx, ok: true };
  } catch (e) {
    const { message, stack } = failureMessage(name, e);
    fail(secrets.scrub(message));
    if (stack) port.debug(secrets.scrub(stack));
    return { ok: false };
  }
}

/** The current port for core's infrastructure: the same port, with secrets scrubbed from log text. */
function scrubbingPort(port: RunnerPort, secrets: Secrets): RunnerPort {
  return {
    ...port,
    info: (m) => port.info(secrets.scrub(m)),
    debug: (m) => port.debug(secrets.scrub(m)),
    annotation: (l, m, p) => port.annotation(l, secrets.scrub(m), p),
    mask: (v) => secrets.add(v),
    output: (n, v) => port.output(n, secrets.scrub(v)),
    appendSummary: (md) => port.appendSummary(secrets.scrub(md)),
  };
}
