/**
 * The workflows users copy — the reusable workflow, the examples — and the CI self-test are
 * checked against the one description of the chain (packages/pipeline/src/chain.ts): actionlint
 * accepts them, every `with:` key exists in the action's action.yml, each job's goship steps come
 * in the chain's order, and the manifest flows the way the chain wires it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHAIN, type ActionName } from '../packages/pipeline/src/chain.js';
import { repoRoot } from '../packages/testkit/src/fixtures.js';

const execFileP = promisify(execFile);
const files = [
  ...readdirSync(path.join(repoRoot, '.github', 'workflows')).map((f) => path.join('.github', 'workflows', f)),
  ...readdirSync(path.join(repoRoot, 'examples', 'workflows')).map((f) => path.join('examples', 'workflows', f)),
].filter((f) => /\.ya?ml$/.test(f));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { steps?: Step[]; uses?: string }>;
}

const load = (file: string): Workflow => parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Workflow;

/** `OWNER/goship/actions/x@v1`, `./actions/x` → x; `OWNER/goship@v1`, `./` → root. */
function goshipAction(uses: string | undefined): ActionName | 'root' | undefined {
  const m = /^(?:OWNER\/goship\/|\.\/)actions\/([a-z-]+)(?:@v1)?$/.exec(uses ?? '');
  if (m) return m[1] as ActionName;
  if (/^(?:OWNER\/goship@v1|\.\/?)$/.test(uses ?? '')) return 'root';
  return undefined;
}

function actionYml(a: ActionName | 'root'): { inputs?: object; outputs?: object } {
  const file = a === 'root' ? path.join(repoRoot, 'action.yml') : path.join(repoRoot, 'actions', a, 'action.yml');
  expect(existsSync(file), `${a} has no action.yml`).toBe(true);
  return parse(readFileSync(file, 'utf8')) as { inputs?: object; outputs?: object };
}

/** The chain's action order, with semver-release's two roles told apart by `command`. */
const ORDER = CHAIN.map((s) => (s.action === 'semver-release' ? `semver-release:${s.id === 'plan' ? 'plan' : 'publish'}` : s.action));
const role = (step: Step, a: ActionName): string => (a === 'semver-release' ? `semver-release:${String(step.with?.command ?? 'plan')}` : a);

describe('workflows', () => {
  it('actionlint accepts every workflow and example', async () => {
    const actionlint = path.join(repoRoot, '.tools', 'bin', 'actionlint');
    const r = await execFileP(actionlint, ['-color=false', ...files], { cwd: repoRoot }).catch((e: { stdout: string; code: number }) => e);
    expect('code' in r ? r.stdout : '').toBe('');
  });

  it.each(files)('%s passes only inputs that goship actions declare', (file) => {
    const wf = load(file);
    let checked = 0;
    for (const step of Object.values(wf.jobs).flatMap((j) => j.steps ?? [])) {
      const a = goshipAction(step.uses);
      if (!a) continue;
      checked++;
      const declared = Object.keys(actionYml(a).inputs ?? {});
      for (const key of Object.keys(step.with ?? {})) expect(declared, `${file}: ${step.uses} has no input "${key}"`).toContain(key);
    }
    // A file that uses goship must be recognised as doing so (the pattern above must not go stale).
    const mentions = readFileSync(path.join(repoRoot, file), 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#') && /uses: +(?:OWNER\/goship(?:\/actions\/|@)|\.\/actions\/|\.\/? *$)/.test(l));
    expect(checked, `${file}: goship steps found`).toBe(mentions.length);
  });

  it.each(files)('%s: each job runs goship steps in the chain’s order and passes the manifest as the chain does', (file) => {
    for (const [name, job] of Object.entries(load(file).jobs)) {
      const steps = (job.steps ?? []).map((s) => ({ s, a: goshipAction(s.uses) })).filter((x) => x.a && x.a !== 'root');
      // setup-go-matrix prepares every job; the rest follow the chain.
      const roles = steps.map(({ s, a }) => role(s, a as ActionName)).filter((r) => r !== 'setup-go-matrix');
      const positions = roles.map((r) => ORDER.indexOf(r));
      expect(
        positions.every((p) => p >= 0),
        `${file} ${name}: ${roles.join(' → ')}`,
      ).toBe(true);
      expect(
        [...positions].sort((x, y) => x - y),
        `${file} ${name}: ${roles.join(' → ')} is out of the chain's order`,
      ).toEqual(positions);
      const ids = new Map(steps.filter(({ s }) => s.id).map(({ s, a }) => [s.id!, a as ActionName]));
      for (const { s, a } of steps) {
        const m = /\$\{\{\s*steps\.([\w-]+)\.outputs\.manifest\s*\}\}/.exec(String(s.with?.manifest ?? ''));
        if (!m) continue;
        const from = ids.get(m[1]!);
        // sign-attest reads the build's manifest; the publish step reads sign-attest's (or, unsigned, the build's).
        const allowed = a === 'sign-attest' ? ['multiarch-build'] : ['sign-attest', 'multiarch-build'];
        expect(allowed, `${file} ${name}: ${a} takes its manifest from ${from}`).toContain(from);
      }
    }
  });
});
