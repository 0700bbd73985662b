/** The simulator's HTTP server: one node:http server, one routing table, one shared state. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors/index.js';
import { loadBehaviour } from './internal/behaviour-loader.js';
import { AttemptCounter } from './internal/failures.js';
import { anthropicErrorBody } from './internal/error-shapes.js';
import { writeJson } from './internal/http-io.js';
import { createRequestIdSource } from './internal/ids.js';
import { PromptCache } from './internal/prompt-cache.js';
import { SimRateLimits } from './internal/rate-limits.js';
import { findRoute } from './internal/routes.js';
import { resetState } from './internal/sim-handler.js';
import type { SimState } from './internal/state.js';
import { StatsRecorder } from './internal/stats.js';
import type { SimRateLimitOptions, SimulatorHandle, SimulatorOptions } from './types.js';

/** Many clients open their sockets at once (1,000-way fan-outs); a short backlog would drop SYNs. */
const LISTEN_BACKLOG = 4096;

/**
 * Starts the model simulator on loopback and resolves once it is listening.
 *
 * @example
 * const sim = await startSimulator({ seed: 1 });
 * const client = new Anthropic({ baseURL: sim.url, apiKey: 'test' });
 * const message = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 256,
 *   messages: [{ role: 'user', content: '@sim reply hello' }] });
 * // message.content[0].text === 'hello'
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const failRate = options.failRate ?? 0;
  if (!(failRate >= 0 && failRate <= 1)) {
    throw new UsageError('USAGE', `The simulator fail rate must be between 0 and 1, got ${failRate}.`, {
      hint: 'Pass --fail-rate as a fraction, e.g. 0.05 for 5%.',
    });
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!(latencyMs >= 0)) {
    throw new UsageError('USAGE', `The simulator latency must be ≥ 0 ms, got ${latencyMs}.`);
  }
  const seed = options.seed ?? 0;
  const behaviour =
    options.behaviour ??
    (options.behaviourFile !== undefined ? await loadBehaviour(options.behaviourFile) : undefined);
  const state: SimState = {
    seed,
    latencyMs,
    failRate,
    behaviour,
    stats: new StatsRecorder(),
    cache: new PromptCache(),
    attempts: new AttemptCounter(),
    rateLimits:
      options.rateLimit === undefined ? undefined : new SimRateLimits(validRateLimit(options.rateLimit)),
    nextRequestId: createRequestIdSource(seed),
  };

  const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (request, response) => {
    void dispatch(state, request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats: () => state.stats.snapshot(),
    reset: () => resetState(state),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function validRateLimit(options: SimRateLimitOptions): SimRateLimitOptions {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 1)) {
      throw new UsageError(
        'USAGE',
        `The simulator rate limit ${key} must be a positive integer, got ${String(value)}.`,
      );
    }
  }
  return options;
}

async function dispatch(state: SimState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = state.nextRequestId();
  const rawUrl = request.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const match = findRoute(request.method ?? 'GET', path);
  if (match === undefined) {
    state.stats.countRequest('unknown', false);
    request.resume();
    writeJson(response, 404, anthropicErrorBody(404, requestId, `Not found: ${request.method} ${path}`), {
      'request-id': requestId,
    });
    return;
  }
  state.stats.countRequest(match.route.name, match.route.api);
  try {
    await match.route.handle({
      request,
      response,
      state,
      requestId,
      query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
      params: match.params,
    });
  } catch (error) {
    // A bug in the simulator must still answer (500) instead of hanging the client.
    if (!response.headersSent) {
      const message = error instanceof Error ? error.message : String(error);
      writeJson(response, 500, anthropicErrorBody(500, requestId, `simulator error: ${message}`), {
        'request-id': requestId,
      });
    } else {
      response.destroy();
    }
  }
}
