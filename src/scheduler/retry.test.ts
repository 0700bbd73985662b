import { describe, expect, it } from 'vitest';
import { LimitError, ProviderError, type ErrorCode } from '../errors/index.js';
import { AdaptiveLimiter } from './adaptive-limiter.js';
import { ManualClock } from './clock.js';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, sendWithRetry, type RetryInfo } from './retry.js';
import { createSeededRandom } from './seeded-random.js';

/** A transient provider failure as the providers folder raises it (retryAfterMs marks it retryable). */
function transient(code: ErrorCode, retryAfterMs = 0): ProviderError {
  return new ProviderError(code, `fake ${code}`, { retryAfterMs });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter inside [0, ceiling]', () => {
    const highest = Array.from({ length: 10 }, (_, index) => backoffDelay(index + 1, () => 0.999_999));
    expect(highest).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999, 29999]);
    expect(backoffDelay(5, () => 0)).toBe(0);
    const random = createSeededRandom(3);
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      const samples = Array.from({ length: 200 }, () => backoffDelay(attempt, random));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThanOrEqual(ceiling);
      // Jitter really spreads: the samples are not all equal and reach into the upper half.
      expect(new Set(samples).size).toBeGreaterThan(50);
      expect(Math.max(...samples)).toBeGreaterThan(ceiling / 2);
    }
  });

  it('uses retryAfterMs when it is larger than the backoff, and ignores it when smaller', () => {
    expect(backoffDelay(1, () => 0.5, 12_000)).toBe(12_000);
    expect(backoffDelay(6, () => 0.5, 10)).toBe(8_000);
  });
});

describe('sendWithRetry', () => {
  it('retries transient errors after the backoff delay, honouring a larger retryAfterMs', async () => {
    const clock = new ManualClock();
    const limiter = new AdaptiveLimiter({ max: 4 });
    const startedAt: number[] = [];
    const retries: RetryInfo[] = [];
    const failures = [transient('PROVIDER_RATE_LIMITED', 7_000), transient('PROVIDER_SERVER_ERROR')];
    const result = clock.runUntilSettled(
      sendWithRetry(
        (attempt) => {
          startedAt.push(clock.now());
          const failure = failures[attempt - 1];
          return failure ? Promise.reject(failure) : Promise.resolve('done');
        },
        { limiter, clock, random: () => 0.75, onRetry: (info) => retries.push(info) },
      ),
    );
    await expect(result).resolves.toEqual({ value: 'done', attempts: 3 });
    // attempt 1 → 429 with retry-after 7 s (> 0.75 × 500); attempt 2 → 500, backoff 0.75 × 1000.
    expect(startedAt).toEqual([0, 7_000, 7_750]);
    expect(retries.map((info) => [info.attempt, info.delayMs])).toEqual([
      [1, 7_000],
      [2, 750],
    ]);
    expect(retries[0]?.error).toBe(failures[0]);
    expect(limiter.inFlight).toBe(0);
  });

  it.each([
    [
      'a request the provider rejects',
      new ProviderError('PROVIDER_REQUEST_REJECTED', 'bad request', { status: 400 }),
    ],
    ['a budget stop', new LimitError('BUDGET_EXHAUSTED', 'no budget')],
    ['a plain bug', new TypeError('undefined is not a function')],
  ])('does not retry %s', async (_name, error) => {
    const clock = new ManualClock();
    const limiter = new AdaptiveLimiter({ max: 4 });
    let attempts = 0;
    const result = sendWithRetry(
      () => {
        attempts += 1;
        return Promise.reject(error);
      },
      { limiter, clock },
    );
    await expect(result).rejects.toBe(error);
    expect(attempts).toBe(1);
    expect(limiter.inFlight).toBe(0);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const clock = new ManualClock();
    const limiter = new AdaptiveLimiter({ max: 4 });
    const seen: number[] = [];
    const last = transient('PROVIDER_OVERLOADED');
    const result = clock.runUntilSettled(
      sendWithRetry((attempt) => Promise.reject(attempt === 3 ? last : transient('PROVIDER_OVERLOADED')), {
        limiter,
        clock,
        maxAttempts: 3,
        onAttempt: (attempt) => seen.push(attempt),
      }),
    );
    await expect(result).rejects.toBe(last);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('defaults to 8 attempts', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const result = clock.runUntilSettled(
      sendWithRetry(
        () => {
          attempts += 1;
          return Promise.reject(transient('PROVIDER_CONNECTION'));
        },
        { limiter: new AdaptiveLimiter({ max: 1 }), clock, random: createSeededRandom(1) },
      ),
    );
    await expect(result).rejects.toMatchObject({ code: 'PROVIDER_CONNECTION' });
    expect(attempts).toBe(8);
  });

  it('40 requests failing twice each (429/529/500/connection) all succeed with attempts = 3', async () => {
    const clock = new ManualClock();
    const limiter = new AdaptiveLimiter({ max: 16 });
    const codes: ErrorCode[] = [
      'PROVIDER_RATE_LIMITED',
      'PROVIDER_OVERLOADED',
      'PROVIDER_SERVER_ERROR',
      'PROVIDER_CONNECTION',
    ];
    const random = createSeededRandom(11);
    const requests = Array.from({ length: 40 }, (_, index) =>
      sendWithRetry(
        async (attempt) => {
          await clock.sleep(50);
          if (attempt <= 2) throw transient(codes[(index + attempt) % codes.length] as ErrorCode);
          return index;
        },
        { limiter, clock, random },
      ),
    );
    const results = await clock.runUntilSettled(Promise.all(requests));
    expect(results.map((result) => result.value)).toEqual(Array.from({ length: 40 }, (_, index) => index));
    expect(results.every((result) => result.attempts === 3)).toBe(true);
    expect(limiter.inFlight).toBe(0);
  });

  it('reports 429 and 529 as congestion to the limiter, but not 500 or a dropped connection', async () => {
    const clock = new ManualClock();
    const decreasesAfter = async (code: ErrorCode): Promise<number> => {
      const limiter = new AdaptiveLimiter({ max: 16 });
      await clock.runUntilSettled(
        sendWithRetry(
          (attempt) => (attempt === 1 ? Promise.reject(transient(code)) : Promise.resolve(attempt)),
          { limiter, clock, random: () => 0.5 },
        ),
      );
      return limiter.decreases;
    };
    expect(await decreasesAfter('PROVIDER_RATE_LIMITED')).toBe(1);
    expect(await decreasesAfter('PROVIDER_OVERLOADED')).toBe(1);
    expect(await decreasesAfter('PROVIDER_SERVER_ERROR')).toBe(0);
    expect(await decreasesAfter('PROVIDER_CONNECTION')).toBe(0);
  });

  it('aborts promptly during a backoff wait, with RUN_CANCELLED', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let attempts = 0;
    const result = sendWithRetry(
      () => {
        attempts += 1;
        return Promise.reject(transient('PROVIDER_RATE_LIMITED', 60_000));
      },
      { limiter: new AdaptiveLimiter({ max: 2 }), clock, signal: controller.signal },
    );
    await flush();
    expect(clock.pendingSleepers).toBe(1);
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(attempts).toBe(1);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('aborts promptly during an attempt that ignores the signal, and frees its permit only when it settles', async () => {
    const clock = new ManualClock();
    const limiter = new AdaptiveLimiter({ max: 1 });
    const controller = new AbortController();
    let finish = (): void => undefined;
    const hung = new Promise<string>((resolve) => {
      finish = () => resolve('late');
    });
    const result = sendWithRetry(() => hung, { limiter, clock, signal: controller.signal });
    await flush();
    expect(limiter.inFlight).toBe(1);
    controller.abort();
    await expect(result).rejects.toBeInstanceOf(LimitError);
    await expect(result).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(limiter.inFlight).toBe(1);
    finish();
    await flush();
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let attempts = 0;
    const result = sendWithRetry(
      () => {
        attempts += 1;
        return Promise.resolve(1);
      },
      { limiter: new AdaptiveLimiter({ max: 1 }), clock: new ManualClock(), signal: controller.signal },
    );
    await expect(result).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(attempts).toBe(0);
  });

  it('releases the permit when an attempt throws synchronously', async () => {
    const limiter = new AdaptiveLimiter({ max: 1 });
    const result = sendWithRetry(
      () => {
        throw new TypeError('sync bug');
      },
      { limiter, clock: new ManualClock() },
    );
    await expect(result).rejects.toBeInstanceOf(TypeError);
    expect(limiter.inFlight).toBe(0);
  });
});
