/**
 * The agent loop (SPEC §4): send → run the tools the model called → send their results → … until
 * the model ends its turn with text (or, with a schema, calls StructuredOutput with valid input).
 *
 * Pure orchestration: no clock, no file system. Tools are opaque `AgentTool`s and the model is a
 * `send` function, so the loop is tested with an in-memory provider and inline tools.
 */
import { knownSecretMasker, secretValuesFromEnvironment } from '../environment/index.js';
import { DynaflowError, LimitError, ProviderError } from '../errors/index.js';
import {
  addUsage,
  ZERO_USAGE,
  type AssistantBlock,
  type ChatMessage,
  type ModelRequest,
  type ModelResponse,
  type ToolChoice,
  type ToolDefinition,
  type ToolResultBlock,
  type ToolUseBlock,
  type Usage,
  type UserBlock,
} from '../providers/index.js';
import type { JsonValue } from '../sandbox/index.js';
import { runToolCall, truncateForTranscript } from './internal/tool-runner.js';
import {
  prepareStructuredOutput,
  STRUCTURED_OUTPUT_TOOL,
  type StructuredOutput,
} from './structured-output.js';
import { agentSystemPrompt } from './system-prompt.js';
import type {
  AgentDependencies,
  AgentEvent,
  AgentOutcome,
  AgentSpec,
  AgentTool,
  TranscriptEntry,
} from './types.js';

export const DEFAULT_MAX_TURNS = 50;
export const DEFAULT_MAX_TOKENS = 32_000;
/** Invalid StructuredOutput calls (or turns ended without calling it) before the agent fails. */
export const MAX_STRUCTURED_OUTPUT_ATTEMPTS = 5;

const STRUCTURED_OUTPUT_REMINDER =
  `You ended your turn without calling the ${STRUCTURED_OUTPUT_TOOL} tool. Your task is not complete ` +
  `until you call ${STRUCTURED_OUTPUT_TOOL} with your final answer, matching its input schema. Call it now.`;

/** The prompt, split into [shared prefix (cacheable), rest] when other agents repeat its start. */
function firstMessage(spec: AgentSpec, redact: (text: string) => string): string | UserBlock[] {
  const split = spec.promptPrefixLength ?? 0;
  if (split <= 0 || split >= spec.prompt.length) return redact(spec.prompt);
  return [
    { type: 'text', text: redact(spec.prompt.slice(0, split)), cache: true },
    { type: 'text', text: redact(spec.prompt.slice(split)) },
  ];
}

function isToolUse(block: AssistantBlock): block is ToolUseBlock {
  return block.type === 'tool_use';
}

/** What stopped the agent when the signal fired: the abort reason when it is one of ours. */
function cancellation(signal: AbortSignal, error?: unknown): DynaflowError {
  if (DynaflowError.isInstance(signal.reason)) return signal.reason;
  if (DynaflowError.isInstance(error) && error.code === 'RUN_CANCELLED') return error;
  return new LimitError('RUN_CANCELLED', 'The agent was stopped because its run was cancelled.', {
    cause: error ?? signal.reason,
  });
}

function sendFailure(error: unknown, signal: AbortSignal): DynaflowError {
  if (signal.aborted) return cancellation(signal, error);
  if (DynaflowError.isInstance(error)) return error;
  return new ProviderError(
    'PROVIDER_BAD_RESPONSE',
    `The model request failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * Runs one agent to completion. Never rejects for what happens while it runs (provider errors,
 * tool failures, cancellation, too many turns): those come back as `{ ok: false, error }` with the
 * usage so far. It rejects only when `spec.schema` is invalid or unsatisfiable (SCHEMA_INVALID,
 * SCHEMA_UNSATISFIABLE), before any request. A turn cut by `max_tokens` without a tool call ends
 * the agent with the text it has (a schema agent is reminded to call StructuredOutput instead).
 *
 * @example
 * const outcome = await runAgent(
 *   { prompt: 'Summarise README.md', model: 'claude-sonnet-5-5', tools: [readTool] },
 *   { send: (request, options) => provider.createMessage(request, options), signal, workspace: '/repo' },
 * )
 * if (outcome.ok) console.log(outcome.value)
 */
export async function runAgent(spec: AgentSpec, deps: AgentDependencies): Promise<AgentOutcome> {
  const structured: StructuredOutput | undefined =
    spec.schema === undefined ? undefined : prepareStructuredOutput(spec.schema);
  const loop = new AgentLoop(spec, deps, structured);
  return loop.run();
}

class AgentLoop {
  private readonly messages: ChatMessage[];
  private readonly transcript: TranscriptEntry[];
  private readonly tools: Map<string, AgentTool>;
  private readonly definitions: ToolDefinition[];
  private usage: Usage = ZERO_USAGE;
  private turns = 0;
  private toolCalls = 0;
  private structuredFailures = 0;
  private lastStructuredProblem = '';
  private forceStructuredOutput = false;
  /** What a tool returns may hold a key it dug up (`exec`'s output reaches the prompt too). */
  private readonly redact: (text: string) => string;

  constructor(
    private readonly spec: AgentSpec,
    private readonly deps: AgentDependencies,
    private readonly structured: StructuredOutput | undefined,
  ) {
    this.redact = deps.redact ?? knownSecretMasker(secretValuesFromEnvironment(process.env));
    this.messages = [{ role: 'user', content: firstMessage(spec, this.redact) }];
    this.transcript = [{ kind: 'prompt', text: spec.prompt }];
    // With a schema, our StructuredOutput replaces any caller tool of the same name.
    const callerTools = spec.tools.filter(
      (tool) => structured === undefined || tool.definition.name !== STRUCTURED_OUTPUT_TOOL,
    );
    this.tools = new Map(callerTools.map((tool) => [tool.definition.name, tool]));
    this.definitions = callerTools.map((tool) => tool.definition);
    if (structured) this.definitions.push(structured.definition);
  }

  private emit(event: AgentEvent): void {
    try {
      this.deps.onEvent?.(event);
    } catch {
      // The monitor is an observer: its failure must not fail the agent.
    }
  }

  private outcome(
    result: { ok: true; value: JsonValue } | { ok: false; error: DynaflowError },
  ): AgentOutcome {
    const stats = {
      usage: this.usage,
      turns: this.turns,
      toolCalls: this.toolCalls,
      transcript: this.transcript,
    };
    return result.ok
      ? { ...stats, ok: true, value: result.value }
      : { ...stats, ok: false, error: result.error };
  }

  private fail(error: DynaflowError): AgentOutcome {
    return this.outcome({ ok: false, error });
  }

  private toolChoice(): ToolChoice | undefined {
    if (this.definitions.length === 0) return undefined;
    // Alone, StructuredOutput is always forced: the agent has nothing else to do.
    const onlyStructured = this.structured !== undefined && this.definitions.length === 1;
    if (onlyStructured || this.forceStructuredOutput) return { type: 'tool', name: STRUCTURED_OUTPUT_TOOL };
    return { type: 'auto' };
  }

  private request(): ModelRequest {
    const toolChoice = this.toolChoice();
    return {
      model: this.spec.model,
      system: agentSystemPrompt(this.deps.workspace, this.spec.system),
      messages: [...this.messages],
      tools: this.definitions,
      maxTokens: this.spec.maxTokens ?? DEFAULT_MAX_TOKENS,
      cacheTools: true,
      cacheConversation: true,
      ...(toolChoice === undefined ? {} : { toolChoice }),
      ...(this.spec.effort === undefined ? {} : { effort: this.spec.effort }),
    };
  }

  async run(): Promise<AgentOutcome> {
    const { signal } = this.deps;
    const maxTurns = this.spec.maxTurns ?? DEFAULT_MAX_TURNS;
    for (;;) {
      if (signal.aborted) return this.fail(cancellation(signal));
      if (this.turns >= maxTurns) {
        return this.fail(
          new LimitError('AGENT_MAX_TURNS', `The agent did not finish within ${maxTurns} model turns.`, {
            hint: 'Give the agent a narrower task, or raise its maxTurns.',
          }),
        );
      }
      this.turns += 1;
      const turn = this.turns;
      this.emit({ type: 'turn-start', turn });
      let response: ModelResponse;
      try {
        response = await this.deps.send(this.request(), {
          signal,
          ...(this.deps.onEvent
            ? { onEvent: (event) => this.emit({ type: 'model-stream', turn, event }) }
            : {}),
        });
      } catch (error) {
        return this.fail(sendFailure(error, signal));
      }
      this.usage = addUsage(this.usage, response.usage);
      this.emit({ type: 'turn-end', turn, usage: response.usage, stopReason: response.stopReason });
      this.transcript.push({
        kind: 'assistant',
        turn,
        content: response.content,
        stopReason: response.stopReason,
        usage: response.usage,
      });
      if (signal.aborted) return this.fail(cancellation(signal));
      const content = response.content.filter((block) => block.type !== 'text' || block.text !== '');
      // An empty assistant message is an API error when sent back; there is nothing to keep anyway.
      if (content.length > 0) this.messages.push({ role: 'assistant', content });

      const toolUses = content.filter(isToolUse);
      const finished =
        toolUses.length > 0 ? await this.handleToolUses(turn, toolUses) : this.handleFinalText(turn, content);
      if (finished !== undefined) return finished;
    }
  }

  /** Runs the calls of one turn in order; returns an outcome when the agent is done. */
  private async handleToolUses(
    turn: number,
    toolUses: readonly ToolUseBlock[],
  ): Promise<AgentOutcome | undefined> {
    const { signal, workspace } = this.deps;
    const results: ToolResultBlock[] = [];
    let accepted: { value: JsonValue } | undefined;
    this.forceStructuredOutput = false;
    for (const call of toolUses) {
      if (signal.aborted) return this.fail(cancellation(signal));
      this.toolCalls += 1;
      this.emit({ type: 'tool-call', turn, name: call.name });
      let content: string;
      let isError: boolean;
      if (this.structured !== undefined && call.name === STRUCTURED_OUTPUT_TOOL) {
        const problems = accepted === undefined ? this.structured.validate(call.input) : null;
        if (problems === null) {
          accepted ??= { value: call.input as JsonValue };
          content = 'Structured output accepted.';
          isError = false;
        } else {
          this.structuredFailures += 1;
          this.lastStructuredProblem = problems;
          content = `The input does not match the schema:\n${problems}\nCall ${STRUCTURED_OUTPUT_TOOL} again with corrected input.`;
          isError = true;
        }
      } else {
        const result = await runToolCall(this.tools, call.name, call.input, { workspace, signal });
        content = this.redact(result.content);
        isError = result.isError === true;
      }
      this.transcript.push({
        kind: 'tool-call',
        turn,
        name: call.name,
        input: call.input,
        result: truncateForTranscript(content),
        isError,
      });
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        content,
        ...(isError ? { is_error: true } : {}),
      });
    }
    if (signal.aborted) return this.fail(cancellation(signal));
    if (accepted !== undefined) return this.outcome({ ok: true, value: accepted.value });
    if (this.structuredFailures >= MAX_STRUCTURED_OUTPUT_ATTEMPTS) return this.structuredOutputFailed();
    this.messages.push({ role: 'user', content: results });
    return undefined;
  }

  /** A turn without tool calls: the answer, or (with a schema) a reminder to call StructuredOutput. */
  private handleFinalText(turn: number, content: readonly AssistantBlock[]): AgentOutcome | undefined {
    const text = content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    if (this.structured === undefined) return this.outcome({ ok: true, value: text });
    this.structuredFailures += 1;
    this.lastStructuredProblem = `the agent ended its turn without calling ${STRUCTURED_OUTPUT_TOOL}`;
    if (this.structuredFailures >= MAX_STRUCTURED_OUTPUT_ATTEMPTS) return this.structuredOutputFailed();
    this.messages.push({ role: 'user', content: STRUCTURED_OUTPUT_REMINDER });
    this.transcript.push({ kind: 'reminder', turn, text: STRUCTURED_OUTPUT_REMINDER });
    this.forceStructuredOutput = true;
    return undefined;
  }

  private structuredOutputFailed(): AgentOutcome {
    return this.fail(
      new DynaflowError(
        'STRUCTURED_OUTPUT_FAILED',
        `The agent's structured output still did not match the schema after ${MAX_STRUCTURED_OUTPUT_ATTEMPTS} attempts. Last error:\n${this.lastStructuredProblem}`,
        { hint: 'Make the schema easier to satisfy or the prompt clearer about the expected fields.' },
      ),
    );
  }
}
