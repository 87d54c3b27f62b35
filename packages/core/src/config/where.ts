/**
 * Where a setting came from: the key as the file spells it and its line, or "default" when
 * GoReleaser's default supplied it. Errors and templates name a value as
 * `builds[1].ldflags[0] (.goreleaser.yaml:23)` so a reader can jump to it.
 */

export interface Where {
  /** The key as written in the file, with list indexes: `builds[1].ldflags[0]`, `archives[0].format`. */
  key: string;
  /** The file as shown to the user (relative to the module folder when inside it); '' for a default. */
  file: string;
  /** 1-based; 0 for a default. */
  line: number;
  /** 1-based; 0 for a default. */
  col: number;
}

export function defaultWhere(key: string): Where {
  return { key, file: '', line: 0, col: 0 };
}

export function isDefault(w: Where): boolean {
  return w.line === 0;
}

/** `file:line`, or `default` for a value GoReleaser's defaults supplied. */
export function fileLine(w: Where): string {
  return isDefault(w) ? 'default' : `${w.file}:${w.line}`;
}

/** `builds[1].ldflags[0] (.goreleaser.yaml:23)`. */
export function describe(w: Where): string {
  return `${w.key} (${fileLine(w)})`;
}

/** A string GoReleaser renders as a template, kept unrendered with where it came from. */
export interface Tmpl {
  text: string;
  where: Where;
}

export function tmpl(text: string, where: Where): Tmpl {
  return { text, where };
}
