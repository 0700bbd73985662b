/**
 * The Bedrock, Vertex and Foundry wires, driven by their official SDKs (and by raw HTTP where
 * the framing itself is the subject). `byRoute` proves which route each request took.
 */
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { AnthropicFoundry } from '@anthropic-ai/foundry-sdk';
import { AnthropicVertex, type ClientOptions as VertexOptions } from '@anthropic-ai/vertex-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { decodeEventStream } from './internal/aws-event-stream.js';
import { startSimulator } from './server.js';
import type { SimulatorHandle } from './types.js';

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const bedrock = () =>
  new AnthropicBedrock({
    awsRegion: 'us-east-1',
    awsAccessKey: 'AKIDSIMTEST',
    awsSecretKey: 'sim-test-secret',
    baseURL: sim.url,
    maxRetries: 0,
  });

const noGoogleAuth = {
  projectId: undefined,
  getRequestHeaders: () => Promise.resolve(new Headers()),
} as unknown as NonNullable<VertexOptions['authClient']>;

const vertex = () =>
  new AnthropicVertex({
    projectId: 'sim-project',
    region: 'us-east5',
    baseURL: `${sim.url}/v1`,
    authClient: noGoogleAuth,
    maxRetries: 0,
  });

const PROMPT = [{ role: 'user' as const, content: '@sim reply hello from the cloud' }];

describe('Bedrock routes', () => {
  it('answers the Bedrock SDK on invoke (JSON) and invoke-with-response-stream (event stream)', async () => {
    const client = bedrock();
    const model = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
    const message = await client.messages.create({ model, max_tokens: 64, messages: PROMPT });
    expect(message.content).toEqual([{ type: 'text', text: 'hello from the cloud' }]);
    expect(message.model).toBe(model);

    const stream = client.messages.stream({ model, max_tokens: 64, messages: PROMPT });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'hello from the cloud' }]);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(sim.stats().byRoute).toEqual({ 'bedrock.invoke': 1, 'bedrock.invoke-stream': 1 });
  });

  it('frames stream events as AWS event-stream chunks with base64 JSON bytes, without pings', async () => {
    const response = await fetch(
      `${sim.url}/model/${encodeURIComponent('global.anthropic.claude-sonnet-5-5')}/invoke-with-response-stream`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer bedrock-api-key', 'content-type': 'application/json' },
        body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 32, messages: PROMPT }),
      },
    );
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const frames = decodeEventStream(Buffer.from(await response.arrayBuffer()));
    expect(frames.every((frame) => frame.headers[':event-type'] === 'chunk')).toBe(true);
    const events = frames.map((frame) => {
      const { bytes } = JSON.parse(frame.payload.toString('utf8')) as { bytes: string };
      return JSON.parse(Buffer.from(bytes, 'base64').toString('utf8')) as Record<string, unknown>;
    });
    expect(events.map((event) => event.type)).not.toContain('ping');
    expect(events[0]).toMatchObject({
      type: 'message_start',
      message: { model: 'global.anthropic.claude-sonnet-5-5' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': { outputTokenCount: expect.any(Number) as number },
    });
  });

  it("refuses unsigned requests with 403 in AWS's error shape, and a body holding the model with 400", async () => {
    const url = `${sim.url}/model/anthropic.claude-haiku-4-5/invoke`;
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 8, messages: PROMPT };
    const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });

    const withModel = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({ ...body, model: 'x' }),
    });
    expect(withModel.status).toBe(400);
    expect(withModel.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
  });

  it('maps injected failures to Bedrock exceptions (429 throttling, 529 → 503 service unavailable)', async () => {
    const client = bedrock();
    const send = (prompt: string) =>
      client.messages
        .create({
          model: 'global.anthropic.claude-haiku-5-5',
          max_tokens: 8,
          messages: [{ role: 'user', content: prompt }],
        })
        .then(
          () => undefined,
          (error: unknown) => error as { status?: number; headers?: Headers },
        );
    const throttled = await send('@sim fail 429 retry-after 2\nhi');
    expect(throttled?.status).toBe(429);
    expect(throttled?.headers?.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
    expect(throttled?.headers?.get('retry-after')).toBe('2');
    expect((await send('@sim fail 529\nhi'))?.status).toBe(503);
  });
});

describe('Vertex routes', () => {
  it('answers rawPredict, streamRawPredict and count-tokens with the model taken from the path', async () => {
    const client = vertex();
    const model = 'claude-haiku-4-5@20251001';
    const message = await client.messages.create({ model, max_tokens: 64, messages: PROMPT });
    expect(message).toMatchObject({ model, content: [{ type: 'text', text: 'hello from the cloud' }] });
    const final = await client.messages.stream({ model, max_tokens: 64, messages: PROMPT }).finalMessage();
    expect(final.content).toEqual(message.content);
    const counted = await client.messages.countTokens({ model, messages: PROMPT });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(sim.stats().byRoute).toEqual({
      'vertex.raw-predict': 1,
      'vertex.stream-raw-predict': 1,
      'vertex.count-tokens': 1,
    });
  });

  it("answers a quota 429 in Google's error shape", async () => {
    const response = await fetch(
      `${sim.url}/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-5-5:rawPredict`,
      {
        method: 'POST',
        body: JSON.stringify({
          anthropic_version: 'vertex-2023-10-16',
          max_tokens: 8,
          messages: [{ role: 'user', content: '@sim fail 429\nhi' }],
        }),
      },
    );
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  });
});

describe('Foundry routes', () => {
  it('answers the Foundry SDK under /anthropic/v1/messages', async () => {
    const client = new AnthropicFoundry({
      apiKey: 'foundry-key',
      baseURL: `${sim.url}/anthropic/`,
      maxRetries: 0,
    });
    const message = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 64,
      messages: PROMPT,
    });
    expect(message.content).toEqual([{ type: 'text', text: 'hello from the cloud' }]);
    const final = await client.messages
      .stream({ model: 'claude-sonnet-5-5', max_tokens: 64, messages: PROMPT })
      .finalMessage();
    expect(final.content).toEqual(message.content);
    expect(sim.stats().byRoute).toEqual({ 'foundry.messages': 2 });
  });
});
