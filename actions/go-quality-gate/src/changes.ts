/**
 * What a change touches, from git's unified diffs: the changed lines of each file since a pull
 * request's base (for diff coverage and for judging lint findings on pull requests), and the first
 * line a formatter's or `go mod tidy`'s diff changes (for annotating it).
 */
import path from 'node:path';
import { git } from './git.js';

/** Changed line numbers (new side) per file from `git diff --unified=0` output; paths as the diff names them. */
export function parseDiff(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = line.slice(4).trim();
      file = name === '/dev/null' ? undefined : name.replace(/^b\//, '');
      if (file && !out.has(file)) out.set(file, new Set());
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && file) {
      const start = Number(h[1]);
      const n = h[2] === undefined ? 1 : Number(h[2]);
      for (let i = 0; i < n; i++) out.get(file)!.add(start + i);
    }
  }
  return out;
}

/** The first line of the original file that a unified diff changes (blank-line changes only if nothing else changes). */
export function firstChangedLine(diff: string): number | undefined {
  let line = 0;
  let blank: number | undefined;
  for (const l of diff.split('\n')) {
    const h = /^@@ -(\d+)/.exec(l);
    if (h) {
      line = Number(h[1]);
      continue;
    }
    if (line === 0 || l.startsWith('---') || l.startsWith('+++')) continue;
    if (l.startsWith('-') || l.startsWith('+')) {
      if (l.slice(1).trim() !== '') return line;
      blank ??= line;
      if (l.startsWith('-')) line++;
      continue;
    }
    line++;
  }
  return blank;
}

export interface Changes {
  /** The repository's top folder: the diff's paths are relative to it. */
  top: string;
  /** The commit compared with: the merge base of the base and HEAD. */
  from: string;
  lines: Map<string, Set<number>>;
}

/** The repository path (forward slashes) of an absolute file path. */
export function repoPath(changes: Changes, abs: string): string {
  return path.relative(changes.top, abs).split(path.sep).join('/');
}

/** Whether `line` of the file at `abs` is one the change touched. */
export function isChanged(changes: Changes, abs: string, line: number | undefined): boolean {
  return line !== undefined && (changes.lines.get(repoPath(changes, abs))?.has(line) ?? false);
}

/**
 * The lines changed since `base` (a commit id from the event payload), compared from its merge
 * base with HEAD to the work tree. Undefined when the base is not in the clone (a shallow checkout).
 */
export async function changedLines(cwd: string, base: string, pathspec: readonly string[] = []): Promise<Changes | undefined> {
  let top: string;
  let from: string;
  try {
    top = await git(cwd, ['rev-parse', '--show-toplevel']);
    from = await git(cwd, ['merge-base', base, 'HEAD']).catch(() => base);
    await git(cwd, ['cat-file', '-e', `${from}^{commit}`]);
  } catch {
    return undefined;
  }
  const diff = await git(cwd, ['diff', '--unified=0', '--no-color', '--no-ext-diff', from, '--', ...pathspec]);
  return { top, from, lines: parseDiff(diff) };
}
