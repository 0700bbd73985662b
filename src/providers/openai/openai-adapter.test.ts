import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../sim/index.js';
import type { ModelRequest, StreamEvent } from '../types.js';
import { toChatParams } from './chat-request-mapping.js';
import { createOpenAIProvider } from './openai-adapter.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const provider = () => createOpenAIProvider({ baseURL: `${sim.url}/v1`, apiKey: 'sk-openai-SECRET-123456' });

async function failure(promise: Promise<unknown>): Promise<DynaflowError> {
  try {
    await promise;
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const base: ModelRequest = {
  model: 'local-model',
  system: [{ text: 'You are careful.', cache: true }, { text: 'Workspace: /repo' }],
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  maxTokens: 100,
};

describe('chat request mapping', () => {
  it('maps system parts, tools, tool_choice, tool calls and tool results onto Chat Completions', () => {
    const params = toChatParams({
      ...base,
      messages: [
        { role: 'user', content: 'Read a.txt' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool_use', id: 'call_1', name: 'Read', input: { file_path: 'a.txt' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'no such file', is_error: true },
            { type: 'text', text: 'try b.txt' },
          ],
        },
      ],
      tools: [{ name: 'Read', description: 'read', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'any' },
    });
    expect(params).toEqual({
      model: 'local-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'You are careful.\n\nWorkspace: /repo' },
        { role: 'user', content: 'Read a.txt' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'Read', arguments: '{"file_path":"a.txt"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: no such file' },
        { role: 'user', content: 'try b.txt' },
      ],
      tools: [
        { type: 'function', function: { name: 'Read', description: 'read', parameters: { type: 'object' } } },
      ],
      tool_choice: 'required',
    });
    expect(
      // tool_choice without tools is an API error: it is only sent with tools.
      toChatParams({ ...base, toolChoice: { type: 'tool', name: 'X' } }),
    ).not.toHaveProperty('tool_choice');
  });
});

describe('openai adapter ↔ simulator', () => {
  it('streams text with progress events and maps cached_tokens to cacheReadTokens', async () => {
    const events: StreamEvent[] = [];
    const request = { ...base, messages: [{ role: 'user' as const, content: '@sim reply fine, thanks' }] };
    const first = await provider().createMessage(request, { onEvent: (event) => events.push(event) });
    expect(first).toMatchObject({
      model: 'local-model',
      stopReason: 'end_turn',
      content: [{ type: 'text', text: 'fine, thanks' }],
    });
    expect(events[0]).toEqual({ type: 'response-start' });
    expect(events).toContainEqual({ type: 'text-delta', text: 'fine, thanks' });
    const second = await provider().createMessage(request);
    expect(second.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(second.usage.cacheCreationTokens).toBe(0);
    expect(second.usage.inputTokens + second.usage.cacheReadTokens).toBe(first.usage.inputTokens);
  });

  it('forces a named tool and parses the streamed arguments', async () => {
    const response = await provider().createMessage({
      ...base,
      messages: [{ role: 'user', content: '@sim json {"ok":true,"items":["a","b"]}' }],
      tools: [{ name: 'StructuredOutput', description: 'result', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'StructuredOutput' },
    });
    expect(response.stopReason).toBe('tool_use');
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: expect.stringMatching(/^call_/) as string,
        name: 'StructuredOutput',
        input: { ok: true, items: ['a', 'b'] },
      },
    ]);
  });

  it('maps 429 (one request, no SDK retry), truncation and cancellation like the other adapters', async () => {
    const send = (content: string) =>
      provider().createMessage({ ...base, messages: [{ role: 'user', content }] });
    expect(await failure(send('@sim fail 429 retry-after 3\nx'))).toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 3000,
    });
    expect(sim.stats().requests).toBe(1);
    expect((await failure(send('@sim fail truncate\ny'))).code).toBe('PROVIDER_TRUNCATED');
    const refused = await failure(send('@sim fail 401\nz'));
    expect(refused.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    expect(refused.hint).toContain('OPENAI_API_KEY');
    const controller = new AbortController();
    controller.abort();
    const before = sim.stats().requests;
    expect((await failure(provider().createMessage(base, { signal: controller.signal }))).code).toBe(
      'RUN_CANCELLED',
    );
    expect(sim.stats().requests).toBe(before);
  });
});
