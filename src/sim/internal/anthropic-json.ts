/** An Answer as a Messages API `Message` object. */
import type { SimUsage } from '../types.js';
import type { Answer, AnswerBlock } from './answer.js';

export interface MessageFrame {
  readonly id: string;
  readonly model: string;
  readonly answer: Answer;
  readonly usage: SimUsage;
}

export function encodeMessage(frame: MessageFrame): Record<string, unknown> {
  return {
    id: frame.id,
    type: 'message',
    role: 'assistant',
    model: frame.model,
    content: frame.answer.blocks.map(encodeBlock),
    stop_reason: frame.answer.stopReason,
    stop_sequence: frame.answer.stopSequence,
    usage: encodeUsage(frame.usage),
  };
}

export function encodeBlock(block: AnswerBlock): Record<string, unknown> {
  return block.type === 'text'
    ? { type: 'text', text: block.text }
    : { type: 'tool_use', id: block.id, name: block.name, input: block.input };
}

export function encodeUsage(usage: SimUsage): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: usage.output_tokens,
    service_tier: 'standard',
  };
}
