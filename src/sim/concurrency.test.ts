import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './index.js';

const CONCURRENT = 1000;

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ seed: 2 });
});
afterAll(async () => {
  await sim.close();
});

describe('load', () => {
  it(`answers ${CONCURRENT} concurrent SDK requests, all successfully`, async () => {
    // Node's fetch pool has no per-origin socket cap, so every request gets its own connection.
    const client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
    const schema = {
      type: 'object' as const,
      required: ['n'],
      properties: { n: { type: 'integer', minimum: 1 } },
    };
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, index) =>
        client.messages.create({
          model: 'claude-haiku-5-5',
          max_tokens: 256,
          system: [{ type: 'text', text: 'You classify failures.', cache_control: { type: 'ephemeral' } }],
          tools: [{ name: 'StructuredOutput', input_schema: schema }],
          messages: [{ role: 'user', content: `Classify failure #${index}` }],
        }),
      ),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    expect(failed.map((result) => String(result.reason)).slice(0, 3)).toEqual([]);
    const inputs = results.map((result) =>
      result.status === 'fulfilled' ? result.value.content[0] : undefined,
    );
    expect(
      inputs.every((block) => block?.type === 'tool_use' && (block.input as { n: number }).n === 1),
    ).toBe(true);
    expect(sim.stats()).toMatchObject({ requests: CONCURRENT, errorsInjected: 0 });
  });
});
