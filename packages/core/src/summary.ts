/**
 * Job summaries and annotations for people: Markdown tables built here, and an annotation budget
 * (GitHub shows at most 10 annotations per type per step) that ranks findings, annotates the top
 * ones and leaves the rest to the summary.
 */
import type { PhaseTiming } from './action/context.js';
import type { AnnotationLevel, AnnotationProps } from './action/port.js';

/** GitHub rejects summaries over 1 MiB; stay well under it. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024;

export function escapeCell(s: string | number | undefined | null): string {
  return String(s ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number | undefined | null)[])[]): string {
  const head = `| ${headers.map(escapeCell).join(' | ')} |\n| ${headers.map(() => '---').join(' | ')} |\n`;
  return head + rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |\n`).join('');
}

export function details(title: string, body: string): string {
  return `<details><summary>${title}</summary>\n\n${body}\n\n</details>\n`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Durations for people: `840 ms`, `4.2 s`, `3 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function phaseTable(phases: readonly PhaseTiming[]): string {
  return table(
    ['phase', 'result', 'time'],
    phases.map((p) => [p.name, p.ok ? '✅' : '❌', formatMs(p.ms)]),
  );
}

/** Builds a summary and writes it once, truncating rather than exceeding the budget. */
export class Summary {
  private parts: string[] = [];
  heading(text: string, level = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}\n\n`);
    return this;
  }
  text(md: string): this {
    this.parts.push(md.endsWith('\n') ? `${md}\n` : `${md}\n\n`);
    return this;
  }
  table(headers: readonly string[], rows: readonly (readonly (string | number | undefined | null)[])[]): this {
    this.parts.push(`${table(headers, rows)}\n`);
    return this;
  }
  details(title: string, body: string): this {
    this.parts.push(`${details(title, body)}\n`);
    return this;
  }
  toString(): string {
    let out = '';
    for (const p of this.parts) {
      if (Buffer.byteLength(out) + Buffer.byteLength(p) > SUMMARY_BUDGET_BYTES) {
        out += "\n> Summary truncated to stay under GitHub's 1 MiB limit; the full report is in the action's outputs.\n";
        break;
      }
      out += p;
    }
    return out;
  }
}

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  severity: Severity;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  /** Lower ranks are shown first within a severity. */
  rank?: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

export function rankFindings(fs: readonly Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.rank ?? 100) - (b.rank ?? 100) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

/** Whatever can show an annotation: an action's context, or a port. */
export interface Annotator {
  annotate(level: AnnotationLevel, message: string, props?: AnnotationProps): void;
}

/**
 * Annotates at most `maxPerType` findings of each severity, best-ranked first; returns those that
 * were not annotated, for the summary.
 */
export function annotate(to: Annotator, findings: readonly Finding[], maxPerType = 10): { annotated: Finding[]; overflow: Finding[] } {
  const used: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  const annotated: Finding[] = [];
  const overflow: Finding[] = [];
  for (const f of rankFindings(findings)) {
    if (used[f.severity] >= maxPerType) {
      overflow.push(f);
      continue;
    }
    used[f.severity]++;
    annotated.push(f);
    to.annotate(f.severity, f.message, { title: f.title, file: f.file, startLine: f.line, startColumn: f.column, endLine: f.endLine });
  }
  return { annotated, overflow };
}
