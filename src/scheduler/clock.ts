import { cancelledError, watchAbort } from './internal/abort-watch.js';
import { MinHeap } from './internal/min-heap.js';

/**
 * Time, injected. Everything in the scheduler that waits (backoff, retry-after) goes through a
 * Clock so tests drive time with {@link ManualClock} instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since some fixed origin (only differences matter). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (at once for `ms <= 0`). Rejects with LimitError
   * `RUN_CANCELLED` when `signal` aborts first (or is already aborted).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * await systemClock.sleep(500, controller.signal);
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(cancelledError('A wait', signal.reason));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let unwatch = (): void => undefined;
      const timer = setTimeout(() => {
        unwatch();
        resolve();
      }, ms);
      if (signal !== undefined) {
        unwatch = watchAbort(signal, (reason) => {
          clearTimeout(timer);
          reject(cancelledError('A wait', reason));
        });
      }
    });
  },
};

interface Sleeper {
  readonly due: number;
  /** Insertion order: sleepers due at the same time wake in the order they slept. */
  readonly sequence: number;
  readonly wake: () => void;
  /** Set when the sleeper was cancelled; the heap skips it lazily. */
  cancelled: boolean;
}

/** Lets every queued microtask (and the continuations they schedule) run before we go on. */
function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock for tests: time stands still until {@link ManualClock.advance} moves it, waking due
 * sleepers one by one in time order and letting their continuations run in between (so a sleeper
 * that schedules another sleep inside the advanced span is woken too).
 *
 * @example
 * const clock = new ManualClock();
 * const done = clock.sleep(1_000);
 * await clock.advance(1_000); // `done` has resolved; clock.now() === 1_000
 */
export class ManualClock implements Clock {
  #now: number;
  #sequence = 0;
  readonly #sleepers = new MinHeap<Sleeper>((a, b) =>
    a.due === b.due ? a.sequence < b.sequence : a.due < b.due,
  );
  #pending = 0;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Sleepers not yet woken nor cancelled. */
  get pendingSleepers(): number {
    return this.#pending;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError('A wait', signal.reason));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let unwatch = (): void => undefined;
      const sleeper: Sleeper = {
        due: this.#now + ms,
        sequence: this.#sequence++,
        cancelled: false,
        wake: () => {
          unwatch();
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      this.#pending += 1;
      if (signal !== undefined) {
        unwatch = watchAbort(signal, (reason) => {
          sleeper.cancelled = true;
          this.#pending -= 1;
          reject(cancelledError('A wait', reason));
        });
      }
    });
  }

  /** Moves time forward by `ms`, waking every sleeper due by then, in time order. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs ms >= 0, got ${ms}`);
    const target = this.#now + ms;
    await settleMicrotasks();
    for (;;) {
      const next = this.#nextLive();
      if (next === undefined || next.due > target) break;
      this.#sleepers.pop();
      this.#pending -= 1;
      this.#now = next.due;
      next.wake();
      await settleMicrotasks();
    }
    this.#now = target;
    await settleMicrotasks();
  }

  /**
   * Advances time sleeper by sleeper until `promise` settles, and returns its outcome. Throws when
   * nothing is left to wake and the promise is still pending (a deadlock in the code under test),
   * or when more than `limitMs` of manual time would pass.
   */
  async runUntilSettled<T>(promise: Promise<T>, limitMs = 24 * 60 * 60 * 1000): Promise<T> {
    let settled = false;
    const observed = promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const deadline = this.#now + limitMs;
    await settleMicrotasks();
    while (!settled) {
      const next = this.#nextLive();
      if (next === undefined) throw new Error('ManualClock: the promise is pending and nothing is asleep');
      if (next.due > deadline)
        throw new Error(`ManualClock: the promise is still pending after ${limitMs} ms`);
      await this.advance(next.due - this.#now);
    }
    await observed;
    return promise;
  }

  #nextLive(): Sleeper | undefined {
    let next = this.#sleepers.peek();
    while (next?.cancelled === true) {
      this.#sleepers.pop();
      next = this.#sleepers.peek();
    }
    return next;
  }
}
