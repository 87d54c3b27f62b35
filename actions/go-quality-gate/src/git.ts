/**
 * The git facts the gate reads: the repository around the module, whether the clone is shallow,
 * and the tags reachable from HEAD with the commits they point at. Every call is an argv array;
 * revisions passed in are commit ids or `refs/tags/…` names git itself listed.
 */
import { output } from '@goship/core/exec';

/** Runs git in `cwd` and returns its trimmed stdout; throws when git fails. */
export function git(cwd: string, args: readonly string[]): Promise<string> {
  return output('git', args, { cwd });
}

export interface Repo {
  /** The work tree's top folder. */
  top: string;
  head: string;
  shallow: boolean;
}

/** The repository the module is in, or undefined when it is not a git work tree (or git is missing). */
export async function openRepo(cwd: string): Promise<Repo | undefined> {
  try {
    const [top, head, shallow] = (await git(cwd, ['rev-parse', '--show-toplevel', 'HEAD', '--is-shallow-repository'])).split('\n');
    if (!top || !head || !/^[0-9a-f]{40,64}$/.test(head)) return undefined;
    return { top, head, shallow: shallow === 'true' };
  } catch {
    return undefined;
  }
}

export interface TagRef {
  tag: string;
  /** The commit the tag points at (peeled for annotated tags). */
  commit: string;
}

/** Tags whose commit is reachable from HEAD. */
export async function reachableTags(repo: Repo): Promise<TagRef[]> {
  const text = await git(repo.top, [
    'for-each-ref',
    '--merged=HEAD',
    '--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)',
    'refs/tags',
  ]);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([tag, obj, peeled]) => ({ tag: tag!, commit: peeled || obj! }));
}
