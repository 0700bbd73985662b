/** Small node:http helpers: read a JSON body, write JSON, common headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Larger bodies get 413 like the real API (which allows 32 MB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type BodyRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

export async function readJsonBody(request: IncomingMessage): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      return { ok: false, status: 413, message: 'Request exceeds the maximum allowed number of bytes.' };
    chunks.push(chunk);
  }
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  if (text === '') return { ok: false, status: 400, message: 'body: a JSON request body is required' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'body: the request body is not valid JSON' };
  }
}

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Starts a server-sent-events response. */
export function startEventStream(response: ServerResponse, headers: Record<string, string>): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
}

/** An injected `reset`: the connection dies without any answer. */
export function destroyConnection(request: IncomingMessage): void {
  request.socket.destroy();
}

/** An injected `truncate` of a JSON answer: half the body, then the end of the response. */
export function writeTruncatedJson(
  response: ServerResponse,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(text.slice(0, Math.floor(text.length / 2)));
}
