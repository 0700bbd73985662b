/**
 * The one Messages API exchange every Anthropic-model adapter shares: the first-party API,
 * Bedrock, Vertex and Foundry all take the same parameters and stream the same raw events
 * through their official SDKs (which differ only in URL, auth and framing). An adapter hands in
 * its SDK client and how to name its failures; this builds the `ModelProvider`.
 */
import type Anthropic from '@anthropic-ai/sdk';

import type { DynaflowError } from '../../errors/index.js';
import { cancelledError, toProviderError, type ProviderFailureContext } from '../errors.js';
import {
  MODEL_PROVIDER_INTERFACE_VERSION,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type PricingContext,
  type RateLimitInfo,
  type SendOptions,
} from '../types.js';
import { toAnthropicParams } from './anthropic-request-mapping.js';
import { parseRateLimitHeaders } from './rate-limit-headers.js';
import { ResponseAssembler } from './anthropic-stream-assembler.js';

/** What is used of an SDK client: `messages.create` (Bedrock/Vertex/Foundry clients all have it). */
export interface MessagesApiClient {
  readonly messages: { readonly create: Anthropic['messages']['create'] };
}

export interface MessagesProviderOptions {
  readonly id: string;
  /**
   * The SDK client, or a function building it on first use (Vertex's client starts resolving
   * Google credentials in its constructor; building it lazily keeps `createProvider` free of I/O).
   */
  readonly client: MessagesApiClient | (() => MessagesApiClient);
  /** How failures are named (provider name, credential variable, secrets to redact). */
  readonly failure: Omit<ProviderFailureContext, 'signal'>;
  readonly resolveModel: (nameOrAlias: string) => string;
  readonly pricing?: PricingContext;
  /**
   * Platform-specific failures to recognise before the shared mapping, e.g. "could not resolve
   * AWS credentials", which the SDKs report as a (retryable) connection error but which no retry
   * can fix. Return undefined to fall through to `toProviderError`.
   */
  readonly classifyFailure?: (error: unknown) => DynaflowError | undefined;
  readonly close?: () => Promise<void>;
}

// A function, not an inline check, so TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * A ModelProvider over any Anthropic SDK client. One `createMessage` = one streamed HTTP exchange
 * (the caller builds the client with `maxRetries: 0`).
 *
 * @example
 * const provider = createMessagesProvider({
 *   id: 'anthropic', client: new Anthropic({ apiKey, maxRetries: 0 }), resolveModel: (name) => name,
 *   failure: { providerName: 'Anthropic', credentialVariable: 'ANTHROPIC_API_KEY', secrets: [apiKey] },
 * })
 */
export function createMessagesProvider(options: MessagesProviderOptions): ModelProvider {
  let client: MessagesApiClient | undefined =
    typeof options.client === 'function' ? undefined : options.client;
  const getClient = (): MessagesApiClient => {
    client ??= (options.client as () => MessagesApiClient)();
    return client;
  };

  async function createMessage(request: ModelRequest, sendOptions: SendOptions = {}): Promise<ModelResponse> {
    const signal = sendOptions.signal;
    if (isAborted(signal)) throw cancelledError(signal?.reason);
    const assembler = new ResponseAssembler(sendOptions.onEvent);
    let rateLimit: RateLimitInfo | undefined;
    try {
      const { data: stream, response } = await getClient()
        .messages.create(toAnthropicParams(request), signal ? { signal } : {})
        .withResponse();
      rateLimit = parseRateLimitHeaders(response.headers);
      for await (const event of stream) assembler.accept(event);
    } catch (error) {
      if (!isAborted(signal)) {
        const classified = options.classifyFailure?.(error);
        if (classified !== undefined) throw classified;
      }
      throw toProviderError(error, { ...options.failure, signal });
    }
    // The SDK ends the iteration quietly when aborted mid-stream; that is a cancellation, not a cut.
    if (isAborted(signal)) throw cancelledError(signal?.reason);
    const assembled = assembler.finish();
    return rateLimit === undefined ? assembled : { ...assembled, rateLimit };
  }

  return {
    interfaceVersion: MODEL_PROVIDER_INTERFACE_VERSION,
    id: options.id,
    resolveModel: options.resolveModel,
    createMessage,
    ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
    ...(options.close === undefined ? {} : { close: options.close }),
  };
}
