/**
 * golangci-lint: `golangci-lint run` with the module's own config; enabled automatically when the
 * module has one. Issues are lint-type, except `typecheck` (the package does not build).
 */
import path from 'node:path';
import { commandFailure, runTool, tagsArgs } from '../command.js';
import { type Finding, type FindingClass, classifyCompileMessage, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { gateTool } from '../tools.js';
import { defineCheck, lintClass } from './check.js';

interface GolangciIssue {
  FromLinter: string;
  Text: string;
  Severity?: string;
  Pos: { Filename: string; Line: number; Column: number };
}

export function golangciFindings(g: GateContext, stdout: string): Finding[] {
  const jsonLine = stdout.split('\n').find((l) => l.startsWith('{"Issues"'));
  if (!jsonLine) return [];
  const { Issues } = JSON.parse(jsonLine) as { Issues: GolangciIssue[] | null };
  return (Issues ?? []).map((i) => {
    const isCompile = i.FromLinter === 'typecheck';
    const cls: FindingClass = isCompile ? classifyCompileMessage(i.Text) : 'lint';
    return {
      check: 'golangci-lint',
      class: cls,
      severity: i.Severity === 'warning' || i.Severity === 'info' ? 'warning' : 'error',
      rule: i.FromLinter,
      file: g.paths.rel(i.Pos.Filename),
      line: i.Pos.Line,
      column: i.Pos.Column || undefined,
      message: `${i.FromLinter}: ${i.Text}`,
      hint: isCompile ? hintFor(cls) : hintFor('lint'),
    };
  });
}

async function runGolangci(g: GateContext): Promise<Finding[]> {
  const t = await gateTool(g, 'golangci-lint', 'golangci-lint');
  if (!('path' in t)) return [t];
  const args = [
    'run',
    '--output.json.path=stdout',
    '--show-stats=false',
    ...tagsArgs(g.cfg.buildTags, '--build-tags'),
    '--',
    ...g.cfg.packages,
  ];
  const r = await runTool(t.path, args, { cwd: g.cfg.workdir });
  const findings = golangciFindings(g, r.stdout);
  if (r.code !== 0 && findings.length === 0) findings.push(commandFailure('golangci-lint', r.stderr || r.stdout));
  return findings;
}

export const golangciLint = defineCheck({
  name: 'golangci-lint',
  cost: 'costly',
  linter: true,
  tool: 'golangci-lint',
  autoEnable: (g) => (g.cfg.lint.golangci ? `${path.basename(g.cfg.lint.golangci)} found: golangci-lint added to the checks` : undefined),
  run: runGolangci,
  classify: lintClass,
});
