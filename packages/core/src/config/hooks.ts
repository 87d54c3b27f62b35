/**
 * Hook commands as argv, split the way GoReleaser splits them: it renders the template, then
 * parses the line with github.com/goreleaser/go-shellwords (v1.0.13) and runs the words with no
 * shell. Its rules, kept here:
 *
 * - words split at unquoted space, tab, CR and LF;
 * - '…' keeps everything literally; "…" keeps spaces, and a backslash inside it still escapes
 *   the next character (unlike POSIX sh); `""` is an empty word;
 * - outside single quotes `\x` is a literal x, except `\t` and `\n` which become tab and newline;
 *   on Windows the backslash is an ordinary character;
 * - `$VAR`, globs, `~` and backticks are not expanded;
 * - at the first unquoted `;` `&` `|` `<` `>` the parser stops and GoReleaser silently runs only
 *   what came before (`go mod tidy && go generate ./...` runs `go mod tidy`); an unquoted `(`
 *   is an error.
 *
 * goship refuses every hook that relies on a shell instead of running part of it, and says to
 * write `sh -c '…'` explicitly.
 */

export interface SplitOptions {
  /** Windows: backslashes are literal (go-shellwords has no escape character there). */
  windows?: boolean;
}

/** Why a command needs a shell, or undefined when it splits cleanly. */
export interface ShellConstruct {
  construct: string;
  /** 0-based offset in the line. */
  offset: number;
  explain: string;
}

export class HookSyntaxError extends Error {
  override name = 'HookSyntaxError';
  constructor(
    readonly line: string,
    readonly detail: ShellConstruct | { construct: 'unterminated'; offset: number; explain: string },
  ) {
    super(`hook \`${line}\`: ${detail.explain}`);
  }
}

const OPERATORS: Readonly<Record<string, string>> = {
  ';': 'a command list (`;`)',
  '&': 'a background job or `&&` list',
  '|': 'a pipe or `||` list',
  '<': 'an input redirection (`<`)',
  '>': 'an output redirection (`>`)',
};

function scan(line: string, opts: SplitOptions): { argv: string[]; construct?: ShellConstruct; unterminated?: string } {
  const argv: string[] = [];
  let buf = '';
  let got = false; // a word is in progress (quoted empty words count)
  let single = false;
  let double = false;
  let escaped = false;
  let wordStart = true;
  const chars = [...line];
  let offset = 0;
  const refuse = (construct: string, explain: string): { argv: string[]; construct: ShellConstruct } => ({
    argv,
    construct: { construct, offset, explain },
  });
  for (let i = 0; i < chars.length; i++, offset += chars[i - 1]!.length) {
    const r = chars[i]!;
    if (escaped) {
      buf += r === 't' ? '\t' : r === 'n' ? '\n' : r;
      escaped = false;
      got = true;
      wordStart = false;
      continue;
    }
    if (r === '\\' && !opts.windows) {
      if (single) buf += r;
      else escaped = true;
      continue;
    }
    if (r === ' ' || r === '\t' || r === '\r' || r === '\n') {
      if (single || double) buf += r;
      else if (got) {
        argv.push(buf);
        buf = '';
        got = false;
        wordStart = true;
      }
      continue;
    }
    if (r === '"' && !single) {
      if (double) got = true;
      double = !double;
      wordStart = false;
      continue;
    }
    if (r === "'" && !double) {
      if (single) got = true;
      single = !single;
      wordStart = false;
      continue;
    }
    if (!single && !double) {
      const op = OPERATORS[r];
      if (op) {
        return refuse(
          r === '&' && chars[i + 1] === '&' ? '&&' : r === '|' && chars[i + 1] === '|' ? '||' : r,
          `${op} needs a shell; GoReleaser would silently run only \`${line.slice(0, offset).trim()}\``,
        );
      }
      if (r === '`') return refuse('`', 'command substitution (backticks) needs a shell; GoReleaser passes it on literally');
      if (r === '$' && chars[i + 1] === '(') return refuse('$(', 'command substitution (`$(…)`) needs a shell; GoReleaser does not run it');
      if (r === '(' || r === ')') return refuse(r, 'a subshell or group needs a shell; GoReleaser rejects the line');
      if (r === '$' && /[A-Za-z_{]/.test(chars[i + 1] ?? '')) {
        return refuse('$', 'a `$VARIABLE` needs a shell to expand; GoReleaser passes it on literally (use {{ .Env.NAME }})');
      }
      if (r === '*' || r === '?' || r === '[')
        return refuse(r, `a glob (\`${r}\`) needs a shell to expand; GoReleaser passes it on literally`);
      if (r === '~' && wordStart) return refuse('~', 'a `~` needs a shell to expand; GoReleaser passes it on literally');
      if (r === '=' && argv.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(buf)) {
        return refuse(
          'NAME=value',
          'a leading `NAME=value` is a shell assignment; GoReleaser would try to run a program of that name (put it in the hook’s `env:`)',
        );
      }
    }
    buf += r;
    got = true;
    wordStart = false;
  }
  if (escaped || single || double) {
    return { argv, unterminated: escaped ? 'a trailing backslash' : single ? "an unclosed '" : 'an unclosed "' };
  }
  if (got) argv.push(buf);
  return { argv };
}

/** The first shell construct in `line`, or undefined when the line is a plain command. */
export function shellConstruct(line: string, opts: SplitOptions = {}): ShellConstruct | undefined {
  return scan(line, opts).construct;
}

/** The argv GoReleaser runs for a rendered hook line; throws HookSyntaxError for shell syntax. */
export function splitCommand(line: string, opts: SplitOptions = {}): string[] {
  const r = scan(line, opts);
  if (r.construct) throw new HookSyntaxError(line, r.construct);
  if (r.unterminated) {
    throw new HookSyntaxError(line, {
      construct: 'unterminated',
      offset: line.length,
      explain: `${r.unterminated}: the line cannot be split into words`,
    });
  }
  return r.argv;
}

/**
 * Checks an unrendered hook `cmd` before anything runs: template actions (`{{ … }}`, whose `|`
 * and quotes are template syntax, not shell) are masked first.
 */
export function checkHookTemplate(text: string, opts: SplitOptions = {}): HookSyntaxError | undefined {
  const masked = text.replace(/\{\{.*?\}\}/gs, (m) => 'T'.repeat(Math.max(1, m.length)));
  const r = scan(masked, opts);
  if (r.construct) return new HookSyntaxError(text, r.construct);
  if (r.unterminated) {
    return new HookSyntaxError(text, {
      construct: 'unterminated',
      offset: text.length,
      explain: `${r.unterminated}: the line cannot be split into words`,
    });
  }
  return undefined;
}
