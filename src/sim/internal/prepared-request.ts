/**
 * The protocol-neutral view of one request that the answer engine works on: the canonical
 * (Anthropic-shaped) body plus the facts every later step needs, computed once.
 */
import type { BehaviourToolResult, SimContentBlock, SimDirectives, SimMessagesRequest } from '../types.js';
import { parseDirectives } from './directives.js';
import { hashText } from './ids.js';
import { blockText } from './prompt-cache.js';

export interface PreparedRequest {
  readonly protocol: 'anthropic' | 'openai';
  readonly body: SimMessagesRequest;
  readonly requestHash: string;
  readonly directives: SimDirectives;
  readonly assistantTurns: number;
  readonly firstUserText: string;
  /** When set, a text answer must be JSON for this schema (structured outputs, response_format). */
  readonly textSchema: Record<string, unknown> | undefined;
}

export type Preparation =
  | { readonly ok: true; readonly prepared: PreparedRequest }
  | { readonly ok: false; readonly message: string };

export function prepareRequest(
  body: SimMessagesRequest,
  protocol: 'anthropic' | 'openai',
  textSchema: Record<string, unknown> | undefined,
): Preparation {
  const firstUser = body.messages.find((message) => message.role === 'user');
  const firstUserText = firstUser === undefined ? '' : contentText(firstUser.content);
  const parsed = parseDirectives(firstUserText);
  if (!parsed.ok) return parsed;
  let assistantTurns = 0;
  for (const message of body.messages) if (message.role === 'assistant') assistantTurns += 1;
  const requestHash = hashText(
    JSON.stringify([body.model, body.system ?? null, body.messages, body.tools ?? null]),
  );
  return {
    ok: true,
    prepared: {
      protocol,
      body,
      requestHash,
      directives: parsed.directives,
      assistantTurns,
      firstUserText,
      textSchema,
    },
  };
}

/** The text blocks of a message content, joined by newlines. */
export function contentText(content: string | readonly SimContentBlock[]): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const block of content) {
    if (block.type !== 'text' || typeof block.text !== 'string') continue;
    text = text === '' ? block.text : `${text}\n${block.text}`;
  }
  return text;
}

/** Tool results of the last user message, for behaviour modules. */
export function lastToolResults(body: SimMessagesRequest): BehaviourToolResult[] {
  const last = body.messages.at(-1);
  if (last === undefined || last.role !== 'user' || typeof last.content === 'string') return [];
  return last.content
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({
      toolUseId: block.tool_use_id ?? '',
      content: blockText(block),
      isError: block.is_error === true,
    }));
}

export function lastUserText(body: SimMessagesRequest): string {
  const last = body.messages.at(-1);
  return last === undefined || last.role !== 'user' ? '' : contentText(last.content);
}
