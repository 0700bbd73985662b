/**
 * The provider-neutral shape of one model turn. It follows the Anthropic Messages API closely
 * (most providers are Anthropic models); the OpenAI adapter maps onto it.
 *
 * Versioned: adapters declare the interface version they implement so a future change can be
 * introduced side by side.
 */
export const MODEL_PROVIDER_INTERFACE_VERSION = 1;

export type JsonSchema = Record<string, unknown>;

export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
  /**
   * Ends a cacheable prefix (a prompt-cache breakpoint) in a user message: the runtime marks the
   * part of an agent's prompt that other prompts of the run repeat. Anthropic-family adapters send
   * `cache_control`; others ignore it (OpenAI caches identical prefixes by itself). The texts of
   * consecutive blocks are one prompt: adapters that flatten them join them without a separator.
   */
  readonly cache?: boolean;
}

export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

export interface ToolResultBlock {
  readonly type: 'tool_result';
  readonly tool_use_id: string;
  readonly content: string;
  readonly is_error?: boolean;
}

export type AssistantBlock = TextBlock | ToolUseBlock;
export type UserBlock = TextBlock | ToolResultBlock;

export type ChatMessage =
  | { readonly role: 'user'; readonly content: string | readonly UserBlock[] }
  | { readonly role: 'assistant'; readonly content: readonly AssistantBlock[] };

/** A piece of the system prompt. `cache: true` marks the end of a cacheable prefix. */
export interface SystemPart {
  readonly text: string;
  readonly cache?: boolean;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

export type ToolChoice =
  { readonly type: 'auto' } | { readonly type: 'any' } | { readonly type: 'tool'; readonly name: string };

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ModelRequest {
  /** A provider-specific model id (aliases are resolved before this point). */
  readonly model: string;
  readonly system: readonly SystemPart[];
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly maxTokens: number;
  readonly effort?: Effort;
  /** Mark the tool list as part of the cacheable prefix. */
  readonly cacheTools?: boolean;
  /**
   * Mark the conversation so far (up to the last message) as cacheable, so the next turn of a
   * multi-turn agent reads it from cache instead of paying for it again. Adapters without prompt
   * caching ignore it.
   */
  readonly cacheConversation?: boolean;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
}

export const ZERO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
};

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
  };
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';

/** One window of a provider's rate limit as its response headers report it. */
export interface RateLimitWindow {
  /** The window's limit, when the provider sent it. */
  readonly limit?: number;
  readonly remaining: number;
  /** Milliseconds from the response until the window is replenished (0 when already due). */
  readonly resetInMs: number;
}

/**
 * What the provider said about its rate limits with this response (Anthropic's
 * `anthropic-ratelimit-*` headers). Absent windows were not reported.
 */
export interface RateLimitInfo {
  readonly requests?: RateLimitWindow;
  readonly tokens?: RateLimitWindow;
  readonly inputTokens?: RateLimitWindow;
  readonly outputTokens?: RateLimitWindow;
}

export interface ModelResponse {
  readonly id: string;
  readonly model: string;
  readonly content: readonly AssistantBlock[];
  readonly stopReason: StopReason | null;
  readonly usage: Usage;
  /** The provider's rate-limit headers, when it sent any: the scheduler holds requests at 0. */
  readonly rateLimit?: RateLimitInfo;
}

/** Progress while a response streams in; lets the monitor move before an agent finishes. */
export type StreamEvent =
  | { readonly type: 'response-start' }
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'tool-use-start'; readonly name: string };

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: StreamEvent) => void;
}

/** Where HTTP requests go through (from HTTP_PROXY / HTTPS_PROXY / NO_PROXY): proxy URLs, and hosts reached directly. */
export interface ProxySettings {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  /** Comma-separated hosts (`.corp.example` for a domain, `host:port`, `*` for all); loopback is always direct. */
  readonly noProxy?: string;
}

/** What besides the model id decides a price: Vertex regional endpoints cost more than global. */
export interface PricingContext {
  readonly provider?: string;
  /** The cloud region requests go to (Vertex `CLOUD_ML_REGION`, Bedrock `AWS_REGION`). */
  readonly region?: string;
  /** Prices the user set (settings `prices`) by model id as sent, `*` for any other model. */
  readonly prices?: Readonly<Record<string, PriceOverride>>;
}

/** USD per million tokens; cache prices default to the API's ratios of `input`. */
export interface PriceOverride {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

/**
 * One adapter per provider. `createMessage` performs exactly one HTTP exchange (the SDK's own
 * retries are turned off): retries, backoff and adaptive concurrency belong to the scheduler,
 * which needs to see every 429/529 to slow the whole run down.
 *
 * Errors are `ProviderError`s: retryable ones carry `retryAfterMs` (from `retry-after` when the
 * server sent it, else a default), terminal ones do not.
 */
export interface ModelProvider {
  readonly interfaceVersion: typeof MODEL_PROVIDER_INTERFACE_VERSION;
  /** `anthropic`, `bedrock`, `vertex`, `foundry`, `openai`, `sim`. */
  readonly id: string;
  /**
   * Maps `opus`/`sonnet`/`haiku` (or a full id) to this provider's model id. Throws MODEL_UNKNOWN
   * for a name that cannot be a model of this provider: call it for the run's model before any
   * agent starts.
   */
  resolveModel(nameOrAlias: string): string;
  /** Passed to `estimateCostUsd` so regional endpoints are priced right; absent = list prices. */
  readonly pricing?: PricingContext;
  createMessage(request: ModelRequest, options?: SendOptions): Promise<ModelResponse>;
  close?(): Promise<void>;
}
