/**
 * What the run tells people when it ends, in one place: the job summary (the decision, the
 * changelog, the release and each asset, or where publishing stopped) and the notices.
 */
import { Summary, formatBytes } from '@goship/core/summary';
import { formatSemVer } from '@goship/core/semver';
import { type Run, traceOf } from './run.js';
import { tapsSummary } from './taps/index.js';

function releaseState(r: NonNullable<Run['release']>): string {
  if (r.published) return `published${r.created ? ' (created in this run)' : ' (resumed)'}`;
  if (r.draft) return `left as a draft${r.created ? ' (created in this run)' : ' (resumed)'}`;
  return 'already published (verified)';
}

export function summaryOf(run: Run): Summary {
  const { cfg, plan } = run;
  const s = new Summary();
  s.heading(`semver-release: ${plan.tag ?? 'nothing to release'}`);
  s.table(
    ['', ''],
    [
      ['command', cfg.command],
      ['version', plan.version ? formatSemVer(plan.version) : '—'],
      ['tag', plan.tag ?? '—'],
      ['previous tag', plan.previousTag ?? '—'],
      ['pre-release', String(plan.isPrerelease)],
      ['decision', plan.reason],
      ['commits', String(plan.commitCount)],
    ],
  );
  if (!plan.version) return s;
  if (run.changelog) s.details('Changelog', run.changelog);
  if (run.tag) s.text(`Tag \`${plan.tag}\` ${run.tag === 'created' ? 'created' : 'already existed'} at \`${run.target}\`.`);
  if (run.failure !== undefined && cfg.command === 'publish' && !run.release) {
    const why = run.failure instanceof Error ? run.failure.message.split('\n')[0] : 'an unexpected failure';
    s.text(`❌ Publishing stopped: ${why}\n\nThe release was not published; re-run the job to resume.`);
  }
  const r = run.release;
  if (r) {
    s.text(`Release [${plan.tag}](${r.url}) ${releaseState(r)}.`);
    s.heading('Assets', 3);
    s.table(
      ['asset', 'result', 'size', 'sha256'],
      r.assets.map((a) => [
        a.localName ? `${a.name} (from ${a.localName})` : a.name,
        a.action,
        formatBytes(a.size),
        `\`${a.digest.slice(7, 19)}…\``,
      ]),
    );
    if (r.extra.length) s.text(`Also on the release (not from this build, left alone): ${r.extra.join(', ')}`);
    if (r.removedDrafts.length) s.text(`Orphan goship drafts of ${plan.tag} deleted: ${r.removedDrafts.join(', ')}`);
  }
  if (run.floating && Object.keys(run.floating).length) {
    s.text(
      `Floating tags: ${Object.entries(run.floating)
        .map(([t, x]) => `${t} ${x}`)
        .join(', ')}`,
    );
  }
  if (run.tapResults?.length) tapsSummary(run.tapResults, s);
  if (run.announced) s.text(`Announcement: ${run.announced}`);
  if (cfg.command === 'publish') s.text(`Trace id: \`${traceOf(run)}\``);
  return s;
}

/** The notices and warnings of the run, as annotations. */
export function noticesOf(run: Run): { notices: string[]; warnings: string[] } {
  const { cfg, plan } = run;
  const notices: string[] = [];
  const warnings: string[] = [];
  if (!plan.version) {
    const what = cfg.command === 'plan' ? 'version' : cfg.command === 'tag' ? 'tag' : 'release';
    notices.push(`semver-release: ${plan.reason}. No ${what} is made.`);
  }
  if (run.tag) {
    notices.push(
      `Tag ${plan.tag} ${run.tag === 'created' ? 'created' : 'already existed'}. Tags pushed with GITHUB_TOKEN start no new workflow run: continue the release in this run, or use a GitHub App token.`,
    );
  }
  if (run.announced && run.announced !== 'sent') warnings.push(`The announcement ${run.announced}; the release itself is published.`);
  return { notices, warnings };
}
