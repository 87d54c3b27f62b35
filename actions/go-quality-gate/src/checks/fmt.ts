/**
 * fmt: every Go file of the module formatted as gofmt writes it — or, when the module's
 * golangci-lint config enables gofumpt, as golangci-lint's formatters write it. Formatting always
 * fails (it is not judged as lint): gofmt is the language's own format, the fix is one command
 * with no change in behaviour, and a finding is per file, so "pre-existing" would hide new
 * unformatted code in an old file.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { firstChangedLine } from '../changes.js';
import { commandFailure, compileFindings, runTool } from '../command.js';
import { type Finding, hintFor } from '../findings.js';
import type { GateContext } from '../gate.js';
import { gateTool } from '../tools.js';
import { defineCheck } from './check.js';

/** Go files of the module, skipping vendor, testdata, hidden and `_` folders and nested modules. */
export async function goFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (/^[._]/.test(e.name) || e.name === 'vendor' || e.name === 'testdata') continue;
      const sub = path.join(dir, e.name);
      if (existsSync(path.join(sub, 'go.mod'))) continue;
      out.push(...(await goFiles(sub)));
    } else if (e.isFile() && e.name.endsWith('.go')) out.push(path.join(dir, e.name));
  }
  return out.sort();
}

/** The formatter a golangci-lint config enables beyond gofmt (gofumpt), if any. */
export function configuredFormatter(configText: string | undefined): 'gofumpt' | undefined {
  return configText && /\bgofumpt\b/.test(configText) ? 'gofumpt' : undefined;
}

function formatFinding(g: GateContext, file: string, diff: string, tool: string, fix: string): Finding {
  const changed = diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;
  return {
    check: 'fmt',
    class: 'format',
    severity: 'error',
    file: g.paths.rel(file),
    line: firstChangedLine(diff),
    message: `${path.basename(file)} is not ${tool}-formatted (${changed} line${changed === 1 ? '' : 's'} differ)`,
    hint: `Run \`${fix} ${g.paths.rel(file)}\` and commit the result.`,
  };
}

/** The module configures gofumpt (in .golangci.*): golangci-lint's own formatters, at its pinned version. */
async function golangciFmt(g: GateContext): Promise<Finding[]> {
  const t = await gateTool(g, 'golangci-lint', 'fmt');
  if (!('path' in t)) return [t];
  const r = await runTool(t.path, ['fmt', '--diff'], { cwd: g.cfg.workdir });
  const parts = r.stdout.split(/^diff (\S+)\.orig \S+$/m);
  const findings: Finding[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) findings.push(formatFinding(g, parts[i]!, parts[i + 1]!, 'gofumpt', 'golangci-lint fmt'));
  if (r.code !== 0 && findings.length === 0) findings.push(commandFailure('fmt', r.stderr || r.stdout));
  return findings;
}

async function gofmt(g: GateContext): Promise<Finding[]> {
  const files = await goFiles(g.cfg.workdir);
  if (files.length === 0) return [];
  const r = await runTool(g.gofmt, ['-l', '--', ...files.map((f) => path.relative(g.cfg.workdir, f))], { cwd: g.cfg.workdir });
  // gofmt parses but does not type-check: whatever it reports is a syntax error.
  const findings: Finding[] = compileFindings('fmt', r.stderr, g.paths).map((f) => ({ ...f, class: 'compile', hint: hintFor('compile') }));
  for (const f of r.stdout.split('\n').filter(Boolean)) {
    const d = await runTool(g.gofmt, ['-d', '--', f], { cwd: g.cfg.workdir });
    findings.push(formatFinding(g, f, d.stdout, 'gofmt', 'gofmt -w'));
  }
  return findings;
}

export const fmt = defineCheck({
  name: 'fmt',
  cost: 'cheap',
  byDefault: true,
  run: (g) => (configuredFormatter(g.cfg.lint.golangciText) ? golangciFmt(g) : gofmt(g)),
});
