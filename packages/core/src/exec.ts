/**
 * Runs external commands with argv arrays, never through a shell. Output is captured (and shown,
 * unless silent), the environment is merged onto the process's, and each run is timed.
 */
import { spawn } from 'node:child_process';
import { currentPort } from './action/port.js';
import { ExecError } from './errors.js';

export interface RunOptions {
  cwd?: string;
  /** Merged onto process.env; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Replace the environment entirely instead of merging. */
  cleanEnv?: boolean;
  input?: string | Buffer;
  /** Don't echo output to the log (it is still captured). */
  silent?: boolean;
  /** Resolve with the result on a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /** Shown with the error when the command fails. */
  fix?: string;
  /** Keep stdout as bytes (e.g. a binary). */
  maxBuffer?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/**
 * What a child process never inherits: the action's inputs (`INPUT_*`, secrets among them) and the
 * runner's credentials for minting OIDC tokens and reaching the Actions services. go, git, nFPM and
 * a project's hooks need none of them, and a hook or a `go generate` of a dependency must not be
 * able to read the release token or sign as the repository. Passed explicitly in `env`, they pass.
 */
const NOT_INHERITED = /^(INPUT_.*|ACTIONS_ID_TOKEN_REQUEST_(TOKEN|URL)|ACTIONS_RUNTIME_TOKEN)$/;

export function mergeEnv(env: RunOptions['env'] = {}, clean = false): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  if (!clean) for (const [k, v] of Object.entries(process.env)) if (!NOT_INHERITED.test(k.toUpperCase())) out[k] = v;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const argv = [cmd, ...args];
  const port = currentPort();
  if (!opts.silent) port.info(`[command]${argv.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: mergeEnv(opts.env, opts.cleanEnv),
      shell: false,
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      if (!opts.silent) port.write(d.toString('utf8'));
    });
    child.stderr.on('data', (d: Buffer) => {
      err.push(d);
      if (!opts.silent) port.write(d.toString('utf8'));
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') {
        reject(new ExecError(argv, null, '', `${cmd}: command not found`, opts.fix ?? `Install ${cmd} or put it on PATH`));
      } else reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result: RunResult = {
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        timedOut,
      };
      if (code !== 0 && !opts.allowFailure) {
        reject(
          new ExecError(
            argv,
            code,
            result.stdout,
            timedOut ? `timed out after ${opts.timeoutMs} ms\n${result.stderr}` : result.stderr,
            opts.fix,
          ),
        );
      } else resolve(result);
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Runs a command and returns its trimmed stdout; quiet in the log. */
export async function output(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return (await run(cmd, args, { silent: true, ...opts })).stdout.trim();
}
