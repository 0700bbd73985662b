import { LimitError } from '../errors/index.js';
import { Listeners } from './internal/listeners.js';
import { requireAmount, requireCeiling } from './internal/validate.js';

/**
 * The `--max-cost` ceiling: estimated USD of every token (input, output, cache). Prices come from
 * the providers folder; this only adds dollars up. `maxUsd` null means no ceiling.
 *
 * Unlike output tokens, cost cannot be reserved ahead (input size is known only after the
 * request), so the ceiling is checked before each request and crossing it notifies listeners,
 * which stop agents in flight.
 *
 * @example
 * const cost = new CostLedger(5);
 * cost.onExhausted(() => controller.abort());
 * cost.check();                  // before a request: throws COST_EXHAUSTED at the ceiling
 * cost.charge(priceOf(usage));   // after it
 */
export class CostLedger {
  #maxUsd: number | null;
  #spentUsd = 0;
  readonly #exhaustedListeners = new Listeners();
  #announced: boolean;

  constructor(maxUsd: number | null) {
    requireCeiling(maxUsd, 'The cost ceiling', '--max-cost');
    this.#maxUsd = maxUsd;
    this.#announced = this.exhausted();
  }

  get maxUsd(): number | null {
    return this.#maxUsd;
  }

  spent(): number {
    return this.#spentUsd;
  }

  /** Dollars left before the ceiling; Infinity without one. */
  remaining(): number {
    return this.#maxUsd === null ? Infinity : Math.max(0, this.#maxUsd - this.#spentUsd);
  }

  exhausted(): boolean {
    return this.#maxUsd !== null && this.#spentUsd >= this.#maxUsd;
  }

  /** Adds the estimated cost of one request. Notifies listeners when this reaches the ceiling. */
  charge(usd: number): void {
    requireAmount(usd, 'A charge in USD');
    this.#spentUsd += usd;
    this.#announceIfExhausted();
  }

  /** Throws LimitError `COST_EXHAUSTED` once the ceiling is reached. */
  check(): void {
    if (!this.exhausted()) return;
    throw new LimitError(
      'COST_EXHAUSTED',
      `The cost ceiling is reached: an estimated $${this.#spentUsd.toFixed(4)} of $${String(this.#maxUsd)} spent.`,
      { hint: 'Resume the run with a higher --max-cost (dynaflow resume <id> --max-cost USD).' },
    );
  }

  /** Calls `listener` when spend reaches the ceiling (once per crossing). Returns the unsubscribe function. */
  onExhausted(listener: () => void): () => void {
    return this.#exhaustedListeners.add(listener);
  }

  /** Sets a new ceiling (null = none), e.g. resuming with a higher --max-cost. */
  raise(maxUsd: number | null): void {
    requireCeiling(maxUsd, 'The cost ceiling', '--max-cost');
    this.#maxUsd = maxUsd;
    if (!this.exhausted()) this.#announced = false;
    else this.#announceIfExhausted();
  }

  #announceIfExhausted(): void {
    if (this.#announced || !this.exhausted()) return;
    this.#announced = true;
    this.#exhaustedListeners.emit();
  }
}
