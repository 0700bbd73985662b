/**
 * A cached prefix becomes readable only when the response that writes it begins (after the
 * simulated latency): simultaneous cold requests each pay the write, as on the real API. This is
 * the effect a runtime's cache warming (hold the fan-out until the first response starts) removes.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator } from './server.js';
import type { SimulatorHandle } from './types.js';

let sim: SimulatorHandle;
let client: Anthropic;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, latencyMs: 25 });
  client = new Anthropic({ apiKey: 'test', baseURL: sim.url, maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const ask = (index: number) =>
  client.messages.create({
    model: 'claude-sonnet-5-5',
    max_tokens: 32,
    system: [{ type: 'text', text: 'Shared guide. '.repeat(400), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: `@sim reply ok\ntask ${index}` }],
  });

describe('prompt cache visibility', () => {
  it('lets simultaneous cold requests each write the prefix', async () => {
    const answers = await Promise.all([0, 1, 2, 3].map(ask));
    const written = answers[0]!.usage.cache_creation_input_tokens ?? 0;
    expect(written).toBeGreaterThan(0);
    for (const answer of answers) expect(answer.usage.cache_creation_input_tokens).toBe(written);
    expect((await ask(4)).usage.cache_read_input_tokens).toBe(written);
  });

  it('serves the prefix from cache to requests sent after the first response began', async () => {
    const first = await ask(0);
    const rest = await Promise.all([1, 2, 3].map(ask));
    expect(sim.stats().cacheCreationTokens).toBe(first.usage.cache_creation_input_tokens);
    for (const answer of rest)
      expect(answer.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });
});
