import { constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { AgentTool } from '../agent/types.js';
import { inPlaceWriteRefusal, openConfined, replaceContent } from './internal/confined-file.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure, toolSuccess } from './internal/tool-result.js';
import { resolveWorkspacePath } from './internal/workspace-path.js';

/**
 * `Write {file_path, content}`: creates or replaces a whole file, creating parent directories.
 *
 * @example
 * await createWriteTool().run({ file_path: 'src/new.ts', content: 'export {};\n' }, context);
 */
export function createWriteTool(): AgentTool {
  return {
    definition: {
      name: 'Write',
      description:
        'Writes a file in the workspace, replacing it if it exists and creating parent directories. ' +
        'Prefer Edit for changing part of an existing file.',
      inputSchema: {
        type: 'object',
        properties: {
          file_path: {
            type: 'string',
            description: 'Path of the file (relative to the workspace, or absolute inside it).',
          },
          content: { type: 'string', description: 'The full content to write.' },
        },
        required: ['file_path', 'content'],
        additionalProperties: false,
      },
    },
    readOnly: false,
    async run(input, context) {
      const parsed = parseToolInput('Write', input, {
        file_path: { type: 'string', required: true },
        content: { type: 'string', required: true },
      });
      if (!parsed.ok) return parsed.result;
      const resolved = await resolveWorkspacePath(context.workspace, parsed.value.file_path as string, {
        forWriting: true,
      });
      if (!resolved.ok) return resolved.result;
      const { absolute, display } = resolved.path;
      // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader forever.
      const flags = constants.O_WRONLY | constants.O_NONBLOCK;
      let existing = false;
      try {
        await mkdir(path.dirname(absolute), { recursive: true });
        let opened = await openConfined(resolved.path, flags | constants.O_CREAT | constants.O_EXCL);
        if (!opened.ok && 'error' in opened && opened.error.code === 'EEXIST') {
          existing = true;
          opened = await openConfined(resolved.path, flags);
        }
        if (!opened.ok) {
          if ('result' in opened) return opened.result;
          if (opened.error.code === 'EISDIR') return toolFailure('TOOL_FAILED', `${display} is a directory.`);
          throw opened.error;
        }
        try {
          const stats = await opened.handle.stat();
          const refusal = inPlaceWriteRefusal(display, stats);
          if (refusal) return refusal;
          await replaceContent(opened.handle, parsed.value.content as string);
        } finally {
          await opened.handle.close();
        }
      } catch (error) {
        return toolFailure('TOOL_FAILED', `Cannot write ${display}: ${(error as Error).message}`);
      }
      return toolSuccess(
        existing ? `The file ${display} has been updated.` : `File created successfully at: ${display}`,
      );
    },
  };
}
