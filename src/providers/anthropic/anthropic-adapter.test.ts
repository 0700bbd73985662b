/**
 * The adapter over real HTTP against a tiny local server that speaks the Messages API's SSE event
 * sequence and error shapes (the simulator test in anthropic-sim.test.ts covers the real sim).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import type { ModelRequest, StreamEvent } from '../types.js';
import { createAnthropicProvider } from './anthropic-adapter.js';

const API_KEY = 'sk-ant-test-SECRET-0123456789';

type Handler = (request: IncomingMessage, body: Record<string, unknown>, response: ServerResponse) => void;

let server: Server;
let baseURL: string;
let handler: Handler;
let received: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }>;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      received.push({ headers: request.headers, body });
      handler(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

function writeEvent(response: ServerResponse, event: Record<string, unknown> & { type: string }): void {
  response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function startStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

const messageStart = (usage: Record<string, number> = {}) => ({
  type: 'message_start',
  message: {
    id: 'msg_local_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      output_tokens: 1,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...usage,
    },
  },
});

const messageDelta = (stopReason: string, outputTokens: number) => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: null },
  usage: { output_tokens: outputTokens },
});

function textStream(response: ServerResponse, pieces: readonly string[]): void {
  startStream(response);
  writeEvent(response, messageStart({ cache_creation_input_tokens: 100, cache_read_input_tokens: 40 }));
  writeEvent(response, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  writeEvent(response, { type: 'ping' });
  for (const text of pieces) {
    writeEvent(response, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  }
  writeEvent(response, { type: 'content_block_stop', index: 0 });
  writeEvent(response, messageDelta('end_turn', 7));
  writeEvent(response, { type: 'message_stop' });
  response.end();
}

function errorResponse(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

const REQUEST: ModelRequest = {
  model: 'claude-sonnet-5-5',
  system: [{ text: 'fixed', cache: true }, { text: 'extra', cache: true }, { text: 'workspace' }],
  messages: [
    { role: 'user', content: 'hello' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: '' },
        { type: 'tool_use', id: 't1', name: 'Echo', input: { a: 1 } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done', is_error: true }] },
  ],
  tools: [
    { name: 'Echo', description: 'echo', inputSchema: { type: 'object' } },
    { name: 'Look', description: 'look', inputSchema: { type: 'object' } },
  ],
  toolChoice: { type: 'auto' },
  maxTokens: 2048,
  effort: 'low',
  cacheTools: true,
  cacheConversation: true,
};

const provider = () =>
  createAnthropicProvider({ apiKey: API_KEY, baseURL, defaultHeaders: { 'x-test': 'yes' } });

async function failure(promise: Promise<unknown>): Promise<DynaflowError> {
  try {
    await promise;
  } catch (error) {
    if (DynaflowError.isInstance(error)) return error;
    throw new Error(`expected a DynaflowError, got ${String(error)}`);
  }
  throw new Error('expected a failure');
}

describe('anthropic adapter over HTTP', () => {
  it('streams a text answer into a ModelResponse with every usage field and progress events', async () => {
    handler = (_request, _body, response) => textStream(response, ['Hel', 'lo']);
    const events: StreamEvent[] = [];
    const result = await provider().createMessage(REQUEST, { onEvent: (event) => events.push(event) });
    expect(result).toEqual({
      id: 'msg_local_1',
      model: 'claude-sonnet-5-5',
      content: [{ type: 'text', text: 'Hello' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 7, cacheCreationTokens: 100, cacheReadTokens: 40 },
    });
    expect(events).toEqual([
      { type: 'response-start' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
    ]);
  });

  it('maps the request onto the wire: cache breakpoints, tools, tool_choice, effort, auth', async () => {
    handler = (_request, _body, response) => textStream(response, ['ok']);
    await provider().createMessage(REQUEST);
    const [sent] = received;
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.headers['x-test']).toBe('yes');
    expect(sent?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 2048,
      stream: true,
      tool_choice: { type: 'auto' },
      output_config: { effort: 'low' },
      system: [
        { type: 'text', text: 'fixed' },
        { type: 'text', text: 'extra', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'workspace' },
      ],
      tools: [
        { name: 'Echo', description: 'echo', input_schema: { type: 'object' } },
        { name: 'Look', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Echo', input: { a: 1 } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: 'done',
              is_error: true,
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
    });
    const body = sent?.body as {
      system: Array<Record<string, unknown>>;
      tools: Array<Record<string, unknown>>;
    };
    expect(body.system[0]).not.toHaveProperty('cache_control');
    expect(body.tools[0]).not.toHaveProperty('cache_control');
  });

  it('assembles tool_use input from input_json_delta pieces and reports tool-use-start', async () => {
    handler = (_request, _body, response) => {
      startStream(response);
      writeEvent(response, messageStart());
      writeEvent(response, {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: 'Reading. ' },
      });
      writeEvent(response, { type: 'content_block_stop', index: 0 });
      writeEvent(response, {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
      });
      for (const partial_json of ['{"file_', 'path": "a.ts', '", "limit": 3}']) {
        writeEvent(response, {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json },
        });
      }
      writeEvent(response, { type: 'content_block_stop', index: 1 });
      writeEvent(response, messageDelta('tool_use', 20));
      writeEvent(response, { type: 'message_stop' });
      response.end();
    };
    const events: StreamEvent[] = [];
    const result = await provider().createMessage(REQUEST, { onEvent: (event) => events.push(event) });
    expect(result.stopReason).toBe('tool_use');
    expect(result.content).toEqual([
      { type: 'text', text: 'Reading. ' },
      { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.ts', limit: 3 } },
    ]);
    expect(events).toContainEqual({ type: 'tool-use-start', name: 'Read' });
  });

  it('maps 429 to a retryable PROVIDER_RATE_LIMITED using retry-after, with no SDK retry', async () => {
    handler = (_request, _body, response) =>
      errorResponse(response, 429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', {
        'retry-after': '3',
      });
    const error = await failure(provider().createMessage(REQUEST));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 3000, status: 429 });
    expect(received).toHaveLength(1);
  });

  it('prefers retry-after-ms and defaults when no header is sent', async () => {
    handler = (_request, _body, response) =>
      errorResponse(response, 529, 'overloaded_error', 'Overloaded', {
        'retry-after-ms': '250',
        'retry-after': '9',
      });
    expect(await failure(provider().createMessage(REQUEST))).toMatchObject({
      code: 'PROVIDER_OVERLOADED',
      retryAfterMs: 250,
    });
    handler = (_request, _body, response) =>
      errorResponse(response, 500, 'api_error', 'Internal server error');
    expect(await failure(provider().createMessage(REQUEST))).toMatchObject({
      code: 'PROVIDER_SERVER_ERROR',
      retryAfterMs: 1000,
    });
  });

  it('maps 400 to a terminal PROVIDER_REQUEST_REJECTED carrying the API message', async () => {
    handler = (_request, _body, response) =>
      errorResponse(response, 400, 'invalid_request_error', 'max_tokens: must be at most 64000');
    const error = await failure(provider().createMessage(REQUEST));
    expect(error.code).toBe('PROVIDER_REQUEST_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('max_tokens: must be at most 64000');
  });

  it('maps 401 to a credentials error naming ANTHROPIC_API_KEY, never echoing the key', async () => {
    handler = (request, _body, response) =>
      errorResponse(
        response,
        401,
        'authentication_error',
        `invalid key ${String(request.headers.authorization)}`,
      );
    const error = await failure(provider().createMessage(REQUEST));
    expect(error.code).toBe('PROVIDER_CREDENTIALS_MISSING');
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    expect(error.describe()).not.toContain(API_KEY);
  });

  it('reports a stream that ends before message_stop as retryable PROVIDER_TRUNCATED', async () => {
    handler = (_request, _body, response) => {
      startStream(response);
      writeEvent(response, messageStart());
      writeEvent(response, {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
      writeEvent(response, {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'half' },
      });
      response.end();
    };
    const error = await failure(provider().createMessage(REQUEST));
    expect(error.code).toBe('PROVIDER_TRUNCATED');
    expect(error.retryable).toBe(true);
  });

  it('maps a reset connection to retryable PROVIDER_CONNECTION', async () => {
    handler = (request) => request.socket.destroy();
    const error = await failure(provider().createMessage(REQUEST));
    expect(error.code).toBe('PROVIDER_CONNECTION');
    expect(error.retryable).toBe(true);
  });

  it('maps a connection cut mid-stream to a retryable error', async () => {
    handler = (request, _body, response) => {
      startStream(response);
      writeEvent(response, messageStart());
      response.write('', () => request.socket.destroy());
    };
    const error = await failure(provider().createMessage(REQUEST));
    expect(['PROVIDER_CONNECTION', 'PROVIDER_TRUNCATED']).toContain(error.code);
    expect(error.retryable).toBe(true);
  });

  it('maps an error event inside the stream by its type', async () => {
    handler = (_request, _body, response) => {
      startStream(response);
      writeEvent(response, messageStart());
      writeEvent(response, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      response.end();
    };
    expect(await failure(provider().createMessage(REQUEST))).toMatchObject({ code: 'PROVIDER_OVERLOADED' });
  });

  it('rejects with RUN_CANCELLED without a request when the signal is already aborted', async () => {
    handler = (_request, _body, response) => textStream(response, ['never']);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(provider().createMessage(REQUEST, { signal: controller.signal }));
    expect(error.code).toBe('RUN_CANCELLED');
    expect(received).toHaveLength(0);
  });

  it('rejects with RUN_CANCELLED when aborted mid-stream', async () => {
    handler = (_request, _body, response) => {
      startStream(response);
      writeEvent(response, messageStart());
      writeEvent(response, {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
      writeEvent(response, {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'first' },
      });
      // Keep the stream open: only the abort can end this request.
    };
    const controller = new AbortController();
    const error = await failure(
      provider().createMessage(REQUEST, {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'text-delta') controller.abort();
        },
      }),
    );
    expect(error.code).toBe('RUN_CANCELLED');
  });
});
