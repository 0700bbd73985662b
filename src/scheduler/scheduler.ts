import { AdaptiveLimiter } from './adaptive-limiter.js';
import { AgentCounter, DEFAULT_MAX_AGENTS } from './agent-counter.js';
import { AgentSlots, type ReleaseSlot } from './agent-slots.js';
import { BudgetLedger } from './budget-ledger.js';
import { CacheWarmer, DEFAULT_WARM_HOLD_MS } from './cache-warmer.js';
import { systemClock, type Clock } from './clock.js';
import { CostLedger } from './cost-ledger.js';
import { requireInteger } from './internal/validate.js';
import { RequestQuota, type ProviderRateLimits } from './request-quota.js';
import { DEFAULT_MAX_ATTEMPTS, sendWithRetry, type RetryInfo, type SendResult } from './retry.js';

export const DEFAULT_CONCURRENCY = 16;

export interface SchedulerOptions {
  /** Agents running at once (`--concurrency`). Default 16. Also the ceiling of the request gate. */
  readonly concurrency?: number;
  /** Agents per run (`--max-agents`). Default 1,000. */
  readonly maxAgents?: number;
  /** Output-token ceiling (`--budget`); null or absent = none. */
  readonly budgetTokens?: number | null;
  /** Estimated-cost ceiling in USD (`--max-cost`); null or absent = none. */
  readonly maxCostUsd?: number | null;
  readonly clock?: Clock;
  /** Jitter source for backoff; inject a seeded one for reproducible runs. */
  readonly random?: () => number;
  /** Attempts per model request. Default 8. */
  readonly maxAttempts?: number;
  /** The provider's limits from settings `rateLimits` (request concurrency, tokens per minute). */
  readonly rateLimits?: ProviderRateLimits;
  /**
   * Longest hold of requests behind the first writer of their shared prompt-cache prefix
   * (default 5,000 ms; 0 turns cache warming off).
   */
  readonly cacheWarmHoldMs?: number;
}

export interface SchedulerStats {
  readonly paused: boolean;
  /** Agents holding a slot. */
  readonly running: number;
  /** Agents waiting for a slot. */
  readonly queued: number;
  readonly concurrency: number;
  /** What the adaptive request gate allows now (drops under rate limiting). */
  readonly effectiveConcurrency: number;
  readonly requestsInFlight: number;
  readonly requestsQueued: number;
  /** How often rate limits lowered the request gate. */
  readonly congestionDecreases: number;
  readonly agentsAdmitted: number;
  readonly maxAgents: number;
  readonly budgetTokens: number | null;
  readonly spent: number;
  readonly reservedTokens: number;
  readonly remainingTokens: number;
  readonly spentUsd: number;
  readonly maxCostUsd: number | null;
}

export interface StartedAgent {
  /** 1-based position of this agent in the run (shared with child workflows). */
  readonly ordinal: number;
  /** Frees the agent's slot. Idempotent. */
  readonly release: ReleaseSlot;
}

export interface SendOptionsForScheduler {
  readonly signal?: AbortSignal | undefined;
  readonly onAttempt?: ((attempt: number) => void) | undefined;
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * Everything that decides when agents start and when model requests go out, for one run and its
 * child workflows (they share this one instance: cap, counter, budget, cost).
 *
 * @example
 * const scheduler = new Scheduler({ concurrency: 16, maxAgents: 1000, budgetTokens: 200_000, maxCostUsd: null });
 * const { release } = await scheduler.startAgent(stageIndex, signal);
 * try {
 *   const { value } = await scheduler.send((attempt) => provider.send(request, { signal }), { signal });
 * } finally {
 *   release();
 * }
 */
export class Scheduler {
  readonly clock: Clock;
  readonly slots: AgentSlots;
  readonly limiter: AdaptiveLimiter;
  readonly budget: BudgetLedger;
  readonly cost: CostLedger;
  readonly agents: AgentCounter;
  /** Holds requests that share a prompt-cache prefix until its first writer's response began. */
  readonly cacheWarmer: CacheWarmer;
  /** The provider's tokens-per-minute limits and rate-limit-header holds, shared by all agents. */
  readonly quota: RequestQuota;
  readonly #random: () => number;
  readonly #maxAttempts: number;

  constructor(options: SchedulerOptions = {}) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.clock = options.clock ?? systemClock;
    this.slots = new AgentSlots(concurrency);
    const requestConcurrency = options.rateLimits?.concurrency;
    if (requestConcurrency !== undefined) {
      requireInteger(requestConcurrency, 1, 'A provider concurrency limit', 'settings "rateLimits"');
    }
    this.limiter = new AdaptiveLimiter({ max: Math.min(concurrency, requestConcurrency ?? concurrency) });
    this.budget = new BudgetLedger(options.budgetTokens ?? null);
    this.cost = new CostLedger(options.maxCostUsd ?? null);
    this.agents = new AgentCounter(options.maxAgents ?? DEFAULT_MAX_AGENTS);
    this.cacheWarmer = new CacheWarmer({
      clock: this.clock,
      holdMs: options.cacheWarmHoldMs ?? DEFAULT_WARM_HOLD_MS,
    });
    this.quota = new RequestQuota(options.rateLimits ?? {}, this.clock);
    this.#random = options.random ?? Math.random;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /**
   * What `agent()` does before it runs: refuse when a ceiling is reached (BUDGET_EXHAUSTED,
   * COST_EXHAUSTED), count the agent (AGENT_CAP_REACHED past the cap), wait for a slot
   * (RUN_CANCELLED if `signal` aborts), and check the ceilings again, since they may have been
   * reached while it waited.
   */
  async startAgent(priority: number, signal?: AbortSignal): Promise<StartedAgent> {
    this.budget.check();
    this.cost.check();
    const ordinal = this.agents.admit();
    const release = await this.slots.acquire(priority, signal);
    try {
      this.budget.check();
      this.cost.check();
    } catch (error) {
      release();
      throw error;
    }
    return { ordinal, release };
  }

  /** {@link sendWithRetry} through this scheduler's limiter, clock, jitter and attempt limit. */
  send<T>(
    attempt: (attemptNumber: number) => Promise<T>,
    options: SendOptionsForScheduler = {},
  ): Promise<SendResult<T>> {
    return sendWithRetry(attempt, {
      limiter: this.limiter,
      clock: this.clock,
      random: this.#random,
      maxAttempts: this.#maxAttempts,
      signal: options.signal,
      onAttempt: options.onAttempt,
      onRetry: options.onRetry,
    });
  }

  /** Stops starting new agents (running ones go on). */
  pause(): void {
    this.slots.pause();
  }

  resume(): void {
    this.slots.resume();
  }

  get paused(): boolean {
    return this.slots.paused;
  }

  stats(): SchedulerStats {
    return {
      paused: this.slots.paused,
      running: this.slots.running,
      queued: this.slots.queued,
      concurrency: this.slots.concurrency,
      effectiveConcurrency: this.limiter.limit,
      requestsInFlight: this.limiter.inFlight,
      requestsQueued: this.limiter.queued,
      congestionDecreases: this.limiter.decreases,
      agentsAdmitted: this.agents.count,
      maxAgents: this.agents.max,
      budgetTokens: this.budget.total,
      spent: this.budget.spent(),
      reservedTokens: this.budget.reserved(),
      remainingTokens: this.budget.remaining(),
      spentUsd: this.cost.spent(),
      maxCostUsd: this.cost.maxUsd,
    };
  }
}
