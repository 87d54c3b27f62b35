/**
 * vet: `go vet -json` over the package patterns. Analyzer diagnostics and type errors always fail:
 * vet ships with Go and reports likely bugs, not style.
 */
import { commandFailure, compileFindings, runTool, tagsArgs } from '../command.js';
import { type Finding, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { defineCheck } from './check.js';

interface VetDiag {
  posn: string;
  message: string;
}

/** go vet -json writes one JSON object per package, between compiler text lines. */
export function parseVetJson(text: string): { analyzer: string; diag: VetDiag }[] {
  const out: { analyzer: string; diag: VetDiag }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    let j = i;
    while (j < lines.length && lines[j] !== '}') j++;
    try {
      const obj = JSON.parse(lines.slice(i, j + 1).join('\n')) as Record<string, Record<string, unknown>>;
      for (const analyzers of Object.values(obj)) {
        for (const [analyzer, diags] of Object.entries(analyzers)) {
          if (Array.isArray(diags)) for (const d of diags as VetDiag[]) out.push({ analyzer, diag: d });
        }
      }
    } catch {
      // not a JSON block
    }
    i = j;
  }
  return out;
}

async function runVet(g: GateContext): Promise<Finding[]> {
  // `--`: what follows is read as packages only, never as a flag.
  const r = await runTool('go', ['vet', '-json', ...tagsArgs(g.cfg.buildTags), '--', ...g.cfg.packages], { cwd: g.cfg.workdir });
  const findings: Finding[] = [];
  // go vet -json prints the diagnostics to stdout (older Go: stderr); compiler errors go to stderr.
  for (const { analyzer, diag } of parseVetJson(`${r.stdout}\n${r.stderr}`)) {
    const m = /^(.*\.go):(\d+)(?::(\d+))?$/.exec(diag.posn);
    findings.push({
      check: 'vet',
      class: 'vet',
      severity: 'error',
      rule: analyzer,
      file: m ? g.paths.rel(m[1]!) : undefined,
      line: m ? Number(m[2]) : undefined,
      column: m?.[3] ? Number(m[3]) : undefined,
      message: `${analyzer}: ${diag.message}`,
      hint: hintFor('vet'),
    });
  }
  const textPart = r.stderr
    .split('\n')
    .filter((l) => /^(vet: )?\S+\.go:\d+/.test(l))
    .join('\n');
  findings.push(...compileFindings('vet', textPart, g.paths));
  if (r.code !== 0 && findings.length === 0) findings.push(commandFailure('vet', r.stderr || r.stdout));
  return findings;
}

export const vet = defineCheck({
  name: 'vet',
  cost: 'cheap',
  byDefault: true,
  run: runVet,
});
