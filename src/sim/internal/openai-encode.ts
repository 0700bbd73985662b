/**
 * An Answer as an OpenAI `chat.completion` object, or as `chat.completion.chunk` SSE lines
 * ending with `data: [DONE]`.
 */
import type { SimStopReason, SimUsage } from '../types.js';
import type { Answer } from './answer.js';
import { splitText } from './anthropic-sse.js';

export interface CompletionFrame {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  readonly answer: Answer;
  readonly usage: SimUsage;
}

const FINISH_REASONS: Record<SimStopReason, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
};

const FINGERPRINT = 'fp_dynaflow_sim';

export function encodeCompletion(frame: CompletionFrame): Record<string, unknown> {
  const text = answerText(frame.answer);
  const toolCalls = frame.answer.blocks.flatMap((block) =>
    block.type === 'tool_use'
      ? [
          {
            id: callId(block.id),
            type: 'function',
            function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
          },
        ]
      : [],
  );
  return {
    id: frame.id,
    object: 'chat.completion',
    created: frame.created,
    model: frame.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          annotations: [],
        },
        logprobs: null,
        finish_reason: FINISH_REASONS[frame.answer.stopReason],
      },
    ],
    usage: encodeUsage(frame.usage),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
}

export function encodeCompletionChunks(frame: CompletionFrame, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    data({
      id: frame.id,
      object: 'chat.completion.chunk',
      created: frame.created,
      model: frame.model,
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const lines = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitText(answerText(frame.answer), 24)) lines.push(chunk({ content: piece }));
  let toolIndex = 0;
  for (const block of frame.answer.blocks) {
    if (block.type !== 'tool_use') continue;
    const index = toolIndex++;
    lines.push(
      chunk({
        tool_calls: [
          { index, id: callId(block.id), type: 'function', function: { name: block.name, arguments: '' } },
        ],
      }),
    );
    const json = JSON.stringify(block.input ?? {});
    for (const piece of splitText(json, Math.max(1, Math.min(32, Math.ceil(json.length / 3))))) {
      lines.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  lines.push(chunk({}, FINISH_REASONS[frame.answer.stopReason]));
  if (includeUsage) {
    lines.push(
      data({
        id: frame.id,
        object: 'chat.completion.chunk',
        created: frame.created,
        model: frame.model,
        service_tier: 'default',
        system_fingerprint: FINGERPRINT,
        choices: [],
        usage: encodeUsage(frame.usage),
      }),
    );
  }
  lines.push('data: [DONE]\n\n');
  return lines;
}

/** OpenAI counts cached tokens inside prompt_tokens; cache writes are billed as plain input. */
function encodeUsage(usage: SimUsage): Record<string, unknown> {
  const promptTokens = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.output_tokens,
    total_tokens: promptTokens + usage.output_tokens,
    prompt_tokens_details: { cached_tokens: usage.cache_read_input_tokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function answerText(answer: Answer): string {
  return answer.blocks.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

function callId(toolUseId: string): string {
  return `call_${toolUseId.slice('toolu_01'.length)}`;
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
