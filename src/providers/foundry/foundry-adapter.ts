/**
 * Microsoft Foundry, over `@anthropic-ai/foundry-sdk` (AnthropicFoundry): the Messages API itself,
 * at `https://{resource}.services.ai.azure.com/anthropic/v1/messages`, authenticated with a
 * Foundry API key (`x-api-key`) or, without one, a Microsoft Entra ID token (`entra-id.ts`). The
 * exchange is the shared one.
 */
import { AnthropicFoundry } from '@anthropic-ai/foundry-sdk';

import { createMessagesProvider } from '../internal/anthropic-messages.js';
import { DEFAULT_TIMEOUT_MS, secretsOf, stderrLogger } from '../internal/client-defaults.js';
import { sharedFetch } from '../internal/http-transport.js';
import { createModelResolver } from '../model-catalog.js';
import type { ModelProvider, ProxySettings } from '../types.js';
import { classifyEntraFailure, defaultEntraTokenProvider } from './entra-id.js';

interface FoundryCommonOptions {
  /** ANTHROPIC_FOUNDRY_BASE_URL, e.g. `https://my-resource.services.ai.azure.com/anthropic`. */
  readonly baseURL?: string | undefined;
  /** ANTHROPIC_FOUNDRY_RESOURCE, used when there is no base URL. */
  readonly resource?: string | undefined;
  /** Deployment names by alias; by default a deployment is named after its model id. */
  readonly models?: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`proxyFromEnvironment`), for the default transport. */
  readonly proxy?: ProxySettings | undefined;
}

/**
 * ANTHROPIC_FOUNDRY_API_KEY, or an Entra ID token source; with neither, Entra ID tokens come from
 * the Azure SDK's default credential chain (`az login`, a service principal, a managed identity).
 */
export type FoundryProviderOptions = FoundryCommonOptions &
  (
    | { readonly apiKey: string; readonly entraTokenProvider?: undefined }
    | { readonly apiKey?: undefined; readonly entraTokenProvider?: (() => Promise<string>) | undefined }
  );

/**
 * Creates the Foundry provider. `baseURL` wins over `resource` when both are given.
 *
 * @example
 * const provider = createFoundryProvider({ apiKey: process.env.ANTHROPIC_FOUNDRY_API_KEY ?? '', resource: 'my-resource' })
 */
export function createFoundryProvider(options: FoundryProviderOptions): ModelProvider {
  const baseURL = options.baseURL?.trim();
  // Entra tokens are bearer credentials like the key: every one handed out is redacted from errors.
  const secrets = secretsOf(options.apiKey);
  const client = new AnthropicFoundry({
    // The SDK reads both from process.env when undefined; exactly one is passed, the other is null.
    ...(baseURL ? { baseURL, resource: null } : { resource: options.resource ?? null }),
    ...(options.apiKey !== undefined
      ? { apiKey: options.apiKey }
      : {
          azureADTokenProvider:
            options.entraTokenProvider ??
            defaultEntraTokenProvider((token) => {
              if (!secrets.includes(token)) secrets.push(token);
            }),
        }),
    maxRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetch: options.fetch ?? sharedFetch(options.proxy),
    logger: stderrLogger(),
    openTelemetry: false,
  });
  return createMessagesProvider({
    id: 'foundry',
    client,
    resolveModel: createModelResolver('foundry', options.models),
    pricing: { provider: 'foundry' },
    failure: {
      providerName: 'Microsoft Foundry',
      credentialVariable:
        options.apiKey !== undefined
          ? 'ANTHROPIC_FOUNDRY_API_KEY'
          : 'the Microsoft Entra ID sign-in (or ANTHROPIC_FOUNDRY_API_KEY)',
      secrets,
    },
    classifyFailure: classifyEntraFailure,
  });
}
