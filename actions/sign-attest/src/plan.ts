/**
 * Every file the run will write, named and checked against core's path policy before anything is
 * signed: a bundle beside each signed file, the provenance and the public key beside the manifest,
 * the manifest itself. A target that resolves outside the workspace and RUNNER_TEMP (say, a
 * pre-placed symlink) is refused by the input that led to it.
 */
import path from 'node:path';
import { InputError } from '@goship/core/errors';
import type { Manifest, ResolvedFile } from '@goship/core/manifest';
import { describeRoots, resolveConfined } from '@goship/core/paths';
import type { Config } from './config.js';
import type { Subjects } from './subjects.js';

export const PUBLIC_KEY_NAME = 'cosign.pub';

export interface OutputPlan {
  /** Folder of the provenance and the public key: the manifest's, or the first subject's. */
  dir: string;
  bundle: (f: ResolvedFile) => string;
  rawSignature: (f: ResolvedFile) => string;
  sbomAttestation: (sbom: ResolvedFile) => string;
  provenance: string;
  publicKey: string;
}

export function provenanceName(m: Manifest | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (m) return `${m.project}_${m.version}.intoto.jsonl`;
  const repo = (env.GITHUB_REPOSITORY || 'subjects').split('/').pop()!;
  const ref = env.GITHUB_REF ?? '';
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  const version = (tag ?? env.GITHUB_SHA?.slice(0, 12) ?? 'snapshot').replace(/^v/, '');
  return `${repo}_${version}.intoto.jsonl`.replace(/[^A-Za-z0-9._+-]/g, '_');
}

export function planOutputs(cfg: Config, s: Subjects): OutputPlan {
  const dir = cfg.manifest ? path.dirname(cfg.manifest) : path.dirname(s.files[0]?.file ?? s.covered[0]?.file ?? cfg.workdir);
  const plan: OutputPlan = {
    dir,
    bundle: (f) => `${f.file}.sigstore.json`,
    rawSignature: (f) => `${f.file}.sig`,
    // `hello_linux_amd64.spdx.json` → `hello_linux_amd64.spdx.intoto.jsonl`
    sbomAttestation: (f) => `${f.file.replace(/\.json$/, '')}.intoto.jsonl`,
    provenance: path.join(dir, provenanceName(s.manifest)),
    publicKey: path.join(dir, PUBLIC_KEY_NAME),
  };
  const input = cfg.manifest ? 'manifest' : 'subjects';
  const targets = [
    ...s.files.map(plan.bundle),
    ...(cfg.rawSignatures ? s.files.map(plan.rawSignature) : []),
    ...(cfg.sbomAttestations === 'all' ? s.sboms.map((x) => plan.sbomAttestation(x.sbom)) : []),
    ...(cfg.provenance ? [plan.provenance] : []),
    ...(cfg.mode === 'key' ? [plan.publicKey] : []),
    ...(cfg.manifest ? [cfg.manifest] : []),
  ];
  for (const t of targets) {
    const { real, ok } = resolveConfined(t, { roots: cfg.roots });
    if (!ok) {
      throw new InputError(
        input,
        input === 'manifest' ? cfg.manifestInput : cfg.subjects.join(', '),
        `every output to be ${describeRoots(cfg.roots)}`,
        `${path.basename(t)} would be written at ${real}, outside both (a symlink?). Remove it, or run in a clean checkout`,
      );
    }
  }
  return plan;
}
