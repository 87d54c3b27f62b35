/**
 * The boundary to the Actions cache service: the one module that talks to `@actions/cache`.
 * The library (with the Azure SDK) is most of the bundle, so it is loaded only when a cache is
 * used and compute-only runs start faster.
 */
async function actionsCache(): Promise<typeof import('@actions/cache')> {
  return import('@actions/cache');
}

/** Whether the runner gave this job an Actions cache service. */
export async function cacheAvailable(): Promise<boolean> {
  return (await actionsCache()).isFeatureAvailable();
}

/** Restores `dir` from `key` (else the newest entry matching a restore-key prefix); the matched key, or '' on a miss. */
export async function restoreDir(dir: string, key: string, restoreKeys: string[]): Promise<string> {
  return (await (await actionsCache()).restoreCache([dir], key, restoreKeys)) ?? '';
}

/** Saves `dir` under `key`; false when the service did not take it (an entry of that key exists, or it is being written). */
export async function saveDir(dir: string, key: string): Promise<boolean> {
  return (await (await actionsCache()).saveCache([dir], key)) !== -1;
}
