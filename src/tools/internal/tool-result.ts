import type { ErrorCode } from '../../errors/index.js';
import type { ToolResult } from '../../agent/types.js';

/**
 * An `is_error` result. The code leads the text so the model (and tests) can tell a refusal
 * (`PATH_OUTSIDE_WORKSPACE`, `PERMISSION_DENIED`) from a mistake in its input or a failure.
 */
export function toolFailure(code: ErrorCode, message: string): ToolResult {
  return { content: `${code}: ${message}`, isError: true };
}

export function toolSuccess(content: string): ToolResult {
  return { content };
}
