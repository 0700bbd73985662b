import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimStats, type SimulatorHandle } from './index.js';

const MODEL = 'claude-opus-5-5';
const SYSTEM = 'S'.repeat(400); // 100 tokens
const TOOL_SCHEMA = { type: 'object' as const, properties: { path: { type: 'string' } } };

let sim: SimulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
  client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

function cachedCall(messages: Anthropic.MessageParam[]) {
  return client.messages.create({
    model: MODEL,
    max_tokens: 100,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages,
  });
}

describe('usage and prompt caching', () => {
  it('writes a cache_control prefix the first time and reads it afterwards', async () => {
    const prompt = 'U'.repeat(40); // 10 tokens after the breakpoint
    const first = await cachedCall([{ role: 'user', content: prompt }]);
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 0,
      input_tokens: 10,
    });
    const second = await cachedCall([{ role: 'user', content: prompt }]);
    expect(second.usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      input_tokens: 10,
    });
    const longer = await cachedCall([
      { role: 'user', content: prompt },
      { role: 'assistant', content: 'A'.repeat(8) },
      { role: 'user', content: 'U'.repeat(12) },
    ]);
    expect(longer.usage).toMatchObject({
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 0,
      input_tokens: 15,
    });
    expect(sim.stats()).toMatchObject({ cacheCreationTokens: 100, cacheReadTokens: 200, inputTokens: 35 });
  });

  it('moves the written part to the newest breakpoint in a growing conversation', async () => {
    const turn = (text: string): Anthropic.TextBlockParam => ({
      type: 'text',
      text,
      cache_control: { type: 'ephemeral' },
    });
    const first = await cachedCall([{ role: 'user', content: [turn('Q'.repeat(80))] }]);
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: 120,
      cache_read_input_tokens: 0,
      input_tokens: 0,
    });
    const next = await cachedCall([
      { role: 'user', content: [{ type: 'text', text: 'Q'.repeat(80) }] },
      { role: 'assistant', content: 'A'.repeat(40) },
      { role: 'user', content: [turn('R'.repeat(40))] },
    ]);
    expect(next.usage).toMatchObject({
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 40,
      input_tokens: 0,
    });
  });

  it('counts tool definitions in the prefix and caches at a marked tool', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'Read',
        description: 'd'.repeat(100),
        input_schema: TOOL_SCHEMA,
        cache_control: { type: 'ephemeral' },
      },
    ];
    const toolChars = 'Read'.length + 100 + JSON.stringify(TOOL_SCHEMA).length;
    const call = () =>
      client.messages.create({
        model: MODEL,
        max_tokens: 50,
        tools,
        messages: [{ role: 'user', content: 'hi' }],
      });
    expect((await call()).usage).toMatchObject({ cache_creation_input_tokens: Math.ceil(toolChars / 4) });
    expect((await call()).usage).toMatchObject({ cache_read_input_tokens: Math.ceil(toolChars / 4) });
  });

  it('reports @sim tokens as the usage', async () => {
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Work\n@sim tokens 1234 56' }],
    });
    expect(message.usage).toMatchObject({ input_tokens: 1234, output_tokens: 56 });
    expect(sim.stats()).toMatchObject({ inputTokens: 1234, outputTokens: 56 });
  });

  it('count_tokens counts ceil(chars / 4) of system, messages and tools', async () => {
    const tools: Anthropic.Tool[] = [{ name: 'Read', input_schema: TOOL_SCHEMA }];
    const counted = await client.messages.countTokens({
      model: MODEL,
      system: SYSTEM,
      tools,
      messages: [{ role: 'user', content: 'x'.repeat(10) }],
    });
    const chars = 'Read'.length + JSON.stringify(TOOL_SCHEMA).length + SYSTEM.length + 10;
    expect(counted.input_tokens).toBe(Math.ceil(chars / 4));
  });
});

describe('models, stats and reset', () => {
  it('lists the current models with list pagination fields and retrieves one', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) ids.push(model.id);
    expect(ids).toEqual([
      'claude-opus-5-5',
      'claude-sonnet-5-5',
      'claude-haiku-5-5',
      'claude-opus-4-8',
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
    ]);
    const page = await client.models.list({ limit: 3 });
    expect(page.has_more).toBe(true);
    expect(page.first_id).toBe('claude-opus-5-5');
    expect(page.last_id).toBe('claude-haiku-5-5');
    await expect(client.models.retrieve('claude-sonnet-4-6')).resolves.toMatchObject({
      type: 'model',
      id: 'claude-sonnet-4-6',
    });
    await expect(client.models.retrieve('claude-unknown')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('GET /_sim/stats reports the counters and POST /_sim/reset zeroes them and the cache', async () => {
    await cachedCall([{ role: 'user', content: 'hello' }]);
    await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hello' }] });
    await client.messages
      .create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x\n@sim fail 500' }] })
      .catch(() => undefined);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as SimStats;
    expect(stats).toEqual(sim.stats());
    expect(stats).toMatchObject({
      requests: 3,
      errorsInjected: 1,
      cacheCreationTokens: 100,
      byRoute: { 'anthropic.messages': 2, 'anthropic.count-tokens': 1, 'sim.stats': 1 },
    });
    expect(stats.inputTokens).toBeGreaterThan(0);
    expect(stats.outputTokens).toBeGreaterThan(0);

    const reset = await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sim.stats()).toMatchObject({
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      errorsInjected: 0,
      byRoute: {},
    });
    // The cache is gone: the same prefix is written again.
    expect((await cachedCall([{ role: 'user', content: 'hello' }])).usage.cache_creation_input_tokens).toBe(
      100,
    );
  });
});
