import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { createAnthropicProvider } from '../anthropic/anthropic-adapter.js';
import { createOpenAIProvider } from '../openai/openai-adapter.js';
import { sharedFetch } from './http-transport.js';

/** A loopback server that counts the TCP connections it accepted. */
async function startServer(
  handler: http.RequestListener,
): Promise<{ url: string; connections: () => number }> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
  };
}

/** A socket goes back to the pool once the response has been parsed to its end, a tick after the body. */
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('shared HTTP transport', () => {
  it('is one function for the whole process, and keeps one connection alive across requests', async () => {
    const server = await startServer((_request, response) => response.end('ok'));
    expect(sharedFetch()).toBe(sharedFetch());
    for (let round = 0; round < 5; round++) {
      const response = await sharedFetch()(`${server.url}/ping`);
      expect(await response.text()).toBe('ok');
      await idle();
    }
    expect(server.connections()).toBe(1);
  });

  it('is what every adapter sends through when no fetch is given: two providers share one connection', async () => {
    const seen: string[] = [];
    const server = await startServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'nope' } }));
    });
    const request = {
      model: 'm',
      system: [],
      messages: [{ role: 'user' as const, content: 'hi' }],
      tools: [],
      maxTokens: 8,
    };
    const anthropic = createAnthropicProvider({ apiKey: 'k', baseURL: server.url });
    const openai = createOpenAIProvider({ baseURL: `${server.url}/v1` });
    await expect(anthropic.createMessage(request)).rejects.toMatchObject({ code: 'PROVIDER_SERVER_ERROR' });
    await idle();
    await expect(openai.createMessage(request)).rejects.toMatchObject({ code: 'PROVIDER_SERVER_ERROR' });
    expect(seen).toEqual(['POST /v1/messages', 'POST /v1/chat/completions']);
    expect(server.connections()).toBe(1);
  });

  it('stops reading a stream the moment its signal aborts', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ping\ndata: {}\n\n'); // …and never anything more
    });
    const controller = new AbortController();
    const response = await sharedFetch()(server.url, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const pending = reader.read();
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
