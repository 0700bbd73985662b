import { describe, expect, it } from 'vitest';
import { CacheWarmer, DEFAULT_CACHE_TTL_MS, type WarmTicket } from './cache-warmer.js';
import { ManualClock } from './clock.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Records which tickets have been granted, and whether they write. */
function track(promises: Promise<WarmTicket>[]) {
  const granted: (WarmTicket | undefined)[] = promises.map(() => undefined);
  promises.forEach((promise, index) => void promise.then((ticket) => (granted[index] = ticket)));
  return granted;
}

describe('CacheWarmer', () => {
  it('CA-02 lets the first request of a prefix write and holds the rest until its response begins', async () => {
    const clock = new ManualClock();
    const warmer = new CacheWarmer({ clock });
    const writer = await warmer.enter('guide');
    expect(writer.writes).toBe(true);
    const held = track([1, 2, 3].map(() => warmer.enter('guide')));
    const other = await warmer.enter('other-prefix');
    expect(other.writes).toBe(true);
    await flush();
    expect(held.every((ticket) => ticket === undefined)).toBe(true);
    expect(warmer.held).toBe(3);

    writer.started();
    await flush();
    expect(held.map((ticket) => ticket?.writes)).toEqual([false, false, false]);
    // Warm now: later requests go at once, as readers.
    expect((await warmer.enter('guide')).writes).toBe(false);
    expect(warmer.writes).toBe(2);
    expect(warmer.timeouts).toBe(0);
  });

  it('CA-02 holds at most holdMs, then releases everyone', async () => {
    const clock = new ManualClock();
    const warmer = new CacheWarmer({ clock, holdMs: 5_000 });
    await warmer.enter('guide');
    const held = track([warmer.enter('guide')]);
    await clock.advance(1_000);
    const late = track([warmer.enter('guide')]);
    await clock.advance(3_999);
    expect(held[0]).toBeUndefined();
    await clock.advance(1);
    await flush();
    expect(held[0]?.writes).toBe(false);
    expect(late[0]?.writes).toBe(false);
    expect(warmer.timeouts).toBe(1);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('CA-02 hands writing to the next held request when the writer fails before its response', async () => {
    const clock = new ManualClock();
    const warmer = new CacheWarmer({ clock });
    const first = await warmer.enter('guide');
    const held = track([warmer.enter('guide'), warmer.enter('guide')]);
    first.failed();
    await flush();
    expect(held[0]?.writes).toBe(true);
    expect(held[1]).toBeUndefined();
    first.started(); // a stale ticket changes nothing
    await flush();
    expect(held[1]).toBeUndefined();
    held[0]?.started();
    await flush();
    expect(held[1]?.writes).toBe(false);
  });

  it('CA-02 forgets a failed prefix nobody waits for, and a prefix unused for longer than the TTL', async () => {
    const clock = new ManualClock();
    const warmer = new CacheWarmer({ clock });
    (await warmer.enter('a')).failed();
    expect((await warmer.enter('a')).writes).toBe(true);
    const b = await warmer.enter('b');
    b.started();
    await clock.advance(DEFAULT_CACHE_TTL_MS);
    expect((await warmer.enter('b')).writes).toBe(false);
    await clock.advance(DEFAULT_CACHE_TTL_MS + 1);
    expect((await warmer.enter('b')).writes).toBe(true);
  });

  it('CA-02 a cancelled hold rejects with RUN_CANCELLED and leaves nothing behind', async () => {
    const clock = new ManualClock();
    const warmer = new CacheWarmer({ clock });
    const writer = await warmer.enter('guide');
    const controller = new AbortController();
    const held = warmer.enter('guide', controller.signal);
    controller.abort();
    await expect(held).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    await flush();
    expect(clock.pendingSleepers).toBe(0);
    writer.started();
    await expect(warmer.enter('guide', controller.signal)).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
  });

  it('CA-02 with holdMs 0 nothing is ever held', async () => {
    const warmer = new CacheWarmer({ clock: new ManualClock(), holdMs: 0 });
    expect((await warmer.enter('guide')).writes).toBe(true);
    expect((await warmer.enter('guide')).writes).toBe(false);
    expect(warmer.held).toBe(0);
  });
});
