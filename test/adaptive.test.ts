/**
 * AD-*: under sustained rate limiting the run slows itself down instead of storming the
 * provider, and still completes every agent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';
import { fastClock } from './helpers/fast-clock.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ failRate: 0.3, seed: 11, deps: { clock: fastClock(200) } });
});
afterAll(async () => harness.close());

it('AD-01 a 30% 429/529 rate shrinks the request gate (AIMD) and every agent still succeeds', async () => {
  const outcome = await harness.runText(
    `export const meta = { name: 'storm', description: 'fan-out under rate limits' }
    const r = await parallel(Array.from({ length: 200 }, (_, i) => () => agent('item ' + i + '\\n@sim reply ' + i)))
    return r.filter((x, i) => x === String(i)).length`,
    undefined,
    { limits: { concurrency: 32 } },
  );
  expect(outcome.status).toBe('done');
  expect(outcome.result).toBe(200);
  expect(outcome.scheduler.congestionDecreases).toBeGreaterThan(0);
  const stats = harness.sim.stats();
  expect(stats.errorsInjected).toBeGreaterThan(0);
  // Every injected error cost one extra request, and nothing more: no storm.
  expect(stats.requests).toBe(200 + stats.errorsInjected);
});
