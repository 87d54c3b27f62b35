/**
 * The GoReleaser file's hooks: `before.hooks` once before the builds, `builds[].hooks.pre/post`
 * around each target's build. As in GoReleaser, a hook's `cmd` is rendered as a template and split
 * into words (go-shellwords' rules, core's splitCommand) and run with no shell; a line that needs
 * one was refused when the file was read. Its `dir` goes through the path policy; its environment
 * is the run's plus the file's `env` plus the hook's (the runner's INPUT_* variables left out, as
 * they hold the action's inputs and secrets).
 */
import type { Log } from '@goship/core/action';
import { type Hook, splitCommand, type Tmpl } from '@goship/core/config';
import { GoshipError, lastLines } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { confinePath } from '@goship/core/paths';
import { type Value } from '@goship/core/template';
import { renderTmpl, tmplWhere } from './template.js';

/** The environment variables a hook must not see: the action's inputs (secrets among them). */
export function inputVariables(env: NodeJS.ProcessEnv = process.env): Record<string, undefined> {
  return Object.fromEntries(
    Object.keys(env)
      .filter((k) => k.startsWith('INPUT_'))
      .map((k) => [k, undefined]),
  );
}

/** `KEY=value` templates rendered in order onto `base` (a later one sees the earlier ones in .Env). */
export function renderEnv(
  list: readonly Tmpl[],
  data: (env: Record<string, string>) => Value,
  base: Record<string, string>,
): Record<string, string> {
  const env = { ...base };
  for (const t of list) {
    const line = renderTmpl(t, data(env));
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new GoshipError(`${tmplWhere(t)}: ${JSON.stringify(line)} is not KEY=value.`, 'Write each env entry as KEY=value');
    }
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

export interface HookRun {
  workdir: string;
  /** The template fields of the hook (a build hook's include the target and binary). */
  data: (env: Record<string, string>) => Value;
  /** The environment before the hook's own `env`: the file's `env` (and a build's). */
  env: Record<string, string>;
  log: Log;
}

export async function runHooks(hooks: readonly Hook[], label: string, r: HookRun): Promise<void> {
  for (const h of hooks) {
    const env = renderEnv(h.env, r.data, r.env);
    const line = renderTmpl(h.cmd, r.data(env));
    const argv = splitCommand(line, { windows: process.platform === 'win32' });
    if (argv.length === 0) continue;
    const dirGiven = h.dir ? renderTmpl(h.dir, r.data(env)) : '';
    const cwd = dirGiven ? confinePath('config', dirGiven, { base: r.workdir, what: `the dir of ${tmplWhere(h.cmd)}` }) : r.workdir;
    r.log.info(`${label}: ${argv.join(' ')}`);
    const res = await run(argv[0]!, argv.slice(1), {
      cwd,
      env: { ...inputVariables(), ...env },
      silent: !h.output,
      allowFailure: true,
    });
    if (res.code !== 0) {
      throw new GoshipError(
        `${label} \`${line}\` (${tmplWhere(h.cmd)}) exited with code ${res.code}:\n${lastLines((res.stdout + res.stderr).trim(), 30) || '(no output)'}`,
        'Run the command in the module folder to see why; hooks run without a shell, exactly as GoReleaser runs them',
      );
    }
  }
}
