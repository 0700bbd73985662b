import { describe, expect, it } from 'vitest';

import { DynaflowError, ProviderError } from '../../errors/index.js';
import type { ModelRequest } from '../types.js';
import { createAnthropicProvider } from './anthropic-adapter.js';
import { toAnthropicParams } from '../internal/anthropic-request-mapping.js';
import { ResponseAssembler } from '../internal/anthropic-stream-assembler.js';

const API_KEY = 'sk-ant-basics-SECRET-987654321';
const REQUEST: ModelRequest = {
  model: 'claude-haiku-5-5',
  system: [],
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  toolChoice: { type: 'tool', name: 'Missing' },
  maxTokens: 16,
};

describe('anthropic adapter basics', () => {
  it('resolves aliases, passes full ids through, and takes an id override for the simulator', () => {
    const adapter = createAnthropicProvider({ apiKey: API_KEY });
    expect(adapter).toMatchObject({ id: 'anthropic', interfaceVersion: 1 });
    expect(adapter.resolveModel('opus')).toBe('claude-opus-5-5');
    expect(adapter.resolveModel('claude-haiku-4-5')).toBe('claude-haiku-4-5');
    expect(createAnthropicProvider({ apiKey: 'sim', baseURL: 'http://127.0.0.1:9', id: 'sim' }).id).toBe(
      'sim',
    );
  });

  it('never shows the API key in a connection error message', async () => {
    const unreachable = createAnthropicProvider({ apiKey: API_KEY, baseURL: 'http://127.0.0.1:1' });
    const error: unknown = await unreachable.createMessage(REQUEST).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(DynaflowError.isInstance(error) && error.code).toBe('PROVIDER_CONNECTION');
    expect(DynaflowError.isInstance(error) && error.describe()).not.toContain(API_KEY);
  });

  it('omits system, tools, tool_choice and output_config when there are none', () => {
    const params = toAnthropicParams(REQUEST);
    expect(params).toEqual({
      model: 'claude-haiku-5-5',
      max_tokens: 16,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('drops a tool call whose JSON was cut by max_tokens, but rejects broken JSON otherwise', () => {
    const feed = (stopReason: 'max_tokens' | 'tool_use') => {
      const assembler = new ResponseAssembler();
      assembler.accept({
        type: 'message_start',
        message: { id: 'm', model: 'x', usage: { input_tokens: 1, output_tokens: 1 } },
      } as never);
      assembler.accept({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'Write', input: {} },
      } as never);
      assembler.accept({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"content": "ab' },
      });
      assembler.accept({ type: 'content_block_stop', index: 0 });
      assembler.accept({
        type: 'message_delta',
        delta: { stop_reason: stopReason },
        usage: { output_tokens: 9 },
      } as never);
      assembler.accept({ type: 'message_stop' });
      return assembler;
    };
    expect(feed('max_tokens').finish()).toMatchObject({ content: [], stopReason: 'max_tokens' });
    expect(() => feed('tool_use').finish()).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }) as Error,
    );
  });
});
