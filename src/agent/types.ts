/**
 * What the agent loop needs from the outside world: a way to send one model request (the
 * runtime gives one that already goes through the scheduler: retries, adaptive concurrency,
 * budget) and the tools the agent may call.
 */
import type { DynaflowError } from '../errors/index.js';
import type {
  AssistantBlock,
  Effort,
  JsonSchema,
  ModelRequest,
  ModelResponse,
  SendOptions,
  StopReason,
  StreamEvent,
  SystemPart,
  ToolDefinition,
  Usage,
} from '../providers/types.js';
import type { JsonValue } from '../sandbox/types.js';

export type SendRequest = (request: ModelRequest, options: SendOptions) => Promise<ModelResponse>;

export interface ToolContext {
  /** Absolute path of the agent's workspace (its worktree, or the project root). */
  readonly workspace: string;
  readonly signal: AbortSignal;
}

export interface ToolResult {
  /** Text sent back to the model as the tool_result content. */
  readonly content: string;
  /** Sent as `is_error: true`: the model sees the failure and may correct itself. */
  readonly isError?: boolean;
}

/** A tool the model can call. Implementations must never throw for bad input: return isError. */
export interface AgentTool {
  readonly definition: ToolDefinition;
  /** True for tools that change nothing (allowed for `Explore` agents). */
  readonly readOnly: boolean;
  run(input: unknown, context: ToolContext): Promise<ToolResult>;
}

export type { JsonSchema };

// ---------------------------------------------------------------------------------------------
// The agent loop's own contract (runAgent). Pure data: no clock, no I/O beyond `send` and tools.

/**
 * A JSON Schema object, or a zod (v4) schema, which is converted with `z.toJSONSchema`. Typed as an
 * open object because a zod schema is a class instance, not a plain record.
 */
export type SchemaInput = JsonSchema | { readonly _zod: unknown };

export interface AgentSpec {
  readonly prompt: string;
  /** Provider model id, aliases already resolved. */
  readonly model: string;
  /** Extra system parts, appended after the fixed unattended-agent preamble. */
  readonly system?: readonly SystemPart[];
  readonly tools: readonly AgentTool[];
  /** With a schema the agent must finish by calling `StructuredOutput`; its validated input is the value. */
  readonly schema?: SchemaInput;
  /** max_tokens of each model turn. Default 32,000. */
  readonly maxTokens?: number;
  /** Model turns before the agent fails with AGENT_MAX_TURNS. Default 50. */
  readonly maxTurns?: number;
  readonly effort?: Effort;
  /**
   * The first N characters of `prompt` are repeated by other agents of the run (see
   * `SharedPrefixIndex`): they are sent as their own cacheable block, the rest as a second block,
   * so the fan-out reads the shared part from the prompt cache. The text sent is unchanged.
   */
  readonly promptPrefixLength?: number;
  /** Monitor name; not sent to the model. */
  readonly label?: string;
}

export type TranscriptEntry =
  | { readonly kind: 'prompt'; readonly text: string }
  | {
      readonly kind: 'assistant';
      readonly turn: number;
      readonly content: readonly AssistantBlock[];
      readonly stopReason: StopReason | null;
      readonly usage: Usage;
    }
  | {
      readonly kind: 'tool-call';
      readonly turn: number;
      readonly name: string;
      readonly input: unknown;
      /** The tool's result text, truncated for the transcript (the model saw all of it). */
      readonly result: string;
      readonly isError: boolean;
    }
  /** A message the loop itself sent to the model (e.g. the StructuredOutput reminder). */
  | { readonly kind: 'reminder'; readonly turn: number; readonly text: string };

interface AgentOutcomeStats {
  readonly usage: Usage;
  readonly turns: number;
  readonly toolCalls: number;
  readonly transcript: readonly TranscriptEntry[];
}

export type AgentOutcome =
  | (AgentOutcomeStats & {
      readonly ok: true;
      /** The final text, or the validated StructuredOutput input when a schema was given. */
      readonly value: JsonValue;
    })
  | (AgentOutcomeStats & { readonly ok: false; readonly error: DynaflowError });

/** Progress for the monitor. Turns count from 1. */
export type AgentEvent =
  | { readonly type: 'turn-start'; readonly turn: number }
  | { readonly type: 'tool-call'; readonly turn: number; readonly name: string }
  | {
      readonly type: 'turn-end';
      readonly turn: number;
      readonly usage: Usage;
      readonly stopReason: StopReason | null;
    }
  /** The provider's streaming progress inside a turn (text deltas, tool-use starts). */
  | { readonly type: 'model-stream'; readonly turn: number; readonly event: StreamEvent };

export interface AgentDependencies {
  /** One model request; the runtime's goes through the scheduler (retries, concurrency, budget). */
  readonly send: SendRequest;
  readonly signal: AbortSignal;
  /** Absolute path of the agent's workspace, handed to every tool. */
  readonly workspace: string;
  readonly onEvent?: (event: AgentEvent) => void;
  /**
   * Applied to every text a tool returns, and to the prompt, before the model sees it. Default:
   * masks the credentials of this process's environment and their encodings (base64, hex,
   * reversed), so a key a command dug up is never sent to the model.
   */
  readonly redact?: (text: string) => string;
}
