import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef, registryCredentials, signatureTag, simpleSigningPayload } from '../src/registry.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  it.each([
    [`ghcr.io/o/app@${D}`, { registry: 'ghcr.io', repository: 'o/app', digest: D }],
    [`127.0.0.1:5000/goship/hello@${D}`, { registry: '127.0.0.1:5000', repository: 'goship/hello', digest: D }],
    [`localhost/a/b/c@${D}`, { registry: 'localhost', repository: 'a/b/c', digest: D }],
    [`r.example.com/app:1.2.3@${D}`, { registry: 'r.example.com', repository: 'app', digest: D }],
  ])('%s', (ref, want) => expect(parseImageRef(ref)).toEqual(want));

  it.each(['ghcr.io/o/app:1.2.3', `app@${D}`, `user/app@${D}`, 'ghcr.io/o/app@sha256:123', '', `ghcr.io/O/app@${D}`])('refuses %j', (ref) =>
    expect(parseImageRef(ref)).toBeUndefined(),
  );
});

describe('registryCredentials', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goship-sigcfg-'));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: { 'r.example.com': { auth: Buffer.from('robot:pw').toString('base64') } } }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the Docker config first', async () => {
    expect(await registryCredentials('r.example.com', 'gh-token', { DOCKER_CONFIG: dir })).toEqual({ username: 'robot', password: 'pw' });
  });

  it('uses the GitHub token for ghcr.io only, as GITHUB_ACTOR', async () => {
    const env = { DOCKER_CONFIG: dir, GITHUB_ACTOR: 'octocat' };
    expect(await registryCredentials('ghcr.io', 'gh-token', env)).toEqual({ username: 'octocat', password: 'gh-token' });
    expect(await registryCredentials('ghcr.io', 'gh-token', { DOCKER_CONFIG: dir })).toEqual({
      username: 'x-access-token',
      password: 'gh-token',
    });
    expect(await registryCredentials('ghcr.io', '', env)).toBeUndefined();
    expect(await registryCredentials('quay.io', 'gh-token', env)).toBeUndefined();
  });
});

describe('cosign layout', () => {
  it('tags signatures sha256-<hex>.sig and signs the simple-signing payload', () => {
    expect(signatureTag(D)).toBe(`sha256-${'a'.repeat(64)}.sig`);
    expect(JSON.parse(simpleSigningPayload('ghcr.io/o/app', D).toString())).toEqual({
      critical: {
        identity: { 'docker-reference': 'ghcr.io/o/app' },
        image: { 'docker-manifest-digest': D },
        type: 'cosign container image signature',
      },
      optional: null,
    });
  });
});
