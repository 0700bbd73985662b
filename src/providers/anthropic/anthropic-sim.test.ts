/**
 * The adapter against the real simulator (src/sim) over HTTP: the same wire path `--provider sim`
 * and every end-to-end test use.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator } from '../../sim/index.js';
import type { ModelProvider, ModelRequest } from '../types.js';
import { createAnthropicProvider } from './anthropic-adapter.js';

let simulator: Awaited<ReturnType<typeof startSimulator>>;
let provider: ModelProvider;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, seed: 7 });
  provider = createAnthropicProvider({ apiKey: 'sim', baseURL: simulator.url, id: 'sim' });
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.reset();
});

function request(prompt: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: provider.resolveModel('sonnet'),
    system: [{ text: `You are a careful agent. ${'Context. '.repeat(400)}`, cache: true }],
    messages: [{ role: 'user', content: prompt }],
    tools: [],
    maxTokens: 1024,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DynaflowError> {
  try {
    await promise;
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('anthropic adapter ↔ simulator', () => {
  it('gets a directed text answer', async () => {
    const response = await provider.createMessage(request('@sim reply all good'));
    expect(response.content).toEqual([{ type: 'text', text: 'all good' }]);
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('gets a tool_use block with parsed input', async () => {
    const tools = [{ name: 'Read', description: 'read a file', inputSchema: { type: 'object' } }];
    const response = await provider.createMessage(
      request('@sim tool Read {"file_path":"src/a.ts","limit":5}\nread it', {
        tools,
        toolChoice: { type: 'auto' },
      }),
    );
    expect(response.stopReason).toBe('tool_use');
    expect(response.content).toContainEqual(
      expect.objectContaining({ type: 'tool_use', name: 'Read', input: { file_path: 'src/a.ts', limit: 5 } }),
    );
  });

  it('reports a cache write first and a cache read after for the cached system prefix', async () => {
    const first = await provider.createMessage(request('@sim reply one'));
    const second = await provider.createMessage(request('@sim reply two'));
    expect(first.usage.cacheCreationTokens).toBeGreaterThan(0);
    expect(second.usage.cacheReadTokens).toBe(first.usage.cacheCreationTokens);
    expect(simulator.stats().cacheReadTokens).toBe(second.usage.cacheReadTokens);
  });

  it('maps an injected 429 to PROVIDER_RATE_LIMITED with retryAfterMs from retry-after', async () => {
    const error = await failure(provider.createMessage(request('@sim fail 429 times 1 retry-after 2\nhi')));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 2000, status: 429 });
    // The SDK did not retry on its own: one attempt reached the simulator.
    expect(simulator.stats().requests).toBe(1);
    await expect(
      provider.createMessage(request('@sim fail 429 times 1 retry-after 2\nhi')),
    ).resolves.toMatchObject({
      stopReason: 'end_turn',
    });
  });

  it('maps an injected 529 and a truncated stream to retryable errors', async () => {
    expect(await failure(provider.createMessage(request('@sim fail 529 times 1\nx')))).toMatchObject({
      code: 'PROVIDER_OVERLOADED',
    });
    const truncated = await failure(provider.createMessage(request('@sim fail truncate times 1\ny')));
    expect(truncated.code).toBe('PROVIDER_TRUNCATED');
    expect(truncated.retryable).toBe(true);
    const reset = await failure(provider.createMessage(request('@sim fail reset times 1\nz')));
    expect(reset.code).toBe('PROVIDER_CONNECTION');
    expect(reset.retryable).toBe(true);
  });
});
