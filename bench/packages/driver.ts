/**
 * The goship side of the packages benchmark: multiarch-build's packaging modules on prebuilt
 * binaries (the same code the bundle runs), one sample per process so GNU time can count the
 * CPU of nFPM's children. Bundled with ncc by run.mjs. Input: GOSHIP_BENCH (JSON); prints the
 * package names.
 */
import { Inputs } from '../../packages/core/src/action/inputs.js';
import { makePackages, readPackageSettings, resolveMetadata, verifyBuilt } from '../../actions/multiarch-build/src/packages/step.js';
import type { BinaryRec } from '../../actions/multiarch-build/src/package.js';

interface Job {
  workdir: string;
  dist: string;
  tmp: string;
  nfpm: string;
  commit: string;
  bins: BinaryRec[];
  inputs: Record<string, string>;
  verify: boolean;
}

const job = JSON.parse(process.env.GOSHIP_BENCH ?? '{}') as Job;
const settings = readPackageSettings(Inputs.of(job.inputs), { workdir: job.workdir, platforms: job.bins });
const c = {
  workdir: job.workdir,
  toplevel: job.workdir,
  module: 'example.com/hello',
  project: 'hello',
  version: '1.2.3',
  tag: 'v1.2.3',
  commit: job.commit,
};
const meta = await resolveMetadata(settings, c);
const made = await makePackages(
  settings,
  meta,
  { ...c, dist: job.dist, tmp: job.tmp, commitTime: '2026-01-01T00:00:00Z', staticBinaries: true, warn: (m) => console.error(m) },
  job.bins,
  { sbom: 'none', nfpm: { bin: job.nfpm } },
);
if (job.verify) await verifyBuilt(made.built);
console.log(JSON.stringify(made.built.map((p) => p.artifact.name)));
