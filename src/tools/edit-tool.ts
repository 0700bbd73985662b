import { constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { AgentTool, ToolResult } from '../agent/types.js';
import { inPlaceWriteRefusal, openConfined, replaceContent } from './internal/confined-file.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure, toolSuccess } from './internal/tool-result.js';
import { resolveWorkspacePath } from './internal/workspace-path.js';

/** Larger files are refused: the whole file is held in memory (twice) while it is edited. */
export const EDIT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `Edit {file_path, old_string, new_string, replace_all?}`: exact-string replacement. The old
 * string must occur exactly once unless `replace_all`, so an edit never lands somewhere the
 * model did not mean; an empty `old_string` creates a new file (as in Claude Code).
 *
 * @example
 * await createEditTool().run({ file_path: 'a.ts', old_string: 'let x', new_string: 'const x' }, context);
 */
export function createEditTool(): AgentTool {
  return {
    definition: {
      name: 'Edit',
      description:
        'Replaces exact text in a file. old_string must match the file exactly (including indentation) and ' +
        'occur exactly once, unless replace_all is true; include surrounding lines to make it unique. ' +
        'An empty old_string creates a new file with new_string as its content.',
      inputSchema: {
        type: 'object',
        properties: {
          file_path: {
            type: 'string',
            description: 'Path of the file (relative to the workspace, or absolute inside it).',
          },
          old_string: { type: 'string', description: 'The exact text to replace.' },
          new_string: {
            type: 'string',
            description: 'The text to replace it with (must differ from old_string).',
          },
          replace_all: { type: 'boolean', description: 'Replace every occurrence (default false).' },
        },
        required: ['file_path', 'old_string', 'new_string'],
        additionalProperties: false,
      },
    },
    readOnly: false,
    async run(input, context) {
      const parsed = parseToolInput('Edit', input, {
        file_path: { type: 'string', required: true },
        old_string: { type: 'string', required: true },
        new_string: { type: 'string', required: true },
        replace_all: { type: 'boolean' },
      });
      if (!parsed.ok) return parsed.result;
      const oldString = parsed.value.old_string as string;
      const newString = parsed.value.new_string as string;
      const replaceAll = parsed.value.replace_all === true;
      if (oldString === newString) {
        return toolFailure(
          'TOOL_INPUT_INVALID',
          'Edit: old_string and new_string are identical; nothing would change.',
        );
      }
      const resolved = await resolveWorkspacePath(context.workspace, parsed.value.file_path as string, {
        forWriting: true,
      });
      if (!resolved.ok) return resolved.result;
      const { absolute, display } = resolved.path;
      const flags = constants.O_RDWR | constants.O_NONBLOCK;
      let occurrences = 0;
      try {
        // An empty old_string creates the file, so its directory may have to be made first.
        if (oldString === '') await mkdir(path.dirname(absolute), { recursive: true });
        const opened = await openConfined(
          resolved.path,
          oldString === '' ? flags | constants.O_CREAT : flags,
        );
        if (!opened.ok) {
          if ('result' in opened) return opened.result;
          if (opened.error.code === 'ENOENT') {
            return toolFailure('TOOL_FAILED', `File does not exist: ${display}. Use Write to create it.`);
          }
          throw opened.error;
        }
        const { handle } = opened;
        try {
          const stats = await handle.stat();
          const refusal = inPlaceWriteRefusal(display, stats);
          if (refusal) return refusal;
          if (stats.size > EDIT_MAX_FILE_BYTES) {
            return toolFailure(
              'TOOL_FAILED',
              `${display} is ${stats.size} bytes; Edit changes files up to ${EDIT_MAX_FILE_BYTES} bytes.`,
            );
          }
          const original = await handle.readFile('utf8');
          const edit = applyEdit(original, oldString, newString, replaceAll, display);
          if ('content' in edit) return edit;
          occurrences = edit.occurrences;
          await replaceContent(handle, edit.updated);
        } finally {
          await handle.close();
        }
      } catch (error) {
        return toolFailure('TOOL_FAILED', `Cannot edit ${display}: ${(error as Error).message}`);
      }
      if (oldString === '') return toolSuccess(`File created successfully at: ${display}`);
      const count = replaceAll ? occurrences : 1;
      return toolSuccess(
        `The file ${display} has been updated (${count} replacement${count === 1 ? '' : 's'}).`,
      );
    },
  };
}

/** The edited text, or why the edit cannot be made. */
function applyEdit(
  original: string,
  oldString: string,
  newString: string,
  replaceAll: boolean,
  display: string,
): { updated: string; occurrences: number } | ToolResult {
  if (oldString === '') {
    if (original !== '') {
      return toolFailure(
        'TOOL_FAILED',
        `${display} already exists and is not empty; give the text to replace in old_string.`,
      );
    }
    return { updated: newString, occurrences: 1 };
  }
  const occurrences = original.split(oldString).length - 1;
  if (occurrences === 0) {
    return toolFailure(
      'TOOL_FAILED',
      `old_string was not found in ${display} (0 matches). It must match exactly, including whitespace; Read the file and copy the text.`,
    );
  }
  if (occurrences > 1 && !replaceAll) {
    return toolFailure(
      'TOOL_FAILED',
      `old_string occurs ${occurrences} times in ${display} (${occurrences} matches); add surrounding context to make it unique, or set replace_all to true.`,
    );
  }
  // split/join: a replacement containing `$&` or `$1` must be inserted literally.
  const updated = replaceAll
    ? original.split(oldString).join(newString)
    : original.replace(oldString, () => newString);
  return { updated, occurrences };
}
