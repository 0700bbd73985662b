/**
 * The public door of src/providers: the provider-neutral model interface, the adapters, model
 * aliases, pricing, and the registry that picks a provider from flags and environment.
 */
export {
  MODEL_PROVIDER_INTERFACE_VERSION,
  ZERO_USAGE,
  addUsage,
  type AssistantBlock,
  type ChatMessage,
  type Effort,
  type JsonSchema,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type PriceOverride,
  type PricingContext,
  type RateLimitInfo,
  type RateLimitWindow,
  type SendOptions,
  type StopReason,
  type StreamEvent,
  type SystemPart,
  type TextBlock,
  type ToolChoice,
  type ToolDefinition,
  type ToolResultBlock,
  type ToolUseBlock,
  type Usage,
  type UserBlock,
} from './types.js';
export {
  DEFAULT_ANTHROPIC_TIMEOUT_MS,
  createAnthropicProvider,
  type AnthropicProviderOptions,
} from './anthropic/index.js';
// The cloud adapters are built through `createProvider`, which loads each SDK only when its
// provider is chosen; their option types are exported for direct use.
export type { BedrockProviderOptions } from './bedrock/index.js';
export type { VertexProviderOptions } from './vertex/index.js';
export type { FoundryProviderOptions } from './foundry/index.js';
export type { OpenAIProviderOptions } from './openai/index.js';
export {
  DEFAULT_RETRY_AFTER_MS,
  cancelledError,
  parseRetryAfterMs,
  redactSecrets,
  toProviderError,
  type ProviderFailureContext,
} from './errors.js';
export {
  DEFAULT_MODEL_ALIAS,
  MODEL_ALIASES,
  isModelAlias,
  modelFamily,
  resolveAnthropicModel,
  type ModelAlias,
} from './models.js';
export {
  MODEL_CATALOG,
  createModelResolver,
  providerAliases,
  type CatalogProviderId,
} from './model-catalog.js';
export {
  FALLBACK_PRICE,
  PRICE_TABLE,
  REGIONAL_PREMIUM,
  estimateCostUsd,
  priceFor,
  withPrices,
  type ModelPrice,
} from './pricing.js';
export {
  PROVIDER_IDS,
  createProvider,
  isLoopbackUrl,
  resolveProviderId,
  type CreateProviderOptions,
  type ProviderId,
} from './registry.js';
export {
  createScriptedProvider,
  scriptedResponse,
  toolUse,
  type ScriptedAnswer,
  type ScriptedProvider,
  type ScriptedResponder,
} from './testing/scripted-provider.js';
export { createFakeAzureCli, type FakeAzureCli } from './testing/fake-azure-cli.js';
