/**
 * Cost estimates for `--max-cost`, the plan card and `dynaflow show`.
 *
 * Source and assumption: Anthropic's public list prices per million tokens for the Claude 4.5
 * generation (Opus $5 in / $25 out, Sonnet $3 / $15, Haiku $1 / $5; a 5-minute cache write costs
 * 1.25× input, a cache read 0.1× input). Newer ids of the same family are assumed to keep their
 * family's price until this table says otherwise. An unknown model is priced like Opus, the most
 * expensive family, so that a cost ceiling errs on the safe side. These are estimates: batch,
 * priority tiers, long-context surcharges and 1-hour cache writes are not modelled.
 */
import { modelFamily, type ModelAlias } from './models.js';
import type { Usage } from './types.js';

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
}

export const PRICE_TABLE: Readonly<Record<ModelAlias, ModelPrice>> = {
  opus: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  sonnet: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  haiku: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
};

export const FALLBACK_PRICE: ModelPrice = PRICE_TABLE.opus;

/** The price of a model id or alias (its family's, else the fallback). */
export function priceFor(modelId: string): ModelPrice {
  const family = modelFamily(modelId);
  return family === undefined ? FALLBACK_PRICE : PRICE_TABLE[family];
}

/**
 * Estimated cost in USD of the given usage on the given model.
 *
 * @example
 * estimateCostUsd('claude-sonnet-5-5', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 }) // 3
 */
export function estimateCostUsd(modelId: string, usage: Usage): number {
  const price = priceFor(modelId);
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheCreationTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}
