import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOSHIP_BUILD_TYPE, provenanceStatement, sbomPredicateType, sbomStatement, workflowPath } from '../src/provenance.js';
import { callService, classifySigstoreError, httpStatus, pae, serverMessage } from '../src/signing.js';

describe('Sigstore error classification', () => {
  const wrapped = (statusCode: number, message: string): Error =>
    Object.assign(new Error('error creating tlog entry'), {
      code: 'TLOG_CREATE_ENTRY_ERROR',
      cause: Object.assign(new Error(`(${statusCode}) ${message}`), { statusCode }),
    });

  it('finds the status and the server message inside @sigstore/sign errors', () => {
    const e = wrapped(400, 'bad entry');
    expect(httpStatus(e)).toBe(400);
    expect(serverMessage(e)).toBe('bad entry');
  });

  it('5xx, 408, 429 and connection resets are transient; other 4xx are permanent', () => {
    expect(classifySigstoreError(wrapped(503, 'x')).transient).toBe(true);
    expect(classifySigstoreError(wrapped(429, 'x')).transient).toBe(true);
    expect(classifySigstoreError(wrapped(408, 'x')).transient).toBe(true);
    expect(classifySigstoreError(Object.assign(new Error('socket'), { code: 'ECONNRESET' })).transient).toBe(true);
    expect(classifySigstoreError(wrapped(400, 'x')).transient).toBe(false);
    expect(classifySigstoreError(wrapped(401, 'x')).transient).toBe(false);
  });

  it('callService retries transient failures and stops at once on a permanent one', async () => {
    let calls = 0;
    const ok = await callService('Rekor', 'x', { timeoutMs: 5000, baseDelayMs: 1 }, async () => {
      calls++;
      if (calls < 3) throw wrapped(503, 'busy');
      return 'done';
    });
    expect(ok).toBe('done');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      callService('Rekor', 'the entry', { timeoutMs: 5000, baseDelayMs: 1 }, async () => {
        calls++;
        throw wrapped(400, 'invalid public key');
      }),
    ).rejects.toThrow(/^Rekor refused the entry: HTTP 400: invalid public key\./);
    expect(calls).toBe(1);
  });

  it('gives up on transient failures once retry-timeout is spent', async () => {
    let calls = 0;
    await expect(
      callService('Fulcio', 'the certificate', { timeoutMs: 50, baseDelayMs: 40 }, async () => {
        calls++;
        throw wrapped(502, 'bad gateway');
      }),
    ).rejects.toThrow(/still failing after retries within retry-timeout/);
    expect(calls).toBeGreaterThanOrEqual(1);
  });
});

describe('DSSE PAE', () => {
  it('matches the DSSE v1 specification example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });
});

describe('provenance', () => {
  it('is an in-toto Statement v1 with an SLSA v1 predicate naming the reusable workflow as builder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prov-'));
    const event = path.join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ inputs: { version: '1.4.0' } }));
    const s = provenanceStatement([{ name: 'a.tar.gz', digest: { sha256: 'ab'.repeat(32) } }], {
      env: {
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_REF: 'refs/tags/v1.4.0',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/release.yml@refs/tags/v1.4.0',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: event,
      },
      jobWorkflowRef: 'goship/goship/.github/workflows/go-release.yml@refs/tags/v1',
      startedOn: new Date('2026-01-01T00:00:00Z'),
    });
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe('https://slsa.dev/provenance/v1');
    const p = s.predicate as Record<string, Record<string, unknown>>;
    expect(p.buildDefinition!.buildType).toBe(GOSHIP_BUILD_TYPE);
    expect(p.buildDefinition!.externalParameters).toEqual({
      workflow: { ref: 'refs/tags/v1.4.0', repository: 'https://github.com/o/r', path: '.github/workflows/release.yml' },
      inputs: { version: '1.4.0' },
    });
    expect(p.buildDefinition!.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/o/r@refs/tags/v1.4.0', digest: { gitCommit: 'c'.repeat(40) } },
    ]);
    expect(p.runDetails).toEqual({
      builder: { id: 'https://github.com/goship/goship/.github/workflows/go-release.yml@refs/tags/v1' },
      metadata: { invocationId: 'https://github.com/o/r/actions/runs/42/attempts/2', startedOn: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('falls back to the calling workflow as builder without a job_workflow_ref', () => {
    const s = provenanceStatement([], {
      env: { GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/x.yml@refs/heads/main' },
      startedOn: new Date(0),
    });
    expect((s.predicate.runDetails as { builder: { id: string } }).builder.id).toBe(
      'https://github.com/o/r/.github/workflows/x.yml@refs/heads/main',
    );
    expect(workflowPath('o/r/.github/workflows/x.yml@refs/heads/main')).toBe('.github/workflows/x.yml');
  });

  it('SBOM predicate types are the ones cosign --type spdxjson and cyclonedx name', () => {
    expect(sbomPredicateType({ spdxVersion: 'SPDX-2.3' })).toBe('https://spdx.dev/Document');
    expect(sbomPredicateType({ bomFormat: 'CycloneDX', specVersion: '1.5' })).toBe('https://cyclonedx.org/bom');
    expect(sbomPredicateType({ name: 'not an sbom' })).toBeUndefined();
    const subject = { name: 'a', digest: { sha256: '0'.repeat(64) } };
    const s = sbomStatement([subject], { spdxVersion: 'SPDX-2.3' }, 'https://spdx.dev/Document');
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [subject],
      predicateType: 'https://spdx.dev/Document',
      predicate: { spdxVersion: 'SPDX-2.3' },
    });
  });
});
