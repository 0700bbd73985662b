import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { LinkedQueue } from './internal/linked-queue.js';
import { requireInteger } from './internal/validate.js';

/** One model request's right to be in flight. */
export interface RequestPermit {
  /**
   * The limiter's congestion epoch when the request was sent. A 429 from a request sent before the
   * latest decrease is old news (that decrease already answered it), so it does not decrease again.
   */
  readonly epoch: number;
  /** Gives the permit back. Idempotent. */
  release(): void;
}

export interface AdaptiveLimiterOptions {
  /** The ceiling, and the starting limit (normally the run's concurrency). */
  readonly max: number;
  /** The floor. Default 1. */
  readonly min?: number;
  /** Multiplier applied on congestion. Default 0.5. */
  readonly decreaseFactor?: number;
}

interface PermitWaiter {
  readonly grant: (permit: RequestPermit) => void;
  unwatch: () => void;
}

/**
 * An AIMD gate in front of model requests (TCP congestion control, applied to a provider's rate
 * limit). Each success adds `1/limit`, so the limit grows by about one per round of requests; a
 * 429/529 multiplies it by `decreaseFactor`, at most once per congestion window.
 *
 * The window is epoch-based: a decrease starts a new epoch, and congestion reported by a request
 * sent in an older epoch is ignored. Sixteen requests that all hit 429 at once therefore halve the
 * limit once, not sixteen times, while a 429 from a request sent after the decrease (proof the
 * lower limit is still too high) halves it again at once.
 *
 * @example
 * const limiter = new AdaptiveLimiter({ max: 16 });
 * const permit = await limiter.acquire(signal);
 * try {
 *   const response = await provider.send(request);
 *   limiter.onSuccess();
 *   return response;
 * } catch (error) {
 *   if (isRateLimit(error)) limiter.onCongestion(permit);
 *   throw error;
 * } finally {
 *   permit.release();
 * }
 */
export class AdaptiveLimiter {
  readonly max: number;
  readonly min: number;
  readonly #decreaseFactor: number;
  /** Fractional; the number of permits is its floor. */
  #window: number;
  #epoch = 0;
  #inFlight = 0;
  #decreases = 0;
  readonly #waiters = new LinkedQueue<PermitWaiter>();

  constructor(options: AdaptiveLimiterOptions) {
    requireInteger(options.max, 1, 'The request concurrency ceiling', '--concurrency');
    const min = options.min ?? 1;
    requireInteger(min, 1, 'The request concurrency floor', '--concurrency');
    const decreaseFactor = options.decreaseFactor ?? 0.5;
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new RangeError(`decreaseFactor must be in (0, 1), got ${decreaseFactor}`);
    }
    this.max = options.max;
    this.min = Math.min(min, options.max);
    this.#decreaseFactor = decreaseFactor;
    this.#window = options.max;
  }

  /** How many requests may be in flight now. */
  get limit(): number {
    return Math.max(this.min, Math.floor(this.#window));
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#waiters.size;
  }

  /** Increments on every decrease; permits carry it (see {@link RequestPermit.epoch}). */
  get epoch(): number {
    return this.#epoch;
  }

  /** How many times congestion lowered the limit. */
  get decreases(): number {
    return this.#decreases;
  }

  /** Waits for a permit (FIFO). Rejects with LimitError `RUN_CANCELLED` if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<RequestPermit> {
    if (signal?.aborted)
      return Promise.reject(cancelledError('Waiting to send a model request', signal.reason));
    if (this.#waiters.size === 0 && this.#inFlight < this.limit) return Promise.resolve(this.#issue());
    return new Promise<RequestPermit>((resolve, reject) => {
      const waiter: PermitWaiter = { grant: resolve, unwatch: () => undefined };
      const node = this.#waiters.push(waiter);
      if (signal !== undefined) {
        waiter.unwatch = watchAbort(signal, (reason) => {
          this.#waiters.remove(node);
          reject(cancelledError('Waiting to send a model request', reason));
        });
      }
    });
  }

  /** A request succeeded: additive increase. */
  onSuccess(): void {
    this.#window = Math.min(this.max, this.#window + 1 / this.#window);
    this.#dispatch();
  }

  /**
   * The provider pushed back (429 rate limit, 529 overloaded) on the request holding `permit`:
   * multiplicative decrease, unless this window already decreased. Returns true when it decreased.
   */
  onCongestion(permit: RequestPermit): boolean {
    if (permit.epoch < this.#epoch) return false;
    const lowered = Math.max(this.min, this.#window * this.#decreaseFactor);
    this.#epoch += 1;
    if (lowered === this.#window) return false;
    this.#window = lowered;
    this.#decreases += 1;
    return true;
  }

  #issue(): RequestPermit {
    this.#inFlight += 1;
    let released = false;
    return {
      epoch: this.#epoch,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        this.#dispatch();
      },
    };
  }

  #dispatch(): void {
    while (this.#inFlight < this.limit) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      waiter.unwatch();
      waiter.grant(this.#issue());
    }
  }
}
