/**
 * ModelRequest (provider-neutral) → Messages API parameters.
 *
 * Prompt caching uses at most the API's four breakpoints: the last tool (when `cacheTools`), the
 * last system part marked `cache: true`, user text blocks marked `cache: true` (the prompt prefix
 * an agent shares with the rest of its fan-out), and — with `cacheConversation` — the last block of
 * the last message, so each turn of an agent reads the previous turns from cache. When more blocks
 * are marked than breakpoints are left, the earliest keep theirs: an earlier prefix is shared more.
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

/** The API rejects a request with more than four `cache_control` breakpoints. */
export const MAX_CACHE_BREAKPOINTS = 4;

function userBlock(block: UserBlock): ContentBlockParam {
  if (block.type === 'text') {
    return block.cache === true
      ? { type: 'text', text: block.text, cache_control: EPHEMERAL }
      : { type: 'text', text: block.text };
  }
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

function withoutCacheControl(block: ContentBlockParam): ContentBlockParam {
  const { cache_control: _dropped, ...rest } = block as ContentBlockParam & { cache_control?: unknown };
  return rest;
}

function toMessages(request: ModelRequest, breakpointsLeft: number): MessageParam[] {
  const messages = request.messages.map((message): MessageParam => {
    // Plain string user content stays a string (smallest request) unless it becomes a breakpoint.
    if (message.role === 'user' && typeof message.content === 'string') {
      return { role: 'user', content: message.content };
    }
    return { role: message.role, content: messageContent(message) };
  });
  const lastIndex = request.messages.length - 1;
  const last = request.messages[lastIndex];
  let conversationMarked = false;
  if (request.cacheConversation === true && last !== undefined) {
    const content = messageContent(last);
    const tail = content.at(-1);
    if (tail !== undefined) {
      content[content.length - 1] = withCacheControl(tail);
      messages[lastIndex] = { role: last.role, content };
      conversationMarked = true;
    }
  }
  limitBlockBreakpoints(messages, breakpointsLeft - (conversationMarked ? 1 : 0), conversationMarked);
  return messages;
}

/**
 * Keeps the first `allowed` block breakpoints of the messages (the conversation's own, on the last
 * block of the last message, is always kept) and drops the rest, so the request stays within
 * the API's limit.
 */
function limitBlockBreakpoints(messages: MessageParam[], allowed: number, keepLast: boolean): void {
  let left = allowed;
  messages.forEach((message, messageIndex) => {
    if (typeof message.content === 'string') return;
    const isLastMessage = messageIndex === messages.length - 1;
    message.content = message.content.map((block, blockIndex) => {
      if (!('cache_control' in block) || block.cache_control === undefined) return block;
      if (keepLast && isLastMessage && blockIndex === message.content.length - 1) return block;
      if (left > 0) {
        left -= 1;
        return block;
      }
      return withoutCacheControl(block);
    });
  });
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
  const fixedBreakpoints =
    (lastCachedSystem === -1 ? 0 : 1) + (request.cacheTools === true && tools.length > 0 ? 1 : 0);
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: toMessages(request, MAX_CACHE_BREAKPOINTS - fixedBreakpoints),
    stream: true,
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    // tool_choice without tools is an API error; a caller that forces nothing gets the default.
    ...(tools.length > 0 && request.toolChoice !== undefined ? { tool_choice: request.toolChoice } : {}),
    ...(request.effort !== undefined ? { output_config: { effort: request.effort } } : {}),
  };
}
