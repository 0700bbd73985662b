import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { RequestQuota } from './request-quota.js';
import { Scheduler } from './scheduler.js';
import { TokenBucket } from './token-bucket.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TokenBucket', () => {
  it('CA-05 lets a minute of tokens through at once, then refills at the per-minute rate', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(6_000, clock);
    expect(await bucket.take(6_000)).toBe(6_000);
    let granted = false;
    void bucket.take(1_000).then(() => (granted = true));
    await clock.advance(9_999);
    expect(granted).toBe(false);
    await clock.advance(1);
    await flush();
    expect(granted).toBe(true);
  });

  it('CA-05 refunds unused tokens and owes extra ones on settle', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1_000, clock);
    const taken = await bucket.take(800);
    bucket.settle(taken, 300);
    expect(bucket.level).toBe(700);
    const more = await bucket.take(700);
    bucket.settle(more, 1_000);
    expect(bucket.level).toBe(-300);
  });

  it('CA-05 serves waiters FIFO and clamps a request larger than the bucket to its size', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(600, clock);
    await bucket.take(600);
    const order: string[] = [];
    const big = bucket.take(10_000).then((taken) => order.push(`big:${taken}`));
    const small = bucket.take(10).then((taken) => order.push(`small:${taken}`));
    await clock.runUntilSettled(Promise.all([big, small]));
    expect(order).toEqual(['big:600', 'small:10']);
    expect(clock.now()).toBe(61_000);
  });

  it('CA-05 a cancelled waiter rejects with RUN_CANCELLED and stops the refill timer', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(60, clock);
    await bucket.take(60);
    const controller = new AbortController();
    const waiting = bucket.take(30, controller.signal);
    await flush();
    expect(clock.pendingSleepers).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    await flush();
    expect(clock.pendingSleepers).toBe(0);
    expect(bucket.queued).toBe(0);
    // A new waiter after the pump stopped is still served.
    const next = bucket.take(1);
    await clock.runUntilSettled(next);
  });
});

describe('RequestQuota', () => {
  it('CA-06 holds new requests until the reset once a response reports 0 remaining', async () => {
    const clock = new ManualClock();
    const quota = new RequestQuota({}, clock);
    await quota.reserve({ inputTokens: 10, outputTokens: 10 });
    quota.observe([{ remaining: 3, resetInMs: 60_000 }]);
    expect(quota.holdUntil).toBeLessThan(clock.now());
    quota.observe([{ remaining: 0, resetInMs: 2_000 }]);
    let sent = false;
    void quota.reserve({ inputTokens: 10, outputTokens: 10 }).then(() => (sent = true));
    await clock.advance(1_999);
    expect(sent).toBe(false);
    await clock.advance(1);
    await flush();
    expect(sent).toBe(true);
    expect(quota.holds).toBe(1);
  });

  it('CA-05 reserves input and output estimates and settles with what was used', async () => {
    const clock = new ManualClock();
    const quota = new RequestQuota({ inputTokensPerMinute: 10_000, outputTokensPerMinute: 2_000 }, clock);
    const reservation = await quota.reserve({ inputTokens: 4_000, outputTokens: 32_000 });
    expect(quota.input?.level).toBe(6_000);
    expect(quota.output?.level).toBe(0);
    reservation.settle({ inputTokens: 1_000, outputTokens: 150 });
    reservation.settle({ inputTokens: 0, outputTokens: 0 }); // idempotent
    expect(quota.input?.level).toBe(9_000);
    expect(quota.output?.level).toBe(1_850);
    const failed = await quota.reserve({ inputTokens: 9_000, outputTokens: 100 });
    failed.settle(undefined);
    expect(quota.input?.level).toBe(9_000);
  });

  it('CA-05 a provider concurrency limit caps the request gate below --concurrency', () => {
    const scheduler = new Scheduler({ concurrency: 16, rateLimits: { concurrency: 4 } });
    expect(scheduler.limiter.max).toBe(4);
    expect(new Scheduler({ concurrency: 2, rateLimits: { concurrency: 4 } }).limiter.max).toBe(2);
    expect(() => new Scheduler({ rateLimits: { concurrency: 0 } })).toThrow(
      expect.objectContaining({ code: 'ARGS_INVALID' }) as Error,
    );
  });
});
