/**
 * The scheduler: when agents may start and when model requests may go out. See README.md.
 */
export { systemClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { AgentSlots } from './agent-slots.js';
export type { ReleaseSlot } from './agent-slots.js';
export { AdaptiveLimiter } from './adaptive-limiter.js';
export type { AdaptiveLimiterOptions, RequestPermit } from './adaptive-limiter.js';
export {
  sendWithRetry,
  backoffDelay,
  isRetryable,
  isCongestion,
  DEFAULT_MAX_ATTEMPTS,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
} from './retry.js';
export type { RetryInfo, SendResult, SendWithRetryOptions } from './retry.js';
export { createSeededRandom } from './seeded-random.js';
export { BudgetLedger } from './budget-ledger.js';
export type { BudgetReservation } from './budget-ledger.js';
export { CostLedger } from './cost-ledger.js';
export { AgentCounter, DEFAULT_MAX_AGENTS } from './agent-counter.js';
export { Scheduler, DEFAULT_CONCURRENCY } from './scheduler.js';
export type { SchedulerOptions, SchedulerStats, StartedAgent, SendOptionsForScheduler } from './scheduler.js';
export {
  CacheWarmer,
  DEFAULT_WARM_HOLD_MS,
  DEFAULT_CACHE_TTL_MS,
  MAX_WARM_PREFIXES,
} from './cache-warmer.js';
export type { CacheWarmerOptions, WarmTicket } from './cache-warmer.js';
export { TokenBucket } from './token-bucket.js';
export { RequestQuota } from './request-quota.js';
export type { ProviderRateLimits, QuotaReservation, QuotaWindow, TokenEstimate } from './request-quota.js';
