/**
 * A small offline Go vulnerability database in the layout govulncheck reads (the v1 API of
 * https://go.dev/security/vuln/database): `index/db.json`, `index/modules.json`, `index/vulns.json`
 * and one OSV entry per advisory in `ID/<id>.json`. Every file is also written gzipped
 * (`*.json.gz`), which is what govulncheck asks for over HTTP, so the folder can be served as is.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from './fixtures.js';

export interface Advisory {
  /** `GO-YYYY-NNNN`. */
  id: string;
  module: string;
  /** Affected package inside the module (default: the module path). */
  package?: string;
  /** Vulnerable symbols (`Func`, `Type.Method`); empty means the whole package. */
  symbols?: string[];
  /** First affected version without the `v` (default `0`). */
  introduced?: string;
  /** First fixed version without the `v`; absent when there is no fix. */
  fixed?: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  /** RFC 3339; the database's modified time is the newest of these. */
  modified?: string;
  published?: string;
}

export interface VulnDb {
  dir: string;
  /** `file://` URL for govulncheck's `-db` flag. */
  url: string;
}

const DEFAULT_TIME = '2026-01-01T00:00:00Z';

export function osvEntry(a: Advisory): Record<string, unknown> {
  const events: Record<string, string>[] = [{ introduced: a.introduced ?? '0' }];
  if (a.fixed) events.push({ fixed: a.fixed });
  return {
    schema_version: '1.3.1',
    id: a.id,
    modified: a.modified ?? DEFAULT_TIME,
    published: a.published ?? a.modified ?? DEFAULT_TIME,
    aliases: a.aliases ?? [],
    summary: a.summary ?? `Test advisory ${a.id} in ${a.module}`,
    details: a.details ?? `A test advisory against ${a.package ?? a.module}, written by goship's testkit.`,
    affected: [
      {
        package: { name: a.module, ecosystem: 'Go' },
        ranges: [{ type: 'SEMVER', events }],
        ecosystem_specific: {
          imports: [{ path: a.package ?? a.module, ...(a.symbols?.length ? { symbols: a.symbols } : {}) }],
        },
      },
    ],
    references: [{ type: 'WEB', url: `https://pkg.go.dev/vuln/${a.id}` }],
    database_specific: { url: `https://pkg.go.dev/vuln/${a.id}` },
  };
}

async function put(dir: string, rel: string, value: unknown): Promise<void> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  const body = Buffer.from(JSON.stringify(value));
  await writeFile(`${file}.json`, body);
  await writeFile(`${file}.json.gz`, gzipSync(body));
}

/** Writes the database into `dir` (default: a new temp folder). */
export async function buildVulnDb(advisories: readonly Advisory[], dir?: string): Promise<VulnDb> {
  const root = dir ?? (await tempDir('goship-vulndb-'));
  const modified = (a: Advisory): string => a.modified ?? DEFAULT_TIME;
  const newest = advisories.map(modified).sort().at(-1) ?? DEFAULT_TIME;
  await put(root, 'index/db', { modified: newest });
  const modules = new Map<string, { id: string; modified: string; fixed?: string }[]>();
  for (const a of advisories) {
    const list = modules.get(a.module) ?? [];
    list.push({ id: a.id, modified: modified(a), ...(a.fixed ? { fixed: a.fixed } : {}) });
    modules.set(a.module, list);
  }
  await put(
    root,
    'index/modules',
    [...modules.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([p, vulns]) => ({ path: p, vulns: vulns.sort((x, y) => x.id.localeCompare(y.id)) })),
  );
  await put(
    root,
    'index/vulns',
    advisories.map((a) => ({ id: a.id, modified: modified(a), aliases: a.aliases ?? [] })),
  );
  for (const a of advisories) await put(root, `ID/${a.id}`, osvEntry(a));
  return { dir: root, url: `file://${root}` };
}
