/**
 * PauseGate on a scripted clock: a pause holds back every waiter of its scope, writes are spaced
 * only while throttled, and an unthrottled burst is capped.
 */
import { describe, expect, it } from 'vitest';
import { PauseGate, sleepOrAbort } from '../src/retry.js';

/** A clock that moves only when someone sleeps; sleepers wake in time order. */
function scriptedClock(start = 1_000_000) {
  let now = start;
  const sleepers: { at: number; wake: () => void }[] = [];
  const clock = {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ at: now + ms, wake })),
    /** Runs until nobody sleeps: wakes the earliest sleeper, lets microtasks run, repeats. */
    async drain() {
      for (let i = 0; i < 10_000; i++) {
        await new Promise((r) => setImmediate(r));
        if (!sleepers.length) return;
        sleepers.sort((a, b) => a.at - b.at);
        const s = sleepers.shift()!;
        now = Math.max(now, s.at);
        s.wake();
      }
      throw new Error('the clock never settled');
    },
  };
  return clock;
}

describe('PauseGate', () => {
  it('lets writes out at once while not throttled', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep });
    const sent: number[] = [];
    const all = Promise.all([0, 1, 2, 3].map(async () => (await gate.ready(true), sent.push(c.now()))));
    await c.drain();
    await all;
    expect(sent).toEqual([1_000_000, 1_000_000, 1_000_000, 1_000_000]);
    expect(gate.throttled).toBe(false);
  });

  it('a write pause holds back every writer until it ends, then spaces them while throttled; reads pass', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep, spacingMs: 1000, coolDownMs: 60_000 });
    gate.pause('writes', c.now() + 5000);
    const writes: number[] = [];
    const reads: number[] = [];
    const all = Promise.all([
      ...[0, 1, 2].map(async () => (await gate.ready(true), writes.push(c.now() - 1_000_000))),
      (async () => (await gate.ready(false), reads.push(c.now() - 1_000_000)))(),
    ]);
    await c.drain();
    await all;
    expect(reads).toEqual([0]);
    expect(writes).toEqual([5000, 6000, 7000]);
    expect(gate.throttled).toBe(true);
  });

  it('hold waits out a pause that began after the slot was taken, and takes no slot of its own', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep, spacingMs: 1000 });
    await gate.ready(true);
    // The refusal arrives while the request is prepared: the last look before the wire holds it.
    gate.pause('writes', c.now() + 2000);
    const held: number[] = [];
    const reads: number[] = [];
    const all = Promise.all([
      (async () => (await gate.hold(true), held.push(c.now() - 1_000_000)))(),
      (async () => (await gate.hold(false), reads.push(c.now() - 1_000_000)))(),
    ]);
    await c.drain();
    await all;
    expect(held).toEqual([2000]);
    expect(reads).toEqual([0]);
    // No slot was claimed by hold: the next write's slot is the pause end, spaced from the first write only.
    const next: number[] = [];
    const p = (async () => (await gate.ready(true), next.push(c.now() - 1_000_000)))();
    await c.drain();
    await p;
    expect(next).toEqual([2000]);
  });

  it('a pause of everything holds reads too; a later, longer pause extends it, a shorter one does not shorten it', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep });
    gate.pause('all', c.now() + 3000);
    gate.pause('writes', c.now() + 1000);
    const reads: number[] = [];
    const p = (async () => (await gate.ready(false), reads.push(c.now() - 1_000_000)))();
    // While the read waits, another refusal moves the end further out.
    const extend = (async () => {
      await c.sleep(2000);
      gate.pause('all', c.now() + 4000);
    })();
    await c.drain();
    await Promise.all([p, extend]);
    expect(reads).toEqual([6000]);
  });

  it('stops spacing once the cool-down after the last pause has passed', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep, spacingMs: 1000, coolDownMs: 10_000 });
    gate.pause('writes', c.now() + 1000);
    const first: number[] = [];
    let all = Promise.all([0, 1].map(async () => (await gate.ready(true), first.push(c.now() - 1_000_000))));
    await c.drain();
    await all;
    expect(first).toEqual([1000, 2000]);
    await (async () => {
      const wait = c.sleep(20_000);
      await c.drain();
      await wait;
    })();
    const later: number[] = [];
    all = Promise.all([0, 1, 2].map(async () => (await gate.ready(true), later.push(c.now() - 1_000_000))));
    await c.drain();
    await all;
    expect(gate.throttled).toBe(false);
    expect(later).toEqual([22_000, 22_000, 22_000]);
  });

  it('caps an unthrottled burst at its limit per window', async () => {
    const c = scriptedClock();
    const gate = new PauseGate({ now: c.now, sleep: c.sleep, burst: { limit: 3, windowMs: 60_000 } });
    const sent: number[] = [];
    const all = Promise.all([0, 1, 2, 3, 4].map(async () => (await gate.ready(true), sent.push(c.now() - 1_000_000))));
    await c.drain();
    await all;
    expect(sent).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('a waiter whose signal aborts leaves with the reason, and none is let through', async () => {
    const gate = new PauseGate();
    gate.pause('writes', Date.now() + 60_000);
    const abort = new AbortController();
    const waiting = gate.ready(true, abort.signal);
    abort.abort(new Error('another upload failed'));
    await expect(waiting).rejects.toThrow('another upload failed');
    await expect(sleepOrAbort(10, abort.signal)).rejects.toThrow('another upload failed');
  });
});
