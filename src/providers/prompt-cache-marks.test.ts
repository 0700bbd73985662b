/**
 * CA-01, CA-07: the per-block cache mark (a prompt prefix shared across a fan-out) and the
 * `anthropic-ratelimit-*` headers, as the adapters map them.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../sim/index.js';
import { createAnthropicProvider } from './anthropic/index.js';
import { toAnthropicParams } from './internal/anthropic-request-mapping.js';
import { parseRateLimitHeaders } from './internal/rate-limit-headers.js';
import { toChatParams } from './openai/chat-request-mapping.js';
import type { ModelRequest } from './types.js';

const GUIDE = `${'guide line\n'.repeat(400)}`;

function splitRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-sonnet-5-5',
    system: [{ text: 'preamble', cache: true }, { text: 'workspace' }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: GUIDE, cache: true },
          { type: 'text', text: 'Review a.ts' },
        ],
      },
    ],
    tools: [{ name: 'Read', description: 'reads', inputSchema: { type: 'object' } }],
    maxTokens: 100,
    cacheTools: true,
    cacheConversation: true,
    ...overrides,
  };
}

function breakpoints(params: Anthropic.Messages.MessageCreateParams): number {
  return (JSON.stringify(params).match(/"cache_control"/g) ?? []).length;
}

describe('prompt prefix cache marks', () => {
  it('CA-01 sends a marked prompt prefix as its own text block with cache_control', () => {
    const params = toAnthropicParams(splitRequest());
    const content = params.messages[0]?.content as Anthropic.Messages.TextBlockParam[];
    expect(content).toEqual([
      { type: 'text', text: GUIDE, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Review a.ts', cache_control: { type: 'ephemeral' } },
    ]);
    // system + tools + prefix + conversation: exactly the API's limit.
    expect(breakpoints(params)).toBe(4);
  });

  it('CA-01 never sends more than four breakpoints: the earliest block marks win', () => {
    const marked = (text: string) => ({ type: 'text' as const, text, cache: true });
    const params = toAnthropicParams(
      splitRequest({
        messages: [
          { role: 'user', content: [marked('first'), marked('second'), { type: 'text', text: 'rest' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
          { role: 'user', content: [marked('third'), { type: 'text', text: 'more' }] },
        ],
      }),
    );
    expect(breakpoints(params)).toBe(4);
    const first = params.messages[0]?.content as Anthropic.Messages.TextBlockParam[];
    expect(first[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(first[1]?.cache_control).toBeUndefined();
    const last = params.messages[2]?.content as Anthropic.Messages.TextBlockParam[];
    expect(last[0]?.cache_control).toBeUndefined();
    expect(last[1]?.cache_control).toEqual({ type: 'ephemeral' });

    const withoutToolsAndSystem = toAnthropicParams(
      splitRequest({
        system: [],
        tools: [],
        messages: [
          {
            role: 'user',
            content: [marked('a'), marked('b'), marked('c'), marked('d'), { type: 'text', text: 'e' }],
          },
        ],
      }),
    );
    expect(breakpoints(withoutToolsAndSystem)).toBe(4);
  });

  it('CA-01 OpenAI sees the prompt exactly as written (prefix and rest joined without a separator)', () => {
    const params = toChatParams(splitRequest());
    const user = params.messages.find((message) => message.role === 'user');
    expect(user?.content).toBe(`${GUIDE}Review a.ts`);
  });
});

describe('rate-limit headers', () => {
  it('CA-07 parses anthropic-ratelimit-* windows relative to now, bounded to a minute', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:02.500Z',
      'anthropic-ratelimit-output-tokens-remaining': '123',
      'anthropic-ratelimit-output-tokens-reset': '2030-01-01T01:00:00Z',
      'anthropic-ratelimit-input-tokens-remaining': 'lots',
    });
    expect(parseRateLimitHeaders(headers, now)).toEqual({
      requests: { limit: 50, remaining: 0, resetInMs: 2_500 },
      outputTokens: { remaining: 123, resetInMs: 60_000 },
    });
    expect(parseRateLimitHeaders(new Headers({ 'content-type': 'text/plain' }), now)).toBeUndefined();
  });

  describe('through the anthropic adapter', () => {
    let sim: SimulatorHandle;
    beforeAll(async () => {
      sim = await startSimulator({ rateLimit: { requestsPerMinute: 5 } });
    });
    afterAll(async () => {
      await sim.close();
    });

    it('CA-07 reports the remaining requests and the reset on the ModelResponse', async () => {
      const provider = createAnthropicProvider({ apiKey: 'test', baseURL: sim.url });
      const request: ModelRequest = {
        model: 'claude-sonnet-5-5',
        system: [],
        messages: [{ role: 'user', content: 'hello' }],
        tools: [],
        maxTokens: 50,
      };
      const first = await provider.createMessage(request);
      const second = await provider.createMessage(request);
      expect(first.rateLimit?.requests).toMatchObject({ limit: 5, remaining: 4 });
      expect(second.rateLimit?.requests?.remaining).toBe(3);
      expect(second.rateLimit?.requests?.resetInMs).toBeGreaterThan(0);
      expect(second.rateLimit?.requests?.resetInMs).toBeLessThanOrEqual(60_000);
    });
  });
});
