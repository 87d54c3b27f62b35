/**
 * What sign-attest takes from a module's `.goreleaser.yaml`: `signs` entries that run cosign give
 * the kinds to sign (GoReleaser's `artifacts` onto sign-attest's `sign`), `sboms` entries give
 * which SBOMs multiarch-build wrote are attested (by the kind of artifact they describe). An input
 * given in the step wins over the file; a file without the section keeps goship's default. What
 * does not fit goship's model — another signer (gpg), a signature name other than the
 * `<artifact>.sigstore.json` bundle, `ids` — is listed as not applied, with why.
 */
import type { Inputs } from '@goship/core/action';
import { type NotApplied, type Sign, fileLine } from '@goship/core/config';
import { type LoadedConfig, type Signer, notAppliedIn, signersOf } from '@goship/core/config-input';
import type { ArtifactKind } from '@goship/core/manifest';
import path from 'node:path';
import type { SbomAttestations, SignKind } from './config.js';

/** The sections whose not-applied keys this action reports. */
export const SECTIONS = ['signs', 'sboms', 'docker_signs', 'binary_signs', 'notarize'] as const;

/** GoReleaser's `signs[].artifacts` in sign-attest's kinds (`all` is GoReleaser's: what a release uploads). */
const SIGNS_ARTIFACTS: Readonly<Record<string, readonly SignKind[]>> = {
  checksum: ['checksums'],
  archive: ['archives'],
  binary: ['binaries'],
  package: ['packages'],
  sbom: ['sboms'],
  all: ['checksums', 'archives', 'packages', 'sboms'],
  none: [],
};

/** GoReleaser's `sboms[].artifacts`: the kind of artifact an SBOM describes. */
const SBOMS_ARTIFACTS: Readonly<Record<string, readonly ArtifactKind[]>> = {
  archive: ['archive'],
  binary: ['binary'],
  package: ['package'],
  any: ['archive', 'binary', 'package'],
  none: [],
};

/** Signature names that are the bundle sign-attest writes beside each file. */
const BUNDLE_NAME = /^\s*(\$\{artifact\}|\{\{-?\s*\.Env\.artifact\s*-?\}\})\.sigstore\.json\s*$/;

export interface FileSigning {
  /** The file as shown in messages. */
  file: string;
  /** Kinds to sign, when `sign` is not given and the file has cosign `signs`. */
  sign?: Set<SignKind>;
  /** `all` when `sbom-attestations` is not given and the file has `sboms`. */
  sbomAttestations?: SbomAttestations;
  /** Only SBOMs describing these kinds get a file attestation (from `sboms[].artifacts`). */
  sbomDescribes?: Set<ArtifactKind>;
  notApplied: NotApplied[];
}

type Entry = Sign & Signer;
const isCosign = (s: Entry): boolean => s.cmd !== undefined && path.basename(s.cmd.trim()) === 'cosign';

export function fileSigning(gr: LoadedConfig, inputs: Inputs): FileSigning {
  const signers = signersOf(gr);
  const signs: Entry[] = gr.signs.map((s, i) => ({ ...s, cmd: signers[i]?.cmd, signature: signers[i]?.signature }));
  const rows: NotApplied[] = [...notAppliedIn(gr, SECTIONS)];
  const row = (key: string, reason: string): void => {
    rows.push({ key, where: fileLine(gr.where(key)), reason });
  };
  const drop = (key: string): void => {
    const i = rows.findIndex((r) => r.key === key);
    if (i >= 0) rows.splice(i, 1);
  };
  const out: FileSigning = { file: gr.file, notApplied: rows };

  const cosign = signs.filter(isCosign);
  for (const s of signs.filter((x) => !isCosign(x) && x.cmd !== undefined)) {
    row(s.key, `a \`${path.basename(s.cmd!.trim())}\` signer: no such signature is made (sign-attest signs with Sigstore only)`);
  }
  if (cosign.length && inputs.string('sign') !== '') {
    row('signs', 'the input `sign` is given and overrides it');
  } else if (cosign.length) {
    const kinds = new Set<SignKind>(['images']); // images are multiarch-build's, signed as goship signs them
    for (const s of cosign) {
      const mapped = SIGNS_ARTIFACTS[s.artifacts];
      if (!mapped)
        row(`${s.key}.artifacts`, `sign-attest signs checksums, archives, binaries, packages, SBOMs and images; not \`${s.artifacts}\``);
      else for (const k of mapped) kinds.add(k);
      if (s.ids.length) row(`${s.key}.ids`, 'sign-attest signs every artifact of a kind, not by build or archive id');
      if (s.signature && BUNDLE_NAME.test(s.signature.text)) drop(`${s.key}.signature`);
    }
    out.sign = kinds;
  }

  const sboms = gr.sboms.filter((s) => s.disable?.text.trim() !== 'true');
  for (const s of sboms) {
    if (s.disable) row(`${s.key}.disable`, 'a templated `disable` is not rendered here: the entry is applied');
    if (s.ids.length) row(`${s.key}.ids`, 'sign-attest attests the SBOMs of every artifact of a kind, not by id');
    if (!SBOMS_ARTIFACTS[s.artifacts])
      row(`${s.key}.artifacts`, `multiarch-build writes SBOMs of archives, binaries and packages; not \`${s.artifacts}\``);
  }
  if (sboms.length && inputs.string('sbom-attestations') !== '') {
    row('sboms', 'the input `sbom-attestations` is given and overrides it');
  } else if (sboms.length) {
    out.sbomAttestations = 'all';
    out.sbomDescribes = new Set(sboms.flatMap((s) => SBOMS_ARTIFACTS[s.artifacts] ?? []));
  }
  return out;
}
