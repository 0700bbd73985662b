import Anthropic from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './index.js';

const MODEL = 'claude-sonnet-5-5';

const REVIEW_SCHEMA: Anthropic.Tool.InputSchema = {
  type: 'object',
  required: ['verdict', 'findings'],
  additionalProperties: false,
  properties: {
    verdict: { enum: ['approve', 'request-changes'] },
    findings: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        required: ['file', 'line', 'severity', 'fix'],
        properties: {
          file: { type: 'string', minLength: 1 },
          line: { type: 'integer', minimum: 1 },
          severity: { type: 'string', enum: ['low', 'high'] },
          fix: {
            type: 'object',
            required: ['old', 'new'],
            properties: { old: { type: 'string' }, new: { type: 'string' } },
          },
        },
      },
    },
  },
};

let sim: SimulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7 });
  client = new Anthropic({ baseURL: sim.url, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('POST /v1/messages (JSON)', () => {
  it('answers with the real Message shape, echoing the model', async () => {
    const { data: message, response } = await client.messages
      .create({
        model: MODEL,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'Summarise the repository layout please' }],
      })
      .withResponse();
    expect(message.id).toMatch(/^msg_01[0-9A-Za-z]{24}$/);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(message.content).toHaveLength(1);
    const block = message.content[0]!;
    expect(block.type === 'text' && block.text).toMatch(
      /^Simulated answer [0-9a-f]{8} to: Summarise the repository layout please$/,
    );
    expect(message.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(message.usage.input_tokens).toBe(Math.ceil('Summarise the repository layout please'.length / 4));
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('is deterministic for a seed and request, and varies with the seed', async () => {
    const other = await startSimulator({ seed: 7 });
    const reseeded = await startSimulator({ seed: 8 });
    try {
      const ask = (url: string) =>
        new Anthropic({ baseURL: url, apiKey: 'test', maxRetries: 0 }).messages.create({
          model: MODEL,
          max_tokens: 256,
          messages: [{ role: 'user', content: 'Same question' }],
        });
      const [a, b, c] = await Promise.all([ask(sim.url), ask(other.url), ask(reseeded.url)]);
      expect(a.content).toEqual(b.content);
      expect(a.content).not.toEqual(c.content);
    } finally {
      await Promise.all([other.close(), reseeded.close()]);
    }
  });

  it('answers @sim reply, and cuts at max_tokens and stop sequences', async () => {
    const reply = (maxTokens: number, stop?: string[]) =>
      client.messages.create({
        model: MODEL,
        max_tokens: maxTokens,
        ...(stop ? { stop_sequences: stop } : {}),
        messages: [{ role: 'user', content: 'Say it\n@sim reply alpha beta gamma delta' }],
      });
    const full = await reply(100);
    expect(full.content).toEqual([{ type: 'text', text: 'alpha beta gamma delta' }]);
    const cut = await reply(2);
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.content).toEqual([{ type: 'text', text: 'alpha be' }]);
    const stopped = await reply(100, ['gamma']);
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'gamma' });
    expect(stopped.content).toEqual([{ type: 'text', text: 'alpha beta ' }]);
  });

  it('answers a forced tool with an input that satisfies its nested schema', async () => {
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 2048,
      tools: [
        {
          name: 'Read',
          description: 'read a file',
          input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
        },
        { name: 'Review', description: 'report the review', input_schema: REVIEW_SCHEMA },
      ],
      tool_choice: { type: 'tool', name: 'Review' },
      messages: [{ role: 'user', content: 'Review the diff' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    const call = message.content[0]!;
    if (call.type !== 'tool_use') throw new Error('expected a tool_use block');
    expect(call.name).toBe('Review');
    expect(call.id).toMatch(/^toolu_01/);
    const validate = new Ajv({ strict: false }).compile(REVIEW_SCHEMA);
    expect(validate(call.input), JSON.stringify(validate.errors)).toBe(true);
  });

  it('answers structured outputs (output_config.format) with JSON text for the schema', async () => {
    const schema = {
      type: 'object',
      required: ['answer'],
      properties: { answer: { type: 'integer', minimum: 4 } },
      additionalProperties: false,
    };
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 256,
      output_config: { format: { type: 'json_schema', schema } },
      messages: [{ role: 'user', content: 'What is 2+2?' }],
    });
    const block = message.content[0]!;
    expect(block.type === 'text' && JSON.parse(block.text)).toEqual({ answer: 4 });
  });

  it('refuses a request without a credential with 401 authentication_error, as the real API', async () => {
    const request = { model: MODEL, max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    const response = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    // A bearer token (OAuth, Entra ID) is a credential too.
    const withToken = new Anthropic({
      apiKey: null,
      authToken: 'oauth-token',
      baseURL: sim.url,
      maxRetries: 0,
    });
    await expect(withToken.messages.create(request)).resolves.toMatchObject({ type: 'message' });
  });

  it('rejects invalid requests with 400 invalid_request_error in the real error shape', async () => {
    const response = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      type: string;
      error: { type: string; message: string };
      request_id: string;
    };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.request_id).toBe(response.headers.get('request-id'));

    const bad = [
      { max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { model: MODEL, max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] },
      { model: MODEL, max_tokens: 10, messages: [] },
      { model: MODEL, max_tokens: 10, messages: [{ role: 'robot', content: 'hi' }] },
      {
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
        tool_choice: { type: 'tool', name: 'Nope' },
      },
      { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi\n@sim fail sometimes' }] },
    ];
    for (const params of bad) {
      const error = await client.messages.create(params as never).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(params)).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as InstanceType<typeof Anthropic.BadRequestError>).type).toBe('invalid_request_error');
    }
  });

  it('answers unknown routes with 404 not_found_error', async () => {
    const response = await fetch(`${sim.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });
});

describe('POST /v1/messages (SSE)', () => {
  it('streams the real event sequence, ping included', async () => {
    const response = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test' },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 500,
        stream: true,
        messages: [{ role: 'user', content: 'Stream a reasonably long answer for me now' }],
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const names = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    const deltas = names.filter((name) => name === 'content_block_delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(names).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...Array<string>(deltas).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('gives the messages.stream() helper the same final message as the JSON answer', async () => {
    const params = {
      model: MODEL,
      max_tokens: 300,
      messages: [{ role: 'user' as const, content: 'Explain streaming in one line' }],
    };
    const json = await client.messages.create(params);
    const stream = client.messages.stream(params);
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual(json.content);
    expect(text).toBe((json.content[0] as { text: string }).text);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(json.usage.output_tokens);
  });

  it('streams a tool input in several input_json_delta chunks that reassemble to the input', async () => {
    const params = {
      model: MODEL,
      max_tokens: 2048,
      tools: [{ name: 'Review', input_schema: REVIEW_SCHEMA }],
      tool_choice: { type: 'any' as const },
      messages: [{ role: 'user' as const, content: 'Review it' }],
    };
    const chunks: string[] = [];
    let stopReason: string | null = null;
    for await (const event of await client.messages.create({ ...params, stream: true })) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        chunks.push(event.delta.partial_json);
      if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
    }
    expect(chunks.filter((chunk) => chunk !== '').length).toBeGreaterThanOrEqual(3);
    expect(stopReason).toBe('tool_use');
    const final = await client.messages.stream(params).finalMessage();
    const block = final.content[0] as { input: unknown };
    expect(JSON.parse(chunks.join(''))).toEqual(block.input);
  });
});
