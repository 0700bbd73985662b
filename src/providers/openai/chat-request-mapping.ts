/**
 * ModelRequest (provider-neutral, Anthropic-shaped) → OpenAI Chat Completions parameters.
 *
 * - System parts → one `system` message (parts joined by blank lines).
 * - Tools → `function` tools; `toolChoice` any → `required`, tool → a named function.
 *   Structured output needs nothing special: the agent's `StructuredOutput` tool is a function
 *   tool like any other, forced by `tool_choice`.
 * - A user message's `tool_result` blocks → one `tool` message each (they must directly follow
 *   the assistant message that called them), then its text blocks → a `user` message. OpenAI has
 *   no `is_error`: an error result is sent with an `Error: ` prefix so the model still sees it.
 * - Assistant `tool_use` blocks → `tool_calls` with JSON `arguments`.
 * - `maxTokens` → `max_tokens`, which every OpenAI-compatible server (vLLM, Ollama, LM Studio,
 *   OpenRouter) understands. `effort` and cache hints are not sent: OpenAI caches prefixes on
 *   its own, and `reasoning_effort` is rejected by non-reasoning models.
 */
import type OpenAI from 'openai';

import type { ChatMessage, ModelRequest, ToolChoice } from '../types.js';

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type MessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Prefix of a failed tool result's content (OpenAI has no `is_error`). */
export const TOOL_ERROR_PREFIX = 'Error: ';

function toolChoice(choice: ToolChoice): OpenAI.Chat.Completions.ChatCompletionToolChoiceOption {
  if (choice.type === 'auto') return 'auto';
  if (choice.type === 'any') return 'required';
  return { type: 'function', function: { name: choice.name } };
}

function chatMessages(message: ChatMessage): MessageParam[] {
  if (message.role === 'assistant') {
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    const calls = message.content.flatMap((block) =>
      block.type === 'tool_use'
        ? [
            {
              id: block.id,
              type: 'function' as const,
              function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
            },
          ]
        : [],
    );
    return [
      {
        role: 'assistant',
        content: text === '' && calls.length > 0 ? null : text,
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      },
    ];
  }
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const result: MessageParam[] = [];
  let text: string | undefined;
  // A block marked `cache` is the first part of one prompt split for caching: the next block
  // continues it directly, so the model (and OpenAI's automatic prefix cache) sees the prompt as written.
  let continues = false;
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const content = block.is_error === true ? `${TOOL_ERROR_PREFIX}${block.content}` : block.content;
      result.push({ role: 'tool', tool_call_id: block.tool_use_id, content });
    } else {
      text = text === undefined ? block.text : `${text}${continues ? '' : '\n'}${block.text}`;
      continues = block.cache === true;
    }
  }
  if (text !== undefined) result.push({ role: 'user', content: text });
  return result;
}

/**
 * Builds the streaming `chat.completions.create` parameters for one request.
 *
 * @example
 * toChatParams({ model: 'llama3.1', system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: 'hi' }], tools: [], maxTokens: 256 })
 * // { model: 'llama3.1', stream: true, stream_options: { include_usage: true }, max_tokens: 256, messages: [system, user] }
 */
export function toChatParams(request: ModelRequest): Params {
  const system = request.system.map((part) => part.text).join('\n\n');
  const messages: MessageParam[] = [
    ...(system === '' ? [] : [{ role: 'system' as const, content: system }]),
    ...request.messages.flatMap(chatMessages),
  ];
  const tools = request.tools.map((tool): OpenAI.Chat.Completions.ChatCompletionFunctionTool => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  return {
    model: request.model,
    messages,
    stream: true,
    // Without it the stream carries no usage, and cost could not be counted.
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens,
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && request.toolChoice !== undefined
      ? { tool_choice: toolChoice(request.toolChoice) }
      : {}),
  };
}
