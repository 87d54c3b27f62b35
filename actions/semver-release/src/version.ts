/**
 * The version decision: from the pushed tag, from a `version` override, or the next version the
 * conventional commits since the previous release call for. Pure: git is reached through the
 * `History` interface so the decision can be tested on scripted histories and on plain data.
 */
import { InputError } from '@goship/core/errors';
import {
  type Bump,
  type SemVer,
  bump as bumpVersion,
  compareSemVer,
  explainInvalid,
  formatSemVer,
  isPrerelease,
  nextPrerelease,
  parseSemVer,
  previousTag,
  sortTags,
} from '@goship/core/semver';
import { type Change, type RawCommit, bumpFor, describeChange, parseCommits } from './commits.js';

export interface History {
  /** Every tag of the repository. */
  tags(): Promise<string[]>;
  /** Tags reachable from the release commit. */
  mergedTags(): Promise<string[]>;
  /** Commits in `from..to` (all commits up to `to` when `from` is undefined), newest first. */
  commits(from: string | undefined, to: string): Promise<RawCommit[]>;
  /** True when the ref exists locally. */
  hasRef(ref: string): Promise<boolean>;
}

export interface VersionOptions {
  prefix: string;
  /** The tag being released (input `tag` or `GITHUB_REF`). */
  tag?: string;
  /** Where the input `tag` came from, for error messages. */
  tagSource?: string;
  version?: string;
  bump: 'auto' | Bump;
  initialVersion: string;
  breakingPre1: 'minor' | 'major';
  prerelease: 'auto' | 'true' | 'false';
  prereleaseId: string;
  /** The commit the release is made from when the tag does not exist locally (default HEAD). */
  target: string;
}

export interface VersionPlan {
  /** Undefined when there is nothing to release. */
  version?: SemVer;
  tag?: string;
  previousTag?: string;
  isPrerelease: boolean;
  /** What the commits since the previous stable release call for. */
  nextVersion?: SemVer;
  /** How the version was decided, in one sentence. */
  reason: string;
  /** Source of the decision. */
  source: 'tag' | 'version' | 'commits' | 'initial' | 'none';
  bump?: Bump;
  /** Changes from the previous tag to the release, newest first. */
  changes: Change[];
  /** Raw commits behind `changes`. */
  commitCount: number;
  /** Where the changelog ends: the tag when it exists locally, else the target. */
  end: string;
  warnings: string[];
}

/** Validates a tag prefix like `v`, `api/v` or empty: it must be usable inside a git ref name. */
export function checkPrefix(prefix: string): void {
  const bad =
    // Module folders and `v`: letters, digits and `. _ / + -` (git allows more; none is needed).
    !/^[A-Za-z0-9._/+-]*$/.test(prefix) ||
    prefix.length > 100 ||
    prefix.includes('..') ||
    prefix.includes('//') ||
    prefix.startsWith('/') ||
    prefix.startsWith('-') ||
    /(^|\/)\./.test(prefix) ||
    /\.lock(\/|$)/.test(prefix) ||
    /\d$/.test(prefix);
  if (bad) {
    throw new InputError(
      'tag-prefix',
      prefix,
      'letters, digits and `. _ / + -` that do not end in a digit (e.g. `v`, `api/v`, or empty)',
      'No spaces or other characters, `..`, `//`, leading `/`, `-` or `.`; a digit at the end would merge into the version',
    );
  }
}

/** Parses a tag with the prefix, or throws an InputError naming the rule it breaks. */
/** Longer tags cannot be stored as git refs (one file name: 255 bytes). */
export const MAX_TAG_BYTES = 255;
/** As npm's semver: longer strings are not parsed as versions. */
export const MAX_VERSION_LENGTH = 256;

export function parseReleaseTag(tag: string, prefix: string, input = 'tag'): SemVer {
  if (Buffer.byteLength(tag) > MAX_TAG_BYTES) {
    throw new InputError(input, tag, `a tag of at most ${MAX_TAG_BYTES} bytes (a git ref name)`, 'Shorten the pre-release or build part');
  }
  if (!tag.startsWith(prefix)) {
    throw new InputError(
      input,
      tag,
      `a tag that starts with the tag prefix ${JSON.stringify(prefix)} followed by a SemVer 2.0.0 version`,
      prefix === 'v' && /^\d/.test(tag)
        ? 'Set `tag-prefix: ""` for tags without a leading v'
        : 'Set `tag-prefix:` to the part before the version (e.g. `api/v` for api/v1.2.3)',
    );
  }
  const rest = tag.slice(prefix.length);
  const v = parseSemVer(rest);
  if (!v) {
    throw new InputError(
      input,
      tag,
      `${JSON.stringify(prefix)} + a SemVer 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])`,
      `${JSON.stringify(rest)} breaks a rule: ${explainInvalid(rest)}`,
    );
  }
  return v;
}

export function parseVersionInput(s: string, input: string): SemVer {
  if (s.length > MAX_VERSION_LENGTH) {
    throw new InputError(
      input,
      s,
      `a SemVer 2.0.0 version of at most ${MAX_VERSION_LENGTH} characters`,
      'Shorten the pre-release or build part',
    );
  }
  const v = parseSemVer(s);
  if (!v) throw new InputError(input, s, 'a SemVer 2.0.0 version such as 1.4.0 or 1.4.0-rc.1', `It breaks a rule: ${explainInvalid(s)}`);
  return v;
}

function highestStable(tags: readonly string[], prefix: string): { tag: string; version: SemVer } | undefined {
  return sortTags(tags, prefix).find((t) => !isPrerelease(t.version));
}

/** Decides the version. Never has side effects. */
export async function planVersion(o: VersionOptions, h: History): Promise<VersionPlan> {
  const warnings: string[] = [];
  // The tag being released is not its own predecessor.
  const all = (await h.tags()).filter((t) => t !== o.tag);
  const merged = (await h.mergedTags()).filter((t) => t !== o.tag);
  const initial = parseVersionInput(o.initialVersion, 'initial-version');

  // What the commits since the last stable release call for (also shown beside a pushed tag).
  const base = highestStable(merged, o.prefix);
  const sinceBase = await h.commits(base?.tag, o.target);
  const baseChanges = parseCommits(sinceBase);
  const why = bumpFor(baseChanges, base?.version.major ?? initial.major, o.breakingPre1);
  const kind: Bump | undefined = o.bump === 'auto' ? why.bump : o.bump;
  let next: SemVer | undefined = base ? (kind ? bumpVersion(base.version, kind) : undefined) : initial;
  const wantPre = o.prerelease === 'true' || (o.prerelease === 'auto' && o.prereleaseId !== '');
  if (next && wantPre) {
    const sameCore = sortTags(merged, o.prefix).find(
      (t) =>
        t.version.major === next!.major &&
        t.version.minor === next!.minor &&
        t.version.patch === next!.patch &&
        t.version.prerelease[0] === (o.prereleaseId || 'rc'),
    );
    next = nextPrerelease(next, o.prereleaseId || 'rc', sameCore?.version);
  }

  let version: SemVer | undefined;
  let source: VersionPlan['source'];
  let reason: string;
  if (o.version) {
    version = parseVersionInput(o.version, 'version');
    if (o.tag && o.tag !== `${o.prefix}${formatSemVer(version)}`) {
      throw new InputError(
        'version',
        o.version,
        `the version of the tag ${o.tag} (${o.tag.slice(o.prefix.length)})`,
        'Set only one of `tag` and `version`',
      );
    }
    source = 'version';
    reason = `set by the \`version\` input (${formatSemVer(version)})`;
  } else if (o.tag) {
    version = parseReleaseTag(o.tag, o.prefix, o.tagSource ?? 'tag');
    source = 'tag';
    reason = `from the tag ${o.tag}`;
    if (next && !isPrerelease(version) && compareSemVer(version, next) < 0 && why.because) {
      warnings.push(
        `The tag ${o.tag} is below ${formatSemVer(next)}, which the commits since ${base?.tag ?? 'the first commit'} call for (${describeChange(why.because)}).`,
      );
    }
  } else if (!base) {
    version = next;
    source = 'initial';
    reason = `no ${o.prefix ? `"${o.prefix}"-prefixed ` : ''}SemVer tag yet, so the initial version ${formatSemVer(initial)}`;
  } else if (!kind) {
    version = undefined;
    source = 'none';
    reason = `nothing to release: none of the ${sinceBase.length} commit(s) since ${base.tag} is a feat, fix, perf or breaking change`;
  } else {
    version = next;
    source = 'commits';
    reason =
      o.bump !== 'auto'
        ? `${o.bump} bump of ${base.tag} set by the \`bump\` input`
        : `${kind} bump of ${base.tag}: ${describeChange(why.because!)}${
            why.because!.breaking && kind === 'minor'
              ? ' (breaking below 1.0.0 bumps minor; set `breaking-pre-1: major` to change that)'
              : ''
          }`;
  }

  if (!version) {
    return {
      isPrerelease: false,
      nextVersion: undefined,
      reason,
      source,
      changes: baseChanges,
      commitCount: sinceBase.length,
      end: o.target,
      warnings,
    };
  }
  const tag = o.tag ?? `${o.prefix}${formatSemVer(version)}`;
  const prev = previousTag(
    all.filter((t) => t !== tag),
    version,
    o.prefix,
  );
  const end = (await h.hasRef(`refs/tags/${tag}`)) ? tag : o.target;
  const raw = prev?.tag === base?.tag && end === o.target ? sinceBase : await h.commits(prev?.tag, end);
  const pre = o.prerelease === 'auto' ? isPrerelease(version) : o.prerelease === 'true';
  return {
    version,
    tag,
    previousTag: prev?.tag,
    isPrerelease: pre,
    nextVersion: next,
    reason,
    source,
    bump: source === 'commits' ? kind : undefined,
    changes: parseCommits(raw),
    commitCount: raw.length,
    end,
    warnings,
  };
}

/** The version decision for the action's inputs, made from the release commit. */
export function planFor(
  cfg: Pick<
    VersionOptions,
    'prefix' | 'tag' | 'tagSource' | 'version' | 'bump' | 'initialVersion' | 'breakingPre1' | 'prerelease' | 'prereleaseId'
  >,
  history: History,
  target: string,
): Promise<VersionPlan> {
  return planVersion({ ...cfg, target }, history);
}

/** One line for the log: the version (or none) and why. */
export function describePlan(plan: VersionPlan): string {
  return `Version: ${plan.version ? formatSemVer(plan.version) : '(none)'} — ${plan.reason}.`;
}
