/**
 * The only way out of a sandbox's empty network namespace: an HTTP proxy in the parent process,
 * listening on a Unix socket that is bound into the sandbox. It forwards plain HTTP and tunnels
 * CONNECT (HTTPS) to allow-listed hosts only; anything else gets 403.
 */
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { isHostAllowed, type HostPattern } from './internal/host-patterns.js';

export interface NetworkProxyLimits {
  /** Connections open at once (sandboxed clients plus their upstreams count once each). */
  readonly maxConnections: number;
  /** Request head size in bytes. */
  readonly maxHeaderBytes: number;
  /** A connection idle this long is closed. */
  readonly idleTimeoutMs: number;
}

export const DEFAULT_PROXY_LIMITS: NetworkProxyLimits = {
  maxConnections: 128,
  maxHeaderBytes: 16 * 1024,
  idleTimeoutMs: 5 * 60_000,
};

export interface NetworkProxy {
  /** The Unix socket the sandbox's bridge connects to. */
  readonly socketPath: string;
  close(): Promise<void>;
}

/**
 * @example
 * const proxy = await startNetworkProxy(parseHostPatterns(['registry.npmjs.org']));
 * // bind proxy.socketPath into the sandbox; at run end:
 * await proxy.close();
 */
export async function startNetworkProxy(
  allow: readonly HostPattern[],
  limits: NetworkProxyLimits = DEFAULT_PROXY_LIMITS,
): Promise<NetworkProxy> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'dynaflow-proxy-'));
  const socketPath = path.join(directory, 'proxy.sock');
  const open = new Set<net.Socket>();
  const server = http.createServer({ maxHeaderSize: limits.maxHeaderBytes }, (request, response) => {
    forwardPlainHttp(allow, request, response);
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => open.delete(socket));
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnel(allow, request, client, head, limits.idleTimeoutMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function refuse(client: net.Socket, status: string, text: string): void {
  client.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${text}\n`);
}

function refusalText(host: string, port: number): string {
  return `dynaflow sandbox: ${host}:${port} is not on the network allow-list (settings "sandbox.network.allow")`;
}

/** `CONNECT host:port`: a raw tunnel, so TLS runs end to end between the command and the host. */
function tunnel(
  allow: readonly HostPattern[],
  request: http.IncomingMessage,
  client: net.Socket,
  head: Buffer,
  idleTimeoutMs: number,
): void {
  const target = parseAuthority(request.url ?? '');
  if (target === undefined) return refuse(client, '400 Bad Request', 'CONNECT needs host:port');
  if (!isHostAllowed(allow, target.host, target.port)) {
    return refuse(client, '403 Forbidden', refusalText(target.host, target.port));
  }
  const upstream = net.connect(target.port, target.host);
  upstream.setTimeout(idleTimeoutMs, () => upstream.destroy());
  upstream.once('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => {
    if (client.writable && upstream.bytesRead === 0 && upstream.connecting) {
      refuse(client, '502 Bad Gateway', `cannot reach ${target.host}:${target.port}`);
    } else {
      client.destroy();
    }
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
}

/** `GET http://host/path`: a forward-proxy request for plain HTTP. */
function forwardPlainHttp(
  allow: readonly HostPattern[],
  request: http.IncomingMessage,
  response: http.ServerResponse,
): void {
  let url: URL;
  try {
    url = new URL(request.url ?? '');
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('a proxy request needs an absolute URL\n');
    return;
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const host = url.hostname;
  if (url.protocol !== 'http:' || !isHostAllowed(allow, host, port)) {
    response.writeHead(403, { 'content-type': 'text/plain' }).end(`${refusalText(host, port)}\n`);
    return;
  }
  const headers = { ...request.headers };
  delete headers['proxy-connection'];
  delete headers['proxy-authorization'];
  const upstream = http.request(
    {
      host: host.replace(/^\[(.*)\]$/, '$1'),
      port,
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`cannot reach ${host}:${port}: ${error.message}\n`);
  });
  request.pipe(upstream);
}

function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d+)$/.exec(authority);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}
