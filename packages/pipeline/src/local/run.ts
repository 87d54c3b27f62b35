/**
 * goship's local runner: the chain on a laptop, exactly as a runner runs it. It copies the module
 * into a scratch workspace with a git history, starts the services a runner would reach (a GitHub
 * API stand-in to publish into, a real OCI registry on 127.0.0.1, Sigstore stand-ins for keyless
 * signing), then runs the one-step action's committed bundle the way the runner does (`INPUT_*`,
 * runner files) — or, with `steps: 'five'`, the five actions' bundles in sequence, wired by the same
 * chain description — and writes what was (or would be) published to a folder.
 *
 * This is a developer tool, not part of any action bundle: it may use the test kit's stand-ins.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { readManifest } from '@goship/core/manifest';
import { RELEASE_ASSET_KINDS, selectArtifacts } from '@goship/core/manifest';
import { actionDir, fixturesDir, repoRoot } from '@goship/testkit/fixtures';
import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { startRegistry, type TestRegistry } from '@goship/testkit/registry';
import { type ActionResult, runAction } from '@goship/testkit/runner';
import { SigstoreStandIn, startSigstore } from '@goship/testkit/sigstore';
import { addCachedTool } from '@goship/testkit/toolcache';
import { type ChainOptions, type ChainState, type Command, stepInputs, stepsFor } from '../chain.js';

const execFileP = promisify(execFile);

export interface LocalOptions {
  command: Command;
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
  /** `one` (default): the one-step action; `five`: the five actions as five steps. */
  steps?: 'one' | 'five';
  /**
   * Check every request and response of the GitHub stand-in against GitHub's OpenAPI description
   * (tests do; the bundled CLI cannot load the 13 MB description and does not need to).
   */
  validateApi?: boolean;
  log?: (line: string) => void;
}

export interface StepRecord {
  id: string;
  action: string;
  seconds: number;
  result: ActionResult;
}

export interface LocalRun {
  command: Command;
  workspace: string;
  /** What was published (release) or would be (snapshot): every asset, and the notes on a release. */
  releaseDir: string;
  traceId: string;
  version: string;
  tag: string;
  steps: StepRecord[];
  /** Outputs of the chain (the one-step action's, or the last values of the five steps). */
  outputs: Record<string, string>;
  api: GitHubApiStandIn;
  registry?: TestRegistry | { host: string };
  sigstore?: SigstoreStandIn;
  trustedRoot?: string;
  publicKey?: string;
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

/** The pinned quality tools of tools.versions, in a tool cache the gate finds them in. */
async function toolCache(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, version] of await gateToolPins()) await addCachedTool(dir, name, version);
  return dir;
}

/** staticcheck, golangci-lint and govulncheck as tools.versions pins them. */
export async function gateToolPins(): Promise<[string, string][]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path.join(repoRoot, 'tools.versions'), 'utf8');
  const pins = new Map(
    text
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/) as [string, string]),
  );
  return ['staticcheck', 'golangci-lint', 'govulncheck'].map((n) => [n, pins.get(n)!]);
}

export async function runLocal(opts: LocalOptions): Promise<LocalRun> {
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
  const ref = headTag ? `refs/tags/${headTag}` : 'refs/heads/main';

  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const token = `demo-${randomBytes(8).toString('hex')}`;
    const api = await GitHubApiStandIn.start({ owner, repo, token, validate: opts.validateApi ?? false });
    closers.push(() => api.close());
    await api.seedFromGit(workspace);

    let registry: LocalRun['registry'];
    if (opts.command !== 'check') {
      if (opts.registry && opts.registry !== 'none') registry = { host: opts.registry };
      else if (!opts.registry) {
        const r = await startRegistry();
        closers.push(() => r.stop());
        registry = r;
      }
    }

    let sigstore: SigstoreStandIn | undefined;
    let trustedRoot: string | undefined;
    let publicKey: string | undefined;
    let sign: Pick<ChainOptions, 'signMode' | 'key'> & { inputs: Record<string, string> };
    if (opts.signing === 'keyless') {
      // The stand-in signs as the module's own repository and workflow, so the identity in the notes is the one a user sees.
      sigstore = await startSigstore({ claims: SigstoreStandIn.workflowClaims(repository, ref, sha) });
      closers.push(() => sigstore!.close());
      trustedRoot = await sigstore.writeTrustedRoot(path.join(runnerTemp, 'trusted_root.json'));
      sign = {
        signMode: 'keyless',
        inputs: {
          'fulcio-url': sigstore.urls.fulcio,
          'rekor-url': sigstore.urls.rekor,
          'tsa-url': sigstore.urls.tsa,
          'trusted-root': trustedRoot,
          'github-attestations': 'false',
        },
      };
    } else {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      publicKey = path.join(out, 'cosign.pub');
      await writeFile(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      sign = {
        signMode: 'key',
        key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        inputs: { tlog: 'false', 'github-attestations': 'false' },
      };
    }

    const env: Record<string, string> = {
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_API_URL: api.url,
      GITHUB_SHA: sha,
      GITHUB_REF: ref,
      GITHUB_REF_NAME: headTag ?? 'main',
      GITHUB_REF_TYPE: headTag ? 'tag' : 'branch',
      GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@${ref}`,
      GOSHIP_TRACE_ID: traceId,
      GOSHIP_LOCAL: '1',
      ...(sigstore?.tokenEnv() ?? {}),
    };
    const chainOpts: ChainOptions = {
      command: opts.command,
      ...(headTag ? { tag: headTag } : {}),
      workingDirectory: '.',
      platforms: opts.platforms,
      image: registry ? `${registry.host}/${owner}/${repo}` : undefined,
      insecureRegistries: registry?.host,
      signMode: sign.signMode,
      key: sign.key,
      token,
      // Untagged: the demo publishes the snapshot as a prerelease into the stand-in.
      publishSnapshot: !headTag,
      stepInputs: {
        setup: { install: 'false', cache: 'false' },
        // govulncheck needs vuln.go.dev (or an offline database via vuln-db); the demo has no network.
        gate: { checks: 'fmt,vet,mod,test,race,coverage,staticcheck' },
        build: { 'smoke-test': '--version' },
        sign: sign.inputs,
      },
    };
    const shared = { runnerTemp, toolCache: await toolCache(path.join(out, 'tool-cache')), cwd: workspace, env };
    const steps: StepRecord[] = [];
    const record = (id: string, action: string, started: number, result: ActionResult): void => {
      const seconds = (performance.now() - started) / 1000;
      steps.push({ id, action, seconds, result });
      for (const a of result.annotations.filter((x) => x.type === 'error' || x.type === 'warning')) {
        log(`  ${a.type}: ${a.message.split('\n')[0]}`);
      }
      if (result.exitCode !== 0) {
        log(result.log.split('\n').slice(-30).join('\n'));
        throw new Error(`step ${id} (${action}) failed with exit code ${result.exitCode}`);
      }
      log(`  ✓ ${seconds.toFixed(1)} s`);
    };

    let outputs: Record<string, string>;
    if ((opts.steps ?? 'one') === 'one') {
      log(`▶ goship ${opts.command} (the one-step action)`);
      const started = performance.now();
      const result = await runAction(repoRoot, { ...shared, inputs: rootInputs(chainOpts) });
      record('goship', 'goship', started, result);
      outputs = result.outputs;
    } else {
      const state: ChainState = { opts: chainOpts, outputs: {} };
      for (const step of stepsFor(opts.command)) {
        if (step.when && !step.when(state)) continue;
        log(`▶ ${step.id} (${step.action})`);
        const started = performance.now();
        const result = await runAction(actionDir(step.action), { ...shared, inputs: stepInputs(step, state) });
        record(step.id, step.action, started, result);
        state.outputs[step.id] = result.outputs;
      }
      outputs = fiveStepOutputs(state);
    }

    const version = outputs.version ?? '';
    const tag = outputs.tag || headTag || `v${version}`;
    await mkdir(releaseDir, { recursive: true });
    if (opts.command === 'release') {
      // The folder holds exactly what was published: every asset and the notes.
      const release = api.releaseByTag(tag).find((r) => !r.draft);
      if (!release) throw new Error(`no published release for ${tag} in the GitHub API stand-in`);
      for (const a of api.assetsOf(release.id)) await writeFile(path.join(releaseDir, a.name), a.data);
      await writeFile(path.join(releaseDir, 'RELEASE_NOTES.md'), `${release.body ?? ''}\n`);
    } else if (opts.command === 'snapshot' && outputs.manifest) {
      // What a release would publish, from the manifest.
      const m = await readManifest(path.join(workspace, outputs.manifest));
      for (const a of selectArtifacts(m, { kinds: RELEASE_ASSET_KINDS })) {
        if (a.path) await copyFile(path.join(workspace, a.path), path.join(releaseDir, a.name));
      }
    }
    await writeFile(
      path.join(out, 'steps.json'),
      `${JSON.stringify(
        steps.map((s) => ({ id: s.id, action: s.action, seconds: Number(s.seconds.toFixed(2)), outputs: s.result.outputs })),
        null,
        2,
      )}\n`,
    );
    await writeFile(path.join(out, 'summary.md'), steps.map((s) => s.result.summary).join('\n'));
    return {
      command: opts.command,
      workspace,
      releaseDir,
      traceId,
      version,
      tag,
      steps,
      outputs,
      api,
      registry,
      sigstore,
      trustedRoot,
      publicKey,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The one-step action's inputs for chain options (what a workflow's `with:` would say). */
export function rootInputs(o: ChainOptions): Record<string, string> {
  const inputs: Record<string, string | undefined> = {
    command: o.command,
    'working-directory': o.workingDirectory,
    'go-version': o.goVersion,
    platforms: o.platforms,
    image: o.image,
    'registry-username': o.registryUsername,
    'registry-password': o.registryPassword,
    'sign-mode': o.signMode,
    key: o.key,
    'key-password': o.keyPassword,
    token: o.token,
    draft: o.draft === undefined ? undefined : String(o.draft),
    'insecure-registries': o.insecureRegistries,
    'snapshot-release': o.publishSnapshot ? 'true' : undefined,
    'step-inputs': o.stepInputs && Object.keys(o.stepInputs).length ? JSON.stringify(o.stepInputs) : undefined,
  };
  return Object.fromEntries(Object.entries(inputs).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** The five steps' outputs in the shape of the one-step action's. */
function fiveStepOutputs(s: ChainState): Record<string, string> {
  const o = s.outputs;
  return {
    version: o.publish?.version || o.build?.version || o.plan?.version || '',
    tag: o.publish?.tag || o.plan?.tag || '',
    manifest: o.sign?.manifest || o.build?.manifest || '',
    'release-url': o.publish?.['release-url'] ?? '',
  };
}
