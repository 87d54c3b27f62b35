/**
 * goship's local runner: the chain of the reusable workflow on a laptop.
 *
 *   goship run [MODULE_DIR] [--out DIR] [--registry HOST:PORT|none] [--keyless] [--tag vX.Y.Z]
 *              [--platforms LIST]
 *
 * Runs the committed bundles on a copy of the module (default fixtures/go/hello) — setup, gate,
 * build (+ image), sign, release — and writes what would be published to DIR/release. The version
 * is a snapshot unless the module's HEAD is tagged (or --tag tags the copy). The last line printed
 * is `release: <folder>`.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './fixtures.js';
import { type PipelineOptions, runPipeline } from './pipeline.js';

const USAGE = `usage: goship run [MODULE_DIR] [--out DIR] [--registry HOST:PORT|none] [--keyless] [--tag vX.Y.Z] [--platforms LIST]

Runs the goship chain (setup → gate → build → image → sign → release) on a Go module folder
(default fixtures/go/hello) with the committed action bundles. A registry on 127.0.0.1 is
started for the image unless --registry names one (or none). Signing uses an ephemeral key, or
local Sigstore stand-ins with --keyless. The release is written to DIR/release.`;

function usage(code: number): never {
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}

export function parseArgs(argv: string[]): PipelineOptions {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') usage(0);
  if (cmd !== 'run') usage(2);
  const opts: PipelineOptions = { out: '' };
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
  const run = await runPipeline(opts);
  try {
    console.log(
      `\nversion ${run.version} (tag ${run.tag}), trace id ${run.traceId}, ${run.steps.length} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
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
