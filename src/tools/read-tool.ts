import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

import type { AgentTool } from '../agent/types.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure, toolSuccess } from './internal/tool-result.js';
import { resolveWorkspacePath } from './internal/workspace-path.js';

export const READ_DEFAULT_LIMIT = 2000;
export const READ_MAX_LINE_LENGTH = 2000;
/** Total characters one Read returns; past it the model is told to page with offset/limit. */
export const READ_MAX_OUTPUT = 100_000;

/**
 * `Read {file_path, offset?, limit?}`: numbered lines like `cat -n` (offset is 1-based).
 *
 * @example
 * await createReadTool().run({ file_path: 'src/a.ts', offset: 10, limit: 5 }, context);
 */
export function createReadTool(): AgentTool {
  return {
    definition: {
      name: 'Read',
      description:
        'Reads a file from the workspace. Returns numbered lines (cat -n format). By default reads up to ' +
        `${READ_DEFAULT_LIMIT} lines from the start; use offset (1-based line number) and limit for long files. ` +
        `Lines longer than ${READ_MAX_LINE_LENGTH} characters are truncated.`,
      inputSchema: {
        type: 'object',
        properties: {
          file_path: {
            type: 'string',
            description: 'Path of the file (relative to the workspace, or absolute inside it).',
          },
          offset: { type: 'number', description: 'Line number to start reading from (1-based).' },
          limit: { type: 'number', description: 'Number of lines to read.' },
        },
        required: ['file_path'],
        additionalProperties: false,
      },
    },
    readOnly: true,
    async run(input, context) {
      const parsed = parseToolInput('Read', input, {
        file_path: { type: 'string', required: true },
        offset: { type: 'number' },
        limit: { type: 'number' },
      });
      if (!parsed.ok) return parsed.result;
      const filePath = parsed.value.file_path as string;
      const offset = Math.max(1, Math.floor((parsed.value.offset as number | undefined) ?? 1));
      const limit = Math.floor((parsed.value.limit as number | undefined) ?? READ_DEFAULT_LIMIT);
      if (limit < 1) return toolFailure('TOOL_INPUT_INVALID', 'Read: "limit" must be at least 1.');
      const resolved = await resolveWorkspacePath(context.workspace, filePath);
      if (!resolved.ok) return resolved.result;
      const file = resolved.path.absolute;
      const stats = await stat(file).catch(() => undefined);
      if (!stats) return toolFailure('TOOL_FAILED', `File does not exist: ${resolved.path.display}`);
      if (stats.isDirectory()) {
        return toolFailure(
          'TOOL_FAILED',
          `${resolved.path.display} is a directory; use Glob or Bash ls to list it.`,
        );
      }
      if (stats.size === 0) return toolSuccess(`(${resolved.path.display} exists but is empty)`);
      if (await looksBinary(file)) {
        return toolFailure(
          'TOOL_FAILED',
          `${resolved.path.display} is a binary file; Read shows text files only.`,
        );
      }
      return toolSuccess(await readNumberedLines(file, offset, limit, context.signal));
    },
  };
}

async function readNumberedLines(
  file: string,
  offset: number,
  limit: number,
  signal: AbortSignal,
): Promise<string> {
  const stream = createReadStream(file, { encoding: 'utf8', signal });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const out: string[] = [];
  let lineNumber = 0;
  let size = 0;
  let note = '';
  try {
    for await (const line of lines) {
      lineNumber++;
      if (lineNumber < offset) continue;
      if (lineNumber >= offset + limit) {
        note = `\n(more lines follow; continue with offset ${lineNumber})`;
        break;
      }
      const text =
        line.length > READ_MAX_LINE_LENGTH
          ? `${line.slice(0, READ_MAX_LINE_LENGTH)}… [line truncated]`
          : line;
      const numbered = `${String(lineNumber).padStart(6)}\t${text}`;
      if (size + numbered.length > READ_MAX_OUTPUT) {
        note = `\n(output truncated at ${READ_MAX_OUTPUT} characters; continue with offset ${lineNumber} and a smaller limit)`;
        break;
      }
      size += numbered.length + 1;
      out.push(numbered);
    }
  } catch (error) {
    if (signal.aborted) return '(read aborted)';
    throw error;
  } finally {
    lines.close();
    stream.destroy();
  }
  if (out.length === 0) return `(the file has ${lineNumber} lines; offset ${offset} is past the end)`;
  return out.join('\n') + note;
}

/** A NUL byte in the first 8 KiB: what git and grep call binary. */
async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}
