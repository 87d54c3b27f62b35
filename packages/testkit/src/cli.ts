/**
 * goship's local runner: runs the committed action bundles on a Go module folder the way the
 * GitHub runner would, chaining each step's outputs into the next step's inputs as the workflow
 * does, and collects what the run produced in one folder.
 *
 *   goship run [MODULE_DIR] [--out DIR]
 *
 * The module is copied into a scratch workspace (a clone when it is a git repository, else a copy
 * committed once), so the source folder is never written to.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ActionResult, runAction } from './runner.js';
import { actionDir, repoRoot } from './fixtures.js';

const execFileP = promisify(execFile);

interface Options {
  moduleDir: string;
  out: string;
}

function usage(code: number): never {
  console.log('usage: goship run [MODULE_DIR] [--out DIR]\n\nRuns the goship actions on a Go module (default fixtures/go/hello).');
  process.exit(code);
}

function parseArgs(argv: string[]): Options {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h') usage(0);
  if (cmd !== 'run') usage(2);
  let moduleDir = path.join(repoRoot, 'fixtures', 'go', 'hello');
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out') out = rest[++i];
    else if (a === '--help' || a === '-h') usage(0);
    else if (a.startsWith('-')) {
      console.error(`goship: unknown option ${a}`);
      usage(2);
    } else moduleDir = path.resolve(a);
  }
  const name = path.basename(moduleDir);
  return { moduleDir, out: path.resolve(out ?? path.join(repoRoot, '.tools', 'demo', name)) };
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'goship demo',
    GIT_AUTHOR_EMAIL: 'demo@goship.invalid',
    GIT_COMMITTER_NAME: 'goship demo',
    GIT_COMMITTER_EMAIL: 'demo@goship.invalid',
  };
  return (await execFileP('git', args, { cwd, env })).stdout.trim();
}

/** A scratch copy of the module with a git history (the actions read commit facts from git). */
async function prepareWorkspace(moduleDir: string, workspace: string): Promise<void> {
  await rm(workspace, { recursive: true, force: true });
  const isRepoRoot = await stat(path.join(moduleDir, '.git')).then(
    () => true,
    () => false,
  );
  if (isRepoRoot) {
    await execFileP('git', ['clone', '--quiet', '--no-hardlinks', moduleDir, workspace]);
    return;
  }
  await cp(moduleDir, workspace, { recursive: true, filter: (src) => path.basename(src) !== 'dist' });
  await git(workspace, 'init', '-q', '-b', 'main');
  await git(workspace, 'add', '-A');
  // A fixed date keeps the demo's output reproducible from run to run.
  await execFileP('git', ['commit', '-q', '-m', 'goship demo snapshot'], {
    cwd: workspace,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'goship demo',
      GIT_AUTHOR_EMAIL: 'demo@goship.invalid',
      GIT_COMMITTER_NAME: 'goship demo',
      GIT_COMMITTER_EMAIL: 'demo@goship.invalid',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    },
  });
}

interface StepRecord {
  id: string;
  action: string;
  seconds: number;
  result: ActionResult;
}

async function step(
  records: StepRecord[],
  id: string,
  action: string,
  cwd: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<ActionResult> {
  const started = performance.now();
  process.stdout.write(`▶ ${id} (${action})\n`);
  const result = await runAction(actionDir(action), { cwd, inputs, env });
  const seconds = (performance.now() - started) / 1000;
  records.push({ id, action, seconds, result });
  for (const a of result.annotations.filter((x) => x.type === 'error' || x.type === 'warning')) {
    process.stdout.write(`  ${a.type}: ${a.message}\n`);
  }
  if (result.exitCode !== 0) {
    process.stdout.write(result.log.split('\n').slice(-40).join('\n'));
    throw new Error(`step ${id} (${action}) failed with exit code ${result.exitCode}`);
  }
  process.stdout.write(
    `  ✓ ${seconds.toFixed(1)} s — ${Object.entries(result.outputs)
      .map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 57)}…` : v}`)
      .join(', ')}\n`,
  );
  return result;
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  const workspace = path.join(opts.out, 'workspace');
  await mkdir(opts.out, { recursive: true });
  await prepareWorkspace(opts.moduleDir, workspace);
  const env = { GITHUB_REPOSITORY: `local/${path.basename(opts.moduleDir)}`, GOSHIP_LOCAL: '1', GITHUB_ACTIONS: '' };
  const records: StepRecord[] = [];
  try {
    await step(records, 'setup', 'setup-go-matrix', workspace, { install: 'false', cache: 'false' }, env);
  } finally {
    const outputs = Object.fromEntries(records.map((r) => [r.id, r.result.outputs]));
    await writeFile(path.join(opts.out, 'outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`);
    await writeFile(path.join(opts.out, 'summary.md'), records.map((r) => r.result.summary).join('\n'));
  }
  console.log(
    `\n${records.length} step(s) in ${records.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s; outputs.json and summary.md written`,
  );
  console.log(`results: ${opts.out}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`goship: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
