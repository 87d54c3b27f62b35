/**
 * govulncheck's JSON stream (protocol v1.0.0): OSV entries and findings whose trace says how far
 * the vulnerability reaches — a called symbol (trace[0].function), an imported package
 * (trace[0].package) or only a required module.
 */
import { parseJSONStream } from '@goship/core/go';
import type { VulnPolicy } from './config.js';
import { type Finding, type PathMapper, hintFor } from './findings.js';

interface Frame {
  module: string;
  version?: string;
  package?: string;
  function?: string;
  receiver?: string;
  position?: { filename?: string; line?: number; column?: number };
}

interface Message {
  config?: { go_version?: string; db?: string; scanner_version?: string };
  osv?: { id: string; summary?: string; details?: string; aliases?: string[] };
  finding?: { osv: string; fixed_version?: string; trace: Frame[] };
}

export type Reach = 'called' | 'imported' | 'required';

export interface Vuln {
  id: string;
  aliases: string[];
  summary: string;
  module: string;
  found: string;
  fixed: string;
  reach: Reach;
  /** For called vulnerabilities: the symbol and where the module calls into it. */
  symbol?: string;
  callSite?: { file: string; line?: number; column?: number };
}

const REACH_RANK: Record<Reach, number> = { called: 0, imported: 1, required: 2 };

export function parseGovulncheck(text: string, mainModule: string): { vulns: Vuln[]; goVersion?: string } {
  const msgs = parseJSONStream<Message>(text);
  const osv = new Map<string, NonNullable<Message['osv']>>();
  let goVersion: string | undefined;
  const byId = new Map<string, Vuln>();
  for (const m of msgs) {
    if (m.config?.go_version) goVersion = m.config.go_version;
    if (m.osv) osv.set(m.osv.id, m.osv);
  }
  for (const m of msgs) {
    const f = m.finding;
    if (!f || !f.trace?.length) continue;
    const top = f.trace[0]!;
    const reach: Reach = top.function ? 'called' : top.package ? 'imported' : 'required';
    const entry = osv.get(f.osv);
    const prev = byId.get(f.osv);
    if (prev && REACH_RANK[prev.reach] <= REACH_RANK[reach]) continue;
    const v: Vuln = {
      id: f.osv,
      aliases: entry?.aliases ?? [],
      summary: entry?.summary ?? entry?.details?.split('\n')[0] ?? '',
      module: top.module,
      found: top.version ?? '',
      fixed: f.fixed_version ?? '',
      reach,
    };
    if (reach === 'called') {
      v.symbol = `${top.package}.${top.receiver ? `${top.receiver.replace(/^\*/, '')}.` : ''}${top.function}`;
      // The frame closest to the user's code that belongs to the main module.
      const own = [...f.trace].reverse().find((fr) => fr.module === mainModule && fr.position?.filename);
      if (own?.position?.filename) v.callSite = { file: own.position.filename, line: own.position.line, column: own.position.column };
    }
    byId.set(f.osv, v);
  }
  const vulns = [...byId.values()].sort((a, b) => REACH_RANK[a.reach] - REACH_RANK[b.reach] || a.id.localeCompare(b.id));
  return { vulns, goVersion };
}

export function failsPolicy(v: Vuln, policy: VulnPolicy): boolean {
  if (policy === 'none') return false;
  if (policy === 'any') return true;
  return v.reach === 'called';
}

export function vulnFindings(vulns: readonly Vuln[], policy: VulnPolicy, paths: PathMapper): Finding[] {
  return vulns.map((v) => {
    const fixed = v.fixed ? `fixed in ${v.fixed}` : 'no fix yet';
    const where =
      v.reach === 'called' ? `calls ${v.symbol}` : v.reach === 'imported' ? 'imports a vulnerable package' : 'requires the module';
    const fix = v.fixed ? `go get ${v.module === 'stdlib' ? 'go' : v.module}@${v.fixed}` : '';
    return {
      check: 'vuln',
      class: 'vuln' as const,
      severity: failsPolicy(v, policy) ? ('error' as const) : ('warning' as const),
      rule: v.id,
      order: REACH_RANK[v.reach],
      file: v.callSite ? paths.rel(v.callSite.file) : 'go.mod',
      line: v.callSite?.line,
      column: v.callSite?.column,
      message:
        `${v.id}${v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}: ${v.module}@${v.found} ${where}; ${fixed}. ${v.summary}`.trim(),
      hint:
        fix && v.module !== 'stdlib'
          ? `Run \`${fix}\` and commit go.mod and go.sum.`
          : v.module === 'stdlib'
            ? `Build with Go ${v.fixed} or newer.`
            : hintFor('vuln'),
    };
  });
}
