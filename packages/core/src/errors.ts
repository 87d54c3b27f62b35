/**
 * Errors a user can act on versus everything else.
 *
 * A GoshipError carries what went wrong, why, and how to fix it; the action prints it as one
 * `::error::` line without a stack. Anything else is a bug in goship (or an environment we did not
 * foresee): its stack is shown only with debug logging on.
 */
export class GoshipError extends Error {
  override name = 'GoshipError';
  constructor(
    /** What went wrong, in one sentence. */
    readonly what: string,
    /** How to fix it, when we know. */
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(fix ? `${what} ${ensureStop(fix)}` : what, options);
  }
}

/** A bad action input: names the input, what was given, what is accepted and how to fix it. */
export class InputError extends GoshipError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    readonly got: string,
    readonly expected: string,
    readonly hint?: string,
  ) {
    super(`Input "${input}": got ${quote(got)}; expected ${expected}.`, hint);
  }
}

/** An external command failed. Carries its argv, exit code and the tail of its output. */
export class ExecError extends GoshipError {
  override name = 'ExecError';
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
    fix?: string,
  ) {
    const tail = lastLines(stderr.trim() || stdout.trim(), 20);
    super(`\`${argv.join(' ')}\` ${code === null ? 'was killed' : `exited with code ${code}`}${tail ? `:\n${tail}` : '.'}`, fix);
  }
}

export function isGoshipError(e: unknown): e is GoshipError {
  return e instanceof GoshipError;
}

export function quote(s: string): string {
  if (s === '') return '"" (empty)';
  const shown = s.length > 200 ? `${s.slice(0, 200)}…` : s;
  return JSON.stringify(shown);
}

export function lastLines(s: string, n: number): string {
  const lines = s.split('\n');
  return lines.length <= n ? s : ['…', ...lines.slice(-n)].join('\n');
}

function ensureStop(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
