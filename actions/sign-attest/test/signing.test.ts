import { describe, expect, it } from 'vitest';
import { callService, classifySigstoreError, httpStatus, pae, serverMessage } from '../src/signing.js';

describe('Sigstore error classification', () => {
  const wrapped = (statusCode: number, message: string): Error =>
    Object.assign(new Error('error creating tlog entry'), {
      code: 'TLOG_CREATE_ENTRY_ERROR',
      cause: Object.assign(new Error(`(${statusCode}) ${message}`), { statusCode }),
    });

  it('finds the status and the server message inside wrapped errors', () => {
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
