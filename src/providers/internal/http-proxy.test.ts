import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynaflowError } from '../../errors/index.js';
import { startSimulator } from '../../sim/index.js';
import { createProvider } from '../registry.js';
import type { ModelRequest } from '../types.js';
import { proxyFromEnvironment } from './http-transport.js';

const PROXY_PASSWORD = 'proxy-pass-SECRET-4711';

/**
 * A CONNECT proxy on loopback that tunnels every host to 127.0.0.1 (so a made-up host name reaches
 * the simulator) and records what it was asked for. With `requireAuth`, only `user:PROXY_PASSWORD`.
 */
async function startTunnelProxy(
  requireAuth: boolean,
): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  // Tunnels leave the HTTP server's bookkeeping once upgraded: closing must end them itself.
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const expected = `Basic ${Buffer.from(`user:${PROXY_PASSWORD}`).toString('base64')}`;
    if (requireAuth && request.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    seen.push(request.url ?? '');
    tunnels.add(client);
    const port = Number((request.url ?? '').split(':').pop());
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      for (const tunnel of tunnels) tunnel.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const REQUEST: ModelRequest = {
  model: 'claude-haiku-5-5',
  system: [],
  messages: [{ role: 'user', content: 'hello through the proxy' }],
  tools: [],
  maxTokens: 64,
};

let simulator: Awaited<ReturnType<typeof startSimulator>>;
let simulatorPort: number;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, seed: 3 });
  simulatorPort = Number(new URL(simulator.url).port);
});
afterAll(async () => {
  await simulator.close();
});

describe('proxies (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)', () => {
  it('sends a provider through HTTP_PROXY when one is set', async () => {
    const proxy = await startTunnelProxy(false);
    try {
      const provider = createProvider('anthropic', {
        ANTHROPIC_API_KEY: 'k',
        ANTHROPIC_BASE_URL: `http://models.invalid:${simulatorPort}`,
        HTTP_PROXY: proxy.url,
      });
      const response = await provider.createMessage(REQUEST);
      expect(response.stopReason).toBe('end_turn');
      expect(proxy.seen).toEqual([`models.invalid:${simulatorPort}`]);
    } finally {
      await proxy.close();
    }
  });

  it('reaches NO_PROXY hosts and this machine directly', async () => {
    const proxy = await startTunnelProxy(false);
    try {
      const env = { ANTHROPIC_API_KEY: 'k', HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.2' };
      const loopback = createProvider('anthropic', { ...env, ANTHROPIC_BASE_URL: simulator.url });
      expect((await loopback.createMessage(REQUEST)).stopReason).toBe('end_turn');
      // The simulator listens on 127.0.0.1 only: 127.0.0.2 answers through the proxy (which tunnels
      // every host to 127.0.0.1) and refuses when reached directly, as NO_PROXY says.
      const exempt = createProvider('anthropic', {
        ...env,
        ANTHROPIC_BASE_URL: `http://127.0.0.2:${simulatorPort}`,
      });
      await expect(exempt.createMessage(REQUEST)).rejects.toMatchObject({ code: 'PROVIDER_CONNECTION' });
      expect(proxy.seen).toEqual([]);
      const proxied = createProvider('anthropic', {
        ...env,
        NO_PROXY: '.corp.example',
        ANTHROPIC_BASE_URL: `http://127.0.0.2:${simulatorPort}`,
      });
      expect((await proxied.createMessage(REQUEST)).stopReason).toBe('end_turn');
      expect(proxy.seen).toEqual([`127.0.0.2:${simulatorPort}`]);
    } finally {
      await proxy.close();
    }
  });

  it('authenticates with the credentials in the proxy URL, and never shows them in an error', async () => {
    const proxy = await startTunnelProxy(true);
    try {
      const base = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: `http://models.invalid:${simulatorPort}` };
      const withCredentials = createProvider('anthropic', {
        ...base,
        HTTP_PROXY: proxy.url.replace('//', `//user:${PROXY_PASSWORD}@`),
      });
      expect((await withCredentials.createMessage(REQUEST)).stopReason).toBe('end_turn');
      const wrongPassword = createProvider('anthropic', {
        ...base,
        HTTP_PROXY: proxy.url.replace('//', `//user:${PROXY_PASSWORD}-wrong@`),
      });
      const error: unknown = await wrongPassword.createMessage(REQUEST).catch((failure: unknown) => failure);
      expect(DynaflowError.isInstance(error)).toBe(true);
      expect(JSON.stringify((error as DynaflowError).describe())).not.toContain(PROXY_PASSWORD);
    } finally {
      await proxy.close();
    }
  });

  it('reads the lower-case variables first, ignores blank ones, and rejects a proxy that is not a URL', () => {
    expect(
      proxyFromEnvironment({
        https_proxy: 'http://lower:1',
        HTTPS_PROXY: 'http://upper:2',
        HTTP_PROXY: '  ',
        NO_PROXY: '.corp',
      }),
    ).toEqual({ httpsProxy: 'http://lower:1', noProxy: '.corp' });
    expect(() => proxyFromEnvironment({ HTTPS_PROXY: 'proxy.corp:3128' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => createProvider('anthropic', { ANTHROPIC_API_KEY: 'k', HTTP_PROXY: 'socks5://x:1' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
