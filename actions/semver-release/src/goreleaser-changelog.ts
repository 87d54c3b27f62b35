/**
 * The changelog GoReleaser (v2.15.1, internal/pipe/changelog) writes to dist/CHANGELOG.md, from
 * the same history and the file's `changelog` section: `git log` of previous-tag..tag with merge
 * commits (subjects only, newest first), then `filters` (every `include` pattern in turn appends
 * what it matches; without one, each `exclude` pattern removes what it matches), then `sort` by
 * message (byte order), then each entry through `format` and under the first group whose regexp
 * matches (a group without one takes the rest), groups shown by `order`. Patterns are Go RE2,
 * compiled by core's config reader.
 */
import type { Changelog as ChangelogSettings } from '@goship/core/config';
import { describe } from '@goship/core/config';
import { compileTemplate } from '@goship/core/template';

/** One commit as GoReleaser's git changeloger reads it. */
export interface LogEntry {
  sha: string;
  /** The subject line (`%s`). */
  message: string;
  authorName: string;
  authorEmail: string;
  /** The body (`%b`), for its Co-authored-by trailers. */
  body: string;
}

export interface Author {
  Name: string;
  Email: string;
  Username: string;
}

/** `Co-authored-by: Name <email>` trailers, as GoReleaser's changelog.ExtractCoAuthors reads them. */
export function coAuthors(body: string): Author[] {
  const out: Author[] = [];
  for (const m of body.matchAll(/^\s*co-authored-by:\s*(.+?)\s*<([^>]+)>\s*$/gim)) {
    out.push({ Name: m[1]!.trim(), Email: m[2]!.trim(), Username: '' });
  }
  return out;
}

function abbrev(sha: string, n: number): string {
  if (n === 0) return sha;
  if (n === -1) return '';
  return n > sha.length ? sha : sha.slice(0, n);
}

/** Go's regexp.MatchString: unanchored, on the subject. */
const matches = (re: RegExp, s: string): boolean => {
  re.lastIndex = 0;
  return re.test(s);
};

export function filterEntries(entries: readonly LogEntry[], c: Pick<ChangelogSettings, 'include' | 'exclude'>): LogEntry[] {
  if (c.include.length > 0) return c.include.flatMap((p) => entries.filter((e) => matches(p.regexp, e.message)));
  let out = [...entries];
  for (const p of c.exclude) out = out.filter((e) => !matches(p.regexp, e.message));
  return out;
}

/** strings.Compare order: by UTF-8 bytes, which for these strings is UTF-16 code unit order except outside the BMP. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortEntries(entries: readonly LogEntry[], sort: ChangelogSettings['sort']): LogEntry[] {
  if (sort === '') return [...entries];
  return [...entries].sort((x, y) => (sort === 'asc' ? 1 : -1) * compareBytes(x.message, y.message));
}

/**
 * The changelog text (without the trailing newline GoReleaser adds when it writes the file).
 * `fields` gives GoReleaser's template fields for the release; each entry adds its own.
 */
export function goreleaserChangelog(
  log: readonly LogEntry[],
  c: ChangelogSettings,
  fields: (extra: Record<string, unknown>) => unknown,
): string {
  const format = compileTemplate(c.format.text, { where: describe(c.format.where) });
  const line = (e: LogEntry): string => {
    const seen = new Set<string>();
    const authors = [{ Name: e.authorName, Email: e.authorEmail, Username: '' }, ...coAuthors(e.body)].filter((a) => {
      const key = a.Username || a.Email || a.Name;
      if (key === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const text = format.execute(
      fields({
        SHA: abbrev(e.sha, c.abbrev),
        Message: e.message,
        Authors: authors,
        Logins: [],
        AuthorUsername: '',
        AuthorName: e.authorName,
        AuthorEmail: e.authorEmail,
      }),
    );
    return `* ${text}`;
  };
  let entries = sortEntries(filterEntries(log, c), c.sort);
  const out = ['## Changelog'];
  if (c.groups.length === 0) return [...out, ...entries.map(line)].join('\n');
  const groups: { title: string; order: number; lines: string[] }[] = [];
  for (const g of c.groups) {
    const group = { title: g.title === '' ? '' : `### ${g.title}`, order: g.order, lines: [] as string[] };
    if (!g.regexp) {
      group.lines = entries.map(line);
      entries = [];
    } else {
      const re = g.regexp.regexp;
      group.lines = entries.filter((e) => matches(re, e.message)).map(line);
      entries = entries.filter((e) => !matches(re, e.message));
    }
    groups.push(group);
    if (entries.length === 0) break;
  }
  // A stable sort by order, as slices.SortFunc gives for distinct orders (equal orders keep file order here).
  groups.sort((a, b) => a.order - b.order);
  for (const g of groups) if (g.lines.length > 0) out.push(g.title, ...g.lines);
  return out.join('\n');
}
