import { LimitError } from '../errors/index.js';
import { Ceiling } from './internal/ceiling.js';
import { requireAmount, requireInteger } from './internal/validate.js';

/** Output tokens set aside for one in-flight request. */
export interface BudgetReservation {
  readonly id: number;
  /** What the request may ask for as `max_tokens`: the requested amount, clamped to what is left. */
  readonly maxTokens: number;
}

/**
 * The run's budget in OUTPUT tokens, one pool shared by a run and its child workflows. `total`
 * null means no ceiling.
 *
 * Before each request `reserve(maxTokens)` sets tokens aside and clamps the request's max_tokens
 * to what is left (total - spent - reserved), so concurrent requests cannot jointly overshoot:
 * as long as providers honour max_tokens, `spent + reserved <= total` holds at all times.
 * `settle` swaps the reservation for the actual output.
 *
 * @example
 * const budget = new BudgetLedger(100_000);
 * budget.onExhausted(() => controller.abort());
 * const reservation = budget.reserve(request.maxTokens); // throws BUDGET_EXHAUSTED when nothing is left
 * const response = await send({ ...request, maxTokens: reservation.maxTokens });
 * budget.settle(reservation, response.usage.outputTokens);
 */
export class BudgetLedger extends Ceiling {
  #reserved = 0;
  #nextId = 1;
  readonly #open = new Map<number, number>();
  readonly #settleWaiters = new Set<() => void>();

  constructor(total: number | null) {
    super(total, 'The token budget', '--budget');
  }

  /** The ceiling, or null for none. */
  get total(): number | null {
    return this.limit;
  }

  /** Output tokens set aside for requests in flight. */
  reserved(): number {
    return this.#reserved;
  }

  /** What a new reservation could get: remaining minus what in-flight requests hold. */
  available(): number {
    return Math.max(0, this.remaining() - this.#reserved);
  }

  /** Throws LimitError `BUDGET_EXHAUSTED` once the ceiling is reached (before an agent starts). */
  check(): void {
    if (this.exhausted()) throw this.#exhaustedError();
  }

  /**
   * Sets aside up to `maxTokens` for one request. Throws LimitError `BUDGET_EXHAUSTED` when the
   * ceiling is reached or everything left is already reserved by requests in flight.
   */
  reserve(maxTokens: number): BudgetReservation {
    requireInteger(maxTokens, 1, 'maxTokens of a request', 'the request');
    this.check();
    const granted = Math.min(maxTokens, this.available());
    if (granted < 1) throw this.#exhaustedError();
    const id = this.#nextId++;
    this.#open.set(id, granted);
    this.#reserved += granted;
    return { id, maxTokens: granted };
  }

  /**
   * Like {@link reserve}, but when everything left is held by requests in flight it waits for one
   * of them to settle instead of failing: near the ceiling requests queue up rather than turning
   * into spurious failures. Throws `BUDGET_EXHAUSTED` once spend reaches the total, and
   * `RUN_CANCELLED` when `signal` aborts while waiting.
   */
  async reserveWhenAvailable(maxTokens: number, signal?: AbortSignal): Promise<BudgetReservation> {
    for (;;) {
      this.check();
      if (this.available() >= 1) return this.reserve(maxTokens);
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.#settleWaiters.delete(wake);
          reject(
            new LimitError('RUN_CANCELLED', 'cancelled while waiting for budget', { cause: signal?.reason }),
          );
        };
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#settleWaiters.add(wake);
      });
    }
  }

  /**
   * Releases `reservation` and records the output tokens the request really used (0 when it
   * failed before answering). Returns false, and counts nothing, if it was already settled.
   */
  settle(reservation: BudgetReservation, actualOutputTokens: number): boolean {
    requireAmount(actualOutputTokens, 'actualOutputTokens');
    const held = this.#open.get(reservation.id);
    if (held === undefined) return false;
    this.#open.delete(reservation.id);
    this.#reserved -= held;
    this.record(actualOutputTokens);
    const waiters = [...this.#settleWaiters];
    this.#settleWaiters.clear();
    for (const wake of waiters) wake();
    return true;
  }

  /** Adds spend that had no reservation (e.g. completions replayed from the journal on resume). */
  record(outputTokens: number): void {
    this.add(outputTokens, 'outputTokens');
  }

  #exhaustedError(): LimitError {
    const total = String(this.limit);
    return new LimitError(
      'BUDGET_EXHAUSTED',
      `The output-token budget is used up: ${this.spent()} spent and ${this.#reserved} reserved by requests in flight, of ${total}.`,
      { hint: 'Resume the run with a larger --budget (dynaflow resume <id> --budget N).' },
    );
  }
}
