/**
 * ModelRequest (provider-neutral) → Messages API parameters.
 *
 * Prompt caching uses at most three of the API's four breakpoints: the last tool (when
 * `cacheTools`), the last system part marked `cache: true`, and — with `cacheConversation` — the
 * last block of the last message, so each turn of an agent reads the previous turns from cache.
 *
 * `effort` maps to `output_config.effort` (the SDK types carry exactly our five levels) and is only
 * sent when the caller set it: a model that does not support effort rejects it, and we would
 * rather surface that (PROVIDER_REQUEST_REJECTED) than silently drop what the script asked for.
 */
import type Anthropic from '@anthropic-ai/sdk';

import type { AssistantBlock, ChatMessage, ModelRequest, UserBlock } from '../types.js';

type Params = Anthropic.Messages.MessageCreateParamsStreaming;
type ContentBlockParam = Anthropic.Messages.ContentBlockParam;
type MessageParam = Anthropic.Messages.MessageParam;

const EPHEMERAL: Anthropic.Messages.CacheControlEphemeral = { type: 'ephemeral' };

function userBlock(block: UserBlock): ContentBlockParam {
  if (block.type === 'text') return { type: 'text', text: block.text };
  return {
    type: 'tool_result',
    tool_use_id: block.tool_use_id,
    content: block.content,
    ...(block.is_error === true ? { is_error: true } : {}),
  };
}

function assistantBlock(block: AssistantBlock): ContentBlockParam {
  if (block.type === 'text') return { type: 'text', text: block.text };
  return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
}

function messageContent(message: ChatMessage): ContentBlockParam[] {
  if (message.role === 'user') {
    return typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : message.content.map(userBlock);
  }
  // The API rejects empty text blocks; a model may still have produced one (e.g. before a tool call).
  return message.content.filter((block) => block.type !== 'text' || block.text !== '').map(assistantBlock);
}

function withCacheControl(block: ContentBlockParam): ContentBlockParam {
  return { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
}

function toMessages(request: ModelRequest): MessageParam[] {
  const messages = request.messages.map((message): MessageParam => {
    // Plain string user content stays a string (smallest request) unless it becomes a breakpoint.
    if (message.role === 'user' && typeof message.content === 'string') {
      return { role: 'user', content: message.content };
    }
    return { role: message.role, content: messageContent(message) };
  });
  const lastIndex = request.messages.length - 1;
  const last = request.messages[lastIndex];
  if (request.cacheConversation === true && last !== undefined) {
    const content = messageContent(last);
    const tail = content.at(-1);
    if (tail !== undefined) {
      content[content.length - 1] = withCacheControl(tail);
      messages[lastIndex] = { role: last.role, content };
    }
  }
  return messages;
}

/**
 * Builds the streaming `messages.create` parameters for one request.
 *
 * @example
 * const params = toAnthropicParams({ model: 'claude-sonnet-5-5', system: [], messages: [{ role: 'user', content: 'hi' }], tools: [], maxTokens: 1024 })
 */
export function toAnthropicParams(request: ModelRequest): Params {
  let lastCachedSystem = -1;
  request.system.forEach((part, index) => {
    if (part.cache === true) lastCachedSystem = index;
  });
  const system = request.system.map((part, index): Anthropic.Messages.TextBlockParam => ({
    type: 'text',
    text: part.text,
    ...(index === lastCachedSystem ? { cache_control: EPHEMERAL } : {}),
  }));
  const lastTool = request.tools.length - 1;
  const tools = request.tools.map((tool, index): Anthropic.Messages.Tool => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Anthropic.Messages.Tool.InputSchema,
    ...(request.cacheTools === true && index === lastTool ? { cache_control: EPHEMERAL } : {}),
  }));
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: toMessages(request),
    stream: true,
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    // tool_choice without tools is an API error; a caller that forces nothing gets the default.
    ...(tools.length > 0 && request.toolChoice !== undefined ? { tool_choice: request.toolChoice } : {}),
    ...(request.effort !== undefined ? { output_config: { effort: request.effort } } : {}),
  };
}
