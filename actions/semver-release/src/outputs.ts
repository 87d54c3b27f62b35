/**
 * The step's outputs, all written in one place from what the run decided and did (empty values
 * for what it did not get to: a workflow can always read every output).
 */
import { formatSemVer } from '@goship/core/semver';
import type { Run } from './run.js';

export function outputsOf(run: Pick<Run, 'plan' | 'changelog' | 'release' | 'tapResults'>): Record<string, string> {
  const { plan, release } = run;
  const v = plan.version;
  const assets = release?.assets ?? [];
  return {
    version: v ? formatSemVer(v) : '',
    tag: plan.tag ?? '',
    major: v ? String(v.major) : '',
    minor: v ? String(v.minor) : '',
    patch: v ? String(v.patch) : '',
    prerelease: v ? v.prerelease.join('.') : '',
    'is-prerelease': String(plan.isPrerelease),
    'previous-tag': plan.previousTag ?? '',
    'next-version': plan.nextVersion ? formatSemVer(plan.nextVersion) : '',
    changelog: run.changelog,
    'release-id': release ? String(release.releaseId) : '',
    'release-url': release?.url ?? '',
    uploaded: JSON.stringify(
      assets.filter((a) => a.action !== 'skipped').map(({ name, size, digest, action }) => ({ name, size, digest, action })),
    ),
    skipped: JSON.stringify(assets.filter((a) => a.action === 'skipped').map(({ name, size, digest }) => ({ name, size, digest }))),
    taps: JSON.stringify(
      (run.tapResults ?? []).map((t) => ({
        kind: t.kind,
        path: t.path,
        action: t.outcome.action,
        ...('commit' in t.outcome && t.outcome.commit ? { commit: t.outcome.commit } : {}),
        ...(t.outcome.action === 'pull-request' ? { url: t.outcome.url } : {}),
      })),
    ),
  };
}
