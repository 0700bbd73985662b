import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DEFAULT_MODEL_ALIAS, MODEL_ALIASES, modelFamily, resolveAnthropicModel } from './models.js';
import { estimateCostUsd, FALLBACK_PRICE, priceFor, PRICE_TABLE } from './pricing.js';

describe('models', () => {
  it('resolves aliases (any case) and passes full ids through', () => {
    expect(resolveAnthropicModel('opus')).toBe(MODEL_ALIASES.opus);
    expect(resolveAnthropicModel(' Sonnet ')).toBe('claude-sonnet-5-5');
    expect(resolveAnthropicModel('haiku')).toBe('claude-haiku-5-5');
    expect(resolveAnthropicModel('claude-opus-4-8')).toBe('claude-opus-4-8');
    expect(DEFAULT_MODEL_ALIAS).toBe('sonnet');
  });

  it('refuses an empty model name with MODEL_UNKNOWN', () => {
    expect(() => resolveAnthropicModel('  ')).toThrow(
      expect.objectContaining({ code: 'MODEL_UNKNOWN' }) as Error,
    );
  });

  it('never resolves an alias to a model the SDK lists as deprecated', () => {
    // The SDK does not export this data file; load it by absolute path, beside the SDK's entry point.
    const require = createRequire(import.meta.url);
    const sdkDirectory = dirname(require.resolve('@anthropic-ai/sdk'));
    const { DEPRECATED_MODELS } = require(join(sdkDirectory, 'internal/data/deprecated-models.js')) as {
      DEPRECATED_MODELS: Record<string, string>;
    };
    expect(Object.keys(DEPRECATED_MODELS).length).toBeGreaterThan(0);
    for (const id of Object.values(MODEL_ALIASES)) expect(DEPRECATED_MODELS).not.toHaveProperty(id);
  });

  it('finds the family of ids', () => {
    expect(modelFamily('claude-haiku-4-5-20251001')).toBe('haiku');
    expect(modelFamily('gpt-9')).toBeUndefined();
  });
});

describe('pricing', () => {
  const MILLION = {
    inputTokens: 1_000_000,
    outputTokens: 1_000_000,
    cacheReadTokens: 1_000_000,
    cacheCreationTokens: 1_000_000,
  };

  it('prices every token kind by family', () => {
    const sonnet = PRICE_TABLE.sonnet;
    expect(estimateCostUsd('claude-sonnet-5-5', MILLION)).toBeCloseTo(
      sonnet.input + sonnet.output + sonnet.cacheRead + sonnet.cacheWrite,
    );
    expect(
      estimateCostUsd('haiku', { ...MILLION, inputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 }),
    ).toBe(PRICE_TABLE.haiku.output);
    expect(PRICE_TABLE.opus.output).toBeGreaterThan(PRICE_TABLE.sonnet.output);
    expect(PRICE_TABLE.sonnet.output).toBeGreaterThan(PRICE_TABLE.haiku.output);
  });

  it('prices unknown models with the (safe, high) fallback', () => {
    expect(priceFor('some-local-model')).toBe(FALLBACK_PRICE);
    expect(
      estimateCostUsd('x', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 }),
    ).toBe(0);
  });
});
