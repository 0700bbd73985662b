/**
 * The HTTP transport every fetch-based SDK client gets unless the caller passes its own `fetch`:
 * undici 7's `fetch` over one keep-alive connection pool per process.
 *
 * Why not Node's built-in `fetch`: on Node 20 that is undici 6, which spends more CPU per streamed
 * request. In a wide fan-out the transport is the largest cost the runtime pays per agent after
 * the SDK itself: 10,000 agents at 0 ms model latency ran ~8 % faster end to end on this one
 * (bench/, alternating runs against the same simulator).
 *
 * undici is imported on the first request (its own chunk of the CLI bundle), so commands that never
 * reach a model (validate, show, sim) do not load it.
 */
import type { Agent } from 'undici';

type Transport = { readonly agent: Agent; readonly fetch: (typeof import('undici'))['fetch'] };

let loading: Promise<Transport> | undefined;
let loaded: Transport | undefined;
/** One pool for every client of the process: connections to the same origin are reused across them. */
let shared: typeof globalThis.fetch | undefined;

/**
 * Timeouts: the SDK's `timeout` alone decides how long to wait for response headers (undici's own
 * 300 s default would cut the SDK's 10 minutes short); a stream silent for `bodyTimeout` (undici's
 * default, 300 s; the Messages API pings every few seconds) fails as a connection error, which the
 * scheduler retries.
 */
async function loadTransport(): Promise<Transport> {
  // `.default` is module.exports (undici is CommonJS) both under Node and inside the esbuild bundle,
  // whose namespace object for a CommonJS chunk has no named exports.
  const { Agent: PoolAgent, fetch } = (await import('undici')).default;
  loaded = { agent: new PoolAgent({ headersTimeout: 0 }), fetch };
  return loaded;
}

/** The process-wide fetch for SDK clients. */
export function sharedFetch(): typeof globalThis.fetch {
  shared ??= (async (input: Parameters<Transport['fetch']>[0], init?: Parameters<Transport['fetch']>[1]) => {
    const transport = loaded ?? (await (loading ??= loadTransport()));
    return transport.fetch(input, { ...init, dispatcher: transport.agent });
  }) as unknown as typeof globalThis.fetch;
  // undici's Request/Response classes are the ones Node's own fetch is built from; the SDKs only
  // use the standard surface (headers, status, a web ReadableStream body, abort signals).
  return shared;
}
