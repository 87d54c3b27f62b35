/**
 * The goship chain, run locally: setup-go-matrix → semver-release (plan) → go-quality-gate →
 * multiarch-build (+ image) → sign-attest → semver-release (publish), each the committed bundle
 * run the way the runner runs it, with each step's outputs feeding the next step's inputs as the
 * reusable workflow does. Services that cannot run here are the testkit's local stand-ins: the
 * GitHub API (the release is published there, then exported to a folder), Sigstore (keyless
 * signing) and a real OCI registry on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { actionDir, fixturesDir } from './fixtures.js';
import { GitHubApiStandIn } from './github-api.js';
import { startRegistry, type TestRegistry } from './registry.js';
import { type ActionResult, runAction } from './runner.js';
import { SigstoreStandIn, startSigstore } from './sigstore.js';
import { addCachedTool } from './toolcache.js';

const execFileP = promisify(execFile);

export interface PipelineOptions {
  /** The Go module folder (default fixtures/go/hello). Never written to: the chain runs on a copy. */
  moduleDir?: string;
  /** Where the workspace, the release folder and the step records go. */
  out: string;
  /** `host:port` of a registry to push the image to; `none` for no image; default: start one. */
  registry?: string;
  /** `key` (an ephemeral key, no transparency log) or `keyless` (the Sigstore stand-ins). */
  signing?: 'key' | 'keyless';
  /** Tag the workspace's HEAD before the chain runs (as a pushed tag would). */
  tag?: string;
  platforms?: string;
  /** Repository name as GitHub would give it (`owner/name`). */
  repository?: string;
  log?: (line: string) => void;
}

export interface StepRecord {
  id: string;
  action: string;
  seconds: number;
  result: ActionResult;
}

export interface PipelineRun {
  workspace: string;
  releaseDir: string;
  traceId: string;
  version: string;
  tag: string;
  steps: StepRecord[];
  api: GitHubApiStandIn;
  registry?: TestRegistry | { host: string };
  sigstore?: SigstoreStandIn;
  trustedRoot?: string;
  publicKey?: string;
  /** Stops the services the run started. */
  close(): Promise<void>;
}

const GIT_ID = {
  GIT_AUTHOR_NAME: 'goship demo',
  GIT_AUTHOR_EMAIL: 'demo@goship.invalid',
  GIT_COMMITTER_NAME: 'goship demo',
  GIT_COMMITTER_EMAIL: 'demo@goship.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return (await execFileP('git', args, { cwd, env: { ...process.env, ...GIT_ID, ...env } })).stdout.trim();
}

/** A scratch copy of the module with a git history (the actions read commit facts from git). */
async function prepareWorkspace(moduleDir: string, workspace: string): Promise<void> {
  await rm(workspace, { recursive: true, force: true });
  const isRepoRoot = await stat(path.join(moduleDir, '.git')).then(
    () => true,
    () => false,
  );
  if (isRepoRoot) {
    await execFileP('git', ['clone', '--quiet', '--no-hardlinks', moduleDir, workspace]);
    return;
  }
  await cp(moduleDir, workspace, { recursive: true, filter: (src) => path.basename(src) !== 'dist' });
  await git(workspace, ['init', '-q', '-b', 'main']);
  await git(workspace, ['add', '-A']);
  // A fixed date keeps the chain's output reproducible from run to run.
  const date = { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
  await git(workspace, ['commit', '-q', '-m', 'chore: goship demo snapshot'], date);
}

/** The pinned tools of tools.versions, in a tool cache the gate finds them in. */
async function toolCache(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, version] of [
    ['staticcheck', 'v0.8.2'],
    ['golangci-lint', 'v2.15.0'],
    ['govulncheck', 'v1.8.0'],
  ] as const) {
    await addCachedTool(dir, name, version);
  }
  return dir;
}

export async function runPipeline(opts: PipelineOptions): Promise<PipelineRun> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const moduleDir = path.resolve(opts.moduleDir ?? path.join(fixturesDir, 'hello'));
  const out = path.resolve(opts.out);
  const workspace = path.join(out, 'workspace');
  const releaseDir = path.join(out, 'release');
  const runnerTemp = path.join(out, 'runner-temp');
  await mkdir(out, { recursive: true });
  await rm(releaseDir, { recursive: true, force: true });
  await rm(runnerTemp, { recursive: true, force: true });
  await mkdir(runnerTemp, { recursive: true, mode: 0o700 });
  await prepareWorkspace(moduleDir, workspace);
  if (opts.tag) await git(workspace, ['tag', '-a', opts.tag, '-m', opts.tag]);

  const repository = opts.repository ?? `local/${path.basename(moduleDir)}`;
  const [owner, repo] = repository.split('/') as [string, string];
  const traceId = `local-${randomBytes(6).toString('hex')}`;
  const headTag = (await git(workspace, ['tag', '--points-at', 'HEAD'])).split('\n').find((t) => /^v\d/.test(t));
  const sha = await git(workspace, ['rev-parse', 'HEAD']);

  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const token = `demo-${randomBytes(8).toString('hex')}`;
    const api = await GitHubApiStandIn.start({ owner, repo, token });
    closers.push(() => api.close());
    await api.seedFromGit(workspace);

    let registry: PipelineRun['registry'];
    if (opts.registry && opts.registry !== 'none') registry = { host: opts.registry };
    else if (!opts.registry) {
      const r = await startRegistry();
      closers.push(() => r.stop());
      registry = r;
    }

    let sigstore: SigstoreStandIn | undefined;
    let trustedRoot: string | undefined;
    if (opts.signing === 'keyless') {
      sigstore = await startSigstore();
      closers.push(() => sigstore!.close());
      // In RUNNER_TEMP: sign-attest reads only paths inside the workspace or the runner's temp folder.
      trustedRoot = await sigstore.writeTrustedRoot(path.join(runnerTemp, 'trusted_root.json'));
    }

    const env: Record<string, string> = {
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_API_URL: api.url,
      GITHUB_SHA: sha,
      GITHUB_REF: headTag ? `refs/tags/${headTag}` : 'refs/heads/main',
      GITHUB_REF_NAME: headTag ?? 'main',
      GITHUB_REF_TYPE: headTag ? 'tag' : 'branch',
      GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@${headTag ? `refs/tags/${headTag}` : 'refs/heads/main'}`,
      GOSHIP_TRACE_ID: traceId,
      GOSHIP_LOCAL: '1',
      ...(sigstore?.tokenEnv() ?? {}),
    };
    const shared = { runnerTemp, toolCache: await toolCache(path.join(out, 'tool-cache')) };
    const steps: StepRecord[] = [];
    const step = async (id: string, action: string, inputs: Record<string, string>): Promise<Record<string, string>> => {
      const started = performance.now();
      log(`▶ ${id} (${action})`);
      const result = await runAction(actionDir(action), { cwd: workspace, inputs, env, ...shared });
      const seconds = (performance.now() - started) / 1000;
      steps.push({ id, action, seconds, result });
      for (const a of result.annotations.filter((x) => x.type === 'error' || x.type === 'warning')) {
        log(`  ${a.type}: ${a.message.split('\n')[0]}`);
      }
      if (result.exitCode !== 0) {
        log(result.log.split('\n').slice(-30).join('\n'));
        throw new Error(`step ${id} (${action}) failed with exit code ${result.exitCode}`);
      }
      const shown = Object.entries(result.outputs)
        .filter(([, v]) => v.length <= 80 && !v.includes('\n'))
        .map(([k, v]) => `${k}=${v}`)
        .slice(0, 6);
      log(`  ✓ ${seconds.toFixed(1)} s${shown.length ? ` — ${shown.join(', ')}` : ''}`);
      return result.outputs;
    };

    const setup = await step('setup', 'setup-go-matrix', {
      install: 'false',
      cache: 'false',
      ...(opts.platforms ? { platforms: opts.platforms } : {}),
    });
    const plan = headTag ? await step('plan', 'semver-release', { command: 'plan', token }) : undefined;
    await step('gate', 'go-quality-gate', {
      // govulncheck needs vuln.go.dev (or an offline database via vuln-db); the demo has no network.
      checks: 'fmt,vet,mod,test,race,coverage,staticcheck',
    });
    const build = await step('build', 'multiarch-build', {
      platforms:
        opts.platforms ??
        JSON.parse(setup.platforms ?? '[]')
          .map((p: { platform: string }) => p.platform)
          .join(','),
      ...(plan ? { version: plan.version! } : {}),
      'smoke-test': '--version',
      ...(registry ? { image: `${registry.host}/${owner}/${repo}`, 'insecure-registries': registry.host } : {}),
    });
    const version = build.version!;
    const tag = headTag ?? `v${version}`;

    let publicKey: string | undefined;
    let signInputs: Record<string, string>;
    // Keyless signs as this module's own release workflow at this ref, as GitHub's OIDC token would say.
    sigstore?.actAs(SigstoreStandIn.workflowClaims(repository, env.GITHUB_REF!, sha));
    if (sigstore) {
      signInputs = {
        mode: 'keyless',
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'tsa-url': sigstore.urls.tsa,
        'trusted-root': trustedRoot!,
      };
    } else {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      publicKey = path.join(out, 'cosign.pub');
      await writeFile(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      signInputs = { mode: 'key', key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), tlog: 'false' };
    }
    // The default layout: the checksums file signed, one provenance, image signatures and attestations in the registry.
    const sign = await step('sign', 'sign-attest', { manifest: build.manifest!, 'github-attestations': 'false', ...signInputs });
    const publish = await step('release', 'semver-release', {
      command: 'publish',
      token,
      manifest: sign.manifest ?? build.manifest!,
      ...(headTag ? {} : { tag, version, prerelease: 'true' }),
    });

    // The folder holds exactly what was published: every asset and the notes.
    const release = api.releaseByTag(publish.tag ?? tag).find((r) => !r.draft);
    if (!release) throw new Error(`no published release for ${tag} in the GitHub API stand-in`);
    await mkdir(releaseDir, { recursive: true });
    for (const a of api.assetsOf(release.id)) await writeFile(path.join(releaseDir, a.name), a.data);
    await writeFile(path.join(releaseDir, 'RELEASE_NOTES.md'), `${release.body ?? ''}\n`);
    await writeFile(
      path.join(out, 'steps.json'),
      `${JSON.stringify(
        steps.map((s) => ({ id: s.id, action: s.action, seconds: Number(s.seconds.toFixed(2)), outputs: s.result.outputs })),
        null,
        2,
      )}\n`,
    );
    await writeFile(path.join(out, 'summary.md'), steps.map((s) => s.result.summary).join('\n'));
    return { workspace, releaseDir, traceId, version, tag, steps, api, registry, sigstore, trustedRoot, publicKey, close };
  } catch (e) {
    await close();
    throw e;
  }
}
