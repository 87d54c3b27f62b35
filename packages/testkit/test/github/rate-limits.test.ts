/**
 * Rate limits as windows: once the primary budget is spent every request is refused until the
 * reset; inside a secondary window every write is refused with `retry-after`. Requests sent after
 * the first refusal are counted, so a test can prove a client paused. The clock is injected:
 * these tests move time instead of waiting, except where Octokit itself has to wait.
 */
import { octokit } from '@goship/core/github';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiStandIn } from '../../src/github/stand-in.js';

const R = '/repos/goship-test/hello';
let api: GitHubApiStandIn | undefined;
let now = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

afterEach(async () => {
  expect(api?.violations ?? []).toEqual([]);
  await api?.close();
  api = undefined;
});

async function req(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; message: string }> {
  const res = await fetch(`${api!.url}${R}${path}`, {
    method,
    headers: { authorization: 'token test-token', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { message?: string };
  return { status: res.status, headers: res.headers, message: json.message ?? '' };
}
const draft = (tag: string) => req('POST', '/releases', { tag_name: tag, draft: true });

describe('primary limit', () => {
  it('refuses every request once the budget is spent, until the reset second, then refills', async () => {
    api = await GitHubApiStandIn.start({ clock: () => now, primaryLimit: { limit: 3, windowMs: 60_000 } });
    const reset = String(Math.ceil((now + 60_000) / 1000));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await req('GET', '/releases')).headers.get('x-ratelimit-remaining')!);
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = [await req('GET', '/releases'), await draft('v1.0.0')];
    for (const r of refused) {
      expect(r.status).toBe(403);
      expect(r.message).toMatch(/^API rate limit exceeded/);
      expect([r.headers.get('x-ratelimit-remaining'), r.headers.get('x-ratelimit-reset')]).toEqual(['0', reset]);
    }
    now += 59_000;
    expect((await req('GET', '/releases')).status).toBe(403);
    now = Number(reset) * 1000;
    const back = await req('GET', '/releases');
    expect([back.status, back.headers.get('x-ratelimit-remaining')]).toEqual([200, '2']);
    expect(api.releaseByTag('v1.0.0')).toEqual([]);
    // The first refusal told the client; the two requests after it did not pause.
    expect(api.counters).toMatchObject({ primaryLimited: 3, requestsAfterPrimaryNotice: 2 });
    expect(api.windows).toMatchObject([
      { kind: 'primary', status: 403, refused: [{ afterNotice: false }, { afterNotice: true }, { afterNotice: true }] },
    ]);
  });

  it('a primary fault opens the window for reads and writes alike, with 429 when asked', async () => {
    api = await GitHubApiStandIn.start({ clock: () => now });
    api.inject({ method: 'GET', kind: 'primary', resetIn: 30, status: 429 });
    expect((await req('GET', '/releases')).status).toBe(429);
    expect((await draft('v2.0.0')).status).toBe(429);
    now += 31_000;
    expect((await draft('v2.0.0')).status).toBe(201);
    expect(api.sentAfterNotice('primary')).toMatchObject([{ method: 'POST' }]);
  });
});

describe('secondary limit', () => {
  it('refuses every write for the window with the remaining retry-after; reads go through', async () => {
    api = await GitHubApiStandIn.start({ clock: () => now });
    api.inject({ method: 'POST', kind: 'secondary', retryAfter: 5, status: 429 });
    const first = await draft('v3.0.0');
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '5']);
    expect(first.message).toMatch(/secondary rate limit/);
    now += 2000;
    expect((await req('GET', '/releases')).status).toBe(200);
    const second = await draft('v3.0.0');
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '3']);
    now += 3000;
    expect((await draft('v3.0.0')).status).toBe(201);
    expect(api.counters).toMatchObject({ secondaryLimited: 2, writesAfterSecondaryNotice: 1 });
    expect(api.releaseByTag('v3.0.0')).toHaveLength(1);
  });

  it('a rule trips after N writes within its window', async () => {
    api = await GitHubApiStandIn.start({ clock: () => now, secondaryRule: { limit: 2, windowMs: 60_000, retryAfter: 10 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await draft(`v4.0.${i}`)).status);
    expect(statuses).toEqual([201, 201, 403]);
    // Past retry-after but with the two writes still inside the rule's minute: it trips again.
    now += 10_000;
    expect((await draft('v4.0.8')).status).toBe(403);
    now += 50_000;
    expect((await draft('v4.0.9')).status).toBe(201);
    expect(api.counters.secondaryLimited).toBe(2);
    expect(api.windows.map((w) => w.kind)).toEqual(['secondary', 'secondary']);
  });

  it('proves whether a client paused: Octokit waits out retry-after, a naive client does not', async () => {
    api = await GitHubApiStandIn.start();
    const gh = octokit('test-token', { baseUrl: api.url });
    api.tripSecondary(2);
    await gh.rest.repos.createRelease({ owner: 'goship-test', repo: 'hello', tag_name: 'v5.0.0', draft: true });
    expect(api.counters.secondaryLimited).toBe(1);
    expect(api.sentAfterNotice()).toEqual([]);

    api.tripSecondary(2);
    for (let i = 0; i < 3; i++) if ((await draft('v5.0.1')).status === 201) break;
    expect(api.sentAfterNotice('secondary').length).toBeGreaterThanOrEqual(2);
    expect(api.counters.writesAfterSecondaryNotice).toBeGreaterThanOrEqual(2);
  });
});
