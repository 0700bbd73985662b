/**
 * Cost estimates for `--max-cost`, the plan card and `dynaflow show`.
 *
 * Source and assumption: Anthropic's public list prices per million tokens (Opus $5 in / $25 out,
 * Sonnet $3 / $15, Haiku $1 / $5; a 5-minute cache write costs 1.25× input, a 1-hour cache write
 * 2×, a cache read 0.1×). Amazon Bedrock, Google Vertex AI and Microsoft Foundry list the same
 * prices for their global endpoints; Bedrock's geographic inference profiles (`us.`, `eu.`, …, and
 * in-region `anthropic.` ids) and Vertex's regional endpoints cost 10 % more for Claude 4.5 and
 * later. Newer ids of a family are assumed to keep its price until this table says otherwise.
 * An unknown model (a local model behind the openai provider, a Bedrock ARN) is priced like
 * Opus, the most expensive family, so that a cost ceiling errs on the safe side. These are
 * estimates: batch, priority tiers and long-context surcharges are not modelled.
 */
import { modelFamily, type ModelAlias } from './models.js';
import type { ModelProvider, PriceOverride, PricingContext, Usage } from './types.js';

/** USD per million tokens. `cacheWrite` is the 5-minute write (the only TTL dynaflow requests). */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

export const PRICE_TABLE: Readonly<Record<ModelAlias, ModelPrice>> = {
  opus: { input: 5, output: 25, cacheWrite: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  sonnet: { input: 3, output: 15, cacheWrite: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
  haiku: { input: 1, output: 5, cacheWrite: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
};

export const FALLBACK_PRICE: ModelPrice = PRICE_TABLE.opus;

/** Multiplier of regional (non-global) Bedrock profiles and Vertex endpoints. */
export const REGIONAL_PREMIUM = 1.1;

/** A Bedrock id served in one geography: `us.anthropic.…`, `eu.anthropic.…`, `anthropic.…`. */
const BEDROCK_REGIONAL_ID = /^(?:(?!global\.)[a-z]{2,7}(?:-[a-z]+)?\.)?anthropic\.claude-/;

function isRegional(modelId: string, context: PricingContext | undefined): boolean {
  if (BEDROCK_REGIONAL_ID.test(modelId)) return true;
  const region = context?.region?.trim().toLowerCase();
  return context?.provider === 'vertex' && region !== undefined && region !== '' && region !== 'global';
}

function scaled(price: ModelPrice, factor: number): ModelPrice {
  return {
    input: price.input * factor,
    output: price.output * factor,
    cacheWrite: price.cacheWrite * factor,
    cacheWrite1h: price.cacheWrite1h * factor,
    cacheRead: price.cacheRead * factor,
  };
}

/**
 * The price of a model id or alias on a provider: its family's, else the fallback, with the
 * regional premium where it applies (see the file header).
 *
 * @example
 * priceFor('us.anthropic.claude-haiku-4-5-20251001-v1:0').input // 1.1
 */
export function priceFor(modelId: string, context?: PricingContext): ModelPrice {
  const override = context?.prices?.[modelId] ?? context?.prices?.['*'];
  if (override !== undefined) return fromOverride(override);
  const family = modelFamily(modelId);
  const base = family === undefined ? FALLBACK_PRICE : PRICE_TABLE[family];
  return isRegional(modelId, context) ? scaled(base, REGIONAL_PREMIUM) : base;
}

/**
 * Estimated cost in USD of the given usage on the given model (any provider's id). Pass the
 * provider's `pricing` context so that Vertex regional endpoints are priced right.
 *
 * @example
 * estimateCostUsd('claude-sonnet-5-5', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 }) // 3
 */
export function estimateCostUsd(modelId: string, usage: Usage, context?: PricingContext): number {
  const price = priceFor(modelId, context);
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheCreationTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}

/** The API's cache prices relative to input: reads 0.1×, 5-minute writes 1.25×, 1-hour writes 2×. */
function fromOverride(price: PriceOverride): ModelPrice {
  return {
    input: price.input,
    output: price.output,
    cacheRead: price.cacheRead ?? price.input * 0.1,
    cacheWrite: price.cacheWrite ?? price.input * 1.25,
    cacheWrite1h: price.input * 2,
  };
}

/**
 * The provider with the user's prices (settings `prices`) in its pricing context: a local model
 * or a Bedrock application inference profile is otherwise priced like the most expensive model.
 *
 * @example
 * withPrices(provider, { '*': { input: 0, output: 0 } }) // a local server: every run costs $0
 */
export function withPrices(
  provider: ModelProvider,
  prices: Readonly<Record<string, PriceOverride>> | undefined,
): ModelProvider {
  if (prices === undefined || Object.keys(prices).length === 0) return provider;
  return { ...provider, pricing: { ...provider.pricing, prices } };
}
