/** Validators for the SBOMs: the vendored CycloneDX 1.6 schema and goship's SPDX 2.3 schema (see schemas/README.md). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (f: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(here, 'schemas', f), 'utf8')) as Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;

let cdx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function cyclonedxValidator(): ValidateFunction {
  if (!cdx) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // formats ajv-formats lacks: checked loosely (no whitespace)
    ajv.addFormat('iri-reference', /^\S*$/);
    ajv.addFormat('idn-email', /^\S+@\S+$/);
    ajv.addSchema(load('spdx.schema.json'), 'spdx.schema.json');
    ajv.addSchema(load('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
    cdx = ajv.compile(load('bom-1.6.schema.json'));
  }
  return cdx;
}

export function spdxValidator(): ValidateFunction {
  if (!spdx) {
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    spdx = ajv.compile(load('spdx-2.3-required.schema.json'));
  }
  return spdx;
}

/** Problems beyond the schema: unique ids, relationships between existing elements, a DESCRIBES. */
export function spdxSemanticProblems(doc: {
  packages?: { SPDXID: string }[];
  relationships?: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}): string[] {
  const problems: string[] = [];
  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  for (const p of doc.packages ?? []) {
    if (ids.has(p.SPDXID)) problems.push(`duplicate SPDXID ${p.SPDXID}`);
    ids.add(p.SPDXID);
  }
  for (const r of doc.relationships ?? []) {
    if (!ids.has(r.spdxElementId)) problems.push(`relationship from unknown ${r.spdxElementId}`);
    if (!ids.has(r.relatedSpdxElement)) problems.push(`relationship to unknown ${r.relatedSpdxElement}`);
  }
  if (!(doc.relationships ?? []).some((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES'))
    problems.push('no DESCRIBES relationship');
  return problems;
}

export function errorsOf(v: ValidateFunction): string {
  return JSON.stringify(v.errors?.slice(0, 10), null, 1);
}
