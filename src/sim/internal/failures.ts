/**
 * Failure injection. "The same request" is identified by its hash (model + system + messages +
 * tools), so an SDK or runtime retry of the identical body counts as the next attempt.
 */
import type { SimFailure } from '../types.js';
import { unitFraction } from './ids.js';

export interface FailureChoice {
  readonly scripted: readonly SimFailure[];
  readonly attempt: number;
  readonly failRate: number;
  readonly seed: number;
  readonly requestHash: string;
}

/** The failure this attempt gets, if any: scripted `@sim fail` first, then the random fail rate. */
export function chooseFailure(choice: FailureChoice): SimFailure | undefined {
  const scripted = choice.scripted[choice.attempt];
  if (scripted !== undefined) return scripted;
  if (choice.failRate <= 0) return undefined;
  const key = `${choice.seed}:${choice.requestHash}:${choice.attempt}`;
  if (unitFraction(`fail:${key}`) >= choice.failRate) return undefined;
  const status = unitFraction(`status:${key}`) < 0.5 ? 429 : 529;
  return { kind: 'status', status, retryAfterSeconds: 0 };
}

/** Attempts seen per request hash; cleared by reset. */
export class AttemptCounter {
  readonly #attempts = new Map<string, number>();

  /** Returns this attempt's 0-based number and counts it. */
  next(requestHash: string): number {
    const attempt = this.#attempts.get(requestHash) ?? 0;
    this.#attempts.set(requestHash, attempt + 1);
    return attempt;
  }

  clear(): void {
    this.#attempts.clear();
  }
}
