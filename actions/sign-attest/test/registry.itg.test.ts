import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RegistryProxy, type TestRegistry, startProxy, startRegistry } from '@goship/testkit/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATION, Registry, SIMPLE_SIGNING_MEDIA_TYPE, signatureTag, simpleSigningPayload, type Layer } from '../src/registry.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

/** attachSignature through core's client, against the pinned registry behind a bearer-token service. */
describe('signature storage behind a bearer-token registry', () => {
  let reg: TestRegistry;
  let proxy: RegistryProxy;
  let cfgDir: string;

  beforeAll(async () => {
    reg = await startRegistry();
    proxy = await startProxy(reg, { bearer: { username: 'robot', password: 'pw' } });
    cfgDir = await mkdtemp(path.join(os.tmpdir(), 'goship-sigreg-'));
    const auth = Buffer.from('robot:pw').toString('base64');
    await writeFile(path.join(cfgDir, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { auth } } }));
  });
  afterAll(async () => {
    await proxy?.close();
    await reg?.stop();
    if (cfgDir) await rm(cfgDir, { recursive: true, force: true });
  });

  it('logs in with the Docker config, stores the signature once per signature, and reads it back', async () => {
    const env = { DOCKER_CONFIG: cfgDir };
    const r = await Registry.open(proxy.host, 'goship/hello', '', env);
    const payload = simpleSigningPayload(`${proxy.host}/goship/hello`, DIGEST);
    const layer = (sig: string): Layer => ({
      data: payload,
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      annotations: { [ANNOTATION.signature]: sig },
    });
    const same = (sig: string) => (l: { annotations?: Record<string, string> }) => l.annotations?.[ANNOTATION.signature] === sig;
    const first = await r.attachToTag(DIGEST, 'sig', [layer('c2lnLTE=')], same('c2lnLTE='));
    // A re-run with the same signature converges to the same manifest; another signature adds a layer.
    expect(await r.attachToTag(DIGEST, 'sig', [layer('c2lnLTE=')], same('c2lnLTE='))).toBe(first);
    await r.attachToTag(DIGEST, 'sig', [layer('c2lnLTI=')], same('c2lnLTI='));

    const fresh = await Registry.open(proxy.host, 'goship/hello', '', env);
    const m = await fresh.getManifest(signatureTag(DIGEST));
    expect(m?.layers.map((l) => [l.mediaType, l.annotations?.['dev.cosignproject.cosign/signature']])).toEqual([
      [SIMPLE_SIGNING_MEDIA_TYPE, 'c2lnLTE='],
      [SIMPLE_SIGNING_MEDIA_TYPE, 'c2lnLTI='],
    ]);
    expect(proxy.tokens.every((t) => t.account === 'robot')).toBe(true);
    expect(proxy.tokens.some((t) => t.scope.includes('repository:goship/hello:pull,push'))).toBe(true);
  });

  it('without credentials the registry refuses, with how to log in', async () => {
    const r = await Registry.open(proxy.host, 'goship/hello', '', { DOCKER_CONFIG: path.join(cfgDir, 'none') });
    await expect(r.getManifest(signatureTag(DIGEST))).rejects.toThrow(/refused anonymous access[\s\S]*docker\/login-action/);
  });
});
