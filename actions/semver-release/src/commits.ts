/**
 * Conventional commits (https://www.conventionalcommits.org) parsed with conventional-commits-parser:
 * the header `type(scope)!: subject`, `BREAKING CHANGE:` footers, and the bodies of GitHub
 * squash merges, whose bullet lines (`* feat: …`) are the squashed commits. Each becomes a Change.
 */
import { CommitParser } from 'conventional-commits-parser';
import type { Bump } from '@goship/core/semver';

export interface RawCommit {
  sha: string;
  /** The full message: subject, blank line, body. */
  message: string;
  author?: string;
  date?: string;
}

export interface Change {
  sha: string;
  /** Conventional type (`feat`, `fix`, …), or undefined when the message follows no convention. */
  type?: string;
  scope?: string;
  subject: string;
  breaking: boolean;
  /** Text of the BREAKING CHANGE note or the subject of a `!` header. */
  breakingNote?: string;
  /** Pull request number from a trailing `(#123)` on the header of the commit. */
  pr?: number;
  /** True for changes found in the body of a squash merge rather than its header. */
  squashed?: boolean;
}

const parser = new CommitParser({
  headerPattern: /^(\w*)(?:\(([\w$@.\-*/ ,]*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\(([\w$@.\-*/ ,]*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
});

const HEADER_RE = /^(\w+)(?:\([\w$@.\-*/ ,]*\))?!?: \S/;
const PR_RE = /\s*\(#(\d+)\)\s*$/;

function parseOne(sha: string, message: string, pr: number | undefined, squashed: boolean): Change {
  const c = parser.parse(message);
  const header = (c.header ?? message.split('\n', 1)[0] ?? '').trim();
  const ownPr = PR_RE.exec(header);
  const prNum = ownPr ? Number(ownPr[1]) : pr;
  const breakingNotes = (c.notes ?? []).filter((n) => /^BREAKING[ -]CHANGE$/.test(n.title));
  if (!c.type) {
    return { sha, subject: header.replace(PR_RE, ''), breaking: breakingNotes.length > 0, pr: prNum, squashed };
  }
  const note = breakingNotes.map((n) => n.text.trim()).find((t) => t !== '');
  return {
    sha,
    type: c.type.toLowerCase(),
    scope: c.scope ?? undefined,
    subject: (c.subject ?? '').replace(PR_RE, '').trim(),
    breaking: breakingNotes.length > 0,
    breakingNote: note,
    pr: prNum,
    squashed,
  };
}

/**
 * Parses one commit into its changes. A squash merge (`feat: x (#12)` whose body lists
 * `* fix: y` lines) yields the header change plus one change per conventional bullet; a
 * `BREAKING CHANGE:` footer anywhere in the body marks the header change as breaking.
 */
export function parseCommit(commit: RawCommit): Change[] {
  const msg = commit.message.replace(/\r\n/g, '\n').trim();
  const rest = msg.split('\n').slice(1);
  const head = parseOne(commit.sha, msg, undefined, false);
  const out: Change[] = [head];
  const body = rest.join('\n');
  // GitHub's squash merge body: "* type: subject" items, each possibly followed by indented or
  // blank-separated lines of that commit's body.
  const items = body.split(/\n(?=\* )/).map((s) => s.trim());
  for (const item of items) {
    if (!item.startsWith('* ')) continue;
    const text = item
      .slice(2)
      .split('\n')
      .map((l) => l.replace(/^ {2}/, ''))
      .join('\n');
    if (!HEADER_RE.test(text)) continue;
    const ch = parseOne(commit.sha, text, head.pr, true);
    if (ch.type === head.type && ch.subject === head.subject && ch.scope === head.scope) continue;
    out.push(ch);
  }
  // A non-conventional subject whose body holds conventional items: the items carry the meaning.
  if (!head.type && out.length > 1 && !head.breaking) out.shift();
  return out;
}

export function parseCommits(commits: readonly RawCommit[]): Change[] {
  return commits.flatMap(parseCommit);
}

export type BumpReason = { bump: Bump; because: Change } | { bump: undefined; because: undefined };

/**
 * The bump the changes call for: breaking → major (minor below 1.0.0 unless `breakingPre1` is
 * `major`), feat → minor, fix/perf → patch; nothing releasable → undefined.
 */
export function bumpFor(changes: readonly Change[], currentMajor: number, breakingPre1: 'minor' | 'major' = 'minor'): BumpReason {
  const breaking = changes.find((c) => c.breaking);
  if (breaking) return { bump: currentMajor === 0 && breakingPre1 === 'minor' ? 'minor' : 'major', because: breaking };
  const feat = changes.find((c) => c.type === 'feat');
  if (feat) return { bump: 'minor', because: feat };
  const fix = changes.find((c) => c.type === 'fix' || c.type === 'perf');
  if (fix) return { bump: 'patch', because: fix };
  return { bump: undefined, because: undefined };
}

export function describeChange(c: Change): string {
  return `${c.type ?? ''}${c.scope ? `(${c.scope})` : ''}${c.breaking && c.type ? '!' : ''}${c.type ? ': ' : ''}${c.subject} (${c.sha.slice(0, 7)})`;
}
