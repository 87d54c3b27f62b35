/**
 * mod: `go mod verify` (the module cache matches go.sum) and `go mod tidy -diff` (go.mod and
 * go.sum are what tidy writes). Drift always fails: it changes what gets built.
 */
import path from 'node:path';
import { firstChangedLine } from '../changes.js';
import { commandFailure, runTool } from '../command.js';
import { type Finding, type FindingClass, classifyCompileMessage, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { defineCheck } from './check.js';

function verifyFindings(g: GateContext, text: string): Finding[] {
  return text
    .split('\n')
    .filter((l) => l && !/all modules verified/.test(l))
    .map((line) => {
      const cls: FindingClass =
        /go: |cannot find|missing/.test(line) && !/has been modified|dir has been/.test(line) ? classifyCompileMessage(line) : 'module';
      const shown = cls === 'compile' ? 'module' : cls;
      return {
        check: 'mod',
        class: shown,
        severity: 'error',
        file: g.paths.rel('go.sum'),
        message: `go mod verify: ${line}`,
        hint: hintFor(shown),
      };
    });
}

const firstThree = (xs: string[]): string => `${xs.slice(0, 3).join('; ')}${xs.length > 3 ? '…' : ''}`;

/** One finding per file the tidy diff touches, at its first changed line. */
export function tidyFindings(g: GateContext, diff: string): Finding[] {
  return diff
    .split(/^diff /m)
    .filter((p) => p.trim())
    .map((part) => {
      const file = /^\+\+\+ (?:b\/)?(\S+)/m.exec(part)?.[1] ?? /^--- (?:a\/)?(\S+)/m.exec(part)?.[1] ?? 'go.mod';
      const base = path.basename(file);
      const lines = part.split('\n');
      const added = lines.filter((l) => /^\+[^+]/.test(l)).map((l) => l.slice(1).trim());
      const removed = lines.filter((l) => /^-[^-]/.test(l)).map((l) => l.slice(1).trim());
      const what = [added.length ? `add ${firstThree(added)}` : '', removed.length ? `remove ${firstThree(removed)}` : '']
        .filter(Boolean)
        .join(', ');
      return {
        check: 'mod',
        class: 'tidy' as const,
        severity: 'error' as const,
        file: g.paths.rel(base),
        line: firstChangedLine(part),
        message: `${base} is not tidy: go mod tidy would ${what || 'change it'}`,
        hint: hintFor('tidy'),
      };
    });
}

async function runMod(g: GateContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const verify = await runTool('go', ['mod', 'verify'], { cwd: g.cfg.workdir });
  if (verify.code !== 0) findings.push(...verifyFindings(g, `${verify.stdout}\n${verify.stderr}`.trim()));
  const tidy = await runTool('go', ['mod', 'tidy', '-diff'], { cwd: g.cfg.workdir });
  if (tidy.code !== 0) findings.push(...(tidy.stdout.trim() ? tidyFindings(g, tidy.stdout) : [commandFailure('mod', tidy.stderr)]));
  return findings;
}

export const mod = defineCheck({
  name: 'mod',
  cost: 'cheap',
  byDefault: true,
  run: runMod,
});
