/** staticcheck: `staticcheck -f json` with the module's staticcheck.conf files, if any. Its diagnostics are lint-type. */
import { commandFailure, compileFindings, runTool, tagsArgs } from '../command.js';
import { type Finding, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { gateTool } from '../tools.js';
import { defineCheck, lintClass } from './check.js';

interface StaticcheckDiag {
  code: string;
  severity: string;
  location: { file: string; line: number; column: number };
  message: string;
}

export function staticcheckFindings(g: GateContext, stdout: string): Finding[] {
  const findings: Finding[] = [];
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const d = JSON.parse(line) as StaticcheckDiag;
    if (d.code === 'compile' || !d.location.file) {
      const compiled = compileFindings('staticcheck', d.message, g.paths);
      findings.push(...(compiled.length ? compiled : [commandFailure('staticcheck', d.message)]));
      continue;
    }
    findings.push({
      check: 'staticcheck',
      class: 'lint',
      severity: d.severity === 'warning' ? 'warning' : 'error',
      rule: d.code,
      file: g.paths.rel(d.location.file),
      line: d.location.line,
      column: d.location.column,
      message: `${d.code}: ${d.message}`,
      hint: `See https://staticcheck.dev/docs/checks/#${d.code}. ${hintFor('lint')}`,
    });
  }
  return findings;
}

async function runStaticcheck(g: GateContext): Promise<Finding[]> {
  const t = await gateTool(g, 'staticcheck', 'staticcheck');
  if (!('path' in t)) return [t];
  const r = await runTool(t.path, ['-f', 'json', ...tagsArgs(g.cfg.buildTags), '--', ...g.cfg.packages], { cwd: g.cfg.workdir });
  const findings = staticcheckFindings(g, r.stdout);
  if (r.code !== 0 && findings.length === 0) findings.push(commandFailure('staticcheck', r.stderr || r.stdout));
  return findings;
}

export const staticcheck = defineCheck({
  name: 'staticcheck',
  cost: 'costly',
  byDefault: true,
  linter: true,
  tool: 'staticcheck',
  run: runStaticcheck,
  classify: lintClass,
});
