import type { SimBehaviour } from '../types.js';
import type { AttemptCounter } from './failures.js';
import type { PromptCache } from './prompt-cache.js';
import type { SimRateLimits } from './rate-limits.js';
import type { StatsRecorder } from './stats.js';

/** Everything one simulator instance shares between requests. */
export interface SimState {
  readonly seed: number;
  readonly latencyMs: number;
  readonly failRate: number;
  readonly behaviour: SimBehaviour | undefined;
  readonly stats: StatsRecorder;
  readonly cache: PromptCache;
  readonly attempts: AttemptCounter;
  /** Present when the simulator enforces rate limits (`rateLimit` option). */
  readonly rateLimits: SimRateLimits | undefined;
  readonly nextRequestId: () => string;
}
