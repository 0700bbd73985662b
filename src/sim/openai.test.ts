import { Ajv } from 'ajv';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from './index.js';

const MODEL = 'claude-sonnet-5-5';

const EDIT_TOOL: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'Edit',
    description: 'edit a file',
    parameters: {
      type: 'object',
      required: ['file_path', 'old_string', 'new_string'],
      properties: {
        file_path: { type: 'string' },
        old_string: { type: 'string', minLength: 1 },
        new_string: { type: 'string' },
        replace_all: { type: 'boolean' },
      },
    },
  },
};

let sim: SimulatorHandle;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
  client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

describe('POST /v1/chat/completions', () => {
  it('answers a chat.completion with usage', async () => {
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Name three colours' },
      ],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toMatch(/^Simulated answer [0-9a-f]{8} to: Name three colours$/);
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBe(Math.ceil(('You are terse.'.length + 'Name three colours'.length) / 4));
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('reports cached_tokens for a repeated prefix (automatic prefix caching)', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'S'.repeat(400) },
      { role: 'user', content: 'first question' },
    ];
    await client.chat.completions.create({ model: MODEL, messages });
    const again = await client.chat.completions.create({
      model: MODEL,
      messages: [
        ...messages,
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'follow-up' },
      ],
    });
    expect(again.usage?.prompt_tokens_details?.cached_tokens).toBe(
      Math.ceil((400 + 'first question'.length) / 4),
    );
    expect(sim.stats().cacheReadTokens).toBe(again.usage?.prompt_tokens_details?.cached_tokens);
  });

  it('streams chunks ending with [DONE] and a usage chunk when asked', async () => {
    const json = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Tell me a long enough story please' }],
    });
    const stream = await client.chat.completions.create({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Tell me a long enough story please' }],
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(json.choices[0]!.message.content);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(json.usage?.completion_tokens);

    const raw = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect((await raw.text()).trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('answers tool_choice with tool_calls whose arguments satisfy the schema, JSON and streamed', async () => {
    const params = {
      model: MODEL,
      tools: [EDIT_TOOL],
      tool_choice: 'required' as const,
      messages: [{ role: 'user' as const, content: 'Fix the typo' }],
    };
    const completion = await client.chat.completions.create(params);
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('Edit');
    const validate = new Ajv({ strict: false }).compile(EDIT_TOOL.function.parameters!);
    expect(validate(JSON.parse(call.function.arguments))).toBe(true);

    const final = await client.chat.completions.stream(params).finalChatCompletion();
    const streamed = final.choices[0]!.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && streamed.function.arguments).toBe(call.function.arguments);
  });

  it('runs a @sim tool conversation over tool messages', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      {
        role: 'user',
        content:
          'Fix it\n@sim tool Edit {"file_path":"a.ts","old_string":"x","new_string":"y"}\n@sim reply fixed',
      },
    ];
    const first = await client.chat.completions.create({ model: MODEL, tools: [EDIT_TOOL], messages });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      file_path: 'a.ts',
      old_string: 'x',
      new_string: 'y',
    });
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'edited' });
    const second = await client.chat.completions.create({ model: MODEL, tools: [EDIT_TOOL], messages });
    expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'fixed' } });
  });

  it('answers response_format json_schema with JSON content for the schema', async () => {
    const schema = {
      type: 'object',
      required: ['title', 'labels'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', maxLength: 12 },
        labels: { type: 'array', items: { enum: ['bug', 'docs'] }, minItems: 2, maxItems: 2 },
      },
    };
    const completion = await client.chat.completions.create({
      model: MODEL,
      response_format: { type: 'json_schema', json_schema: { name: 'issue', schema, strict: true } },
      messages: [{ role: 'user', content: 'File an issue' }],
    });
    const content = JSON.parse(completion.choices[0]!.message.content!) as unknown;
    expect(new Ajv({ strict: false }).compile(schema)(content)).toBe(true);
  });

  it('maps injected 429 and bad requests to the OpenAI client error classes', async () => {
    const limited = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'x\n@sim fail 429' }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('0');
    const bad = await client.chat.completions
      .create({ model: MODEL, messages: [] })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(sim.stats().byRoute['openai.chat-completions']).toBe(2);
  });
  it('truncate and reset make the OpenAI client throw; models list works with its client too', async () => {
    const ask = (content: string) => ({ model: MODEL, messages: [{ role: 'user' as const, content }] });
    const cut = client.chat.completions
      .stream(ask('A long enough prompt\n@sim fail truncate'))
      .finalChatCompletion();
    await expect(cut).rejects.toBeInstanceOf(OpenAI.OpenAIError);
    await expect(client.chat.completions.create(ask('x\n@sim fail reset'))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('claude-opus-5-5');
  });
});
