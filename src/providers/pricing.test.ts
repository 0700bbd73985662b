import { describe, expect, it } from 'vitest';

import { PRICE_TABLE, REGIONAL_PREMIUM, estimateCostUsd, priceFor } from './pricing.js';

const MILLION_IN = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

describe('pricing across providers', () => {
  it("prices every provider's id of a model by its family", () => {
    for (const id of [
      'claude-sonnet-5-5',
      'global.anthropic.claude-sonnet-5-5',
      'claude-sonnet-4-5@20250929',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]) {
      expect(estimateCostUsd(id, MILLION_IN), id).toBe(PRICE_TABLE.sonnet.input);
    }
  });

  it('adds the regional premium to Bedrock geographic profiles and Vertex regional endpoints', () => {
    expect(priceFor('us.anthropic.claude-haiku-4-5-20251001-v1:0').input).toBeCloseTo(
      PRICE_TABLE.haiku.input * REGIONAL_PREMIUM,
    );
    expect(priceFor('anthropic.claude-haiku-4-5-20251001-v1:0').output).toBeCloseTo(
      PRICE_TABLE.haiku.output * REGIONAL_PREMIUM,
    );
    expect(priceFor('global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(PRICE_TABLE.haiku);
    expect(priceFor('claude-opus-5-5', { provider: 'vertex', region: 'us-east5' }).cacheRead).toBeCloseTo(
      PRICE_TABLE.opus.cacheRead * REGIONAL_PREMIUM,
    );
    expect(priceFor('claude-opus-5-5', { provider: 'vertex', region: 'global' })).toBe(PRICE_TABLE.opus);
    expect(priceFor('claude-opus-5-5', { provider: 'anthropic', region: 'us-east5' })).toBe(PRICE_TABLE.opus);
  });

  it('lists 1-hour cache writes at twice the input price', () => {
    for (const price of Object.values(PRICE_TABLE)) expect(price.cacheWrite1h).toBe(price.input * 2);
  });
});
