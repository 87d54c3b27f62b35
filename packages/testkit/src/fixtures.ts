/**
 * Go fixture modules copied into temporary git repositories with a scripted history: commits with
 * fixed dates and authors, tags, file edits. Everything here runs real git with argv arrays.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** The repository root: GOSHIP_ROOT (set by the scripts; the bundled CLI needs it), else found from this file. */
export const repoRoot = process.env.GOSHIP_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturesDir = path.join(repoRoot, 'fixtures', 'go');

export function actionDir(name: string): string {
  return path.join(repoRoot, 'actions', name);
}

/** PATH with Go first, as the scripts set it. */
export function goEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `/usr/local/go/bin${path.delimiter}${process.env.PATH ?? ''}`, ...extra };
}

export async function tempDir(prefix = 'goship-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface CommitSpec {
  message: string;
  /** ISO date, used for author and committer. */
  date?: string;
  /** Files to write (relative path → content); null deletes. */
  files?: Record<string, string | null>;
  tag?: string | string[];
}

export class GitRepo {
  private tick = 0;
  constructor(readonly dir: string) {}

  async git(...args: string[]): Promise<string> {
    return this.gitAt(undefined, args);
  }

  /** Runs git with author and committer dates set to `date`, else to this repo's scripted clock. */
  private async gitAt(date: string | undefined, args: string[]): Promise<string> {
    const when = date ?? new Date(Date.UTC(2026, 0, 1) + this.tick * 3600_000).toISOString();
    const { stdout } = await execFileP('git', args, {
      cwd: this.dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Goship Test',
        GIT_AUTHOR_EMAIL: 'test@goship.invalid',
        GIT_COMMITTER_NAME: 'Goship Test',
        GIT_COMMITTER_EMAIL: 'test@goship.invalid',
        GIT_AUTHOR_DATE: when,
        GIT_COMMITTER_DATE: when,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  }

  async write(files: Record<string, string | null>): Promise<void> {
    for (const [rel, content] of Object.entries(files)) {
      const f = path.join(this.dir, rel);
      if (content === null) await rm(f, { force: true });
      else {
        await mkdir(path.dirname(f), { recursive: true });
        await writeFile(f, content);
      }
    }
  }

  async read(rel: string): Promise<string> {
    return readFile(path.join(this.dir, rel), 'utf8');
  }

  /** Commits everything in the work tree; returns the commit hash. */
  async commit(spec: CommitSpec): Promise<string> {
    if (spec.files) await this.write(spec.files);
    this.tick++;
    await this.gitAt(spec.date, ['add', '-A']);
    await this.gitAt(spec.date, ['commit', '-q', '--allow-empty', '-m', spec.message]);
    for (const t of [spec.tag ?? []].flat()) await this.tag(t);
    return this.head();
  }

  async tag(name: string, message?: string): Promise<void> {
    if (message) await this.git('tag', '-a', name, '-m', message);
    else await this.git('tag', name);
  }

  async head(): Promise<string> {
    return this.git('rev-parse', 'HEAD');
  }
}

/**
 * Copies `fixtures/go/<name>` into a fresh git repository with one initial commit (dated
 * 2026-01-01 unless `date` is given), then applies the scripted `history`.
 */
export async function fixtureRepo(name: string, opts: { date?: string; history?: CommitSpec[]; dir?: string } = {}): Promise<GitRepo> {
  const dir = opts.dir ?? (await tempDir(`goship-${name}-`));
  await cp(path.join(fixturesDir, name), dir, { recursive: true });
  const repo = new GitRepo(dir);
  await repo.git('init', '-q', '-b', 'main');
  await repo.commit({ message: `chore: import ${name}`, date: opts.date ?? '2026-01-01T00:00:00Z' });
  for (const c of opts.history ?? []) await repo.commit(c);
  return repo;
}

export interface ToolResult {
  /** The exit code (1 when the tool could not report one). */
  code: number;
  /** stdout and stderr together, as a person would read them. */
  out: string;
}

/** Runs an external tool (argv, no shell) and returns its exit code and output instead of throwing. */
export async function runTool(cmd: string, args: readonly string[], env: Record<string, string> = {}): Promise<ToolResult> {
  try {
    const r = await execFileP(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}
