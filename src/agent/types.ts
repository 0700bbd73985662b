/**
 * What the agent loop needs from the outside world: a way to send one model request (the
 * runtime gives one that already goes through the scheduler: retries, adaptive concurrency,
 * budget) and the tools the agent may call.
 */
import type { JsonSchema, ModelRequest, ModelResponse, SendOptions, ToolDefinition } from '../providers/types.js';

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
