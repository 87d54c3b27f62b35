/**
 * The local git history behind the version decision, read with argv-only git commands.
 * A shallow clone is refused: tags and commits would be missing and the version silently wrong.
 */
import { GoshipError } from '@goship/core/errors';
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
      throw new GoshipError(
        `${this.dir} is not a git work tree, so there are no tags or commits to read.`,
        'Add `actions/checkout` with `fetch-depth: 0` before this step (or set `working-directory:`)',
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
