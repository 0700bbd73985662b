import type { Clock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

/** Settings `rateLimits.<provider>`: what one provider allows this run (all its agents share it). */
export interface ProviderRateLimits {
  /** Model requests in flight at once (caps the adaptive gate below `--concurrency`). */
  readonly concurrency?: number;
  readonly inputTokensPerMinute?: number;
  readonly outputTokensPerMinute?: number;
}

/** A rate-limit window a provider reported with a response (scheduler-side shape). */
export interface QuotaWindow {
  readonly remaining: number;
  readonly resetInMs: number;
}

export interface TokenEstimate {
  /** Prompt tokens the provider will meter (those not read from cache, once known). */
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface QuotaReservation {
  /**
   * The request is over: `used` is what it consumed (undefined when it failed and consumed
   * nothing). Unused tokens go back to the buckets. Idempotent.
   */
  settle(used: TokenEstimate | undefined): void;
}

const NOTHING_RESERVED: QuotaReservation = { settle: () => undefined };

/**
 * The provider's rate limits, shared by every agent of a run: tokens-per-minute buckets from
 * settings, and holds from the provider's own headers — once a response says requests or tokens
 * remaining are 0, no new request goes out before the window resets (rather than collecting 429s).
 *
 * @example
 * const reservation = await quota.reserve({ inputTokens: 12_000, outputTokens: maxTokens }, signal);
 * try {
 *   const response = await provider.createMessage(request);
 *   reservation.settle({ inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens });
 *   quota.observe(windowsOf(response.rateLimit));
 * } catch (error) {
 *   reservation.settle(undefined);
 * }
 */
export class RequestQuota {
  readonly #clock: Clock;
  readonly input: TokenBucket | undefined;
  readonly output: TokenBucket | undefined;
  #holdUntil = Number.NEGATIVE_INFINITY;
  #holds = 0;

  constructor(limits: ProviderRateLimits, clock: Clock) {
    this.#clock = clock;
    this.input =
      limits.inputTokensPerMinute === undefined
        ? undefined
        : new TokenBucket(limits.inputTokensPerMinute, clock);
    this.output =
      limits.outputTokensPerMinute === undefined
        ? undefined
        : new TokenBucket(limits.outputTokensPerMinute, clock);
  }

  /** True when a request has to reserve tokens (a bucket is configured). */
  get metered(): boolean {
    return this.input !== undefined || this.output !== undefined;
  }

  /** How many times the provider's headers made requests wait for a reset. */
  get holds(): number {
    return this.#holds;
  }

  /** When held requests may go again (clock time); in the past when nothing is held. */
  get holdUntil(): number {
    return this.#holdUntil;
  }

  /** The windows a response reported: any at 0 holds new requests until it resets. */
  observe(windows: readonly QuotaWindow[]): void {
    for (const window of windows) {
      if (window.remaining > 0) continue;
      const until = this.#clock.now() + Math.max(0, window.resetInMs);
      if (until > this.#holdUntil) {
        if (this.#holdUntil <= this.#clock.now()) this.#holds += 1;
        this.#holdUntil = until;
      }
    }
  }

  /**
   * Waits out a hold, then takes the estimate from the buckets. Rejects with LimitError
   * `RUN_CANCELLED` if `signal` aborts first (holding nothing).
   */
  async reserve(estimate: TokenEstimate, signal?: AbortSignal): Promise<QuotaReservation> {
    // A hold may be extended while we sleep (another response said 0 again): look again.
    for (let now = this.#clock.now(); now < this.#holdUntil; now = this.#clock.now()) {
      await this.#clock.sleep(this.#holdUntil - now, signal);
    }
    if (!this.metered) return NOTHING_RESERVED;
    const input = this.input === undefined ? 0 : await this.input.take(estimate.inputTokens, signal);
    let output: number;
    try {
      output = this.output === undefined ? 0 : await this.output.take(estimate.outputTokens, signal);
    } catch (error) {
      this.input?.settle(input, 0);
      throw error;
    }
    let settled = false;
    return {
      settle: (used) => {
        if (settled) return;
        settled = true;
        this.input?.settle(input, used?.inputTokens ?? 0);
        this.output?.settle(output, used?.outputTokens ?? 0);
      },
    };
  }
}
