/**
 * An Answer as the Messages API event stream: message_start, ping, per block
 * content_block_start / _delta… / _stop, message_delta (stop reason, final usage), message_stop.
 * Texts and tool inputs are split into several deltas, as a real model streams them.
 *
 * `messageEventObjects` gives the events as objects so other framings (Bedrock's AWS event
 * stream) carry exactly the same sequence; `encodeMessageEvents` frames them as SSE.
 */
import type { AnswerBlock } from './answer.js';
import { encodeUsage, type MessageFrame } from './anthropic-json.js';

const TEXT_CHUNK = 24;
const JSON_CHUNK = 32;

export type MessageEvent = { readonly type: string } & Record<string, unknown>;

export function encodeMessageEvents(frame: MessageFrame): string[] {
  return messageEventObjects(frame).map((event) => sse(event.type, event));
}

export function messageEventObjects(frame: MessageFrame): MessageEvent[] {
  const { answer, usage } = frame;
  const events: MessageEvent[] = [
    {
      type: 'message_start',
      message: {
        id: frame.id,
        type: 'message',
        role: 'assistant',
        model: frame.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: encodeUsage({ ...usage, output_tokens: Math.min(1, usage.output_tokens) }),
      },
    },
    { type: 'ping' },
  ];
  answer.blocks.forEach((block, index) => pushBlockEvents(events, block, index));
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    },
    { type: 'message_stop' },
  );
  return events;
}

function pushBlockEvents(events: MessageEvent[], block: AnswerBlock, index: number): void {
  if (block.type === 'text') {
    events.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'text', text: '' },
    });
    for (const piece of split(block.text, TEXT_CHUNK)) {
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: piece },
      });
    }
  } else {
    events.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
    });
    const json = JSON.stringify(block.input ?? {});
    // The real API opens with an empty partial_json, then streams the input in pieces.
    const pieces = ['', ...split(json, Math.max(1, Math.min(JSON_CHUNK, Math.ceil(json.length / 3))))];
    for (const piece of pieces) {
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
  }
  events.push({ type: 'content_block_stop', index });
}

/** Splits on UTF-16 boundaries without cutting a surrogate pair. */
function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export { split as splitText };
