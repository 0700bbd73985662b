/**
 * Runs one tool call for the loop. Whatever the tool does — unknown name, bad input, a throw — the
 * model gets a result (an `is_error` one when it failed) and the agent keeps going.
 */
import type { AgentTool, ToolContext, ToolResult } from '../types.js';

export async function runToolCall(
  tools: ReadonlyMap<string, AgentTool>,
  name: string,
  input: unknown,
  context: ToolContext,
): Promise<ToolResult> {
  const tool = tools.get(name);
  if (tool === undefined) {
    const known = [...tools.keys()].join(', ') || 'none';
    return { content: `Unknown tool "${name}". Available tools: ${known}.`, isError: true };
  }
  try {
    const result = await tool.run(input, context);
    // The API rejects an empty tool_result; an empty output is still an answer worth stating.
    return result.content === '' ? { ...result, content: '(no output)' } : result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { content: `Tool ${name} failed: ${message}`, isError: true };
  }
}

const TRANSCRIPT_RESULT_LIMIT = 2_000;

/** Tool results in the transcript are cut (the model saw the whole text). */
export function truncateForTranscript(text: string): string {
  if (text.length <= TRANSCRIPT_RESULT_LIMIT) return text;
  return `${text.slice(0, TRANSCRIPT_RESULT_LIMIT)}… [${text.length - TRANSCRIPT_RESULT_LIMIT} more characters]`;
}
