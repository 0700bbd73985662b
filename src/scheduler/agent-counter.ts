import { LimitError } from '../errors/index.js';
import { requireInteger } from './internal/validate.js';

export const DEFAULT_MAX_AGENTS = 1000;

/**
 * Counts agents per run (shared with child workflows) against `--max-agents`: as in Claude Code,
 * the 1,001st `agent()` of a run throws. Counting happens when an agent is requested, not when it
 * gets a slot, so a queue of ten thousand calls fails fast instead of after hours.
 *
 * @example
 * const agents = new AgentCounter(1000);
 * const ordinal = agents.admit(); // 1, 2, ...; throws AGENT_CAP_REACHED past the cap
 */
export class AgentCounter {
  #max: number;
  #count = 0;

  constructor(max: number = DEFAULT_MAX_AGENTS) {
    requireInteger(max, 0, 'The agent cap', '--max-agents');
    this.#max = max;
  }

  get max(): number {
    return this.#max;
  }

  /** Agents admitted so far. */
  get count(): number {
    return this.#count;
  }

  get remaining(): number {
    return Math.max(0, this.#max - this.#count);
  }

  /** Admits one more agent and returns its 1-based ordinal; throws LimitError `AGENT_CAP_REACHED` past the cap. */
  admit(): number {
    if (this.#count >= this.#max) {
      throw new LimitError(
        'AGENT_CAP_REACHED',
        `This run reached its cap of ${this.#max} agents; agent number ${this.#count + 1} was refused.`,
        { hint: 'Raise the cap with --max-agents N, or batch more work into each agent.' },
      );
    }
    this.#count += 1;
    return this.#count;
  }

  /** Sets a new cap, e.g. resuming a run with a higher --max-agents. */
  raise(max: number): void {
    requireInteger(max, 0, 'The agent cap', '--max-agents');
    this.#max = max;
  }
}
