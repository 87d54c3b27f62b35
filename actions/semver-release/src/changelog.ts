/**
 * Changelog in Markdown: Breaking changes, then the configured sections (Features, Fixes,
 * Performance by default), then Other changes (commits that follow no convention). docs, chore,
 * ci, test, style, refactor and build are hidden unless `changelog-types` names them.
 * Commit and pull-request links point at the repository on the GitHub server of the run.
 */
import { InputError } from '@goship/core/errors';
import { formatSemVer } from '@goship/core/semver';
import type { Change } from './commits.js';
import type { VersionPlan } from './version.js';

export interface Section {
  type: string;
  title: string;
}

export const DEFAULT_SECTIONS: Section[] = [
  { type: 'feat', title: 'Features' },
  { type: 'fix', title: 'Fixes' },
  { type: 'perf', title: 'Performance' },
];

/** `feat=Features, fix=Bug fixes, docs=Documentation`; a bare type gets a title from its name. */
export function parseSections(items: readonly string[]): Section[] {
  if (items.length === 0) return DEFAULT_SECTIONS;
  const out: Section[] = [];
  for (const item of items) {
    const m = /^([a-z][a-z0-9-]*)\s*(?:=\s*(.+))?$/i.exec(item.trim());
    if (!m) {
      throw new InputError(
        'changelog-types',
        item,
        '`type=Section title` items, e.g. `feat=Features, fix=Fixes, docs=Documentation`',
        'Separate items with commas or new lines',
      );
    }
    const type = m[1]!.toLowerCase();
    if (!out.some((s) => s.type === type)) out.push({ type, title: m[2]?.trim() || type[0]!.toUpperCase() + type.slice(1) });
  }
  return out;
}

/** Conventional types: shown only when a section names them (feat, fix and perf by default). */
export const KNOWN_TYPES = new Set(['feat', 'fix', 'perf', 'docs', 'chore', 'ci', 'test', 'style', 'refactor', 'build', 'revert']);

/** Changes that follow no convention (or use a type nobody knows): listed under Other changes. */
export function isOther(c: Change, sections: readonly Section[]): boolean {
  return !c.breaking && (c.type === undefined || (!KNOWN_TYPES.has(c.type) && !sections.some((s) => s.type === c.type)));
}

export interface Links {
  /** `https://github.com/OWNER/REPO` */
  web: string;
}

export interface ChangelogInput {
  version: string;
  tag: string;
  previousTag?: string;
  /** YYYY-MM-DD of the release commit. */
  date?: string;
  changes: readonly Change[];
  sections: readonly Section[];
  links?: Links;
}

function line(c: Change, links?: Links): string {
  const scope = c.scope ? `**${c.scope}:** ` : '';
  const short = c.sha.slice(0, 7);
  const commit = links ? `[${short}](${links.web}/commit/${c.sha})` : short;
  const pr = c.pr ? (links ? `[#${c.pr}](${links.web}/pull/${c.pr})` : `#${c.pr}`) : '';
  return `- ${scope}${c.subject} (${[commit, pr].filter(Boolean).join(', ')})`;
}

/** Renders the changelog of one release. Deterministic: same input, same bytes. */
export function renderChangelog(i: ChangelogInput): string {
  const heading = i.links && i.previousTag ? `[${i.version}](${i.links.web}/compare/${i.previousTag}...${i.tag})` : i.version;
  let md = `## ${heading}${i.date ? ` (${i.date})` : ''}\n`;
  const breaking = i.changes.filter((c) => c.breaking);
  if (breaking.length) {
    md += '\n### ⚠ Breaking changes\n\n';
    for (const c of breaking) {
      md += `${line(c, i.links)}\n`;
      if (c.breakingNote && c.breakingNote !== c.subject) md += `${c.breakingNote.replace(/^/gm, '  ')}\n`;
    }
  }
  for (const s of i.sections) {
    const items = i.changes.filter((c) => !c.breaking && c.type === s.type);
    if (items.length) md += `\n### ${s.title}\n\n${items.map((c) => line(c, i.links)).join('\n')}\n`;
  }
  const other = i.changes.filter((c) => isOther(c, i.sections));
  if (other.length) md += `\n### Other changes\n\n${other.map((c) => line(c, i.links)).join('\n')}\n`;
  if (!breaking.length && !i.sections.some((s) => i.changes.some((c) => !c.breaking && c.type === s.type)) && !other.length) {
    md += '\nNo user-facing changes.\n';
  }
  return md;
}

/** The first few user-facing lines, for announcements. */
export function highlights(changes: readonly Change[], sections: readonly Section[], max = 5): string[] {
  const shown = new Set(sections.map((s) => s.type));
  return changes
    .filter((c) => c.breaking || (c.type !== undefined && shown.has(c.type)))
    .sort((a, b) => Number(b.breaking) - Number(a.breaking))
    .slice(0, max)
    .map((c) => `${c.breaking ? '⚠ ' : ''}${c.scope ? `${c.scope}: ` : ''}${c.subject}`);
}

/** What the changelog step needs to know besides the plan. */
export interface ChangelogSource {
  changelog: 'conventional' | 'github' | 'none';
  sections: readonly Section[];
  /** `https://github.com/OWNER/REPO`, for links; none without a repository. */
  web?: string;
  /** The date of the release commit (YYYY-MM-DD…). */
  commitDate: () => Promise<string>;
  /** GitHub's generate-notes API (for `changelog: github`). */
  generate?: () => Promise<string>;
}

/** The changelog of the planned release: conventional, GitHub's, or none (empty when nothing is released). */
export async function changelogFor(plan: VersionPlan, src: ChangelogSource): Promise<string> {
  if (!plan.version || !plan.tag) return '';
  if (src.changelog === 'github') return src.generate ? src.generate() : '';
  if (src.changelog === 'none') return '';
  return renderChangelog({
    version: formatSemVer(plan.version),
    tag: plan.tag,
    previousTag: plan.previousTag,
    date: (await src.commitDate()).slice(0, 10),
    changes: plan.changes,
    sections: src.sections,
    links: src.web ? { web: src.web } : undefined,
  });
}
