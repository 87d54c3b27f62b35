/**
 * Runs an action's committed bundle the way the GitHub runner does: inputs as `INPUT_*` variables
 * (defaults from action.yml applied), temp files for GITHUB_OUTPUT/ENV/STATE/PATH/STEP_SUMMARY,
 * RUNNER_TEMP and RUNNER_TOOL_CACHE, the GITHUB_* context and an event payload file; then the
 * `post:` entry with the saved state when the action declares one.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ActionYaml {
  name: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string | number | boolean }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; pre?: string; 'post-if'?: string };
  branding?: Record<string, string>;
}

export async function readActionYaml(actionDir: string): Promise<ActionYaml> {
  return parseYaml(await readFile(path.join(actionDir, 'action.yml'), 'utf8')) as ActionYaml;
}

export interface Annotation {
  type: 'error' | 'warning' | 'notice' | 'debug';
  message: string;
  properties: Record<string, string>;
  file?: string;
  line?: number;
}

export interface RunActionOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The event payload (written to GITHUB_EVENT_PATH). */
  event?: unknown;
  eventName?: string;
  /** Reuse a runner temp / tool cache between runs (e.g. to test a warm cache). */
  runnerTemp?: string;
  toolCache?: string;
  /** Skip the post step even if the action has one. */
  skipPost?: boolean;
  timeoutMs?: number;
}

export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
}

export interface ActionResult extends StepResult {
  post?: StepResult;
  runnerTemp: string;
  toolCache: string;
  /** Everything printed by main and post together. */
  log: string;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Reads a file in the runner's file-command format: `k=v` lines and `k<<DELIM … DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delim] = heredoc;
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delim) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`unterminated ${key}<<${delim} block`);
      out[key!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed file-command line: ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Workflow commands printed to stdout: `::error file=a.go,line=3::message`. */
export function parseAnnotations(stdout: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::(error|warning|notice|debug)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      if (eq > 0) properties[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
    }
    const a: Annotation = { type: m[1] as Annotation['type'], message: unescapeData(m[3]!), properties };
    if (properties.file) a.file = properties.file;
    if (properties.line) a.line = Number(properties.line);
    out.push(a);
  }
  return out;
}

async function runStep(
  entry: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  files: Record<string, string>,
  timeoutMs: number,
): Promise<StepResult> {
  for (const f of Object.values(files)) await writeFile(f, '');
  const child = spawn(process.execPath, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const stdout = Buffer.concat(out).toString('utf8');
  const read = async (k: string): Promise<string> => readFile(files[k]!, 'utf8');
  return {
    exitCode,
    stdout,
    stderr: Buffer.concat(err).toString('utf8'),
    outputs: parseFileCommands(await read('GITHUB_OUTPUT')),
    exportedEnv: parseFileCommands(await read('GITHUB_ENV')),
    state: parseFileCommands(await read('GITHUB_STATE')),
    path: (await read('GITHUB_PATH')).split('\n').filter(Boolean),
    summary: await read('GITHUB_STEP_SUMMARY'),
    annotations: parseAnnotations(stdout),
  };
}

/** The GITHUB_* variables a runner sets, with test-friendly values; `env` overrides them. */
export function contextEnv(workspace: string, eventPath: string, eventName: string): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: 'goship-test/hello',
    GITHUB_REPOSITORY_OWNER: 'goship-test',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/api',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/api/graphql',
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_ACTOR: 'goship-bot',
    GITHUB_WORKFLOW: 'test',
    GITHUB_WORKFLOW_REF: 'goship-test/hello/.github/workflows/release.yml@refs/heads/main',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    RUNNER_OS: process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : 'Linux',
    RUNNER_ARCH: process.arch === 'x64' ? 'X64' : process.arch === 'arm64' ? 'ARM64' : process.arch.toUpperCase(),
    RUNNER_NAME: 'goship-testkit',
    RUNNER_DEBUG: '',
  };
}

/** Variables of the test process that would leak into the step and change its behaviour. */
const STRIP = /^(INPUT_|GITHUB_|RUNNER_|STATE_|ACTIONS_)/;

export async function runAction(actionDir: string, opts: RunActionOptions = {}): Promise<ActionResult> {
  const yml = await readActionYaml(actionDir);
  if (yml.runs.using !== 'node24') throw new Error(`${actionDir}/action.yml: runs.using is ${yml.runs.using}, expected node24`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'goship-step-'));
  const runnerTemp = opts.runnerTemp ?? path.join(work, 'runner-temp');
  const toolCache = opts.toolCache ?? path.join(work, 'tool-cache');
  await mkdir(runnerTemp, { recursive: true });
  await mkdir(toolCache, { recursive: true });
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(work, k.toLowerCase())]),
  );
  const eventPath = path.join(work, 'event.json');
  await writeFile(eventPath, JSON.stringify(opts.event ?? {}));
  const cwd = opts.cwd ?? process.cwd();

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!STRIP.test(k)) env[k] = v;
  Object.assign(
    env,
    contextEnv(cwd, eventPath, opts.eventName ?? 'push'),
    { RUNNER_TEMP: runnerTemp, RUNNER_TOOL_CACHE: toolCache },
    files,
  );
  for (const [name, spec] of Object.entries(yml.inputs ?? {})) {
    if (spec.default !== undefined) env[inputEnvName(name)] = String(spec.default);
  }
  for (const [name, value] of Object.entries(opts.inputs ?? {})) {
    if (!(name in (yml.inputs ?? {})))
      throw new Error(`${yml.name} has no input "${name}" (action.yml declares: ${Object.keys(yml.inputs ?? {}).join(', ')})`);
    if (value !== undefined) env[inputEnvName(name)] = String(value);
  }
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const timeout = opts.timeoutMs ?? 15 * 60_000;
  const main = await runStep(path.join(actionDir, yml.runs.main), env, cwd, files, timeout);
  const result: ActionResult = { ...main, runnerTemp, toolCache, log: main.stdout + main.stderr };
  if (yml.runs.post && !opts.skipPost) {
    const postEnv = { ...env };
    for (const [k, v] of Object.entries(main.state)) postEnv[`STATE_${k}`] = v;
    // The runner runs post steps with the job's exported environment.
    Object.assign(postEnv, main.exportedEnv);
    if (main.path.length) postEnv.PATH = [...[...main.path].reverse(), env.PATH ?? ''].join(path.delimiter);
    result.post = await runStep(path.join(actionDir, yml.runs.post), postEnv, cwd, files, timeout);
    result.log += result.post.stdout + result.post.stderr;
  }
  return result;
}
