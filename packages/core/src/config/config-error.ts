/**
 * A configuration file goship cannot use as written. Every problem names the key and its line,
 * what the file gives, what is accepted and how to fix it; all problems of a file are reported at
 * once so a user fixes them in one pass.
 */
import { GoshipError, quote } from '../errors.js';
import { type Where, describe } from './where.js';

export interface ConfigProblem {
  where: Where;
  /** What the file gives (already shortened), or '' when the problem is the key itself. */
  got: string;
  expected: string;
  fix?: string;
}

export function problemText(p: ConfigProblem): string {
  const got = p.got === '' ? '' : `got ${quote(p.got)}; `;
  const fix = p.fix ? ` ${/[.!?]$/.test(p.fix) ? p.fix : `${p.fix}.`}` : '';
  return `${describe(p.where)}: ${got}expected ${p.expected}.${fix}`;
}

/** Shown in the message; the rest stay in `problems`. */
const SHOWN = 20;

export class ConfigError extends GoshipError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const lines = problems.slice(0, SHOWN).map((p) => `  ${problemText(p)}`);
    if (problems.length > SHOWN) lines.push(`  … and ${problems.length - SHOWN} more`);
    const what =
      problems.length === 1
        ? `${file} cannot be used as written: ${problemText(problems[0]!)}`
        : `${file} cannot be used as written (${problems.length} problems):\n${lines.join('\n')}`;
    super(what);
  }
}
