/**
 * The pinned checking tools: installed with `go install module@version` (sums verified by the Go
 * checksum database) into the runner's tool cache, and checked up front against the module's `go`
 * line — a linter built with an older Go than the module targets cannot type-check it.
 */
import { GoshipError } from '@goship/core/errors';
import { buildInfo, compareGoVersions, parseGoVersion } from '@goship/core/go';
import { installGoTool } from '@goship/core/tools';
import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { type Finding, hintFor } from './findings.js';
import type { GateContext } from './gate.js';

export const TOOL_MODULES = {
  staticcheck: 'honnef.co/go/tools/cmd/staticcheck',
  'golangci-lint': 'github.com/golangci/golangci-lint/v2/cmd/golangci-lint',
  govulncheck: 'golang.org/x/vuln/cmd/govulncheck',
} as const;
export type ToolName = keyof typeof TOOL_MODULES;

export interface InstalledTool {
  name: ToolName;
  version: string;
  path: string;
  /** Go version the binary was built with, e.g. `1.26.8`. */
  builtWith?: string;
}

/**
 * Explains a tool that was built with an older Go than the module's `go` line, or undefined when
 * it is fine. All three load packages through go/packages, which refuses a module that needs a
 * newer Go than the tool's own (staticcheck and govulncheck: "go.mod requires go >= …";
 * golangci-lint: "the Go language version used to build golangci-lint is lower than the targeted
 * Go version").
 */
export function toolGoMismatch(tool: InstalledTool, moduleGo: string | undefined, goOnPath: string): string | undefined {
  if (!moduleGo || !tool.builtWith) return undefined;
  if (!parseGoVersion(moduleGo) || !parseGoVersion(tool.builtWith)) return undefined;
  const toolMinor = tool.builtWith.split('.').slice(0, 2).join('.');
  const modMinor = moduleGo.split('.').slice(0, 2).join('.');
  if (compareGoVersions(toolMinor, modMinor) >= 0) return undefined;
  return (
    `${tool.name} ${tool.version} was built with Go ${tool.builtWith}, older than the module's \`go ${moduleGo}\` line: ` +
    `it cannot load code for a newer Go (golangci-lint says "the Go language version used to build golangci-lint is lower than the targeted Go version"). ` +
    (compareGoVersions(goOnPath, moduleGo) >= 0
      ? `Remove ${tool.name} ${tool.version} from the tool cache so it is rebuilt with the Go on PATH (${goOnPath}), or pin a newer \`${tool.name}-version\`.`
      : `Set up Go ${moduleGo} or newer before this step (the Go on PATH is ${goOnPath}) and pin a \`${tool.name}-version\` built with it.`)
  );
}

export async function installTool(name: ToolName, version: string): Promise<InstalledTool> {
  const path = await installGoTool({ name, module: TOOL_MODULES[name], version });
  let builtWith: string | undefined;
  try {
    builtWith = (await buildInfo(path)).GoVersion.replace(/^go/, '');
  } catch (e) {
    throw new GoshipError(
      `${name} at ${path} is not a Go binary with build info: ${(e as Error).message}`,
      'Clear the tool cache entry and re-run',
    );
  }
  return { name, version, path, builtWith };
}

/** go.mod's `go` line number, where a tool mismatch is annotated. */
function goLine(moduleDir: string): number | undefined {
  try {
    const idx = readFileSync(nodePath.join(moduleDir, 'go.mod'), 'utf8')
      .split('\n')
      .findIndex((l) => /^go\s+\d/.test(l));
    return idx >= 0 ? idx + 1 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tool for a check: installed once per run (two checks may want it at the same time), or a
 * `tool` finding when it was built with an older Go than the module targets.
 */
export async function gateTool(g: GateContext, name: ToolName, check: string): Promise<InstalledTool | Finding> {
  let p = g.installs.get(name);
  if (!p) g.installs.set(name, (p = installTool(name, g.cfg.versions[name])));
  const t = await p;
  g.tools[name] = t;
  const mismatch = toolGoMismatch(t, g.moduleGo, g.goVersion);
  if (!mismatch) return t;
  return {
    check,
    class: 'tool',
    severity: 'error',
    file: g.paths.rel('go.mod'),
    line: goLine(g.cfg.workdir),
    message: mismatch,
    hint: hintFor('tool'),
  };
}
