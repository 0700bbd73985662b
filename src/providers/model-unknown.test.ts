/** MODEL_UNKNOWN carries the refused name (and provider) as typed fields; the message is unchanged. */
import { describe, expect, it } from 'vitest';
import { ModelUnknownError, UsageError } from '../errors/index.js';
import { createModelResolver } from './model-catalog.js';
import { resolveAnthropicModel } from './models.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('ModelUnknownError', () => {
  it('names the model and the provider that refused it', () => {
    const error = thrownBy(() => createModelResolver('anthropic')(' sonet '));
    expect(error).toBeInstanceOf(ModelUnknownError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({
      code: 'MODEL_UNKNOWN',
      model: 'sonet',
      provider: 'anthropic',
      message: '"sonet" is not a model the anthropic provider knows or an id it accepts.',
    });
  });

  it('carries an empty name as given, without a provider when none was asked', () => {
    const error = thrownBy(() => resolveAnthropicModel('  '));
    expect(error).toBeInstanceOf(ModelUnknownError);
    expect(error).toMatchObject({ code: 'MODEL_UNKNOWN', model: '', provider: undefined });
  });
});
