/**
 * Builds one ModelResponse from the `chat.completion.chunk`s of a streamed Chat Completions
 * response: text deltas are concatenated, tool calls are gathered by `index` (id and name come
 * first, `arguments` in pieces, parsed once at the end), `finish_reason` becomes the stop reason
 * and the final usage chunk (`choices: []`) the usage. OpenAI counts cached tokens inside
 * `prompt_tokens`, so `inputTokens` = prompt − cached; automatic caching has no write charge.
 */
import type OpenAI from 'openai';

import { ProviderError } from '../../errors/index.js';
import { DEFAULT_RETRY_AFTER_MS } from '../errors.js';
import type { AssistantBlock, ModelResponse, StopReason, StreamEvent, Usage } from '../types.js';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
  announced: boolean;
}

const STOP_REASONS: Record<string, StopReason> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

export class ChatResponseAssembler {
  private readonly calls = new Map<number, PendingCall>();
  private text = '';
  private id = '';
  private model = '';
  private started = false;
  private finishReason: string | null = null;
  private usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

  constructor(private readonly onEvent?: (event: StreamEvent) => void) {}

  private emit(event: StreamEvent): void {
    if (this.onEvent === undefined) return;
    try {
      this.onEvent(event);
    } catch {
      // Progress reporting is best effort: a failing observer must not fail the model request.
    }
  }

  accept(chunk: Chunk): void {
    if (!this.started) {
      this.started = true;
      this.emit({ type: 'response-start' });
    }
    if (chunk.id) this.id = chunk.id;
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      this.usage = {
        inputTokens: Math.max(0, chunk.usage.prompt_tokens - cached),
        outputTokens: chunk.usage.completion_tokens,
        cacheReadTokens: cached,
        cacheCreationTokens: 0,
      };
    }
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (typeof delta.content === 'string' && delta.content !== '') {
        this.text += delta.content;
        this.emit({ type: 'text-delta', text: delta.content });
      }
      for (const call of delta.tool_calls ?? []) this.acceptToolCall(call);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  private acceptToolCall(call: OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall): void {
    let pending = this.calls.get(call.index);
    if (pending === undefined) {
      // Some local servers omit ids; the agent loop needs one to pair the result with the call.
      pending = { id: '', name: '', arguments: '', announced: false };
      this.calls.set(call.index, pending);
    }
    if (call.id) pending.id = call.id;
    if (call.function?.name) pending.name += call.function.name;
    if (call.function?.arguments) pending.arguments += call.function.arguments;
    if (!pending.announced && pending.name !== '') {
      pending.announced = true;
      this.emit({ type: 'tool-use-start', name: pending.name });
    }
  }

  /**
   * The assembled response. Throws PROVIDER_TRUNCATED (retryable) when the stream ended without a
   * `finish_reason`, and PROVIDER_BAD_RESPONSE when tool arguments are not JSON although the
   * model was not cut off (a call cut off by the token limit is dropped).
   */
  finish(): ModelResponse {
    if (this.finishReason === null) {
      throw new ProviderError(
        'PROVIDER_TRUNCATED',
        'The model response stream ended before a finish_reason (the connection was cut mid-answer).',
        { retryAfterMs: DEFAULT_RETRY_AFTER_MS, hint: 'dynaflow retries this automatically.' },
      );
    }
    const stopReason = STOP_REASONS[this.finishReason] ?? null;
    const content: AssistantBlock[] = this.text === '' ? [] : [{ type: 'text', text: this.text }];
    for (const index of [...this.calls.keys()].sort((a, b) => a - b)) {
      const call = this.calls.get(index)!;
      let input: unknown = {};
      if (call.arguments.trim() !== '') {
        try {
          input = JSON.parse(call.arguments) as unknown;
        } catch {
          if (stopReason === 'max_tokens') continue;
          throw new ProviderError(
            'PROVIDER_BAD_RESPONSE',
            `The model sent arguments for ${call.name} that are not valid JSON.`,
          );
        }
      }
      const id = call.id === '' ? `call_${this.id || 'local'}_${index}` : call.id;
      content.push({ type: 'tool_use', id, name: call.name, input });
    }
    // Servers that do not report tool_calls as the finish reason still ended the turn with calls.
    const effectiveStop =
      stopReason === 'end_turn' && content.some((block) => block.type === 'tool_use')
        ? 'tool_use'
        : stopReason;
    return { id: this.id, model: this.model, content, stopReason: effectiveStop, usage: this.usage };
  }
}
