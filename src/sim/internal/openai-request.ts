/**
 * OpenAI Chat Completions request → the canonical (Anthropic-shaped) request the answer engine
 * works on. System/developer messages become the system prompt, tool calls become tool_use
 * blocks, tool messages become tool_result blocks.
 */
import type {
  SimContentBlock,
  SimMessageParam,
  SimMessagesRequest,
  SimToolChoice,
  SimToolParam,
} from '../types.js';
import { isRecord } from './anthropic-request.js';

export interface ChatRequest {
  readonly body: SimMessagesRequest;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly textSchema: Record<string, unknown> | undefined;
}

export type ChatTranslation =
  | { readonly ok: true; readonly chat: ChatRequest }
  | { readonly ok: false; readonly message: string; readonly param: string };

const DEFAULT_MAX_TOKENS = 4096;

export function translateChatRequest(value: unknown): ChatTranslation {
  if (!isRecord(value)) return fail('body', 'The request body must be a JSON object.');
  if (typeof value.model !== 'string' || value.model === '')
    return fail('model', "Missing required parameter: 'model'.");
  if (!Array.isArray(value.messages) || value.messages.length === 0) {
    return fail('messages', "Missing required parameter: 'messages'.");
  }
  const system: SimContentBlock[] = [];
  const messages: SimMessageParam[] = [];
  for (const [index, raw] of (value.messages as unknown[]).entries()) {
    if (!isRecord(raw) || typeof raw.role !== 'string')
      return fail(`messages[${index}].role`, 'Missing role.');
    const text = partsText(raw.content);
    switch (raw.role) {
      case 'system':
      case 'developer':
        system.push({ type: 'text', text });
        break;
      case 'user':
        messages.push({ role: 'user', content: [{ type: 'text', text }] });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantBlocks(text, raw.tool_calls) });
        break;
      case 'tool': {
        const result: SimContentBlock = {
          type: 'tool_result',
          tool_use_id: asString(raw.tool_call_id),
          content: text,
        };
        const last = messages.at(-1);
        // Consecutive tool messages answer one assistant turn: one user message, as in Anthropic's shape.
        if (
          last?.role === 'user' &&
          typeof last.content !== 'string' &&
          last.content[0]?.type === 'tool_result'
        ) {
          messages[messages.length - 1] = { role: 'user', content: [...last.content, result] };
        } else {
          messages.push({ role: 'user', content: [result] });
        }
        break;
      }
      default:
        return fail(`messages[${index}].role`, `Invalid value: '${raw.role}'.`);
    }
  }
  const tools = translateTools(value.tools);
  const maxTokens = firstNumber(value.max_completion_tokens, value.max_tokens) ?? DEFAULT_MAX_TOKENS;
  const stop =
    typeof value.stop === 'string' ? [value.stop] : Array.isArray(value.stop) ? value.stop.map(String) : [];
  const toolChoice = translateToolChoice(value.tool_choice);
  const body: SimMessagesRequest = {
    model: value.model,
    max_tokens: maxTokens,
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(stop.length > 0 ? { stop_sequences: stop } : {}),
  };
  const streamOptions = isRecord(value.stream_options) ? value.stream_options : {};
  return {
    ok: true,
    chat: {
      body,
      stream: value.stream === true,
      includeUsage: streamOptions.include_usage === true,
      textSchema: responseSchema(value.response_format),
    },
  };
}

function fail(param: string, message: string): ChatTranslation {
  return { ok: false, param, message };
}

function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part): part is Record<string, unknown> => isRecord(part) && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

function assistantBlocks(text: string, toolCalls: unknown): SimContentBlock[] {
  const blocks: SimContentBlock[] = text === '' ? [] : [{ type: 'text', text }];
  if (!Array.isArray(toolCalls)) return blocks;
  for (const call of toolCalls) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    const argumentsText = typeof call.function.arguments === 'string' ? call.function.arguments : '{}';
    let input: unknown;
    try {
      input = JSON.parse(argumentsText);
    } catch {
      input = argumentsText;
    }
    blocks.push({
      type: 'tool_use',
      id: asString(call.id),
      name: asString(call.function.name),
      input,
    });
  }
  return blocks;
}

function translateTools(tools: unknown): SimToolParam[] {
  if (!Array.isArray(tools)) return [];
  return tools
    .filter((tool): tool is Record<string, unknown> => isRecord(tool) && isRecord(tool.function))
    .map((tool) => {
      const fn = tool.function as Record<string, unknown>;
      return {
        name: asString(fn.name),
        ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
        input_schema: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
      };
    });
}

function translateToolChoice(choice: unknown): SimToolChoice | undefined {
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name };
  }
  return undefined;
}

function responseSchema(format: unknown): Record<string, unknown> | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return { type: 'object' };
  if (format.type !== 'json_schema' || !isRecord(format.json_schema)) return undefined;
  return isRecord(format.json_schema.schema) ? format.json_schema.schema : { type: 'object' };
}

function firstNumber(...values: unknown[]): number | undefined {
  return values.find((value): value is number => typeof value === 'number' && value > 0);
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
