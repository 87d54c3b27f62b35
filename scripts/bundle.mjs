#!/usr/bin/env node
// Bundles each action's src/main.ts (and src/post.ts) with @vercel/ncc into actions/<name>/dist/
// (index.js, plus a package.json {"type":"module"} because the bundle is ESM), and the one-step
// action at the root (packages/pipeline/src/action/{main,post}.ts) into dist/.
// Usage: node scripts/bundle.mjs [name...] — `root` names the one-step action.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const all = [...readdirSync(path.join(root, 'actions')).filter((d) => existsSync(path.join(root, 'actions', d, 'action.yml'))), 'root'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;

/** Where an action's entries are and where its bundle goes. */
function layout(name) {
  if (name === 'root') return { src: path.join(root, 'packages', 'pipeline', 'src', 'action'), dist: path.join(root, 'dist'), cwd: root };
  const dir = path.join(root, 'actions', name);
  return { src: path.join(dir, 'src'), dist: path.join(dir, 'dist'), cwd: dir };
}

let failed = 0;
for (const name of names) {
  const { src, dist, cwd } = layout(name);
  const entries = ['main', 'post'].filter((e) => existsSync(path.join(src, `${e}.ts`)));
  rmSync(dist, { recursive: true, force: true });
  const started = Date.now();
  for (const entry of entries) {
    const out = entry === 'main' ? dist : path.join(dist, entry);
    const r = spawnSync(
      process.execPath,
      [ncc, 'build', path.join(src, `${entry}.ts`), '-o', out, '--target', 'es2023', '--license', 'licenses.txt', '--quiet'],
      {
        cwd,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (r.status !== 0) {
      console.error(`bundle ${name}/${entry}: ncc failed (exit ${r.status})`);
      failed++;
      continue;
    }
    writeFileSync(path.join(out, 'package.json'), '{\n  "type": "module"\n}\n');
    if (entry === 'post') {
      // post/index.js is referenced from action.yml as dist/post/index.js
      const size = readFileSync(path.join(out, 'index.js')).length;
      console.log(`  ${name}/dist/post/index.js ${(size / 1024).toFixed(0)} KiB`);
    }
  }
  if (existsSync(path.join(dist, 'index.js'))) {
    const size = readFileSync(path.join(dist, 'index.js')).length;
    console.log(`bundled ${name}: dist/index.js ${(size / 1024).toFixed(0)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
process.exit(failed ? 1 : 0);
