#!/usr/bin/env node
// Runs every benchmark (bench/<name>/run.mjs), or the ones named: node bench/run.mjs [name...].
// Each writes its Markdown table to bench/results/<name>.md; benchmarks are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .sort();
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;
if (names.length === 0) console.log('no benchmarks yet (bench/<name>/run.mjs)');
let failed = 0;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`no benchmark named ${name} (have: ${all.join(', ') || 'none'})`);
    failed++;
    continue;
  }
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, [path.join(here, name, 'run.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
