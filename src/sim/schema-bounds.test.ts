import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, synthesiseFromSchema, type SimulatorHandle } from './index.js';

const BOMB = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', minItems: 1e8, items: { type: 'string', minLength: 1e8 } } },
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('schema synthesis bounds', () => {
  it('BD-05 a schema bomb is refused with SCHEMA_TOO_LARGE instead of built (and refused again from the cache)', () => {
    expect(codeOf(() => synthesiseFromSchema(BOMB))).toBe('SCHEMA_TOO_LARGE');
    expect(codeOf(() => synthesiseFromSchema(JSON.parse(JSON.stringify(BOMB))))).toBe('SCHEMA_TOO_LARGE');
    expect(codeOf(() => synthesiseFromSchema({ type: 'array', minItems: 1e8 }))).toBe('SCHEMA_TOO_LARGE');
  });

  it('BD-06 optional properties are added only while they fit: a fan-out of optional $refs stays small', () => {
    // 100 optional properties per level, three levels near the root: a million strings if all were added.
    const level = (next: string) => ({
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, { $ref: next }])),
    });
    const schema = {
      ...level('#/$defs/l2'),
      $defs: { l2: level('#/$defs/l1'), l1: level('#/$defs/leaf'), leaf: { type: 'string', minLength: 50 } },
    };
    const text = JSON.stringify(synthesiseFromSchema(schema));
    expect(text.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(text.length).toBeGreaterThan(1000);
  });

  it('BD-07 minLength over maxLength is cut to maxLength without building the longer string', () => {
    expect(synthesiseFromSchema({ type: 'string', minLength: 1e9, maxLength: 4 })).toHaveLength(4);
  });
});

describe('the simulator answers a schema bomb with 400', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 1 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('BD-08 Messages API: a forced tool with a bomb input_schema → 400 invalid_request_error naming the keyword', async () => {
    const client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
    const request = client.messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Answer' }],
      tools: [{ name: 'StructuredOutput', input_schema: BOMB as Anthropic.Tool.InputSchema }],
      tool_choice: { type: 'tool', name: 'StructuredOutput' },
    });
    const error = (await request.then(
      () => undefined,
      (failure: unknown) => failure,
    )) as { status?: number; error?: { error?: { type?: string; message?: string } } };
    expect(error.status).toBe(400);
    expect(error.error?.error?.type).toBe('invalid_request_error');
    expect(error.error?.error?.message).toContain('properties.items.minItems');
    // The server is still there for the next request.
    const next = await client.messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(next.content[0]?.type).toBe('text');
  });

  it('BD-09 OpenAI: a bomb response_format schema → 400', async () => {
    const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const request = client.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'Answer' }],
      response_format: { type: 'json_schema', json_schema: { name: 'bomb', schema: BOMB } },
    });
    await expect(request).rejects.toMatchObject({ status: 400 });
  });
});
