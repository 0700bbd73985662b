/**
 * Records the body of the first Messages API request one small dynaflow run sends: a reverse proxy
 * on loopback in front of the simulator. The reference clients then send that same body (system
 * prompt, tool definitions, tool_choice) with only the prompt changed, so all clients put the same
 * bytes on the wire and the comparison measures the runtimes, not the payloads. A proxy rather than
 * a patched `fetch`: it sees exactly what went on the wire, whatever HTTP client dynaflow uses.
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { URL } from 'node:url';

/** Starts the proxy; resolves to `{ url, firstBody(), stop() }` (firstBody: a string or undefined). */
export async function startRecordingProxy(targetUrl) {
  const target = new URL(targetUrl);
  let firstBody;
  const server = http.createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (firstBody === undefined && incoming.url?.startsWith('/v1/messages'))
        firstBody = body.toString('utf8');
      const forwarded = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    firstBody: () => firstBody,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
