/**
 * The steps that apply the file's `release` and `changelog` sections to one run, once the version
 * is known: `disable` and `skip_upload` and the `extra_files` (rendered, globbed through the path
 * policy and hashed with the other assets, before anything changes anywhere), then — after the
 * changelog — the name, header, footer and `make_latest`, rendered with GoReleaser's fields.
 */
import type { Log } from '@goship/core/action';
import { describe } from '@goship/core/config';
import { GoshipError } from '@goship/core/errors';
import { globFiles } from '@goship/core/manifest';
import { pathRoots } from '@goship/core/paths';
import { formatSemVer } from '@goship/core/semver';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AssetSelection, withExtraFiles } from './assets.js';
import type { Config } from './config.js';
import { type FileRelease, type ReleaseFacts, fieldsOf, render, renderBool, renderMakeLatest, templateEnv } from './goreleaser.js';
import { goreleaserChangelog } from './goreleaser-changelog.js';
import type { GitHistory } from './git.js';
import type { VersionPlan } from './version.js';

/** The file's texts for this release, rendered. */
export interface ReleaseTexts {
  name: string;
  header: string;
  footer: string;
  /** From `make_latest` when the input was not given; '' = goship decides (auto). */
  makeLatest: 'true' | 'false' | 'legacy' | '';
}

export function factsOf(
  cfg: Pick<Config, 'file' | 'draft' | 'repository' | 'workdir'>,
  plan: VersionPlan,
  target: string,
  commitDate: string,
  releaseNotes = '',
): ReleaseFacts {
  const v = plan.version!;
  return {
    projectName: cfg.file?.projectName ?? cfg.repository?.repo ?? '',
    version: formatSemVer(v),
    semver: { major: v.major, minor: v.minor, patch: v.patch, prerelease: v.prerelease.join('.') },
    tag: plan.tag!,
    ...(plan.previousTag ? { previousTag: plan.previousTag } : {}),
    commit: target,
    commitDate,
    draft: cfg.draft,
    releaseNotes,
    ...(cfg.repository ? { gitURL: `https://github.com/${cfg.repository.owner}/${cfg.repository.repo}.git` } : {}),
    env: templateEnv(),
    dir: cfg.workdir,
  };
}

/** Why the file says not to publish (`release.disable` renders true), or undefined. */
export function disabledBy(file: FileRelease | undefined, facts: ReleaseFacts): string | undefined {
  return file?.disable && renderBool(file.disable, facts) ? describe(file.disable.where) : undefined;
}

/** True when `release.skip_upload` renders true: the release is made without assets. */
export function skipsUpload(file: FileRelease | undefined, facts: ReleaseFacts): boolean {
  return renderBool(file?.skipUpload, facts);
}

/** `release.extra_files` added to the selection: each glob rendered, matched inside the workspace, hashed. */
export async function addExtraFiles(
  selection: AssetSelection,
  cfg: Pick<Config, 'file' | 'workdir'>,
  facts: ReleaseFacts,
  log: Pick<Log, 'warning'>,
): Promise<AssetSelection> {
  const files: { name: string; file: string; size: number; sha256: string }[] = [];
  for (const x of cfg.file?.extraFiles ?? []) {
    const label = describe(x.glob.where);
    const pattern = render(x.glob, facts).trim();
    if (pattern === '') {
      log.warning(`${label} renders to an empty glob: ignored (as GoReleaser does).`);
      continue;
    }
    const hits = await globFiles(label, [pattern], cfg.workdir, { roots: pathRoots(), warn: (m) => log.warning(m) });
    if (hits.length > 1 && x.nameTemplate) {
      throw new GoshipError(
        `${label}: ${pattern} matches ${hits.length} files, but ${describe(x.nameTemplate.where)} gives them one name.`,
        'Narrow the glob to one file, or remove `name_template`',
      );
    }
    for (const h of hits) {
      const name = x.nameTemplate ? render(x.nameTemplate, facts).trim() : path.basename(h.file);
      files.push({ name: name || path.basename(h.file), file: h.file, size: h.size, sha256: h.sha256 });
    }
  }
  return withExtraFiles(selection, files, log);
}

/** The name, header, footer and make_latest of the release (GoReleaser's defaults without a file). */
export function renderTexts(
  cfg: Pick<Config, 'file'>,
  facts: ReleaseFacts,
  selection: AssetSelection | undefined,
): ReleaseTexts | undefined {
  const f = cfg.file;
  if (!f) return undefined;
  // GoReleaser's header and footer see the checksums file's content as .Checksums.
  const sums = selection?.assets.filter((a) => a.kind === 'checksums') ?? [];
  const extra = sums.length === 1 ? { Checksums: readFileSync(sums[0]!.file, 'utf8') } : {};
  return {
    name: render(f.nameTemplate, facts).trim() || facts.tag,
    header: f.header ? render(f.header, facts, extra) : '',
    footer: f.footer ? render(f.footer, facts, extra) : '',
    makeLatest: f.makeLatest ? renderMakeLatest(f.makeLatest, facts) : '',
  };
}

/** GoReleaser's changelog of the release, or '' when `changelog.disable` renders true. */
export async function fileChangelog(
  cfg: Pick<Config, 'file'>,
  plan: VersionPlan,
  git: Pick<GitHistory, 'logEntries'>,
  facts: ReleaseFacts,
): Promise<string> {
  const c = cfg.file?.changelog;
  if (!c || renderBool(c.disable, facts)) return '';
  const entries = await git.logEntries(plan.previousTag, plan.end);
  // `use: github` lists GitHub's comparison, oldest first (without a previous tag GoReleaser uses git).
  if (c.use === 'github' && plan.previousTag) entries.reverse();
  return `${goreleaserChangelog(entries, c, (extra) => fieldsOf(facts, extra))}\n`;
}
