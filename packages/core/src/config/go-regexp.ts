/**
 * Changelog filters and groups are Go regular expressions (RE2 syntax, Go's regexp package).
 * They are translated to JavaScript here so goship matches the same commit messages: leading
 * flags `(?i)`, `(?s)`, `(?m)`; POSIX classes such as `[[:word:]]` (common in GoReleaser's own
 * examples); `(?P<name>…)`; `\A`, `\z`, `\Q…\E`. What Go rejects (backreferences, lookaround) is
 * rejected, and what JavaScript cannot express (`(?U)`, flags in the middle) is refused with a
 * message, so a pattern never silently matches something else.
 */

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(pattern)}: ${reason}`);
  }
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Translates a Go regexp to an equivalent JavaScript RegExp; throws GoRegexpError. */
export function goRegexp(pattern: string): RegExp {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U'))
      throw new GoRegexpError(pattern, '(?U) (ungreedy) has no JavaScript equivalent; write lazy quantifiers (*?, +?) instead');
    flags = [...new Set(lead[1])].join('');
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  let unicode = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new GoRegexpError(pattern, 'trailing backslash');
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end === -1 ? undefined : end);
        out += inClass ? lit.replace(/[\\\]^-]/g, '\\$&') : escapeLiteral(lit);
        i = end === -1 ? src.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') {
        out += '^';
        i++;
        continue;
      }
      if (!inClass && n === 'z') {
        out += '$';
        i++;
        continue;
      }
      if (/[1-9]/.test(n)) throw new GoRegexpError(pattern, 'backreferences are not supported by Go regular expressions');
      if (n === 'p' || n === 'P') unicode = true;
      if (n === 'C') throw new GoRegexpError(pattern, '\\C has no JavaScript equivalent');
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        const cls = m ? POSIX[m[2]!] : undefined;
        if (!m || cls === undefined) throw new GoRegexpError(pattern, `unknown POSIX class ${src.slice(i, i + 12)}…`);
        if (m[1])
          throw new GoRegexpError(pattern, `negated POSIX class [:^${m[2]}:] inside a bracket is not supported; write [^[:${m[2]}:]]`);
        out += cls;
        i += m[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A `]` first in a class is a literal in Go.
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 2;
        continue;
      }
      if (/^\(\?(=|!|<=|<!)/.test(rest))
        throw new GoRegexpError(pattern, 'lookahead and lookbehind are not supported by Go regular expressions');
      throw new GoRegexpError(pattern, `flags inside the pattern (${rest.slice(0, 6)}…) are not supported; put them first, e.g. (?i)`);
    }
    out += c;
  }
  if (inClass) throw new GoRegexpError(pattern, 'missing closing ]');
  try {
    return new RegExp(out, flags + (unicode ? 'u' : ''));
  } catch (e) {
    throw new GoRegexpError(pattern, (e as Error).message);
  }
}
