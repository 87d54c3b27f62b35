#!/usr/bin/env node
// goship's own release: the workflows, examples and READMEs say `uses: OWNER/goship/...@v1` in the
// source. At a release commit they are rewritten to the real repository at the release's own tag,
// so `…/go-release.yml@v1.2.3` calls the actions of v1.2.3, not of a moving branch or tag.
//
//   node scripts/release-refs.mjs --repository OWNER/NAME --ref v1.2.3   rewrite in place
//   node scripts/release-refs.mjs --check                                 fail if a placeholder is left
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLACEHOLDER = 'OWNER/goship';

/** The files a release ships that may name goship's actions. */
export function releasedFiles(root) {
  const list = (dir, ext) =>
    existsSync(path.join(root, dir))
      ? readdirSync(path.join(root, dir))
          .filter((f) => ext.some((e) => f.endsWith(e)))
          .map((f) => path.join(dir, f))
      : [];
  return [
    ...list('.github/workflows', ['.yml', '.yaml']).filter((f) => !/\/(ci|release)\.ya?ml$/.test(f)),
    ...list('examples/workflows', ['.yml', '.yaml']),
    ...list('docs', ['.md']),
    'README.md',
    ...readdirSync(path.join(root, 'actions')).map((a) => path.join('actions', a, 'README.md')),
  ].filter((f) => existsSync(path.join(root, f)));
}

/** The text with every placeholder reference pinned: `OWNER/goship/x@v1` → `repo/x@ref`, `OWNER/goship@v1` → `repo@ref`. */
export function rewrite(text, repository, ref) {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
    throw new Error(`--repository must be OWNER/NAME, got ${JSON.stringify(repository)}`);
  if (!/^[A-Za-z0-9_.\-/+]+$/.test(ref) || ref.startsWith('-'))
    throw new Error(`--ref must be a tag or commit, got ${JSON.stringify(ref)}`);
  return text
    .replace(/OWNER\/goship((?:\/[A-Za-z0-9_.\-/]+)?)@v1\b/g, (_m, sub) => `${repository}${sub}@${ref}`)
    .replaceAll(PLACEHOLDER, repository);
}

/** Files (relative to root) that still hold the placeholder. */
export function leftovers(root) {
  return releasedFiles(root).filter((f) => readFileSync(path.join(root, f), 'utf8').includes(PLACEHOLDER));
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(arg('--root') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  if (argv.includes('--check')) {
    const left = leftovers(root);
    if (left.length) {
      console.error(`the placeholder ${PLACEHOLDER} is still in: ${left.join(', ')}`);
      return 1;
    }
    console.log(`no ${PLACEHOLDER} placeholder in ${releasedFiles(root).length} released files`);
    return 0;
  }
  const repository = arg('--repository');
  const ref = arg('--ref');
  if (!repository || !ref) {
    console.error('usage: release-refs.mjs --repository OWNER/NAME --ref TAG [--root DIR] | --check [--root DIR]');
    return 2;
  }
  let changed = 0;
  for (const f of releasedFiles(root)) {
    const file = path.join(root, f);
    const before = readFileSync(file, 'utf8');
    const after = rewrite(before, repository, ref);
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
      console.log(`pinned ${f}`);
    }
  }
  console.log(`${changed} file(s) now name ${repository}@${ref}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
