import { GitHubApiStandIn } from '@goship/testkit/github-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Announcement, announceRelease, announcementText } from '../src/announce.js';

const a: Announcement = {
  project: 'hello',
  version: '1.4.0',
  tag: 'v1.4.0',
  url: 'https://github.com/o/hello/releases/tag/v1.4.0',
  highlights: ['⚠ api: drop v0 routes', 'greet by name'],
  traceId: '42-1',
  prerelease: false,
};

describe('announcements', () => {
  let api: GitHubApiStandIn;
  beforeAll(async () => {
    api = await GitHubApiStandIn.start();
  });
  afterAll(() => api?.close());

  it('a Slack message with the highlights and the trace id', () => {
    expect(announcementText(a)).toBe(
      '*hello v1.4.0* is out: <https://github.com/o/hello/releases/tag/v1.4.0|release notes>\n• ⚠ api: drop v0 routes\n• greet by name\ntrace id: `42-1`',
    );
    expect(announcementText({ ...a, prerelease: true, highlights: [] })).toMatch(/^\*hello v1\.4\.0\* pre-release is out/);
  });

  it('sent, or failed with the reason after retries — never thrown', async () => {
    expect(await announceRelease(api.hookUrl('ok'), a)).toBe('sent');
    expect((api.webhooks.at(-1)?.body as { text: string }).text).toContain('*hello v1.4.0*');
    api.inject({ path: '/hooks/', times: Infinity, kind: 'status', status: 503 });
    const before = api.counters.requests;
    expect(await announceRelease(api.hookUrl('down'), a)).toBe('failed (HTTP 503)');
    expect(api.counters.requests - before).toBe(3);
    api.clearFaults();
  });
});
