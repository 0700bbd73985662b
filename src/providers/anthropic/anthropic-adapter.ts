/**
 * The Anthropic Messages API adapter, over the official SDK. Also what the `sim` provider uses:
 * the simulator speaks the same wire protocol, so `createAnthropicProvider({ apiKey: 'sim',
 * baseURL: url, id: 'sim' })` is all it takes. The exchange itself (parameters, streaming,
 * errors) is shared with the Bedrock, Vertex and Foundry adapters in `internal/anthropic-messages`.
 */
import Anthropic from '@anthropic-ai/sdk';

import { createMessagesProvider } from '../internal/anthropic-messages.js';
import { DEFAULT_TIMEOUT_MS, stderrLogger } from '../internal/client-defaults.js';
import { sharedFetch } from '../internal/http-transport.js';
import { createModelResolver } from '../model-catalog.js';
import type { ModelProvider, ProxySettings } from '../types.js';

/** Ten minutes: a long agent turn may stream for minutes; the scheduler owns retries anyway. */
export const DEFAULT_ANTHROPIC_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

export interface AnthropicProviderOptions {
  readonly apiKey: string;
  /** Defaults to https://api.anthropic.com (the SDK default); never read from the environment here. */
  readonly baseURL?: string | undefined;
  readonly defaultHeaders?: Readonly<Record<string, string>> | undefined;
  /** A custom fetch (tests, proxies); by default the process's shared pool (internal/http-transport). */
  readonly fetch?: typeof fetch | undefined;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`proxyFromEnvironment`), for the default transport. */
  readonly proxy?: ProxySettings | undefined;
  /** Time allowed until the response headers arrive. */
  readonly timeoutMs?: number | undefined;
  /** The id reported by the provider: `anthropic` by default, `sim` when aimed at the simulator. */
  readonly id?: string | undefined;
  /** Model name overrides (settings `models`), e.g. `{ sonnet: 'claude-sonnet-4-6' }`. */
  readonly models?: Readonly<Record<string, string>> | undefined;
}

/**
 * Creates the Anthropic provider. One `createMessage` = one streamed HTTP exchange (SDK retries off).
 *
 * @example
 * const provider = createAnthropicProvider({ apiKey: process.env.ANTHROPIC_API_KEY ?? '' })
 * const response = await provider.createMessage({
 *   model: provider.resolveModel('sonnet'), system: [], tools: [], maxTokens: 1024,
 *   messages: [{ role: 'user', content: 'Say hi' }],
 * })
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const id = options.id ?? 'anthropic';
  const client = new Anthropic({
    apiKey: options.apiKey,
    // null (not undefined) so the SDK does not fall back to process.env.ANTHROPIC_BASE_URL on its own.
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_ANTHROPIC_TIMEOUT_MS,
    ...(options.defaultHeaders === undefined ? {} : { defaultHeaders: { ...options.defaultHeaders } }),
    fetch: options.fetch ?? sharedFetch(options.proxy),
    logger: stderrLogger(),
    openTelemetry: false,
  });
  return createMessagesProvider({
    id,
    client,
    resolveModel: createModelResolver('anthropic', options.models),
    failure: {
      providerName: id === 'sim' ? 'the simulator' : 'Anthropic',
      credentialVariable: 'ANTHROPIC_API_KEY',
      secrets: [options.apiKey],
    },
  });
}
