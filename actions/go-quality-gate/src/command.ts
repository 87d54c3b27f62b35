/**
 * What every check does with a tool: run it quietly (checks run concurrently) while recording the
 * command and its output for the check's log group, and turn output without positioned findings
 * into one finding that says what broke.
 */
import { type RunOptions, type RunResult, run } from '@goship/core/exec';
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Finding, type PathMapper, classifyCompileMessage, hintFor, parsePositionedLines } from './findings.js';

/** Each check's commands and their output, shown in the log as one group when the check ends. */
const transcript = new AsyncLocalStorage<string[]>();
const TRANSCRIPT_LIMIT = 64 * 1024;

/** Runs `fn`, collecting the transcript of every command it runs. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const value = await transcript.run(lines, fn);
  return { value, lines: lines.filter(Boolean) };
}

/** Runs a tool quietly and records the command and its output in the current transcript. */
export async function runTool(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const r = await run(cmd, args, { silent: true, allowFailure: true, ...opts });
  const t = transcript.getStore();
  if (t) {
    const out = `${r.stdout}${r.stderr}`;
    t.push(
      `[command]${[cmd, ...args].join(' ')}  (exit ${r.code}, ${Math.round(r.ms)} ms)`,
      out.length > TRANSCRIPT_LIMIT
        ? `${out.slice(0, TRANSCRIPT_LIMIT)}\n… (${out.length - TRANSCRIPT_LIMIT} more bytes; see the report)`
        : out.trimEnd(),
    );
  }
  return r;
}

/** `-tags a,b` (or the tool's own flag name), nothing when no tags are set. */
export function tagsArgs(buildTags: string, flag = '-tags'): string[] {
  return buildTags ? [flag, buildTags] : [];
}

/** Compiler-style `file.go:3:4: message` lines as findings of `check`. */
export function compileFindings(check: string, text: string, paths: PathMapper, cwd?: string): Finding[] {
  return parsePositionedLines(text).map((l) => {
    const cls = classifyCompileMessage(l.message);
    return {
      check,
      class: cls,
      severity: 'error',
      file: paths.rel(l.file, cwd),
      line: l.line,
      column: l.column,
      message: l.message,
      hint: hintFor(cls),
    };
  });
}

/** A tool or go command that failed without positioned findings: a compile-like error, else the tool itself. */
export function commandFailure(check: string, text: string): Finding {
  const msg = text.trim().split('\n').slice(-5).join('\n') || 'failed without output';
  let cls = classifyCompileMessage(msg);
  if (cls === 'compile' && !/\.go:\d+/.test(msg)) cls = 'tool';
  return { check, class: cls, severity: 'error', file: cls === 'missing-module' ? 'go.mod' : undefined, message: msg, hint: hintFor(cls) };
}
