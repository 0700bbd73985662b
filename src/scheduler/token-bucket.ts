import type { Clock } from './clock.js';
import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { LinkedQueue, type QueueNode } from './internal/linked-queue.js';
import { requireInteger } from './internal/validate.js';

const MINUTE_MS = 60_000;

interface TokenWaiter {
  readonly need: number;
  readonly grant: () => void;
}

/**
 * A tokens-per-minute limit: a bucket holding up to `perMinute` tokens that refills continuously
 * (`perMinute` per 60 s), as providers meter input and output tokens. A request takes its estimate
 * before it is sent and settles with what it really used afterwards: unused tokens go back, extra
 * ones are owed (the level may go below zero, which delays the next requests).
 *
 * Waiters are served in FIFO order, so a large request is not starved by small ones. A request
 * larger than the whole bucket takes the whole bucket (it could never go otherwise).
 *
 * @example
 * const bucket = new TokenBucket(80_000, clock);
 * const taken = await bucket.take(estimate, signal);
 * const response = await send();
 * bucket.settle(taken, response.usage.inputTokens);
 */
export class TokenBucket {
  readonly perMinute: number;
  readonly #clock: Clock;
  #level: number;
  #updated: number;
  readonly #waiters = new LinkedQueue<TokenWaiter>();
  #pump: AbortController | undefined;

  constructor(perMinute: number, clock: Clock) {
    requireInteger(perMinute, 1, 'A tokens-per-minute limit', 'settings "rateLimits"');
    this.perMinute = perMinute;
    this.#clock = clock;
    this.#level = perMinute;
    this.#updated = clock.now();
  }

  /** Tokens available now (negative while a request that used more than it took is paid off). */
  get level(): number {
    this.#refill();
    return this.#level;
  }

  get queued(): number {
    return this.#waiters.size;
  }

  /**
   * Waits until `amount` tokens (at most the bucket's size) are available, takes them and returns
   * how many were taken. Rejects with LimitError `RUN_CANCELLED` if `signal` aborts first.
   */
  take(amount: number, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted)
      return Promise.reject(cancelledError('Waiting for the token rate limit', signal.reason));
    const need = Math.min(Math.max(0, Math.ceil(amount)), this.perMinute);
    this.#refill();
    if (this.#waiters.size === 0 && this.#level >= need) {
      this.#level -= need;
      return Promise.resolve(need);
    }
    return new Promise<number>((resolve, reject) => {
      let unwatch = (): void => undefined;
      const node: QueueNode<TokenWaiter> = this.#waiters.push({
        need,
        grant: () => {
          unwatch();
          resolve(need);
        },
      });
      if (signal !== undefined) {
        unwatch = watchAbort(signal, (reason) => {
          if (!this.#waiters.remove(node)) return;
          // Nobody left to serve: stop the pump's timer so it keeps nothing alive.
          if (this.#waiters.size === 0) this.#stopPump();
          reject(cancelledError('Waiting for the token rate limit', reason));
        });
      }
      this.#servePending();
    });
  }

  /** A request that took `taken` tokens really used `used`: refund or owe the difference. */
  settle(taken: number, used: number): void {
    this.#refill();
    this.#level = Math.min(this.perMinute, this.#level + taken - Math.max(0, used));
    if (this.#waiters.size > 0) this.#servePending();
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#updated;
    this.#updated = now;
    if (elapsed > 0)
      this.#level = Math.min(this.perMinute, this.#level + (elapsed * this.perMinute) / MINUTE_MS);
  }

  /** One loop at a time serves the queue head, sleeping until enough has refilled for it. */
  #servePending(): void {
    if (this.#pump !== undefined) return;
    const pump = new AbortController();
    this.#pump = pump;
    void (async () => {
      try {
        for (let head = this.#waiters.peek(); head !== undefined; head = this.#waiters.peek()) {
          this.#refill();
          if (this.#level >= head.need) {
            this.#waiters.shift();
            this.#level -= head.need;
            head.grant();
            continue;
          }
          const waitMs = Math.ceil(((head.need - this.#level) * MINUTE_MS) / this.perMinute);
          await this.#clock.sleep(Math.max(1, waitMs), pump.signal);
        }
      } catch {
        // Aborted: the queue emptied while the pump slept.
      } finally {
        if (this.#pump === pump) this.#pump = undefined;
      }
    })();
  }

  #stopPump(): void {
    const pump = this.#pump;
    this.#pump = undefined;
    pump?.abort();
  }
}
