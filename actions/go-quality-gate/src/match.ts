/**
 * Telling a lint finding that already existed from a new one, across two versions of the code.
 * Line numbers move whenever code above changes, so a finding is identified by what does not:
 * the check, the file (relative to the module), the rule, the message with positions taken out,
 * and the text of the line it points at (whitespace collapsed). Several findings with the same
 * identity are paired nearest line first; the ones left over are new.
 */
import type { Finding } from './findings.js';

export interface Fingerprint {
  check: string;
  /** Relative to the module folder, forward slashes. */
  file: string;
  rule: string;
  message: string;
  /** The source line the finding points at, whitespace collapsed ('' when unknown). */
  text: string;
  /** Where it was, for pairing duplicates; never part of the identity. */
  line: number;
}

/** Positions inside a message (`x.go:12:3`, `line 12`, `lines 3-9`) move with the code: they are not part of the identity. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\.go:\d+(?::\d+)?/g, '.go:N')
    .replace(/\blines? \d+(?:\s*-\s*\d+)?/g, 'line N')
    .replace(/\s+/g, ' ')
    .trim();
}

export function normalizeText(line: string | undefined): string {
  return (line ?? '').replace(/\s+/g, ' ').trim();
}

export function fingerprint(f: Finding, moduleFile: string, lineText: string | undefined): Fingerprint {
  return {
    check: f.check,
    file: moduleFile,
    rule: f.rule ?? '',
    message: normalizeMessage(f.message),
    text: normalizeText(lineText),
    line: f.line ?? 0,
  };
}

function identity(p: Fingerprint): string {
  return JSON.stringify([p.check, p.file, p.rule, p.message, p.text]);
}

/**
 * The indexes of `current` that match a finding of `baseline`. Each baseline finding matches at
 * most one current finding: of several with the same identity, the nearest lines pair first.
 */
export function preExisting(current: readonly Fingerprint[], baseline: readonly Fingerprint[]): Set<number> {
  const old = new Map<string, number[]>();
  for (const b of baseline) old.set(identity(b), [...(old.get(identity(b)) ?? []), b.line]);
  const now = new Map<string, number[]>();
  current.forEach((c, i) => now.set(identity(c), [...(now.get(identity(c)) ?? []), i]));
  const matched = new Set<number>();
  for (const [id, indexes] of now) {
    const lines = old.get(id);
    if (!lines) continue;
    const pairs = indexes.flatMap((i) => lines.map((l, j) => ({ i, j, d: Math.abs(current[i]!.line - l) })));
    const usedOld = new Set<number>();
    for (const p of pairs.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j)) {
      if (matched.has(p.i) || usedOld.has(p.j)) continue;
      matched.add(p.i);
      usedOld.add(p.j);
    }
  }
  return matched;
}
