/**
 * The step's outputs, all of them from one result: main hands this record to `ctx.outputs` once.
 * Image outputs are there only when an image was published.
 */
import { realOrResolved } from '@goship/core/paths';
import type { Config } from './config.js';
import { posixRel } from './dist.js';
import type { Result } from './pipeline.js';
import { platformOf } from './targets.js';

/** `binaries`: each binary of the manifest, with its build time when this job built it. */
function binariesOf(r: Result): Record<string, unknown>[] {
  const seconds = new Map(r.built.map((b) => [`${b.target.main.importPath}@${b.target.platformName}`, b.seconds]));
  return r.manifest.artifacts
    .filter((a) => a.kind === 'binary')
    .map((a) => {
      const s = seconds.get(`${a.main}@${platformOf(a)}`);
      return {
        name: a.name,
        main: a.main,
        platform: platformOf(a),
        path: a.path,
        sha256: a.sha256,
        size: a.size,
        ...(s === undefined ? {} : { seconds: Math.round(s * 10) / 10 }),
      };
    });
}

export function outputsOf(cfg: Pick<Config, 'manifest'>, r: Result, cwd = process.cwd()): Record<string, string> {
  const out: Record<string, string> = {
    artifacts: JSON.stringify(r.manifest.artifacts),
    manifest: posixRel(realOrResolved(cwd), cfg.manifest) || cfg.manifest,
    checksums: r.checksums?.path ?? '',
    version: r.manifest.version,
    binaries: JSON.stringify(binariesOf(r)),
    reproducible: r.reproducible,
    'build-seconds': r.buildSeconds.toFixed(1),
  };
  if (r.image) {
    Object.assign(out, {
      image: r.image.ref,
      digest: r.image.digest,
      'image-platforms': JSON.stringify(r.image.platforms),
      'image-tags': JSON.stringify(r.image.tags),
    });
  }
  return out;
}
