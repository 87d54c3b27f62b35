import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../packages/testkit/src/fixtures.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const execFileP = promisify(execFile);
const files = [
  ...readdirSync(path.join(repoRoot, '.github', 'workflows')).map((f) => path.join('.github', 'workflows', f)),
  ...readdirSync(path.join(repoRoot, 'examples', 'workflows')).map((f) => path.join('examples', 'workflows', f)),
].filter((f) => /\.ya?ml$/.test(f));

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function stepsOf(file: string): Step[] {
  const wf = parse(readFileSync(path.join(repoRoot, file), 'utf8')) as { jobs: Record<string, { steps?: Step[] }> };
  return Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
}

describe('workflows', () => {
  it('actionlint accepts every workflow and example', async () => {
    const actionlint = path.join(repoRoot, '.tools', 'bin', 'actionlint');
    const r = await execFileP(actionlint, ['-color=false', ...files], { cwd: repoRoot }).catch((e: { stdout: string; code: number }) => e);
    expect('code' in r ? r.stdout : '').toBe('');
  });

  it.each(files)('%s passes only inputs that goship actions declare', (file) => {
    for (const step of stepsOf(file)) {
      const m = /^(?:OWNER\/goship\/|\.\/)actions\/([a-z-]+)(?:@v1)?$/.exec(step.uses ?? '');
      if (!m) continue;
      const yml = path.join(repoRoot, 'actions', m[1]!, 'action.yml');
      expect(existsSync(yml), `${file}: ${step.uses} has no action.yml`).toBe(true);
      const declared = Object.keys((parse(readFileSync(yml, 'utf8')) as { inputs?: object }).inputs ?? {});
      for (const key of Object.keys(step.with ?? {})) {
        expect(declared, `${file}: ${step.uses} has no input "${key}"`).toContain(key);
      }
    }
  });
});
