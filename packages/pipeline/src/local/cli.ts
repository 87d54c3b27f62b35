/**
 * goship's local runner: the chain of a runner on a laptop.
 *
 *   goship release|snapshot|check [MODULE_DIR] [--out DIR] [--registry HOST:PORT|none] [--keyless]
 *                                 [--tag vX.Y.Z] [--platforms LIST] [--five-steps]
 *
 * `release` publishes into a local GitHub API stand-in and writes what was published (assets and
 * notes) to DIR/release; `snapshot` builds and signs and writes what a release would publish;
 * `check` runs setup and the quality gate. `run` is `release`, as before. The version is a
 * snapshot unless the module's HEAD is tagged (or --tag tags the copy). The last line printed is
 * `release: <folder>` (release and snapshot).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@goship/testkit/fixtures';
import { COMMANDS, type Command } from '../chain.js';
import { type LocalOptions, runLocal } from './run.js';

const USAGE = `usage: goship release|snapshot|check [MODULE_DIR] [--out DIR] [--registry HOST:PORT|none] [--keyless]
                                    [--tag vX.Y.Z] [--platforms LIST] [--five-steps]

Runs the goship chain on a Go module folder (default fixtures/go/hello) with the committed
one-step action (or, with --five-steps, the five actions in sequence), as a runner would:
  release   setup → plan → gate → build (+ image) → sign → publish into a local GitHub API
            stand-in; the published assets and notes are written to DIR/release
  snapshot  setup → gate → build → sign; what a release would publish goes to DIR/release
  check     setup → gate (what a pull request runs)
A registry on 127.0.0.1 is started for the image unless --registry names one (or none). Signing
uses an ephemeral key, or local Sigstore stand-ins with --keyless.`;

function usage(code: number): never {
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}

export function parseArgs(argv: string[]): LocalOptions {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help' || cmd === undefined) usage(cmd === undefined ? 2 : 0);
  const command: Command | undefined =
    cmd === 'run' ? 'release' : (COMMANDS as readonly string[]).includes(cmd) ? (cmd as Command) : undefined;
  if (!command) {
    console.error(`goship: unknown command ${JSON.stringify(cmd)}`);
    usage(2);
  }
  const opts: LocalOptions = { command, out: '' };
  const value = (i: number, flag: string): string => {
    const v = rest[i];
    if (v === undefined || v.startsWith('--')) {
      console.error(`goship: ${flag} needs a value`);
      usage(2);
    }
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out') opts.out = path.resolve(value(++i, a));
    else if (a === '--registry') opts.registry = value(++i, a);
    else if (a === '--tag') opts.tag = value(++i, a);
    else if (a === '--platforms') opts.platforms = value(++i, a);
    else if (a === '--keyless') opts.signing = 'keyless';
    else if (a === '--five-steps') opts.steps = 'five';
    else if (a === '--snapshot') opts.command = 'snapshot';
    else if (a === '--help' || a === '-h') usage(0);
    else if (a.startsWith('-')) {
      console.error(`goship: unknown option ${a}`);
      usage(2);
    } else opts.moduleDir = path.resolve(a);
  }
  const name = path.basename(opts.moduleDir ?? 'hello');
  opts.out ||= path.join(repoRoot, '.tools', 'demo', name);
  return opts;
}

async function main(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  const started = performance.now();
  const run = await runLocal(opts);
  try {
    console.log(
      `\n${run.command}: version ${run.version || '—'}${run.command === 'release' ? ` (tag ${run.tag})` : ''}, trace id ${run.traceId}, ${run.steps.length} step(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (run.command === 'check') {
      console.log(`quality gate: ${run.outputs.passed === 'true' ? 'passed' : (run.outputs.passed ?? '—')}`);
      return;
    }
    if (run.registry) console.log(`image pushed to ${run.registry.host}`);
    console.log(`\n${path.relative(process.cwd(), run.releaseDir) || run.releaseDir}:`);
    const names = (await readdir(run.releaseDir)).sort();
    const width = Math.max(...names.map((f) => f.length));
    for (const f of names) {
      console.log(`  ${f.padEnd(width)}  ${String((await stat(path.join(run.releaseDir, f))).size).padStart(10)} B`);
    }
    if (run.publicKey) console.log(`\nsigned with an ephemeral key; its public key: ${run.publicKey}`);
    console.log(`\nrelease: ${run.releaseDir}`);
  } finally {
    await run.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`goship: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
