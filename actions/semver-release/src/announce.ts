/**
 * Announces a published release to a Slack-compatible incoming webhook. A failed announcement
 * never fails the release: it becomes a warning.
 */
import { withRetry } from '@goship/core/retry';

export interface Announcement {
  project: string;
  version: string;
  tag: string;
  url: string;
  highlights: readonly string[];
  traceId: string;
  prerelease: boolean;
}

export function announcementText(a: Announcement): string {
  const lines = [`*${a.project} ${a.tag}* ${a.prerelease ? 'pre-release ' : ''}is out: <${a.url}|release notes>`];
  if (a.highlights.length) lines.push(...a.highlights.map((h) => `• ${h}`));
  lines.push(`trace id: \`${a.traceId}\``);
  return lines.join('\n');
}

/** Posts the announcement; returns undefined on success, else why it failed. */
export async function announce(webhook: string, a: Announcement, timeoutMs = 10_000): Promise<string | undefined> {
  try {
    await withRetry(
      async () => {
        const res = await fetch(webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: announcementText(a) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, response: { headers: res.headers } });
        await res.arrayBuffer();
      },
      { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000 },
    );
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The announcement as the run reports it: `sent`, or `failed (why)`. */
export async function announceRelease(webhook: string, a: Announcement): Promise<string> {
  const err = await announce(webhook, a);
  return err ? `failed (${err})` : 'sent';
}
