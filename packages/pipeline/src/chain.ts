/**
 * The goship chain, described once: which action runs at each step, for which command, and how
 * each step's inputs come from the options and the outputs of the steps before it. The root
 * action runs it in-process (run.ts); the test kit runs the same description as five bundles in
 * sequence, to prove the two give the same release; the reusable workflow, the examples and the
 * CI self-test are checked against it (test/workflows.itg.test.ts).
 */
import { ACTION_DEFAULTS } from './action-defaults.js';

export const COMMANDS = ['release', 'snapshot', 'check'] as const;
export type Command = (typeof COMMANDS)[number];

export const ACTIONS = ['setup-go-matrix', 'go-quality-gate', 'multiarch-build', 'sign-attest', 'semver-release'] as const;
export type ActionName = (typeof ACTIONS)[number];

export type StepId = 'setup' | 'plan' | 'gate' | 'build' | 'sign' | 'publish';

/** What the caller decides; every field maps onto inputs of one or more steps. */
export interface ChainOptions {
  command: Command;
  workingDirectory: string;
  /** The tag being released (from GITHUB_REF), if any. */
  tag?: string;
  goVersion?: string;
  platforms?: string;
  /** `.goreleaser.yaml` handling: '' auto-detect, `none`, or a path. */
  config?: string;
  image?: string;
  registryUsername?: string;
  registryPassword?: string;
  insecureRegistries?: string;
  /** `keyless`, `key`, or `none` (no signing step). */
  signMode: 'keyless' | 'key' | 'none';
  key?: string;
  keyPassword?: string;
  token?: string;
  draft?: boolean;
  /** Version for a snapshot or an untagged release (the plan step decides it on a tag). */
  version?: string;
  /**
   * Publish an untagged snapshot as a prerelease tagged `v<snapshot version>` (the local runner's
   * demo does, into its GitHub stand-in). On a runner, `release` needs a tag.
   */
  publishSnapshot?: boolean;
  /** Extra inputs per step (advanced use and the local runner's stand-in URLs). */
  stepInputs?: Partial<Record<StepId, Record<string, string>>>;
}

export interface ChainState {
  opts: ChainOptions;
  /** Outputs of the steps that ran, by step id. */
  outputs: Partial<Record<StepId, Record<string, string>>>;
}

export interface ChainStep {
  id: StepId;
  action: ActionName;
  /** What the step is for, in the log and the summary. */
  title: string;
  commands: readonly Command[];
  /** Runs only when this holds (default: always, for its commands). */
  when?: (s: ChainState) => boolean;
  /** The step's inputs. Empty values are left out, so the action's own default applies. */
  inputs: (s: ChainState) => Record<string, string | undefined>;
}

const wd = (s: ChainState) => s.opts.workingDirectory;

/** The manifest the latest step that wrote one left: sign-attest's (it adds the bundles), else the build's. */
export function latestManifest(s: ChainState): string | undefined {
  return s.outputs.sign?.manifest || s.outputs.build?.manifest || undefined;
}

export const CHAIN: readonly ChainStep[] = [
  {
    id: 'setup',
    action: 'setup-go-matrix',
    title: 'Go toolchain, caches and the target list',
    commands: ['release', 'snapshot', 'check'],
    inputs: (s) => ({ 'working-directory': wd(s), 'go-version': s.opts.goVersion, platforms: s.opts.platforms }),
  },
  {
    id: 'plan',
    action: 'semver-release',
    title: 'Version and changelog from the tag',
    commands: ['release'],
    when: (s) => !!s.opts.tag,
    inputs: (s) => ({ command: 'plan', 'working-directory': wd(s), tag: s.opts.tag, token: s.opts.token }),
  },
  {
    id: 'gate',
    action: 'go-quality-gate',
    title: 'Quality gate',
    commands: ['release', 'snapshot', 'check'],
    inputs: (s) => ({ 'working-directory': wd(s) }),
  },
  {
    id: 'build',
    action: 'multiarch-build',
    title: 'Binaries, archives, checksums, SBOMs and image',
    commands: ['release', 'snapshot'],
    inputs: (s) => ({
      'working-directory': wd(s),
      // Only what the caller asked for: empty lets multiarch-build take the .goreleaser.yaml targets (or its defaults).
      platforms: s.opts.platforms,
      version: s.outputs.plan?.version || s.opts.version,
      image: s.opts.image,
      'registry-username': s.opts.registryUsername,
      'registry-password': s.opts.registryPassword,
      'insecure-registries': s.opts.insecureRegistries,
    }),
  },
  {
    id: 'sign',
    action: 'sign-attest',
    title: 'Signatures, provenance and their verification',
    commands: ['release', 'snapshot'],
    when: (s) => s.opts.signMode !== 'none',
    inputs: (s) => ({
      'working-directory': wd(s),
      manifest: s.outputs.build?.manifest,
      mode: s.opts.signMode,
      key: s.opts.key,
      'key-password': s.opts.keyPassword,
      'github-token': s.opts.token,
    }),
  },
  {
    id: 'publish',
    action: 'semver-release',
    title: 'Draft, upload, verify and publish the release',
    commands: ['release'],
    when: (s) => !!(s.opts.tag || s.opts.publishSnapshot),
    inputs: (s) => ({
      command: 'publish',
      'working-directory': wd(s),
      manifest: latestManifest(s),
      ...(s.opts.tag
        ? { tag: s.outputs.plan?.tag || s.opts.tag }
        : { tag: `v${s.outputs.build?.version ?? ''}`, version: s.outputs.build?.version, prerelease: 'true' }),
      draft: s.opts.draft === undefined ? undefined : String(s.opts.draft),
      token: s.opts.token,
    }),
  },
];

/** The steps a command runs, in order (before `when` is evaluated). */
export function stepsFor(command: Command): ChainStep[] {
  return CHAIN.filter((s) => s.commands.includes(command));
}

/** The `.goreleaser.yaml` choice, for every step whose action reads the file (declares `config`). */
function configOf(step: ChainStep, s: ChainState): Record<string, string | undefined> {
  return 'config' in ACTION_DEFAULTS[step.action] ? { config: s.opts.config } : {};
}

/** A step's inputs: the wiring, then the caller's per-step extras; empty values dropped. */
export function stepInputs(step: ChainStep, s: ChainState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...configOf(step, s), ...step.inputs(s), ...(s.opts.stepInputs?.[step.id] ?? {}) })) {
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}
