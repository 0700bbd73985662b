/** Names and results of MCP tools as the agent loop sees them. */
import type { ToolResult } from '../../agent/types.js';

/** Tool names the Anthropic API accepts: `[A-Za-z0-9_-]`, at most 128 characters. */
const MAX_TOOL_NAME = 128;

/** `mcp__<server>__<tool>`, with characters the API refuses replaced by `_`, as Claude Code does. */
export function mcpToolName(server: string, tool: string): string {
  const clean = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_');
  return `mcp__${clean(server)}__${clean(tool)}`.slice(0, MAX_TOOL_NAME);
}

/** What `tools/call` answers (the parts we use). */
export interface McpCallResult {
  readonly content?: readonly McpContent[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  /** Old servers answer with `toolResult` instead of `content`. */
  readonly toolResult?: unknown;
}

type McpContent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image' | 'audio'; readonly mimeType?: string }
  | { readonly type: 'resource'; readonly resource: { readonly uri: string; readonly text?: string } }
  | { readonly type: 'resource_link'; readonly uri: string; readonly name?: string }
  | { readonly type: string };

/** The model gets text: media are named rather than sent, since tool results here are strings. */
const MAX_RESULT_CHARS = 100_000;

export function toToolResult(result: McpCallResult): ToolResult {
  const parts: string[] = [];
  for (const block of result.content ?? []) parts.push(describe(block));
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  let content = parts.join('\n');
  if (content.length > MAX_RESULT_CHARS) {
    content = `${content.slice(0, MAX_RESULT_CHARS)}\n[... ${content.length - MAX_RESULT_CHARS} chars truncated ...]`;
  }
  return result.isError === true
    ? { content: content || 'the MCP tool reported an error', isError: true }
    : { content };
}

function describe(block: McpContent): string {
  if (block.type === 'text' && 'text' in block) return block.text;
  if (block.type === 'resource' && 'resource' in block) {
    return block.resource.text ?? `[resource ${block.resource.uri}]`;
  }
  if (block.type === 'resource_link' && 'uri' in block) return `[resource link ${block.uri}]`;
  if ((block.type === 'image' || block.type === 'audio') && 'mimeType' in block) {
    return `[${block.type} ${block.mimeType ?? ''} omitted]`;
  }
  return `[${block.type} content omitted]`;
}
