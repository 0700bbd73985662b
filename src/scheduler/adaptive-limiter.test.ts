import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, type RequestPermit } from './adaptive-limiter.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

async function take(limiter: AdaptiveLimiter, count: number): Promise<RequestPermit[]> {
  const permits: RequestPermit[] = [];
  for (let index = 0; index < count; index += 1) permits.push(await limiter.acquire());
  return permits;
}

describe('AdaptiveLimiter', () => {
  it('starts at max and holds the (limit+1)-th request until a permit is released', async () => {
    const limiter = new AdaptiveLimiter({ max: 4 });
    expect(limiter.limit).toBe(4);
    const permits = await take(limiter, 4);
    let fifthSent = false;
    const fifth = limiter.acquire().then((permit) => {
      fifthSent = true;
      return permit;
    });
    await flush();
    expect(fifthSent).toBe(false);
    expect(limiter.queued).toBe(1);
    permits[0]?.release();
    permits[0]?.release(); // idempotent
    await fifth;
    expect(limiter.inFlight).toBe(4);
  });

  it('halves once for a burst of 16 simultaneous 429s from the same window', async () => {
    const limiter = new AdaptiveLimiter({ max: 64 });
    const permits = await take(limiter, 16);
    const decreased = permits.map((permit) => limiter.onCongestion(permit));
    expect(decreased.filter(Boolean)).toHaveLength(1);
    expect(limiter.limit).toBe(32);
    expect(limiter.decreases).toBe(1);
  });

  it('halves again when a request sent after the decrease is still rate-limited', async () => {
    const limiter = new AdaptiveLimiter({ max: 64 });
    const [old] = await take(limiter, 1);
    limiter.onCongestion(old as RequestPermit);
    old?.release();
    const [fresh] = await take(limiter, 1);
    expect(fresh?.epoch).toBe(1);
    limiter.onCongestion(fresh as RequestPermit);
    expect(limiter.limit).toBe(16);
  });

  it('never goes below 1 (or the configured min)', async () => {
    const limiter = new AdaptiveLimiter({ max: 8 });
    for (let round = 0; round < 10; round += 1) {
      const [permit] = await take(limiter, 1);
      limiter.onCongestion(permit as RequestPermit);
      permit?.release();
    }
    expect(limiter.limit).toBe(1);
    expect(limiter.decreases).toBe(3); // 8 → 4 → 2 → 1, then pinned at the floor
    const floored = new AdaptiveLimiter({ max: 8, min: 3 });
    for (let round = 0; round < 5; round += 1) {
      const [permit] = await take(floored, 1);
      floored.onCongestion(permit as RequestPermit);
      permit?.release();
    }
    expect(floored.limit).toBe(3);
  });

  it('recovers about one per window of successes, up to max and not beyond', async () => {
    const limiter = new AdaptiveLimiter({ max: 64 });
    const [permit] = await take(limiter, 1);
    limiter.onCongestion(permit as RequestPermit);
    permit?.release();
    expect(limiter.limit).toBe(32);
    for (let index = 0; index < 32; index += 1) limiter.onSuccess();
    expect(limiter.limit).toBe(32); // 32 successes at ~1/32 each: just under 33
    limiter.onSuccess();
    expect(limiter.limit).toBe(33);
    // Gradual: it takes roughly (limit) successes per +1, so ~1,500 to climb back to 64.
    let successes = 33;
    while (limiter.limit < 64) {
      limiter.onSuccess();
      successes += 1;
    }
    expect(successes).toBeGreaterThan(1_200);
    expect(successes).toBeLessThan(1_700);
    for (let index = 0; index < 1_000; index += 1) limiter.onSuccess();
    expect(limiter.limit).toBe(64);
  });

  it('holds new requests while in-flight exceeds a lowered limit, and admits them as the limit grows', async () => {
    const limiter = new AdaptiveLimiter({ max: 8 });
    const permits = await take(limiter, 8);
    limiter.onCongestion(permits[0] as RequestPermit);
    expect(limiter.limit).toBe(4);
    let sent = 0;
    const waiting = Array.from({ length: 3 }, () =>
      limiter.acquire().then((permit) => {
        sent += 1;
        return permit;
      }),
    );
    for (const permit of permits.slice(0, 4)) permit.release();
    await flush();
    expect(sent).toBe(0); // 4 still in flight = the new limit
    permits[4]?.release();
    await flush();
    expect(sent).toBe(1);
    for (let index = 0; index < 5; index += 1) limiter.onSuccess(); // 4 → 5.x
    await flush();
    expect(limiter.limit).toBe(5);
    expect(sent).toBe(2);
    for (const permit of permits.slice(5)) permit.release();
    for (const permit of await Promise.all(waiting)) permit.release();
    expect(sent).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('cancels a queued acquire with RUN_CANCELLED', async () => {
    const limiter = new AdaptiveLimiter({ max: 1 });
    const [held] = await take(limiter, 1);
    const controller = new AbortController();
    const cancelled = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(limiter.queued).toBe(1);
    held?.release();
    (await next).release();
    expect(limiter.inFlight).toBe(0);
  });

  it('rejects an invalid max with ARGS_INVALID', () => {
    expect(() => new AdaptiveLimiter({ max: 0 })).toThrow(expect.objectContaining({ code: 'ARGS_INVALID' }));
  });
});
