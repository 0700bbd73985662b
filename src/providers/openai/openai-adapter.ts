/**
 * Any OpenAI-compatible server (OpenAI, vLLM, Ollama, LM Studio, OpenRouter, …) over the official
 * `openai` client: streamed Chat Completions with function tools. Tool calling and structured
 * output (the `StructuredOutput` tool) map onto the same agent loop as the Anthropic adapters.
 */
import OpenAI from 'openai';

import { cancelledError, toProviderError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, secretsOf, stderrLogger } from '../internal/client-defaults.js';
import { sharedFetch } from '../internal/http-transport.js';
import { createModelResolver } from '../model-catalog.js';
import {
  MODEL_PROVIDER_INTERFACE_VERSION,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type SendOptions,
  type ProxySettings,
} from '../types.js';
import { toChatParams } from './chat-request-mapping.js';
import { ChatResponseAssembler } from './chat-stream-assembler.js';

/** Sent as the bearer token when a local server needs no key (the client requires one). */
export const NO_API_KEY = 'no-key-needed';

export interface OpenAIProviderOptions {
  /** OPENAI_BASE_URL, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  readonly baseURL: string;
  /** OPENAI_API_KEY; local servers may need none. */
  readonly apiKey?: string | undefined;
  /** Model names by alias; by default the aliases name Anthropic's ids (for gateways serving Claude). */
  readonly models?: Readonly<Record<string, string>> | undefined;
  readonly organization?: string | undefined;
  readonly project?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`proxyFromEnvironment`), for the default transport. */
  readonly proxy?: ProxySettings | undefined;
}

// A function, not an inline check, so TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Creates the OpenAI-compatible provider. One `createMessage` = one streamed HTTP exchange.
 *
 * @example
 * const provider = createOpenAIProvider({ baseURL: 'http://127.0.0.1:11434/v1', models: { sonnet: 'qwen2.5-coder:32b' } })
 * provider.resolveModel('sonnet') // 'qwen2.5-coder:32b'
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? NO_API_KEY,
    // null (not undefined): never picked up from process.env behind our back.
    organization: options.organization ?? null,
    project: options.project ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetch: options.fetch ?? sharedFetch(options.proxy),
    logger: stderrLogger(),
  });
  const failure = {
    providerName: 'the OpenAI-compatible server',
    credentialVariable: 'OPENAI_API_KEY',
    secrets: secretsOf(options.apiKey),
  };

  async function createMessage(request: ModelRequest, sendOptions: SendOptions = {}): Promise<ModelResponse> {
    const signal = sendOptions.signal;
    if (isAborted(signal)) throw cancelledError(signal?.reason);
    const assembler = new ChatResponseAssembler(sendOptions.onEvent);
    try {
      const stream = await client.chat.completions.create(toChatParams(request), signal ? { signal } : {});
      for await (const chunk of stream) assembler.accept(chunk);
    } catch (error) {
      throw toProviderError(error, { ...failure, signal });
    }
    if (isAborted(signal)) throw cancelledError(signal?.reason);
    return assembler.finish();
  }

  return {
    interfaceVersion: MODEL_PROVIDER_INTERFACE_VERSION,
    id: 'openai',
    resolveModel: createModelResolver('openai', options.models),
    pricing: { provider: 'openai' },
    createMessage,
  };
}
