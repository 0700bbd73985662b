import { describe, expect, it } from 'vitest';

import { PRICE_TABLE, REGIONAL_PREMIUM, estimateCostUsd, priceFor, withPrices } from './pricing.js';

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

  it('uses the prices the user set: by model id, then `*`, with cache prices from input by default', () => {
    const prices = {
      'arn:aws:bedrock:us-east-1:1:application-inference-profile/x': { input: 2, output: 8 },
      '*': { input: 0, output: 0 },
      'local-coder': { input: 1, output: 2, cacheRead: 0.05, cacheWrite: 1 },
    };
    const profile = priceFor('arn:aws:bedrock:us-east-1:1:application-inference-profile/x', { prices });
    expect(profile).toEqual({ input: 2, output: 8, cacheRead: 0.2, cacheWrite: 2.5, cacheWrite1h: 4 });
    expect(priceFor('claude-opus-5-5', { prices }).output).toBe(0);
    expect(priceFor('local-coder', { prices }).cacheRead).toBe(0.05);
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
    };
    expect(estimateCostUsd('local-coder', usage, { prices })).toBeCloseTo(3);
    expect(estimateCostUsd('local-coder', usage)).toBeCloseTo(
      PRICE_TABLE.opus.input + PRICE_TABLE.opus.output,
    );
  });

  it('withPrices adds prices to a provider and keeps everything else', async () => {
    const provider = {
      interfaceVersion: 1,
      id: 'openai',
      pricing: { provider: 'openai' },
      resolveModel: (name: string) => name,
      createMessage: () => Promise.reject(new Error('not called')),
    } as unknown as Parameters<typeof withPrices>[0];
    expect(withPrices(provider, undefined)).toBe(provider);
    const priced = withPrices(provider, { '*': { input: 0, output: 0 } });
    expect(priced.pricing).toEqual({ provider: 'openai', prices: { '*': { input: 0, output: 0 } } });
    expect(priced.resolveModel('m')).toBe('m');
    await expect(priced.createMessage({} as never)).rejects.toThrow('not called');
  });
});
