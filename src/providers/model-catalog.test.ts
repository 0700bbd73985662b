import { describe, expect, it } from 'vitest';

import { DynaflowError } from '../errors/index.js';
import {
  MODEL_CATALOG,
  createModelResolver,
  providerAliases,
  type CatalogProviderId,
} from './model-catalog.js';
import { MODEL_ALIASES } from './models.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return DynaflowError.isInstance(error) ? error.code : 'not-a-dynaflow-error';
  }
  return undefined;
}

describe('model catalogue', () => {
  it("maps the aliases to each provider's own ids", () => {
    expect(providerAliases('anthropic')).toEqual(MODEL_ALIASES);
    expect(providerAliases('foundry')).toEqual(MODEL_ALIASES);
    expect(providerAliases('bedrock')).toEqual({
      opus: 'global.anthropic.claude-opus-5-5',
      sonnet: 'global.anthropic.claude-sonnet-5-5',
      haiku: 'global.anthropic.claude-haiku-5-5',
    });
    expect(createModelResolver('vertex')('Haiku')).toBe('claude-haiku-5-5');
  });

  it('translates known first-party ids to Bedrock inference profiles and Vertex @-versions', () => {
    expect(createModelResolver('bedrock')('claude-sonnet-4-5')).toBe(
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
    expect(createModelResolver('vertex')('claude-haiku-4-5-20251001')).toBe('claude-haiku-4-5@20251001');
    // On the first-party API (and Foundry, whose deployments are named after models) ids pass through.
    expect(createModelResolver('anthropic')('claude-haiku-4-5')).toBe('claude-haiku-4-5');
    expect(createModelResolver('foundry')('claude-opus-4-8')).toBe('claude-opus-4-8');
    for (const entry of MODEL_CATALOG) {
      expect(createModelResolver('bedrock')(entry.bedrock)).toBe(entry.bedrock);
      expect(createModelResolver('vertex')(entry.vertex)).toBe(entry.vertex);
    }
  });

  it('accepts plausible new ids of each provider unchanged', () => {
    const accepted: Array<[CatalogProviderId, string]> = [
      ['anthropic', 'claude-opus-6-0'],
      ['foundry', 'claude-sonnet-6'],
      ['bedrock', 'us.anthropic.claude-sonnet-6-20270101-v1:0'],
      ['bedrock', 'anthropic.claude-haiku-6'],
      ['bedrock', 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['bedrock', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3'],
      ['vertex', 'claude-opus-6@20270101'],
      ['vertex', 'claude-3-5-sonnet-v2@20241022'],
      ['openai', 'qwen2.5-coder:32b'],
      ['openai', 'meta-llama/Llama-3.1-8B-Instruct'],
    ];
    for (const [provider, id] of accepted)
      expect(createModelResolver(provider)(id), `${provider} ${id}`).toBe(id);
  });

  it('rejects typos, empty names and ids of another platform with MODEL_UNKNOWN', () => {
    const rejected: Array<[CatalogProviderId, string]> = [
      ['anthropic', 'sonet'],
      ['anthropic', 'gpt-4o'],
      ['anthropic', '  '],
      ['bedrock', 'claude-opus-4-8'],
      ['bedrock', 'claude-sonnet-4-5@20250929'],
      ['vertex', 'global.anthropic.claude-sonnet-5-5'],
      ['foundry', 'my deployment'],
      ['openai', ''],
      ['openai', 'two words'],
    ];
    for (const [provider, name] of rejected) {
      expect(
        codeOf(() => createModelResolver(provider)(name)),
        `${provider} ${name}`,
      ).toBe('MODEL_UNKNOWN');
    }
  });

  it('takes overrides by name (any case) and accepts their values as ids', () => {
    const resolve = createModelResolver('foundry', { Sonnet: 'team-sonnet-deployment', fast: 'team-haiku' });
    expect(resolve('sonnet')).toBe('team-sonnet-deployment');
    expect(resolve('FAST')).toBe('team-haiku');
    expect(resolve('team-haiku')).toBe('team-haiku');
    expect(resolve('opus')).toBe('claude-opus-5-5');
    expect(codeOf(() => resolve('team-opus'))).toBe('MODEL_UNKNOWN');
  });
});
