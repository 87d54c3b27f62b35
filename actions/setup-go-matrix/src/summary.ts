/** The job summary of the main step and of the post step: one function each, sections below. */
import { Summary, formatBytes } from '@goship/core/summary';
import path from 'node:path';
import type { SaveResult } from './cache.js';
import type { Setup } from './setup.js';

export function setupSummary(s: Setup): Summary {
  const summary = new Summary().heading('setup-go-matrix');
  versionsSection(summary, s);
  environmentSection(summary, s);
  summary.heading('Test matrix', 3).table(
    ['go', 'os'],
    s.matrix.include.map((m) => [m.go, m.os]),
  );
  summary
    .heading('Build targets', 3)
    .text(`Checked against ${s.targets.from}.`)
    .table(
      ['group', 'platforms'],
      s.groups.include.map((g) => [g.group, g.platforms]),
    );
  cachesSection(summary, s);
  affectedSection(summary, s);
  return summary;
}

function versionsSection(summary: Summary, { inp, res, go }: Setup): void {
  const vf = res.versionFile;
  summary.text(
    `Go versions listed by ${res.releases?.source ?? 'no release list (only exact versions asked for)'}.` +
      (vf
        ? ` Version file: \`${path.relative(inp.workdir, vf.file) || vf.file}\` (go ${vf.go ?? '—'}${vf.toolchain ? `, toolchain go${vf.toolchain}` : ''}).`
        : ''),
  );
  summary.table(
    ['spec', 'resolved', 'how'],
    res.resolved.map((r) => [r.spec, r.version, r.how]),
  );
  summary.table(
    ['file', 'go', 'toolchain', 'resolved'],
    [[vf ? path.basename(vf.file) : '—', vf?.go ?? '—', vf?.toolchain ?? '—', res.version]],
  );
  summary.text(`**Installed:** Go ${res.version}${go.goroot ? ` in \`${go.goroot}\`` : ''} — ${go.how}.`);
}

function environmentSection(summary: Summary, { env }: Setup): void {
  const shown = Object.entries(env.exported)
    .filter(([k]) => !k.startsWith('GIT_CONFIG_'))
    .map(([k, v]) => `\`${k}=${v}\``);
  const creds = env.credentials
    ? `; git credentials for ${env.credentials.hosts.join(', ')} in a git config file in RUNNER_TEMP (mode 0600, removed by the post step), included through GIT_CONFIG_*`
    : '';
  summary.text(`**Environment:** ${shown.join(', ')}${creds}.`);
}

function cachesSection(summary: Summary, { caches }: Setup): void {
  summary.heading('Caches', 3);
  if (!caches.restored.length) {
    summary.text(caches.note);
    return;
  }
  summary.table(
    ['cache', 'key', 'result', 'size', 'seconds'],
    caches.restored.map((r) => [
      r.kind,
      r.key,
      r.outcome + (r.outcome === 'partial' ? ` (${r.matchedKey})` : ''),
      r.bytes ? formatBytes(r.bytes) : '—',
      r.seconds.toFixed(1),
    ]),
  );
}

function affectedSection(summary: Summary, { analysis }: Setup): void {
  const { affected, affectedBinaries } = analysis;
  if (!affected) return;
  summary.heading('Affected by the change', 3);
  summary.text(
    affected.base
      ? `Compared with \`${affected.base}\` (${affected.baseFrom}), merge-base \`${affected.mergeBase.slice(0, 12)}\`: ${affected.changedFiles.length} file(s) changed; ${affected.reason}.`
      : `${affected.reason}.`,
  );
  summary.table(
    ['package', 'binary'],
    affected.packages.map((p) => [p, affectedBinaries.some((b) => b.importPath === p) ? '✓' : '']),
  );
}

/** The post step's summary: the cache saves, and the credentials clean-up when there was one. */
export function postSummary(results: readonly SaveResult[], credentials: string): Summary {
  const summary = new Summary().heading('setup-go-matrix: post step', 3);
  if (results.length) {
    summary.table(
      ['cache', 'key', 'result', 'size', 'seconds'],
      results.map((r) => [
        r.kind,
        r.key,
        r.outcome + (r.note ? ` — ${r.note}` : ''),
        r.bytes ? formatBytes(r.bytes) : '—',
        r.seconds.toFixed(1),
      ]),
    );
  }
  if (credentials) summary.text(credentials);
  return summary;
}
