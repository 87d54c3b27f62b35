/**
 * Image tags: literal tags or templates over the version and commit (`{{version}}`, `{{major}}` …),
 * checked when the inputs are read and expanded when the image is published.
 */
import { InputError } from '@goship/core/errors';
import { isValidTag } from '@goship/core/oci';
import { parseSemVer } from '@goship/core/semver';

export const TAG_PLACEHOLDERS = ['version', 'major', 'minor', 'patch', 'commit', 'short-commit'] as const;

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Throws an InputError naming `image-tags` for an unknown placeholder or a tag no registry accepts. */
export function checkTagTemplate(t: string): string {
  const unknown = [...t.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !(TAG_PLACEHOLDERS as readonly string[]).includes(n));
  if (unknown.length) {
    throw new InputError(
      'image-tags',
      t,
      `tags or templates using ${TAG_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      `Unknown: ${unknown.join(', ')}`,
    );
  }
  if (!isValidTag(t.replace(/\{\{[^}]*\}\}/g, 'x'))) {
    throw new InputError(
      'image-tags',
      t,
      'tags of letters, digits, _ . - (at most 128, not starting with . or -)',
      'One tag per item, comma- or newline-separated',
    );
  }
  return t;
}

/** Expands the tag templates (or the defaults) for a version and commit. */
export function expandTags(templates: readonly string[], version: string, commit: string): string[] {
  const v = parseSemVer(version);
  const safeVersion = version.replace(/\+/g, '_');
  const values: Record<string, string> = {
    version: safeVersion,
    major: v ? String(v.major) : '',
    minor: v ? String(v.minor) : '',
    patch: v ? String(v.patch) : '',
    commit,
    'short-commit': commit.slice(0, 7),
  };
  let tags: string[];
  if (templates.length === 0) {
    tags = [safeVersion];
    if (v && v.prerelease.length === 0) tags.push(`${v.major}.${v.minor}`, `${v.major}`, 'latest');
  } else {
    tags = templates.map((t) =>
      t.replace(PLACEHOLDER, (_, name: string) => {
        const val = values[name];
        if (!val) {
          throw new InputError(
            'image-tags',
            t,
            'templates whose values exist for this version',
            `{{${name}}} is empty for version ${version}`,
          );
        }
        return val;
      }),
    );
  }
  for (const t of tags) {
    if (!isValidTag(t)) {
      throw new InputError(
        'image-tags',
        t,
        'a valid tag: letters, digits, _ . - (at most 128, not starting with . or -)',
        `From version ${version}`,
      );
    }
  }
  return [...new Set(tags)];
}
