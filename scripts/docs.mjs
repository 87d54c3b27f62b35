#!/usr/bin/env node
// Regenerates the inputs/outputs tables in each action's README.md from its action.yml, between
// the markers <!-- goship:inputs --> … <!-- /goship:inputs --> (and the same for outputs).
// With --check, changes nothing and exits 1 when a README has drifted.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

function inputsTable(inputs = {}) {
  const rows = Object.entries(inputs).map(([name, s]) => {
    const def = s.default === undefined || s.default === '' ? (s.required ? '**required**' : '') : `\`${cell(s.default)}\``;
    return `| \`${name}\` | ${cell(s.description)} | ${def} |`;
  });
  return ['| input | description | default |', '| --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(outputs = {}) {
  const rows = Object.entries(outputs).map(([name, s]) => `| \`${name}\` | ${cell(s.description)} |`);
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBlock(text, tag, body, file) {
  const re = new RegExp(`(<!-- goship:${tag} -->)[\\s\\S]*?(<!-- /goship:${tag} -->)`);
  if (!re.test(text)) throw new Error(`${file}: missing the <!-- goship:${tag} --> … <!-- /goship:${tag} --> markers`);
  return text.replace(re, `$1\n${body}\n$2`);
}

let drift = 0;
for (const name of readdirSync(path.join(root, 'actions')).sort()) {
  const dir = path.join(root, 'actions', name);
  const yml = path.join(dir, 'action.yml');
  const readme = path.join(dir, 'README.md');
  if (!existsSync(yml)) continue;
  if (!existsSync(readme)) {
    console.error(`actions/${name}: README.md is missing`);
    drift++;
    continue;
  }
  const action = parse(readFileSync(yml, 'utf8'));
  const before = readFileSync(readme, 'utf8');
  let after;
  try {
    after = replaceBlock(
      replaceBlock(before, 'inputs', inputsTable(action.inputs), readme),
      'outputs',
      outputsTable(action.outputs),
      readme,
    );
  } catch (e) {
    console.error(e.message);
    drift++;
    continue;
  }
  if (after !== before) {
    if (check) {
      console.error(`actions/${name}/README.md: inputs/outputs tables differ from action.yml (run: pnpm docs)`);
      drift++;
    } else {
      writeFileSync(readme, after);
      console.log(`updated actions/${name}/README.md`);
    }
  }
}
process.exit(drift ? 1 : 0);
