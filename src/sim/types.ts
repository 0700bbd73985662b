/**
 * Public types of the model simulator. The request shapes are deliberately loose mirrors of the
 * Anthropic Messages API wire format (snake_case), because that is what behaviour modules and
 * test authors already know.
 */

export interface SimulatorOptions {
  /** 0 (the default) = any free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the simulator is for loopback use only. */
  readonly host?: string;
  /** Makes default texts and fail-rate choices deterministic. Default 0. */
  readonly seed?: number;
  /** Delay before answering each request (before the first byte of a stream). */
  readonly latencyMs?: number;
  /** 0..1: share of attempts answered with an injected 429 or 529, chosen from the seed. */
  readonly failRate?: number;
  /** Decides answers in process (tests). Takes precedence over `behaviourFile`. */
  readonly behaviour?: SimBehaviour;
  /** Path of a JS module exporting `respond(request)` (see README). */
  readonly behaviourFile?: string;
  /**
   * Enforce and report rate limits on the first-party wire (`/v1/messages`, Foundry):
   * `anthropic-ratelimit-*` headers count down; a request over a limit gets 429 with `retry-after`.
   */
  readonly rateLimit?: SimRateLimitOptions;
}

export interface SimRateLimitOptions {
  readonly requestsPerMinute?: number;
  readonly inputTokensPerMinute?: number;
  readonly outputTokensPerMinute?: number;
  /** The window the limits apply to (default 60,000 ms); tests use short ones. */
  readonly windowMs?: number;
}

export interface SimStats {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
  readonly errorsInjected: number;
  /** Requests refused with 429 because a `rateLimit` window was used up. */
  readonly rateLimited: number;
  /** Requests per route name, e.g. `anthropic.messages`, `openai.chat-completions`. */
  readonly byRoute: Readonly<Record<string, number>>;
}

export interface SimulatorHandle {
  /** `http://127.0.0.1:PORT`, ready for `baseURL`. */
  readonly url: string;
  readonly port: number;
  stats(): SimStats;
  /** Zeroes the stats, the prompt cache and the per-request attempt counters. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Anthropic request mirror (only what the simulator reads; everything else passes through).

export interface SimCacheControl {
  readonly type: string;
  readonly ttl?: string;
}

export interface SimContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly id?: string;
  readonly name?: string;
  readonly input?: unknown;
  readonly tool_use_id?: string;
  readonly content?: string | readonly SimContentBlock[];
  readonly is_error?: boolean;
  readonly cache_control?: SimCacheControl | null;
  readonly [key: string]: unknown;
}

export interface SimMessageParam {
  readonly role: 'user' | 'assistant';
  readonly content: string | readonly SimContentBlock[];
}

export interface SimToolParam {
  readonly name: string;
  readonly description?: string;
  readonly input_schema?: Record<string, unknown>;
  readonly type?: string;
  readonly cache_control?: SimCacheControl | null;
  readonly [key: string]: unknown;
}

export type SimToolChoice =
  | { readonly type: 'auto' | 'any' | 'none'; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'tool'; readonly name: string; readonly disable_parallel_tool_use?: boolean };

export interface SimMessagesRequest {
  readonly model: string;
  readonly max_tokens: number;
  readonly messages: readonly SimMessageParam[];
  readonly system?: string | readonly SimContentBlock[];
  readonly tools?: readonly SimToolParam[];
  readonly tool_choice?: SimToolChoice;
  readonly stream?: boolean;
  readonly stop_sequences?: readonly string[];
  readonly cache_control?: SimCacheControl | null;
  readonly [key: string]: unknown;
}

export type SimStopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

/** Usage as the API reports it. */
export interface SimUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

// ---------------------------------------------------------------------------------------------
// Directives and behaviours.

/** One injected failure, for one attempt. */
export type SimFailure =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'truncate' };

/** The `@sim …` lines of the conversation's first user message, parsed. */
export interface SimDirectives {
  /** `@sim reply TEXT` (several lines are joined with newlines). */
  readonly reply?: string;
  /** `@sim json JSON`; wrapped so that a JSON `null` is distinguishable from "absent". */
  readonly json?: { readonly value: unknown };
  readonly latencyMs?: number;
  readonly tokens?: { readonly input: number; readonly output: number };
  /** `@sim fail …` expanded: entry i is what attempt i of this same request gets. */
  readonly failures: readonly SimFailure[];
  /** `@sim tool NAME [JSON]`: entry k is what the k-th assistant turn calls. */
  readonly tools: readonly { readonly name: string; readonly input?: unknown }[];
}

export interface BehaviourToolResult {
  readonly toolUseId: string;
  readonly content: string;
  readonly isError: boolean;
}

/** Helper facts computed by the simulator, handed to `respond()` next to the request body. */
export interface BehaviourContext {
  readonly protocol: 'anthropic' | 'openai';
  readonly seed: number;
  readonly directives: SimDirectives;
  /** Assistant messages already in the request = index of the turn being answered. */
  readonly assistantTurns: number;
  /** 0 for the first time this exact request is seen, 1 for its first retry, … */
  readonly attempt: number;
  readonly requestHash: string;
  /** The agent's prompt: text of the first user message. */
  readonly firstUserText: string;
  /** Text blocks of the last user message (empty when it holds only tool results). */
  readonly lastUserText: string;
  /** Tool results of the last user message. */
  readonly toolResults: readonly BehaviourToolResult[];
  readonly toolNames: readonly string[];
}

export interface BehaviourRequest extends SimMessagesRequest {
  readonly sim: BehaviourContext;
}

/** What `respond()` may return to shape the answer; `undefined` = fall back to the defaults. */
export interface BehaviourAnswer {
  readonly text?: string;
  readonly toolUse?: readonly { readonly name: string; readonly input: unknown }[];
  /** Final structured answer: a `StructuredOutput` tool call when that tool is offered, else JSON text. */
  readonly json?: unknown;
  readonly stopReason?: SimStopReason;
  readonly usage?: Partial<SimUsage>;
}

export interface SimBehaviour {
  respond(request: BehaviourRequest): BehaviourAnswer | undefined | Promise<BehaviourAnswer | undefined>;
}
