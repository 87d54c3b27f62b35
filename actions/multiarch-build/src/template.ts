/**
 * Name and ldflags templates: `{{.Version}}`-style variables (Go template syntax, variables only).
 * Unknown variables are refused up front, naming the input, so a typo never reaches a build.
 */
import { InputError } from '@goship/core/errors';

export const LDFLAGS_VARS = ['Version', 'Tag', 'Commit', 'ShortCommit', 'Date', 'TraceId', 'Project'] as const;
export const NAME_VARS = [...LDFLAGS_VARS, 'Os', 'Arch', 'Variant', 'Binary'] as const;

const VAR_RE = /\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Throws an InputError for unknown variables or stray `{{`/`}}`. */
export function checkTemplate(input: string, template: string, allowed: readonly string[]): void {
  for (const m of template.matchAll(VAR_RE)) {
    const name = m[1]!;
    if (!allowed.includes(name)) {
      const close = allowed.find((a) => a.toLowerCase() === name.toLowerCase());
      throw new InputError(
        input,
        template,
        `template variables among ${allowed.map((a) => `{{.${a}}}`).join(' ')}`,
        close ? `{{.${name}}} is unknown; did you mean {{.${close}}}?` : `{{.${name}}} is unknown`,
      );
    }
  }
  const rest = template.replace(VAR_RE, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new InputError(
      input,
      template,
      'variables written as {{.Name}}',
      'Only plain variables are supported: no functions or pipelines',
    );
  }
}

export function expand(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(VAR_RE, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`template variable ${name} has no value`);
    return v;
  });
}
