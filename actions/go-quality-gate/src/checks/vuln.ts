/**
 * vuln: govulncheck over the package patterns, with the result cached while nothing it depends on
 * changed. Vulnerabilities fail per `fail-on-vuln` (called ones by default), never judged as lint.
 */
import { output } from '@goship/core/exec';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { commandFailure, compileFindings, runTool, tagsArgs } from '../command.js';
import type { Finding } from '../findings.js';
import type { GateContext } from '../gate.js';
import { failsPolicy, parseGovulncheck, vulnFindings } from '../govulncheck.js';
import { type InstalledTool, gateTool } from '../tools.js';
import { cacheKey, dbModified, hasLocalReplace, vulnCache } from '../vulncache.js';
import { defineCheck } from './check.js';

const UNREACHABLE_DB = /vulndb|vuln\.go\.dev|fetching vulnerabilities|dial tcp|no such host|connection refused|TLS handshake|i\/o timeout/i;

async function vulnCacheKey(g: GateContext, t: InstalledTool, args: string[]): Promise<string | undefined> {
  const goMod = await readFile(path.join(g.cfg.workdir, 'go.mod'), 'utf8');
  if (hasLocalReplace(goMod)) return undefined;
  const env = JSON.parse(
    await output('go', ['env', '-json', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'GOFLAGS', 'GOWORK', 'GOEXPERIMENT'], { cwd: g.cfg.workdir }),
  ) as Record<string, string>;
  if (env.GOWORK && env.GOWORK !== 'off') return undefined;
  const db = await dbModified(g.cfg.vulnDb);
  if (!db) return undefined;
  return cacheKey({ moduleDir: g.cfg.workdir, toolVersion: t.version, toolGo: t.builtWith, goVersion: g.goVersion, goEnv: env, args, db });
}

/** govulncheck's JSON stream, or the findings that say why it could not run. */
async function scan(g: GateContext, t: InstalledTool, args: string[]): Promise<string | Finding[]> {
  const r = await runTool(t.path, args, { cwd: g.cfg.workdir });
  if (r.code === 0) return r.stdout;
  const compiled = compileFindings('vuln', r.stderr, g.paths);
  if (compiled.length) return compiled;
  const f = commandFailure('vuln', r.stderr || r.stdout);
  if (f.class === 'tool' && UNREACHABLE_DB.test(f.message)) {
    f.hint = `The vulnerability database ${g.cfg.vulnDb ?? 'https://vuln.go.dev'} could not be read: set \`vuln-db\` to a reachable mirror, a file:// URL or a folder with an offline copy.`;
  }
  return [f];
}

async function runVuln(g: GateContext): Promise<Finding[]> {
  const t = await gateTool(g, 'govulncheck', 'vuln');
  if (!('path' in t)) return [t];
  const args = ['-json', ...(g.cfg.vulnDb ? ['-db', g.cfg.vulnDb] : []), ...tagsArgs(g.cfg.buildTags), '--', ...g.cfg.packages];
  const key = await vulnCacheKey(g, t, args);
  let out = key ? await vulnCache.read(key) : undefined;
  if (out !== undefined) {
    g.log.info(
      `govulncheck: result from the cache (${vulnCache.dir()}, key ${key!.slice(0, 12)}): sources, go.sum, Go, tool and database unchanged`,
    );
  } else {
    const scanned = await scan(g, t, args);
    if (typeof scanned !== 'string') return scanned;
    out = scanned;
    if (key) await vulnCache.write(key, out, g.log);
  }
  g.vulns = parseGovulncheck(out, g.modulePath).vulns;
  return vulnFindings(g.vulns, g.cfg.failOnVuln, g.paths);
}

export const vuln = defineCheck({
  name: 'vuln',
  cost: 'longest',
  byDefault: true,
  tool: 'govulncheck',
  run: runVuln,
  status: (g, findings) =>
    (g.vulns ?? []).some((v) => failsPolicy(v, g.cfg.failOnVuln)) || findings.some((f) => f.class !== 'vuln' && f.severity === 'error')
      ? 'failed'
      : 'passed',
  note: (g) => {
    const v = g.vulns ?? [];
    return `${v.filter((x) => x.reach === 'called').length} called, ${v.filter((x) => x.reach !== 'called').length} imported/required (fail-on-vuln: ${g.cfg.failOnVuln})`;
  },
});
