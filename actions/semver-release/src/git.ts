/**
 * The local git history behind the version decision, read with argv-only git commands.
 * A shallow clone is refused: tags and commits would be missing and the version silently wrong.
 */
import { GoshipError, InputError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import type { RawCommit } from './commits.js';
import type { History } from './version.js';

export class GitHistory implements History {
  constructor(
    readonly dir: string,
    /** The commit the release is made from; mergedTags() is relative to it. */
    readonly target: string,
  ) {}

  async git(...args: string[]): Promise<string> {
    const r = await run('git', args, { cwd: this.dir, silent: true, allowFailure: true });
    if (r.code !== 0) {
      throw new GoshipError(
        `\`git ${args.join(' ')}\` failed in ${this.dir}: ${r.stderr.trim() || `exit ${r.code}`}`,
        'Check out the repository with actions/checkout and `fetch-depth: 0` before this step',
      );
    }
    return r.stdout;
  }

  /** Fails unless this is a full (not shallow) clone. */
  async check(): Promise<void> {
    const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: this.dir, silent: true, allowFailure: true });
    if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
      throw new InputError(
        'working-directory',
        this.dir,
        'a git checkout with its full history, so there are tags and commits to read',
        'Add `actions/checkout` with `fetch-depth: 0` before this step (or point `working-directory:` at the checkout)',
      );
    }
    if ((await this.git('rev-parse', '--is-shallow-repository')).trim() === 'true') {
      throw new GoshipError(
        'The repository is a shallow clone: earlier tags and commits are missing, so the previous tag, the next version and the changelog cannot be computed.',
        'Check out with `fetch-depth: 0` (actions/checkout: `with: { fetch-depth: 0 }`)',
      );
    }
  }

  async tags(): Promise<string[]> {
    return (await this.git('tag', '--list')).split('\n').filter(Boolean);
  }

  async mergedTags(): Promise<string[]> {
    return (await this.git('tag', '--merged', this.target)).split('\n').filter(Boolean);
  }

  async hasRef(ref: string): Promise<boolean> {
    const r = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: this.dir,
      silent: true,
      allowFailure: true,
    });
    return r.code === 0;
  }

  async resolve(ref: string): Promise<string> {
    return (await this.git('rev-parse', '--verify', `${ref}^{commit}`)).trim();
  }

  async commitDate(ref: string): Promise<string> {
    return (await this.git('log', '-1', '--format=%cI', ref)).trim();
  }

  async commits(from: string | undefined, to: string): Promise<RawCommit[]> {
    const range = from ? `${from}..${to}` : to;
    const out = await this.git('log', '--no-merges', '--format=%H%x1f%an%x1f%cI%x1f%B%x1e', range, '--');
    const commits: RawCommit[] = [];
    for (const rec of out.split('\x1e')) {
      const [sha, author, date, message] = rec.replace(/^\n+/, '').split('\x1f');
      if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
      commits.push({ sha, author, date, message: (message ?? '').trim() });
    }
    return commits;
  }
}

export interface OpenedHistory {
  /** The history as seen from the release commit. */
  git: GitHistory;
  /** The commit the release is made from: `target-commitish`, else the tag when it exists locally, else HEAD. */
  target: string;
}

/** Checks the checkout and finds the release commit. */
export async function openHistory(dir: string, tag: string | undefined, targetCommitish: string): Promise<OpenedHistory> {
  const head = new GitHistory(dir, 'HEAD');
  await head.check();
  const tagExists = tag ? await head.hasRef(`refs/tags/${tag}`) : false;
  const ref = targetCommitish || (tagExists ? `refs/tags/${tag}` : 'HEAD');
  if (!(await head.hasRef(ref))) {
    if (targetCommitish) {
      throw new InputError(
        'target-commitish',
        targetCommitish,
        `a branch, tag or commit that the checkout in ${dir} has`,
        'Fetch it first (actions/checkout with `fetch-depth: 0`), or leave it out to release HEAD',
      );
    }
    throw new GoshipError(`The checkout in ${dir} has no commit at ${ref}.`, 'Check out a branch with at least one commit');
  }
  const target = await head.resolve(ref);
  return { git: new GitHistory(dir, target), target };
}
