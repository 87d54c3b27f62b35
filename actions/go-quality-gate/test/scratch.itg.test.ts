import { actionDir, fixtureRepo, runAction, goEnv } from '@goship/testkit';
import { prebuiltToolCache } from '@goship/testkit/toolcache';
import { buildVulnDb } from '@goship/testkit/vulndb';
import { it } from 'vitest';
it('scratch', async () => {
  const tc = await prebuiltToolCache({ staticcheck: 'v0.8.2', govulncheck: 'v1.8.0', 'golangci-lint': 'v2.15.0' });
  const db = await buildVulnDb([{ id: 'GO-2099-0001', module: 'github.com/google/uuid', symbols: ['NewString'], fixed: '1.6.1' }]);
  const repo = await fixtureRepo(process.env.FIX ?? 'hello');
  const r = await runAction(actionDir('go-quality-gate'), { cwd: repo.dir, toolCache: tc, env: goEnv(), inputs: { 'vuln-db': db.url } });
  console.log(r.log);
  console.log(r.summary);
  console.log(JSON.stringify(r.outputs, null, 1));
});
