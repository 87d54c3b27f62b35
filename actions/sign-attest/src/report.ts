/**
 * The step's outputs (written once, here) and its job summary.
 */
import { Summary } from '@goship/core/summary';
import type { Run } from './run.js';
import { rel } from './record.js';

const short = (hex: string): string => `sha256:${hex.slice(0, 12)}…`;

export function outputsOf(run: Run): Record<string, string> {
  const prov = run.attestations.find((a) => a.type === 'provenance' && a.path);
  return {
    bundles: JSON.stringify(Object.fromEntries(run.files.map((f) => [f.subject.name, rel(run, f.path)]))),
    provenance: prov ? rel(run, prov.path!) : '',
    attestations: JSON.stringify(
      run.attestations.map((a) => ({
        type: a.type,
        predicateType: a.predicateType,
        subjects: a.subjects,
        ...(a.path ? { path: rel(run, a.path) } : {}),
        ...(a.referrers?.length ? { referrers: a.referrers } : {}),
        ...(a.github ? a.github : {}),
      })),
    ),
    verified: String(run.verified === true),
    manifest: run.cfg.manifest ? run.cfg.manifestInput : '',
    'public-key': run.id.mode === 'key' ? rel(run, run.plan.publicKey) : '',
  };
}

export function summaryOf(run: Run): Summary {
  const who = run.id.mode === 'key' ? 'Key mode (ECDSA P-256)' : `Keyless: ${run.id.san ?? '?'}`;
  const s = new Summary()
    .heading('sign-attest')
    .text(
      `${who} · transparency log ${run.cfg.tlog ? 'on' : 'off'}${run.cfg.tsaURL ? ' · RFC 3161 timestamps' : ''} · ${run.verified ? 'all verified ✅' : 'not verified ⚠️'}`,
    );
  const rows = [
    ...run.files.map((f) => [
      f.subject.name,
      short(f.subject.sha256),
      rel(run, f.path),
      f.bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? '—',
      f.verified ? '✅' : '—',
    ]),
    ...run.images.map((i) => [
      `${i.target.registry}/${i.target.repository}`,
      short(i.target.digest.slice(7)),
      `${i.tag ?? ''} + referrer`,
      i.legacy.bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? '—',
      i.legacy.verified && i.referrer.verified ? '✅' : '—',
    ]),
  ];
  if (rows.length) s.table(['signed', 'digest', 'signature', 'log index', 'verified'], rows);
  if (run.attestations.length) {
    s.table(
      ['attestation', 'subjects', 'where', 'GitHub', 'verified'],
      run.attestations.map((a) => [
        a.type === 'provenance' ? 'SLSA provenance v1' : `SBOM (${a.predicateType})`,
        a.subjects.length === 1 ? a.subjects[0] : `${a.subjects.length} subjects`,
        [a.path ? rel(run, a.path) : '', ...(a.attachTo.length ? [`${a.attachTo.length} image(s): .att + referrer`] : [])]
          .filter(Boolean)
          .join('; '),
        a.github?.url ?? '—',
        a.verified ? '✅' : '—',
      ]),
    );
  }
  return s;
}
