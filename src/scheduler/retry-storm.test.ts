import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/index.js';
import { AdaptiveLimiter } from './adaptive-limiter.js';
import { ManualClock } from './clock.js';
import { sendWithRetry } from './retry.js';
import { createSeededRandom } from './seeded-random.js';

/**
 * The failure this folder exists to prevent: a fan-out far wider than the provider's real capacity
 * retrying 429s in a storm. The fake server accepts at most `capacity` concurrent requests and
 * answers every request beyond that with a quick 429.
 */
class FakeServer {
  active = 0;
  peakActive = 0;
  attempts = 0;
  rejected = 0;

  constructor(
    private readonly clock: ManualClock,
    private readonly capacity: number,
  ) {}

  async handle(id: number): Promise<number> {
    this.attempts += 1;
    if (this.active >= this.capacity) {
      this.rejected += 1;
      await this.clock.sleep(10);
      throw new ProviderError('PROVIDER_RATE_LIMITED', 'rate_limit_error', { status: 429, retryAfterMs: 0 });
    }
    this.active += 1;
    this.peakActive = Math.max(this.peakActive, this.active);
    await this.clock.sleep(100);
    this.active -= 1;
    return id;
  }
}

interface StormOutcome {
  readonly attempts: number;
  readonly completed: number;
  readonly failed: number;
  readonly finalLimit: number;
}

async function storm(limiter: AdaptiveLimiter, requests: number, seed: number): Promise<StormOutcome> {
  const clock = new ManualClock();
  const server = new FakeServer(clock, 8);
  const random = createSeededRandom(seed);
  const all = Array.from({ length: requests }, (_, id) =>
    sendWithRetry(() => server.handle(id), { limiter, clock, random }).then(
      () => 'ok' as const,
      () => 'failed' as const,
    ),
  );
  const outcomes = await clock.runUntilSettled(Promise.all(all));
  return {
    attempts: server.attempts,
    completed: outcomes.filter((outcome) => outcome === 'ok').length,
    failed: outcomes.filter((outcome) => outcome === 'failed').length,
    finalLimit: limiter.limit,
  };
}

describe('retry storm: 200 requests against a server that 429s above 8 in flight', () => {
  it.each([1, 2, 3])(
    'with the adaptive limiter every request completes in < 2× attempts (seed %i)',
    async (seed) => {
      const adaptive = await storm(new AdaptiveLimiter({ max: 64 }), 200, seed);
      expect(adaptive.completed).toBe(200);
      expect(adaptive.attempts).toBeLessThan(400);
      // It settled near the server's real capacity instead of staying at 64.
      expect(adaptive.finalLimit).toBeLessThanOrEqual(16);
    },
  );

  it('with the limit pinned at 64 the same load burns far more attempts', async () => {
    const adaptive = await storm(new AdaptiveLimiter({ max: 64 }), 200, 1);
    const pinned = await storm(new AdaptiveLimiter({ max: 64, min: 64 }), 200, 1);
    expect(pinned.finalLimit).toBe(64);
    expect(pinned.attempts).toBeGreaterThan(2 * adaptive.attempts);
  });
});
