/**
 * Names the main step, the post step and later runs of this action in the same job share, typed
 * once: saved state (main → post) and the job-wide markers this action exports.
 */
export const State = {
  /** The cache entries the main step restored (JSON), for the post step to save. */
  cacheEntries: 'cache-entries',
  /** The git config file holding the token's url rewrite, for the post step to remove. */
  gitCredentials: 'git-credentials',
} as const;

export const JobEnv = {
  /** GOTOOLCHAIN as the job set it, before the first run of this action exported its own. */
  userGotoolchain: 'GOSHIP_JOB_GOTOOLCHAIN',
  /** Cache keys restored earlier in the job: a second setup neither restores nor saves them again. */
  cacheRestored: 'GOSHIP_GO_CACHE_RESTORED',
} as const;
