/**
 * The step's outputs (written once, here) and its job summary.
 */
import { notAppliedLines } from '@goship/core/config-input';
import { Summary } from '@goship/core/summary';
import type { Config } from './config.js';
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

/** What the run takes from the GoReleaser file, and each key of its sections it does not apply. */
export function fileLog(cfg: Pick<Config, 'file' | 'sign' | 'sbomAttestations'>): string[] {
  const f = cfg.file;
  if (!f) return [];
  const took = [
    ...(f.sign ? [`sign: ${[...f.sign].join(', ')}`] : []),
    ...(f.sbomAttestations
      ? [`sbom-attestations: ${f.sbomAttestations} (SBOMs of ${[...(f.sbomDescribes ?? [])].join(', ') || 'nothing'})`]
      : []),
  ];
  return [
    `Using ${f.file} (signs and sboms; inputs given in the step override it)${took.length ? `: ${took.join('; ')}` : ''}.`,
    ...notAppliedLines(f.file, f.notApplied),
  ];
}

function notAppliedSummary(cfg: Pick<Config, 'file'>, s: Summary): void {
  const f = cfg.file;
  if (!f) return;
  if (f.notApplied.length === 0) {
    s.text(`\`${f.file}\`: every key sign-attest reads (signs, sboms) is applied.`);
    return;
  }
  s.heading(`Not applied from ${f.file}`, 3);
  s.table(
    ['key', 'where', 'why'],
    f.notApplied.map((n) => [`\`${n.key}\``, n.where, n.reason]),
  );
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
  notAppliedSummary(run.cfg, s);
  return s;
}
