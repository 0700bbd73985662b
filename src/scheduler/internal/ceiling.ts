import { Listeners } from './listeners.js';
import { requireAmount, requireCeiling } from './validate.js';

/**
 * A running total against an optional ceiling: what the token budget and the cost ceiling share.
 * Listeners hear once per crossing; `raise` re-arms them when it makes room.
 */
export class Ceiling {
  #limit: number | null;
  #spent = 0;
  readonly #exhaustedListeners = new Listeners();
  #announced: boolean;

  constructor(
    limit: number | null,
    private readonly name: string,
    private readonly flag: string,
  ) {
    requireCeiling(limit, name, flag);
    this.#limit = limit;
    this.#announced = this.exhausted();
  }

  /** The ceiling, or null for none. */
  get limit(): number | null {
    return this.#limit;
  }

  spent(): number {
    return this.#spent;
  }

  /** What is left before the ceiling, never negative; Infinity without one. */
  remaining(): number {
    return this.#limit === null ? Infinity : Math.max(0, this.#limit - this.#spent);
  }

  exhausted(): boolean {
    return this.#limit !== null && this.#spent >= this.#limit;
  }

  /** Adds spend; notifies listeners when it reaches the ceiling. */
  add(amount: number, what: string): void {
    requireAmount(amount, what);
    this.#spent += amount;
    this.#announceIfExhausted();
  }

  /** Calls `listener` when spend reaches the ceiling (once per crossing). Returns the unsubscribe function. */
  onExhausted(listener: () => void): () => void {
    return this.#exhaustedListeners.add(listener);
  }

  /** Sets a new ceiling (null = none), e.g. resuming with a higher one. */
  raise(limit: number | null): void {
    requireCeiling(limit, this.name, this.flag);
    this.#limit = limit;
    if (!this.exhausted()) this.#announced = false;
    else this.#announceIfExhausted();
  }

  #announceIfExhausted(): void {
    if (this.#announced || !this.exhausted()) return;
    this.#announced = true;
    this.#exhaustedListeners.emit();
  }
}
