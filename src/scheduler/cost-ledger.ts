import { LimitError } from '../errors/index.js';
import { Ceiling } from './internal/ceiling.js';

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
export class CostLedger extends Ceiling {
  constructor(maxUsd: number | null) {
    super(maxUsd, 'The cost ceiling', '--max-cost');
  }

  get maxUsd(): number | null {
    return this.limit;
  }

  /** Adds the estimated cost of one request. Notifies listeners when this reaches the ceiling. */
  charge(usd: number): void {
    this.add(usd, 'A charge in USD');
  }

  /** Throws LimitError `COST_EXHAUSTED` once the ceiling is reached. */
  check(): void {
    if (!this.exhausted()) return;
    throw new LimitError(
      'COST_EXHAUSTED',
      `The cost ceiling is reached: an estimated $${this.spent().toFixed(4)} of $${String(this.limit)} spent.`,
      { hint: 'Resume the run with a higher --max-cost (dynaflow resume <id> --max-cost USD).' },
    );
  }
}
