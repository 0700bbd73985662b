/**
 * The HTTP transport every fetch-based SDK client gets unless the caller passes its own `fetch`:
 * undici 7's `fetch` over one keep-alive connection pool per process (per proxy setting).
 *
 * Why not Node's built-in `fetch`: on Node 20 that is undici 6, which spends more CPU per streamed
 * request. In a wide fan-out the transport is the largest cost the runtime pays per agent after
 * the SDK itself: 10,000 agents at 0 ms model latency ran ~8 % faster end to end on this one
 * (bench/, alternating runs against the same simulator). It also gives proxies: Node's built-in
 * fetch ignores HTTPS_PROXY, which Claude Code users behind a corporate proxy rely on.
 *
 * undici is imported on the first request (its own chunk of the CLI bundle), so commands that never
 * reach a model (validate, show, sim) do not load it.
 */
import type { Dispatcher } from 'undici';

import { UsageError } from '../../errors/index.js';
import type { ProxySettings } from '../types.js';
import { readVariable } from './client-defaults.js';

type UndiciFetch = (typeof import('undici'))['fetch'];

/** Hosts never sent through a proxy: a proxy cannot reach this machine's own servers. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** One fetch per proxy setting (nearly always exactly one): clients of the same setting share connections. */
const fetches = new Map<string, typeof globalThis.fetch>();

/**
 * Timeouts: the SDK's `timeout` alone decides how long to wait for response headers (undici's own
 * 300 s default would cut the SDK's 10 minutes short); a stream silent for `bodyTimeout` (undici's
 * default, 300 s; the Messages API pings every few seconds) fails as a connection error, which the
 * scheduler retries.
 */
async function loadTransport(proxy: ProxySettings): Promise<{ dispatcher: Dispatcher; fetch: UndiciFetch }> {
  // `.default` is module.exports (undici is CommonJS) both under Node and inside the esbuild bundle,
  // whose namespace object for a CommonJS chunk has no named exports.
  const undici = (await import('undici')).default;
  if (proxy.httpProxy === undefined && proxy.httpsProxy === undefined) {
    return { dispatcher: new undici.Agent({ headersTimeout: 0 }), fetch: undici.fetch };
  }
  // Every field given explicitly ('' = none): undici would otherwise read process.env on its own.
  const dispatcher = new undici.EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    // undici treats only a NO_PROXY of exactly `*` as "never proxy".
    noProxy: proxy.noProxy?.trim() === '*' ? '*' : [...LOOPBACK_HOSTS, proxy.noProxy ?? ''].join(','),
    headersTimeout: 0,
  });
  return { dispatcher, fetch: undici.fetch };
}

/**
 * The process-wide fetch for SDK clients, through `proxy` when one is set (see `proxyFromEnvironment`).
 *
 * @example
 * new Anthropic({ apiKey, fetch: sharedFetch({ httpsProxy: 'http://proxy.corp:3128' }) })
 */
export function sharedFetch(proxy: ProxySettings = {}): typeof globalThis.fetch {
  const key = `${proxy.httpProxy ?? ''}\n${proxy.httpsProxy ?? ''}\n${proxy.noProxy ?? ''}`;
  let shared = fetches.get(key);
  if (shared) return shared;
  let loading: ReturnType<typeof loadTransport> | undefined;
  let loaded: Awaited<ReturnType<typeof loadTransport>> | undefined;
  shared = (async (input: Parameters<UndiciFetch>[0], init?: Parameters<UndiciFetch>[1]) => {
    loaded ??= await (loading ??= loadTransport(proxy));
    return loaded.fetch(input, { ...init, dispatcher: loaded.dispatcher });
  }) as unknown as typeof globalThis.fetch;
  // undici's Request/Response classes are the ones Node's own fetch is built from; the SDKs only
  // use the standard surface (headers, status, a web ReadableStream body, abort signals).
  fetches.set(key, shared);
  return shared;
}

/**
 * The proxy variables curl and Claude Code honour (lower case first, as curl reads them): HTTPS_PROXY
 * for https:// endpoints, HTTP_PROXY for http:// ones, NO_PROXY for hosts reached directly.
 *
 * @example
 * proxyFromEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.internal' })
 * // → { httpsProxy: 'http://proxy.corp:3128', noProxy: '.internal' }
 */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv): ProxySettings {
  const first = (...names: string[]): [string, string] | undefined => {
    for (const name of names) {
      const value = readVariable(env, name);
      if (value !== undefined) return [name, value];
    }
    return undefined;
  };
  const httpProxy = proxyUrl(first('http_proxy', 'HTTP_PROXY'));
  const httpsProxy = proxyUrl(first('https_proxy', 'HTTPS_PROXY'));
  const noProxy = first('no_proxy', 'NO_PROXY')?.[1];
  return {
    ...(httpProxy === undefined ? {} : { httpProxy }),
    ...(httpsProxy === undefined ? {} : { httpsProxy }),
    ...(noProxy === undefined ? {} : { noProxy }),
  };
}

/** A proxy variable's URL, checked now: undici would only fail at the first request, as a retried connection error. */
function proxyUrl(variable: [string, string] | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const [name, value] = variable;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return value;
  throw new UsageError('CONFIG_INVALID', `${name} is not an http:// or https:// proxy URL.`, {
    hint: `Set ${name} to a URL such as http://proxy.example.com:3128 (user:password@ before the host if it needs them), or unset it.`,
  });
}
