/**
 * Attestations: one SLSA Provenance v1 statement over every subject of the release (each file of
 * the manifest and each image digest), and SBOM attestations — for each image SBOM (the SPDX
 * document multiarch-build pushed, read back from the registry and checked against its digest)
 * about the image and the platform manifest it describes, and, with `sbom-attestations: all`, for
 * each file SBOM about the archive it describes. All signed here, attached and written later.
 */
import { readFile } from 'node:fs/promises';
import { GoshipError } from '@goship/core/errors';
import type { ResolvedFile } from '@goship/core/manifest';
import { mapLimit } from '@goship/core/retry';
import { SLSA_PROVENANCE_V1, provenanceStatement, sbomPredicateType, sbomStatement, type Subject } from './provenance.js';
import { Registry } from './registry.js';
import type { Attestation, Run } from './run.js';
import { rel } from './record.js';
import { callService, signStatement } from './signing.js';
import { verifyMade } from './verify-signed.js';
import type { SbomImageSubject } from './subjects.js';

const fileSubject = (f: ResolvedFile): Subject => ({ name: f.name, digest: { sha256: f.sha256 } });
const hex = (digest: string): string => digest.slice('sha256:'.length);

export async function attest(run: Run): Promise<void> {
  if (run.cfg.provenance && (run.subjects.covered.length || run.subjects.images.length)) {
    await run.ctx.phase('Provenance (SLSA v1)', () => provenance(run));
  }
  const sboms = run.cfg.sbomAttestations === 'all' ? run.subjects.sboms : [];
  const imageSboms = run.cfg.sbomAttestations !== 'none' ? run.subjects.sbomImages : [];
  if (sboms.length + imageSboms.length) {
    await run.ctx.phase(`SBOM attestations (${sboms.length + imageSboms.length})`, async () => {
      await fileSboms(run, sboms);
      for (const a of await mapLimit(imageSboms, run.cfg.concurrency, (s) => imageSbom(run, s))) await add(run, a);
    });
  }
}

/** Keeps an attestation, verified as soon as it is made. */
async function add(run: Run, a: Attestation): Promise<void> {
  await verifyMade(run, a);
  run.attestations.push(a);
}

async function provenance(run: Run): Promise<void> {
  const { subjects, id } = run;
  const statement = provenanceStatement(
    [...subjects.covered.map(fileSubject), ...subjects.images.map((i) => ({ name: i.name, digest: { sha256: hex(i.digest) } }))],
    {
      env: process.env,
      jobWorkflowRef: typeof id.claims?.job_workflow_ref === 'string' ? id.claims.job_workflow_ref : undefined,
      manifest: subjects.manifest,
      startedOn: run.startedOn,
    },
  );
  const bundle = await signStatement(id.signer, statement, id.witness, 'the provenance');
  const example = subjects.covered[0];
  await add(run, {
    type: 'provenance',
    label: rel(run, run.plan.provenance),
    bundle,
    predicateType: SLSA_PROVENANCE_V1,
    subjects: statement.subject.map((s) => s.name ?? ''),
    path: run.plan.provenance,
    attachTo: subjects.images,
    expect: () =>
      Promise.resolve({
        type: 'statement',
        predicateTypes: [SLSA_PROVENANCE_V1],
        sha256: example?.sha256 ?? hex(subjects.images[0]!.digest),
      }),
  });
  run.ctx.log.info(`provenance: ${statement.subject.length} subject(s)`);
}

async function fileSboms(run: Run, sboms: Run['subjects']['sboms']): Promise<void> {
  for (const { sbom, describes } of sboms) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(await readFile(sbom.file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new GoshipError(
        `The SBOM ${sbom.relPath} is not JSON.`,
        'multiarch-build writes SPDX JSON; rebuild, or set `sbom-attestations: images`',
      );
    }
    const predicateType = sbomPredicateType(doc);
    if (!predicateType) {
      run.ctx.log.warning(`${sbom.relPath} is neither SPDX nor CycloneDX JSON; not attested.`);
      continue;
    }
    const bundle = await signStatement(
      run.id.signer,
      sbomStatement([fileSubject(describes)], doc, predicateType),
      run.id.witness,
      `the SBOM attestation of ${describes.name}`,
    );
    await add(run, {
      type: 'sbom',
      label: rel(run, run.plan.sbomAttestation(sbom)),
      bundle,
      predicateType,
      subjects: [describes.name],
      path: run.plan.sbomAttestation(sbom),
      sbom,
      describes: describes.name,
      attachTo: [],
      expect: () => Promise.resolve({ type: 'statement', predicateTypes: [predicateType], sha256: describes.sha256 }),
    });
  }
}

/** Reads an image SBOM back from the registry (digest-checked by the client) and attests it. */
async function imageSbom(run: Run, s: SbomImageSubject): Promise<Attestation> {
  const ref = `${s.registry}/${s.repository}@${s.digest}`;
  const policy = run.id.witness.policy;
  const reg = await Registry.open(s.registry, s.repository, run.cfg.githubToken, process.env, (m) => run.ctx.log.debug(m));
  const doc = await callService(s.registry, `the SBOM ${ref}`, policy, async () => {
    const m = await reg.getManifest(s.digest);
    const layer = m?.layers[0];
    if (!layer) throw Object.assign(new Error(`${ref} is not an SBOM artifact with a layer`), { statusCode: 404 });
    return JSON.parse((await reg.getBlob(layer.digest)).toString('utf8')) as Record<string, unknown>;
  });
  const predicateType = sbomPredicateType(doc);
  if (!predicateType) throw new GoshipError(`The image SBOM ${ref} is neither SPDX nor CycloneDX JSON.`);
  const subjects: Subject[] = [
    { name: s.image.name, digest: { sha256: hex(s.image.digest) } },
    ...(s.describes.startsWith('sha256:') ? [{ name: s.image.name, digest: { sha256: hex(s.describes) } }] : []),
  ];
  const bundle = await signStatement(
    run.id.signer,
    sbomStatement(subjects, doc, predicateType),
    run.id.witness,
    `the SBOM attestation of ${s.image.name}${s.platform ? ` (${s.platform})` : ''}`,
  );
  return {
    type: 'sbom',
    label: `${s.image.name}@${s.image.digest} SBOM${s.platform ? ` ${s.platform}` : ''}`,
    bundle,
    predicateType,
    subjects: [`${s.image.name}@${s.image.digest}`],
    describes: s.artifact.name,
    attachTo: [s.image],
    expect: () => Promise.resolve({ type: 'statement', predicateTypes: [predicateType], sha256: hex(s.image.digest) }),
  };
}
