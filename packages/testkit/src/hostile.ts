/**
 * The hostile-input catalogue's harness: runs a bundle with one bad input (or a bad set) and
 * asserts what a user must be able to rely on — a non-zero exit, an `::error::` naming the input,
 * no stack trace, no file written outside the workspace, no request to a service, and no canary
 * secret anywhere goship writes (log, summary, outputs, files).
 *
 * A case runs in a fresh workspace laid out as
 *   <root>/ws/mod       the module (cwd, GITHUB_WORKSPACE = <root>/ws)
 *   <root>/trap/        a folder outside the workspace that `../` paths and symlinks point into
 *   <root>/runner-temp  RUNNER_TEMP
 * so an escape is detected in the trap, never on the machine's /etc.
 */
import { cp, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './fixtures.js';
import { type ActionResult, type RunActionOptions, runAction } from './runner.js';

/** Secret values that must never be printed, whatever the case; tests put them in secret inputs. */
export const CANARIES = {
  token: 'ghp_CANARYtokenAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  password: 'canary-registry-password-BBBBBBBB',
  webhook: 'https://hooks.example.invalid/services/T000/B000/CANARYwebhookCCCC',
  keyPassword: 'canary-key-password-DDDDDDDD',
} as const;

export interface HostileWorkspace {
  root: string;
  workspace: string;
  module: string;
  trap: string;
  runnerTemp: string;
}

/** A fresh workspace with the module copied in (or empty), a trap folder beside it and a symlink into the trap. */
export async function hostileWorkspace(moduleDir?: string): Promise<HostileWorkspace> {
  const root = await tempDir('goship-hostile-');
  const workspace = path.join(root, 'ws');
  const module = path.join(workspace, 'mod');
  const trap = path.join(root, 'trap');
  const runnerTemp = path.join(root, 'runner-temp');
  for (const d of [module, trap, runnerTemp]) await mkdir(d, { recursive: true });
  if (moduleDir) await cp(moduleDir, module, { recursive: true, filter: (s) => path.basename(s) !== 'dist' });
  await writeFile(path.join(trap, 'passwd'), 'root:x:0:0:TRAPCONTENT:/root:/bin/bash\n');
  await symlink(trap, path.join(module, 'trap-link'));
  return { root, workspace, module, trap, runnerTemp };
}

export interface HostileCase {
  /** What the case tries, for the test name. */
  name: string;
  inputs: Record<string, string>;
  /** The input the `::error::` must name (`Input "x"`). */
  input: string;
  env?: Record<string, string>;
}

export interface HostileOptions extends Omit<RunActionOptions, 'inputs' | 'cwd' | 'runnerTemp'> {
  /** Counts requests of services that must not be contacted (GitHub stand-in, registry, Sigstore). */
  requests?: () => number;
}

async function listTree(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(p, (await stat(p).catch(() => undefined))?.mtimeMs ?? 0);
    }
  };
  await walk(dir);
  return out;
}

async function filesContaining(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const f of (await listTree(dir)).keys()) {
    const s = await stat(f).catch(() => undefined);
    if (!s || s.size > 16 << 20) continue;
    const text = await readFile(f, 'latin1').catch(() => '');
    if (needles.some((n) => text.includes(n))) hits.push(f);
  }
  return hits;
}

export interface HostileVerdict {
  result: ActionResult;
  /** Every broken promise; empty when the case was refused as it must be. */
  problems: string[];
}

/** Runs one case in `ws` and returns what went wrong (nothing, for a well-refused input). */
export async function runHostile(
  actionDir: string,
  ws: HostileWorkspace,
  c: HostileCase,
  opts: HostileOptions = {},
): Promise<HostileVerdict> {
  const trapBefore = await listTree(ws.trap);
  const before = opts.requests?.() ?? 0;
  const result = await runAction(actionDir, {
    ...opts,
    inputs: c.inputs,
    cwd: ws.module,
    runnerTemp: ws.runnerTemp,
    env: { ...opts.env, GITHUB_WORKSPACE: ws.workspace, ...c.env },
    skipPost: true,
  });
  const problems: string[] = [];
  if (result.exitCode === 0) problems.push('exited 0');
  const errors = result.annotations.filter((a) => a.type === 'error');
  if (!errors.some((e) => e.message.includes(`"${c.input}"`))) {
    problems.push(`no ::error:: names input "${c.input}" (errors: ${errors.map((e) => e.message.split('\n')[0]).join(' | ') || 'none'})`);
  }
  if (/\n\s+at .+:\d+:\d+\)?/.test(result.log)) problems.push('a stack trace was printed');
  const trapAfter = await listTree(ws.trap);
  for (const [f, m] of trapAfter) if (trapBefore.get(f) !== m) problems.push(`wrote outside the workspace: ${f}`);
  if (result.log.includes('TRAPCONTENT') || result.summary.includes('TRAPCONTENT')) problems.push("printed a refused file's content");
  const canaries = Object.values(CANARIES);
  // `::add-mask::` lines register a secret with the runner, which consumes them and never shows them.
  const shown = result.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  const sinks: [string, string][] = [
    ['log', shown],
    ['summary', result.summary],
    ['outputs', JSON.stringify(result.outputs)],
  ];
  for (const [where, text] of sinks) {
    for (const k of canaries) if (text.includes(k)) problems.push(`a canary secret appears in the ${where}`);
  }
  for (const f of await filesContaining(ws.workspace, canaries)) problems.push(`a canary secret was written to ${f}`);
  const after = opts.requests?.() ?? 0;
  if (after !== before) problems.push(`${after - before} request(s) reached a service`);
  return { result, problems };
}
