/**
 * Homebrew tap and Scoop bucket updates after a release is published: inputs read and checked
 * before anything happens (taps/inputs), manifests generated from the release's archives
 * (taps/manifests), checked (`ruby -c` where Ruby is installed; structure always), and committed
 * through the contents API, idempotently (taps/commit).
 */
import type { Inputs } from '@goship/core/action';
import { GoshipError, InputError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { type Octokit, octokit } from '@goship/core/github';
import type { Manifest } from '@goship/core/manifest';
import { Summary } from '@goship/core/summary';
import { type CommitOutcome, type TapTarget, commitDirect, commitPullRequest } from './commit.js';
import { type TapMeta, cask, formula, releaseFiles, scoopManifest } from './manifests.js';

export interface TapInputs {
  homebrew?: TapTarget & { formula: boolean };
  scoop?: TapTarget;
  /** The tap token (a declared secret), '' = the release token. */
  token: string;
  pullRequest: 'false' | 'true' | 'draft';
  author: { name: string; email: string };
  description: string;
  homepage: string;
  license: string;
}

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:@([A-Za-z0-9._/-]+))?$/;
/** The identity of GitHub Actions' own commits. */
export const DEFAULT_AUTHOR = 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>';

function target(input: string, v: string): TapTarget | undefined {
  if (!v) return undefined;
  const m = REPO.exec(v.trim());
  if (!m || m[3]?.includes('..') || ['.', '..'].includes(m[1]!) || ['.', '..'].includes(m[2]!)) {
    throw new InputError(
      input,
      v,
      'OWNER/REPO or OWNER/REPO@BRANCH',
      input === 'scoop-bucket' ? 'e.g. `acme/scoop-bucket`' : 'e.g. `acme/homebrew-tap`',
    );
  }
  return { owner: m[1]!, repo: m[2]!, branch: m[3] ?? '' };
}

export function readTapInputs(inputs: Inputs): TapInputs {
  const token = inputs.secret('tap-token');
  const homebrew = target('homebrew-tap', inputs.string('homebrew-tap'));
  const scoop = target('scoop-bucket', inputs.string('scoop-bucket'));
  const authorRaw = inputs.string('tap-commit-author', { default: DEFAULT_AUTHOR });
  const a = /^([^<>]+?) <([^<>\s]+@[^<>\s]+)>$/.exec(authorRaw);
  if (!a) throw new InputError('tap-commit-author', authorRaw, '`Name <email>`', `e.g. \`${DEFAULT_AUTHOR}\``);
  const homepage = inputs.string('package-homepage');
  if (homepage && !/^https?:\/\/\S+$/.test(homepage)) throw new InputError('package-homepage', homepage, 'an http(s) URL');
  const license = inputs.string('package-license');
  if (license && !/^[A-Za-z0-9][A-Za-z0-9.+() -]*$/.test(license))
    throw new InputError('package-license', license, 'an SPDX license expression such as MIT');
  const description = inputs.string('package-description');
  if (/[\r\n]/.test(description.trim().split('\n')[0] ?? '')) throw new InputError('package-description', description, 'text');
  return {
    ...(homebrew ? { homebrew: { ...homebrew, formula: inputs.bool('homebrew-formula', false) } } : {}),
    ...(scoop ? { scoop } : {}),
    token,
    pullRequest: inputs.oneOf('tap-pull-request', ['false', 'true', 'draft'] as const, 'false'),
    author: { name: a[1]!, email: a[2]! },
    description,
    homepage,
    license,
  };
}

export interface TapContext {
  manifest: Manifest;
  /** `https://github.com/OWNER/REPO` of the release. */
  repoUrl: string;
  githubCom: boolean;
  /** The release's own token, when `tap-token` is empty. */
  releaseToken: string;
  log: { info(m: string): void; warning(m: string): void };
}

export interface TapResult {
  kind: 'cask' | 'formula' | 'scoop';
  path: string;
  outcome: CommitOutcome;
  /** What checked the generated text. */
  checked: string;
}

function metaFor(t: TapInputs, c: TapContext): TapMeta {
  const md = (c.manifest.metadata ?? {}) as Record<string, string | undefined>;
  const m = c.manifest;
  return {
    name: m.project,
    version: m.version,
    tag: m.tag || `v${m.version}`,
    description: (t.description || md.description || m.project).trim().split('\n')[0]!.replace(/\.$/, ''),
    homepage: t.homepage || md.homepage || c.repoUrl,
    license: t.license || md.license || '',
    repoUrl: c.repoUrl,
  };
}

/** `ruby -c` where Ruby is installed; a missing Ruby is reported, not hidden. */
async function rubySyntax(text: string): Promise<string> {
  try {
    const r = await run('ruby', ['-c'], { input: text, silent: true, allowFailure: true });
    if (r.code !== 0) throw new GoshipError(`ruby -c refused the generated Homebrew file: ${(r.stderr || r.stdout).trim()}`);
    return 'ruby -c: Syntax OK';
  } catch (e) {
    if (e instanceof GoshipError && /command not found/.test(e.message)) return 'ruby -c not run (no Ruby on this runner)';
    throw e;
  }
}

/** Checks the inputs against the manifest before the release is touched: what cannot be made fails now. */
export function planTaps(
  t: TapInputs,
  c: Omit<TapContext, 'releaseToken' | 'log'>,
): { meta: TapMeta; files: { kind: TapResult['kind']; path: string; text: string; target: TapTarget }[] } {
  const meta = metaFor(t, { ...c, releaseToken: '', log: { info: () => undefined, warning: () => undefined } });
  const rel = releaseFiles(c.manifest, c.repoUrl);
  const checksums = c.manifest.artifacts.find((a) => a.kind === 'checksums')?.name;
  const files: { kind: TapResult['kind']; path: string; text: string; target: TapTarget }[] = [];
  const make = (input: string, fn: () => string): string => {
    try {
      return fn();
    } catch (e) {
      throw new InputError(
        input,
        input === 'scoop-bucket' ? `${t.scoop!.owner}/${t.scoop!.repo}` : `${t.homebrew!.owner}/${t.homebrew!.repo}`,
        'a release with the archives the manifest needs',
        (e as Error).message,
      );
    }
  };
  if (t.homebrew) {
    const kind = t.homebrew.formula ? 'formula' : 'cask';
    const text = make('homebrew-tap', () => (kind === 'formula' ? formula(meta, rel) : cask(meta, rel)));
    files.push({ kind, path: `${kind === 'formula' ? 'Formula' : 'Casks'}/${meta.name}.rb`, text, target: t.homebrew });
  }
  if (t.scoop) {
    if (!meta.license)
      throw new InputError(
        'package-license',
        '',
        'a license for the Scoop manifest (Scoop requires one)',
        'Set `package-license`, or let multiarch-build record it from the LICENSE file',
      );
    const text = make('scoop-bucket', () => scoopManifest(meta, rel, { checksums, githubCom: c.githubCom }));
    files.push({ kind: 'scoop', path: `${meta.name}.json`, text, target: t.scoop });
  }
  return { meta, files };
}

export async function updateTaps(t: TapInputs, c: TapContext, gh?: Octokit): Promise<TapResult[]> {
  const { meta, files } = planTaps(t, c);
  const client = gh ?? octokit(t.token || c.releaseToken);
  const out: TapResult[] = [];
  for (const f of files) {
    const checked = f.kind === 'scoop' ? 'JSON manifest with version, architecture, checkver, autoupdate' : await rubySyntax(f.text);
    const change = { path: f.path, content: f.text, message: `${meta.name} ${meta.version}`, author: t.author };
    const outcome =
      t.pullRequest === 'false'
        ? await commitDirect(client, f.target, change)
        : await commitPullRequest(client, f.target, change, {
            head: `goship/${meta.name}-${meta.version}`,
            title: `${meta.name} ${meta.version}`,
            body: `Update ${f.path} to ${meta.tag}: ${c.repoUrl}/releases/tag/${encodeURIComponent(meta.tag)}\n\nGenerated by goship semver-release from the release manifest.`,
            draft: t.pullRequest === 'draft',
          });
    c.log.info(
      `${f.kind} ${f.target.owner}/${f.target.repo}/${f.path}: ${outcome.action}${outcome.action === 'pull-request' ? ` #${outcome.number}` : ''}`,
    );
    out.push({ kind: f.kind, path: `${f.target.owner}/${f.target.repo}/${f.path}`, outcome, checked });
  }
  return out;
}

export function tapsSummary(results: readonly TapResult[], s = new Summary()): Summary {
  s.heading('Homebrew and Scoop', 3);
  s.table(
    ['manifest', 'file', 'result', 'checked'],
    results.map((r) => [
      r.kind,
      r.path,
      r.outcome.action === 'pull-request'
        ? `[pull request #${r.outcome.number}](${r.outcome.url})${r.outcome.reused ? ' (already open)' : ''}`
        : r.outcome.action === 'committed'
          ? `committed \`${r.outcome.commit.slice(0, 12)}\``
          : 'unchanged (no commit)',
      r.checked,
    ]),
  );
  return s;
}
