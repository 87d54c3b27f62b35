/**
 * Test helper: a git repository with release tags, the GitHub API stand-in seeded from it, small
 * builds (archives, a checksums file and a manifest for the tag's commit), the committed bundle
 * run like the runner does, and the checks every convergence case ends with.
 */
import { formatChecksums, hashBytes } from '@goship/core/digest';
import type { Manifest } from '@goship/core/manifest';
import { type ActionResult, type GitRepo, actionDir, fixtureRepo, runAction } from '@goship/testkit';
import { GitHubApiStandIn, githubAssetName } from '@goship/testkit/github-api';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';

export const bundleDir = actionDir('semver-release');

export interface Built {
  tag: string;
  manifestPath: string;
  files: { name: string; data: Buffer }[];
}

export class ReleaseRepo {
  private constructor(
    readonly repo: GitRepo,
    readonly api: GitHubApiStandIn,
  ) {}

  /** A repository whose tags v1.0.0 … are `tags`; the remote knows the commits but only the first tag. */
  static async start(tags: readonly string[]): Promise<ReleaseRepo> {
    const repo = await fixtureRepo('hello', {
      history: tags.map((tag, i) => ({ message: i % 2 ? `fix: change ${i}` : `feat: change ${i}`, tag })),
    });
    const api = await GitHubApiStandIn.start();
    await api.seedFromGit(repo.dir);
    for (const ref of [...api.refs.keys()]) if (ref.startsWith('refs/tags/') && ref !== `refs/tags/${tags[0]}`) api.refs.delete(ref);
    return new ReleaseRepo(repo, api);
  }

  close(): Promise<void> {
    return this.api.close();
  }

  /**
   * Writes a build of `tag` under dist/<tag>/: `m` archives, a checksums file, a raw binary (not
   * an asset) and a manifest for the tag's commit. `names` adds files under those names
   * (selected with `files:`), `version`/`commit` build the manifest for something else.
   */
  async build(tag: string, m: number, o: { size?: number; version?: string; commit?: string; names?: string[] } = {}): Promise<Built> {
    const version = tag.replace(/^v/, '');
    const rel = `dist/${tag}`;
    const out = path.join(this.repo.dir, rel);
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    const files: { name: string; data: Buffer }[] = [];
    for (let i = 0; i < m; i++) {
      const name = `hello_${version}_os${i}_amd64.tar.gz`;
      files.push({ name, data: Buffer.alloc((o.size ?? 4096) + i * 512, `${name}-`) });
    }
    const checksums = formatChecksums(files.map((f) => ({ name: f.name, digest: hashBytes(f.data) })));
    files.push({ name: `hello_${version}_checksums.txt`, data: Buffer.from(checksums) });
    const extra = (o.names ?? []).map((name) => ({ name, data: Buffer.from(`the file called ${name}\n`) }));
    for (const f of [...files, ...extra]) await writeFile(path.join(out, f.name), f.data);
    await writeFile(path.join(out, 'hello'), 'binary');
    const manifest: Manifest = {
      schemaVersion: 1,
      project: 'hello',
      module: 'example.com/hello',
      version: o.version ?? version,
      tag,
      commit: o.commit ?? (await this.repo.git('rev-parse', `${tag}^{commit}`)),
      commitTime: '2026-01-01T00:00:00Z',
      traceId: `trace-${version}`,
      artifacts: [
        { kind: 'binary', name: 'hello', path: `${rel}/hello`, os: 'linux', arch: 'amd64', sha256: hashBytes('binary') },
        ...files.map((f) =>
          f.name.endsWith('.txt')
            ? { kind: 'checksums' as const, name: f.name, path: `${rel}/${f.name}` }
            : { kind: 'archive' as const, name: f.name, path: `${rel}/${f.name}`, sha256: hashBytes(f.data) },
        ),
      ],
    };
    const manifestPath = `${rel}/goship-manifest.json`;
    await writeFile(path.join(this.repo.dir, manifestPath), JSON.stringify(manifest, null, 2));
    return { tag, manifestPath, files: [...files, ...extra] };
  }

  /** Publishes `b` with the committed bundle. */
  publish(b: Built, inputs: Record<string, string | number | boolean> = {}): Promise<ActionResult> {
    return this.run({ command: 'publish', tag: b.tag, manifest: b.manifestPath, ...inputs });
  }

  run(inputs: Record<string, string | number | boolean>, env: Record<string, string> = {}): Promise<ActionResult> {
    return runAction(bundleDir, {
      cwd: this.repo.dir,
      inputs: { token: 'test-token', ...inputs },
      env: { GITHUB_API_URL: this.api.url, GITHUB_REPOSITORY: 'goship-test/hello', GITHUB_RUN_ID: '4242', ...env },
    });
  }

  /** The tag has one release, published, holding exactly the build's files (by the names GitHub stores), no draft beside it. */
  expectPublished(b: Built, names: readonly string[] = b.files.map((f) => f.name)): void {
    const view = this.api.tagView(b.tag);
    expect(view.map((r) => r.draft)).toEqual([false]);
    expect(this.api.orphanDrafts(b.tag)).toEqual([]);
    expect(view[0]!.publishCount).toBe(1);
    const want = b.files
      .filter((f) => names.includes(f.name))
      .map((f) => [githubAssetName(f.name), 'uploaded', `sha256:${hashBytes(f.data)}`])
      .sort();
    expect(view[0]!.assets.map((a) => [a.name, a.state, a.digest]).sort()).toEqual(want);
    expect(this.api.violations).toEqual([]);
  }

  /** A re-run converges: exit 0, nothing created, published, deleted or uploaded, 0 bytes sent. */
  async expectRerunConverges(
    b: Built,
    inputs: Record<string, string | number | boolean> = {},
    names?: readonly string[],
  ): Promise<ActionResult> {
    this.api.resetCounters();
    const again = await this.publish(b, inputs);
    expect(again.exitCode, again.log).toBe(0);
    expect(this.api.counters).toMatchObject({ mutations: 0, bytesReceived: 0, releasesCreated: 0, publishes: 0, assetsDeleted: 0 });
    expect(JSON.parse(again.outputs.uploaded!)).toEqual([]);
    this.expectPublished(b, names);
    return again;
  }
}

export const errorOf = (r: { annotations: { type: string; message: string }[] }): string =>
  r.annotations.find((a) => a.type === 'error')?.message ?? '';

/** What the client's debug log says about its rate-limit gate: when each request left, when the gate closed. */
export interface GateLog {
  sent: { at: number; write: boolean; what: string }[];
  closes: { at: number; until: number; writesOnly: boolean; what: string }[];
}

/** Reads the `sent …` and `… held until …` debug records core's GitHub client writes with RUNNER_DEBUG=1. */
export function gateLog(log: string): GateLog {
  const out: GateLog = { sent: [], closes: [] };
  for (const line of log.split('\n')) {
    const sent = /^::debug::(\S+Z) sent ((\S+) \S+)$/.exec(line);
    if (sent) out.sent.push({ at: Date.parse(sent[1]!), write: !['GET', 'HEAD'].includes(sent[3]!), what: sent[2]! });
    const close = /^::debug::(\S+Z) \d{3} on (\S+ \S+): (writes|requests) held until (\S+Z)$/.exec(line);
    if (close) {
      out.closes.push({ at: Date.parse(close[1]!), until: Date.parse(close[4]!), writesOnly: close[3] === 'writes', what: close[2]! });
    }
  }
  return out;
}

/**
 * The gate held: once the client had read a refusal, it sent nothing the refusal covers before
 * the pause ended; and every request the stand-in saw arrive after its notice was one the client
 * had sent before it read the first refusal (it was on its way).
 */
export function expectGateHeld(g: GateLog, afterNotice: readonly { method: string; url: string }[]): void {
  expect(g.closes.length).toBeGreaterThanOrEqual(1);
  expect(g.sent.length).toBeGreaterThan(0);
  for (const c of g.closes) {
    const inside = g.sent.filter((s) => (s.write || !c.writesOnly) && s.at > c.at && s.at < c.until);
    expect(inside, `sent while the gate was closed by ${c.what}`).toEqual([]);
  }
  const firstClose = Math.min(...g.closes.map((c) => c.at));
  for (const x of afterNotice) {
    const what = `${x.method} ${x.url}`;
    expect(
      g.sent.some((s) => s.what === what && s.at <= firstClose),
      `${what} arrived after the notice but was not sent before the client read it`,
    ).toBe(true);
  }
}
