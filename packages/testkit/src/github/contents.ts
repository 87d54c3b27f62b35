/**
 * The repository contents API (what Homebrew tap and Scoop bucket updaters use): read a file
 * (base64, blob sha), list a directory, create or update a file as a commit on a branch. GitHub's
 * measured answers: the branch is checked first (404); an existing file needs the `sha` it
 * replaces (missing → 422 `"sha" wasn't supplied.`, different → 409 `<path> does not match <sha>`);
 * for a new file `sha` is ignored (201).
 */
import type { Call, Handler, Reply } from './handler.js';
import { HttpError } from './model.js';
import { BOT_PERSON, contentEntryJson, contentFileJson, fileCommitJson } from './shapes.js';

const R = '/repos/{owner}/{repo}';

function getContent(c: Call): Reply {
  const path = c.params.path!.replace(/^\/+|\/+$/g, '');
  const ref = c.query.get('ref') ?? c.repo.defaultBranch;
  const commit = c.repo.resolve(ref);
  if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const tree = c.repo.treeOf(commit.sha);
  const file = tree.get(path);
  if (file) return { status: 200, body: contentFileJson(c.core.urls, c.repo, path, file, ref) };
  const entries = new Map<string, { sha: string; type: 'file' | 'dir' }>();
  for (const [p, sha] of tree) {
    if (!p.startsWith(`${path}/`)) continue;
    const rest = p.slice(path.length + 1);
    const name = rest.split('/', 1)[0]!;
    entries.set(name, rest.includes('/') ? { sha: dirSha(path, name), type: 'dir' } : { sha, type: 'file' });
  }
  if (!entries.size) throw new HttpError(404, 'Not Found');
  const body = [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, e]) => contentEntryJson(c.core.urls, c.repo, `${path}/${name}`, e.sha, ref, e.type));
  return { status: 200, body };
}

function dirSha(path: string, name: string): string {
  return Buffer.from(`${path}/${name}`).toString('hex').padEnd(40, '0').slice(0, 40);
}

function putContent(c: Call): Reply {
  const path = c.params.path!.replace(/^\/+|\/+$/g, '');
  const b = c.body;
  const branch = typeof b.branch === 'string' ? b.branch : c.repo.defaultBranch;
  const head = c.repo.refs.get(`refs/heads/${branch}`);
  const empty = ![...c.repo.refs.keys()].some((r) => r.startsWith('refs/heads/'));
  // An empty repository gets its first commit on the default branch; otherwise the branch must exist.
  if (!head && !(empty && branch === c.repo.defaultBranch)) throw new HttpError(404, `Branch ${branch} not found`);
  const content = String(b.content ?? '');
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(content)) throw new HttpError(422, 'content is not valid Base64');
  const existing = c.repo.treeOf(head).get(path);
  if (existing) {
    if (typeof b.sha !== 'string') throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (b.sha !== existing) throw new HttpError(409, `${path} does not match ${b.sha}`);
  }
  const who = (b.committer ?? b.author ?? BOT_PERSON) as { name: string; email: string };
  const commit = c.repo.commitFiles(
    branch,
    { [path]: Buffer.from(content, 'base64') },
    String(b.message),
    { name: who.name, email: who.email },
    c.core.stamp(),
  );
  c.repo.createdCommits.push(commit.sha);
  c.core.counters.commitsCreated++;
  return { status: existing ? 200 : 201, body: fileCommitJson(c.core.urls, c.repo, path, branch, commit) };
}

export const contentRoutes: Record<string, Handler> = {
  [`GET ${R}/contents/{path}`]: getContent,
  [`PUT ${R}/contents/{path}`]: putContent,
};
