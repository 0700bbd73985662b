import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { AgentTool } from '../agent/types.js';
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
      const resolved = await resolveWorkspacePath(context.workspace, parsed.value.file_path as string);
      if (!resolved.ok) return resolved.result;
      const { absolute, display } = resolved.path;
      const existing = await stat(absolute).catch(() => undefined);
      if (existing?.isDirectory()) return toolFailure('TOOL_FAILED', `${display} is a directory.`);
      try {
        await mkdir(path.dirname(absolute), { recursive: true });
        await writeFile(absolute, parsed.value.content as string, 'utf8');
      } catch (error) {
        return toolFailure('TOOL_FAILED', `Cannot write ${display}: ${(error as Error).message}`);
      }
      return toolSuccess(
        existing ? `The file ${display} has been updated.` : `File created successfully at: ${display}`,
      );
    },
  };
}
