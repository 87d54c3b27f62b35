/**
 * The job summary, all of it from one result: main hands it to `ctx.summary` once. Binaries and
 * release files with sizes and digests, the proof, the image with its platforms and SBOMs, phases.
 */
import type { PhaseTiming } from '@goship/core/action';
import { formatBytes, formatMs, phaseTable, Summary } from '@goship/core/summary';
import type { Config } from './config.js';
import { posixRel } from './dist.js';
import type { PublishResult } from './image/publish.js';
import type { Result } from './pipeline.js';
import { platformOf } from './targets.js';

const short = (digest: unknown, n = 16): string => `\`${String(digest).slice(0, n)}…\``;

function imageSection(s: Summary, r: PublishResult, workdir: string): void {
  s.heading(`Image ${r.name}`, 3);
  s.text(
    `\`${r.ref}\`${r.layoutDir ? ` — OCI layout in \`${posixRel(workdir, r.layoutDir)}\`` : ` — tags ${r.tags.map((t) => `\`${t}\``).join(', ')}`}`,
  );
  s.table(
    ['platform', 'manifest', 'SBOM artifact'],
    Object.entries(r.platforms).map(([p, d]) => [p, short(d, 19), r.sboms[p] ? short(r.sboms[p], 19) : '—']),
  );
  if (r.stats) {
    const via = r.sbomDiscovery === 'referrers' ? 'the referrers API' : 'the sha256-<digest> tag';
    s.text(
      `Blobs: ${r.stats.blobsUploaded} uploaded (${r.stats.bytesUploaded} bytes), ${r.stats.blobsMounted} mounted, ${r.stats.blobsExisting} already there · ${r.stats.retries} retries · SBOMs via ${via} · checked after the push ✅`,
    );
  }
}

export function summaryOf(cfg: Pick<Config, 'split' | 'merge' | 'workdir'>, r: Result, phases: readonly PhaseTiming[]): Summary {
  const which = cfg.split ? ` (part ${cfg.split.index}/${cfg.split.total})` : cfg.merge ? ' (merged)' : '';
  const s = new Summary().heading(`multiarch-build: ${r.manifest.project} ${r.manifest.version}${which}`);
  const secs = new Map(r.built.map((b) => [`${b.target.main.importPath}@${b.target.platformName}`, b.seconds]));
  const bins = r.manifest.artifacts.filter((a) => a.kind === 'binary');
  if (bins.length) {
    s.table(
      ['binary', 'platform', 'size', 'sha256', 'build'],
      bins.map((a) => {
        const t = secs.get(`${a.main}@${platformOf(a)}`);
        return [a.name, platformOf(a), formatBytes(a.size ?? 0), short(a.sha256), t === undefined ? '—' : formatMs(t * 1000)];
      }),
    );
  }
  const archives = r.manifest.artifacts.filter((a) => a.kind === 'archive');
  if (archives.length) {
    s.table(
      ['release file', 'platform', 'size', 'sha256'],
      archives.map((a) => [a.name, platformOf(a), formatBytes(a.size ?? 0), short(a.sha256)]),
    );
  }
  const sboms = r.manifest.artifacts.filter((a) => a.kind === 'sbom').length;
  const hint = r.reproducible === 'unchecked' ? ' (set `verify-reproducible: true` to prove it)' : '';
  s.text(
    `Reproducible: **${r.reproducible}**${hint} · SBOMs: ${sboms} · checksums: ${r.checksums ? `\`${r.checksums.name}\`` : '— (part)'} · build: ${r.buildSeconds.toFixed(1)} s`,
  );
  if (r.mismatches.length) {
    s.table(
      ['differs in the rebuild', 'first build', 'rebuild'],
      r.mismatches.map((m) => [m.name, short(m.expected), short(m.actual)]),
    );
  }
  if (r.stamps.length) {
    s.heading('Version variables stamped', 3);
    s.text('No `ldflags` in the GoReleaser file or the inputs: these variables were found in the source and set with `-X`.');
    s.table(
      ['build', 'variable', 'declared at', 'stamped with'],
      r.stamps.map(({ build, stamp }) => [
        build,
        `${stamp.importPath}.${stamp.name}`,
        stamp.where,
        `\`${stamp.flag.replace(/^-X [^=]+=/, '')}\``,
      ]),
    );
  }
  if (r.configFile) {
    s.heading(`${r.configFile}: not applied`, 3);
    if (r.notApplied.length === 0) s.text('Every key of the file is applied.');
    else
      s.table(
        ['key', 'where', 'why goship does not apply it'],
        r.notApplied.map((n) => [`\`${n.key}\``, n.where, n.reason]),
      );
  }
  if (r.image) imageSection(s, r.image, cfg.workdir);
  s.details('Phases', phaseTable(phases));
  return s;
}
