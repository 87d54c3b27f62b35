/**
 * The `nfpms` section of a GoReleaser file, as the package inputs it sets (core's
 * `packageInputs`): an input that is set wins over the file, as everywhere in multiarch-build; an
 * input left at its action.yml default takes the file's value. A value from the file that the
 * inputs' checks refuse is reported under the file's key and line, not under the input.
 */
import { Inputs } from '@goship/core/action';
import { DEFAULT_PACKAGE_FILE_NAME, describe, packageInputs } from '@goship/core/config';
import { GoshipError, InputError } from '@goship/core/errors';
import type { GoreleaserFile } from '../goreleaser-file.js';
import type { PackageSettings } from './settings.js';

/** The package inputs whose action.yml default is not empty (the runner passes it when the input is not given). */
export const PACKAGE_INPUT_DEFAULTS: Readonly<Record<string, string>> = {
  'package-name': '{{ .ProjectName }}',
  'package-file-name': DEFAULT_PACKAGE_FILE_NAME,
  'package-bindir': '/usr/bin',
  'package-section': 'utils',
  'package-priority': 'optional',
};

const isGiven = (name: string, value: string | undefined): value is string =>
  value !== undefined && value !== '' && value !== PACKAGE_INPUT_DEFAULTS[name];

/** The inputs the package step reads, with the file's `nfpms[0]` under those that are not given. */
export function withPackageConfig(
  inputs: Inputs,
  file: GoreleaserFile | undefined,
): { inputs: Inputs; fromFile: (input: string) => string | undefined } {
  // `packages: none` builds no packages, whatever the file's nfpms say
  if (inputs.raw('packages')?.trim() === 'none')
    return { inputs: new Inputs((n) => (n === 'packages' ? '' : inputs.raw(n))), fromFile: () => undefined };
  if (!file) return { inputs, fromFile: () => undefined };
  const mapped = packageInputs(file.config).inputs;
  const used = (name: string): boolean => mapped[name] !== undefined && !isGiven(name, inputs.raw(name));
  return {
    inputs: new Inputs((name) => (used(name) ? mapped[name]!.value : inputs.raw(name))),
    fromFile: (name) => (used(name) ? describe(mapped[name]!.where) : undefined),
  };
}

/**
 * Reads the package settings over the file's values; a refused file value names its key. Packages
 * the file asks for (`nfpms[0].formats`, no `packages` input) report lintian's errors instead of
 * failing on them: GoReleaser never ran lintian, and the project ships these packages today.
 */
export function readWithConfig(
  inputs: Inputs,
  file: GoreleaserFile | undefined,
  read: (inputs: Inputs, fromFile: (input: string) => string | undefined) => PackageSettings,
): PackageSettings {
  const { inputs: merged, fromFile } = withPackageConfig(inputs, file);
  try {
    const s = read(merged, fromFile);
    return fromFile('packages') && s.formats.length ? { ...s, lintianErrors: 'warn' } : s;
  } catch (e) {
    const where = e instanceof InputError ? fromFile(e.input) : undefined;
    if (!where || !(e instanceof InputError)) throw e;
    throw new GoshipError(
      `${where} (read as input "${e.input}"): got ${JSON.stringify(e.got)}; expected ${e.expected}.`,
      e.hint
        ? `${e.hint} — in the GoReleaser file, or set the input to override it`
        : 'Fix it in the GoReleaser file, or set the input to override it',
    );
  }
}
