/**
 * Builds one ModelResponse from the raw SSE events of a streamed Messages API response.
 *
 * We iterate the raw events ourselves instead of using the SDK's MessageStream helper: it keeps a
 * growing snapshot of the message and re-parses partial tool JSON on every delta, work we do not
 * need. Here tool input JSON is concatenated and parsed once, at `content_block_stop`.
 */
import type Anthropic from '@anthropic-ai/sdk';

import { ProviderError } from '../../errors/index.js';
import { DEFAULT_RETRY_AFTER_MS } from '../errors.js';
import type { AssistantBlock, ModelResponse, StopReason, StreamEvent, Usage } from '../types.js';

type RawEvent = Anthropic.Messages.RawMessageStreamEvent;

type PendingBlock =
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id: string; name: string; json: string; input: unknown; parsed: boolean }
  | { kind: 'ignored' };

const KNOWN_STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'refusal',
  'pause_turn',
]);

export class ResponseAssembler {
  private readonly blocks = new Map<number, PendingBlock>();
  private id = '';
  private model = '';
  private stopReason: StopReason | null = null;
  private started = false;
  private stopped = false;
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

  accept(event: RawEvent): void {
    switch (event.type) {
      case 'message_start': {
        this.started = true;
        this.id = event.message.id;
        this.model = event.message.model;
        const usage = event.message.usage;
        this.usage = {
          inputTokens: usage.input_tokens,
          outputTokens: usage.output_tokens,
          cacheReadTokens: usage.cache_read_input_tokens ?? 0,
          cacheCreationTokens: usage.cache_creation_input_tokens ?? 0,
        };
        this.emit({ type: 'response-start' });
        return;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          this.blocks.set(event.index, { kind: 'text', text: block.text });
        } else if (block.type === 'tool_use') {
          this.blocks.set(event.index, {
            kind: 'tool_use',
            id: block.id,
            name: block.name,
            json: '',
            input: block.input ?? {},
            parsed: true,
          });
          this.emit({ type: 'tool-use-start', name: block.name });
        } else {
          // Thinking and server-tool blocks are not part of the neutral response shape.
          this.blocks.set(event.index, { kind: 'ignored' });
        }
        return;
      }
      case 'content_block_delta': {
        const block = this.blocks.get(event.index);
        if (block?.kind === 'text' && event.delta.type === 'text_delta') {
          block.text += event.delta.text;
          this.emit({ type: 'text-delta', text: event.delta.text });
        } else if (block?.kind === 'tool_use' && event.delta.type === 'input_json_delta') {
          block.json += event.delta.partial_json;
        }
        return;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(event.index);
        if (block?.kind === 'tool_use' && block.json !== '') {
          try {
            block.input = JSON.parse(block.json) as unknown;
          } catch {
            block.parsed = false;
          }
        }
        return;
      }
      case 'message_delta': {
        const reason = event.delta.stop_reason;
        this.stopReason = reason !== null && KNOWN_STOP_REASONS.has(reason) ? (reason as StopReason) : null;
        // message_delta usage is cumulative; output_tokens is final here, the others only when sent.
        const usage = event.usage;
        this.usage = {
          inputTokens: usage.input_tokens ?? this.usage.inputTokens,
          outputTokens: usage.output_tokens,
          cacheReadTokens: usage.cache_read_input_tokens ?? this.usage.cacheReadTokens,
          cacheCreationTokens: usage.cache_creation_input_tokens ?? this.usage.cacheCreationTokens,
        };
        return;
      }
      case 'message_stop':
        this.stopped = true;
        return;
    }
  }

  /**
   * The assembled response. Throws PROVIDER_TRUNCATED (retryable) when the stream ended before
   * `message_stop`, and PROVIDER_BAD_RESPONSE when a tool input is not JSON although the model was
   * not cut off. A tool call cut off by `max_tokens` is dropped: its input is incomplete.
   */
  finish(): ModelResponse {
    if (!this.started || !this.stopped) {
      throw new ProviderError(
        'PROVIDER_TRUNCATED',
        'The model response stream ended before message_stop (the connection was cut mid-answer).',
        { retryAfterMs: DEFAULT_RETRY_AFTER_MS, hint: 'dynaflow retries this automatically.' },
      );
    }
    const content: AssistantBlock[] = [];
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const block = this.blocks.get(index);
      if (block?.kind === 'text') {
        content.push({ type: 'text', text: block.text });
      } else if (block?.kind === 'tool_use') {
        if (!block.parsed) {
          if (this.stopReason === 'max_tokens') continue;
          throw new ProviderError(
            'PROVIDER_BAD_RESPONSE',
            `The model sent tool input for ${block.name} that is not valid JSON.`,
          );
        }
        content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
      }
    }
    return { id: this.id, model: this.model, content, stopReason: this.stopReason, usage: this.usage };
  }
}
