import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

import type { AgentTool } from '../agent/types.js';
import { openConfined } from './internal/confined-file.js';
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
      const { display } = resolved.path;
      // O_NONBLOCK: a FIFO would otherwise block the open until some writer appears.
      const opened = await openConfined(resolved.path, constants.O_RDONLY | constants.O_NONBLOCK);
      if (!opened.ok) {
        if ('result' in opened) return opened.result;
        return toolFailure('TOOL_FAILED', `File does not exist or cannot be opened: ${display}`);
      }
      const { handle } = opened;
      try {
        const stats = await handle.stat();
        if (stats.isDirectory()) {
          return toolFailure('TOOL_FAILED', `${display} is a directory; use Glob or Bash ls to list it.`);
        }
        if (!stats.isFile()) return toolFailure('TOOL_FAILED', `${display} is not a regular file.`);
        if (stats.size === 0) return toolSuccess(`(${display} exists but is empty)`);
        if (await looksBinary(handle)) {
          return toolFailure('TOOL_FAILED', `${display} is a binary file; Read shows text files only.`);
        }
        return toolSuccess(await readNumberedLines(handle, offset, limit, context.signal));
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Streams the file and numbers its lines, holding at most READ_MAX_LINE_LENGTH characters of
 * any line: a multi-gigabyte single-line file must not be loaded to show 2000 characters of it.
 * Lines end at `\n`; a `\r` before it is dropped.
 */
async function readNumberedLines(
  handle: FileHandle,
  offset: number,
  limit: number,
  signal: AbortSignal,
): Promise<string> {
  const stream = handle.createReadStream({ encoding: 'utf8', start: 0, autoClose: false, signal });
  const out: string[] = [];
  let lineNumber = 1;
  let line = '';
  let lineLength = 0;
  let size = 0;
  let note = '';
  /** Takes the finished line `lineNumber`; false when the output is full. */
  const finishLine = (): boolean => {
    if (lineNumber >= offset) {
      if (line.length === lineLength && line.endsWith('\r')) {
        line = line.slice(0, -1);
        lineLength--;
      }
      const text =
        lineLength > READ_MAX_LINE_LENGTH ? `${line.slice(0, READ_MAX_LINE_LENGTH)}… [line truncated]` : line;
      const numbered = `${String(lineNumber).padStart(6)}\t${text}`;
      if (size + numbered.length > READ_MAX_OUTPUT) {
        note = `\n(output truncated at ${READ_MAX_OUTPUT} characters; continue with offset ${lineNumber} and a smaller limit)`;
        return false;
      }
      size += numbered.length + 1;
      out.push(numbered);
    }
    lineNumber++;
    line = '';
    lineLength = 0;
    return true;
  };
  let reading = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      while (reading && start < chunk.length) {
        if (lineNumber >= offset + limit) {
          note = `\n(more lines follow; continue with offset ${lineNumber})`;
          reading = false;
          break;
        }
        const end = chunk.indexOf('\n', start);
        const piece = chunk.slice(start, end === -1 ? chunk.length : end);
        // Lines before the offset are only counted; shown lines keep what fits (plus a `\r`).
        if (lineNumber >= offset && line.length <= READ_MAX_LINE_LENGTH) {
          line += piece.slice(0, READ_MAX_LINE_LENGTH + 1 - line.length);
        }
        lineLength += piece.length;
        if (end === -1) break;
        reading = finishLine();
        start = end + 1;
      }
      if (!reading) break;
    }
    if (reading && lineLength > 0) finishLine();
  } catch (error) {
    if (signal.aborted) return '(read aborted)';
    throw error;
  } finally {
    stream.destroy();
  }
  if (out.length === 0) {
    return `(the file has ${lineNumber - 1} lines; offset ${offset} is past the end)`;
  }
  return out.join('\n') + note;
}

/** A NUL byte in the first 8 KiB: what git and grep call binary. */
async function looksBinary(handle: FileHandle): Promise<boolean> {
  const buffer = Buffer.alloc(8192);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return buffer.subarray(0, bytesRead).includes(0);
}
