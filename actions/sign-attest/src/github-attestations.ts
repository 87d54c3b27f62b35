/**
 * GitHub's artifact attestations: the provenance and SBOM attestation bundles stored through
 * `POST /repos/{owner}/{repo}/attestations`, so `gh attestation verify` finds them. Keyless only
 * (GitHub takes Fulcio-certified bundles); `attestations: write` is needed.
 */
import { GoshipError } from '@goship/core/errors';
import { bundleToJSON } from '@sigstore/bundle';
import type { Run } from './run.js';

export async function storeGitHubAttestations(run: Run): Promise<void> {
  if (!run.cfg.githubAttestations || !run.attestations.length) return;
  await run.ctx.phase(`GitHub attestations (${run.attestations.length})`, async () => {
    // Loaded on demand: Octokit is only needed for the attestation store.
    const { octokit } = await import('@goship/core/github');
    const api = octokit(run.cfg.githubToken);
    const repo = process.env.GITHUB_REPOSITORY ?? '';
    const [owner, name] = repo.split('/');
    if (!owner || !name)
      throw new GoshipError(
        'GITHUB_REPOSITORY is not set, so there is no repository to store the attestations in.',
        'Run inside GitHub Actions, or set `github-attestations: false`',
      );
    for (const a of run.attestations) {
      let res: { data: unknown };
      try {
        res = await api.request('POST /repos/{owner}/{repo}/attestations', { owner, repo: name, bundle: bundleToJSON(a.bundle) });
      } catch (e) {
        const status = (e as { status?: number }).status;
        throw new GoshipError(
          `GitHub refused to store the ${a.type} attestation: ${status ? `HTTP ${status}: ` : ''}${(e as Error).message}.`,
          status === 403 || status === 404
            ? 'Add `permissions: { attestations: write, id-token: write }` to the job (attestations need a public repository or a plan that includes them), or set `github-attestations: false`'
            : 'Re-run the job, or set `github-attestations: false` to keep only the files',
          { cause: e },
        );
      }
      const id = String((res.data as { id?: number | string }).id ?? '');
      a.github = { id, url: `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/attestations/${id}` };
      run.ctx.log.info(`${a.type} attestation stored: ${a.github.url}`);
    }
  });
}
