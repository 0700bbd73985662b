import { stat } from 'node:fs/promises';

import type { AgentTool } from '../agent/types.js';
import { formatGrepResults, type GrepOutputMode } from './internal/grep-format.js';
import { grepWithJavaScript } from './internal/grep-javascript.js';
import { findRipgrep, grepWithRipgrep } from './internal/grep-ripgrep.js';
import type { GrepFileResult, GrepQuery } from './internal/grep-types.js';
import { limitText } from './internal/output-limit.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure, toolSuccess } from './internal/tool-result.js';
import { resolveWorkspacePath } from './internal/workspace-path.js';

const MODES: readonly GrepOutputMode[] = ['content', 'files_with_matches', 'count'];

export interface GrepToolOptions {
  /**
   * The ripgrep executable: a path, `null` to force the JavaScript engine, or undefined to use
   * `rg` from PATH when there is one.
   */
  readonly ripgrepPath?: string | null;
  /**
   * Regex time one search may spend without ripgrep (default GREP_REGEX_TIME_LIMIT_MS): a
   * backtracking pattern like `(a+)+$` fails the call instead of freezing the process.
   */
  readonly regexTimeLimitMs?: number;
}

/**
 * `Grep {pattern, path?, glob?, output_mode?, -i?, -n?, -A?, -B?, -C?, head_limit?}`.
 * Uses ripgrep when installed, else a JavaScript search; the output is the same either way.
 *
 * @example
 * await createGrepTool().run({ pattern: 'TODO', glob: '*.ts', output_mode: 'content' }, context);
 */
export function createGrepTool(options: GrepToolOptions = {}): AgentTool {
  return {
    definition: {
      name: 'Grep',
      description:
        'Searches file contents with a regular expression. output_mode: "files_with_matches" (default; paths ' +
        'newest first), "content" (matching lines as path:line:text; -n for line numbers (default true), ' +
        '-A/-B/-C for context), or "count". Filter files with glob (e.g. "*.ts"); -i ignores case; ' +
        'head_limit keeps the first N entries. Skips binary files, .git and node_modules.',
      inputSchema: {
        type: 'object',
        properties: {
          pattern: { type: 'string', description: 'The regular expression to search for.' },
          path: { type: 'string', description: 'File or directory to search (default: the workspace root).' },
          glob: {
            type: 'string',
            description: 'Only search files matching this glob, e.g. "*.js" or "src/**/*.ts".',
          },
          output_mode: {
            type: 'string',
            enum: [...MODES],
            description: 'What to show (default files_with_matches).',
          },
          '-i': { type: 'boolean', description: 'Case-insensitive search.' },
          '-n': { type: 'boolean', description: 'Show line numbers (content mode; default true).' },
          '-A': { type: 'number', description: 'Lines of context after each match (content mode).' },
          '-B': { type: 'number', description: 'Lines of context before each match (content mode).' },
          '-C': {
            type: 'number',
            description: 'Lines of context before and after each match (content mode).',
          },
          head_limit: { type: 'number', description: 'Show only the first N lines or entries.' },
        },
        required: ['pattern'],
        additionalProperties: false,
      },
    },
    readOnly: true,
    async run(input, context) {
      const parsed = parseToolInput('Grep', input, {
        pattern: { type: 'string', required: true },
        path: { type: 'string' },
        glob: { type: 'string' },
        output_mode: { type: 'string' },
        '-i': { type: 'boolean' },
        '-n': { type: 'boolean' },
        '-A': { type: 'number' },
        '-B': { type: 'number' },
        '-C': { type: 'number' },
        head_limit: { type: 'number' },
      });
      if (!parsed.ok) return parsed.result;
      const value = parsed.value;
      const pattern = value.pattern as string;
      const mode = (value.output_mode as GrepOutputMode | undefined) ?? 'files_with_matches';
      if (!MODES.includes(mode)) {
        return toolFailure('TOOL_INPUT_INVALID', `Grep: output_mode must be one of ${MODES.join(', ')}.`);
      }
      try {
        new RegExp(pattern);
      } catch (error) {
        return toolFailure(
          'TOOL_INPUT_INVALID',
          `Grep: invalid regular expression: ${(error as Error).message}`,
        );
      }
      const resolved = await resolveWorkspacePath(
        context.workspace,
        (value.path as string | undefined) ?? '.',
      );
      if (!resolved.ok) return resolved.result;
      if (!(await stat(resolved.path.absolute).catch(() => undefined))) {
        return toolFailure('TOOL_FAILED', `Path does not exist: ${resolved.path.display}`);
      }
      const contextLines = (name: '-A' | '-B'): number =>
        mode === 'content'
          ? Math.max(
              0,
              Math.floor((value[name] as number | undefined) ?? (value['-C'] as number | undefined) ?? 0),
            )
          : 0;
      const query: GrepQuery = {
        pattern,
        root: resolved.path.absolute,
        glob: value.glob as string | undefined,
        ignoreCase: value['-i'] === true,
        before: contextLines('-B'),
        after: contextLines('-A'),
        firstMatchOnly: mode === 'files_with_matches',
        signal: context.signal,
        regexTimeLimitMs: options.regexTimeLimitMs,
      };
      const ripgrep = options.ripgrepPath === undefined ? findRipgrep() : (options.ripgrepPath ?? undefined);
      let results: GrepFileResult[];
      try {
        results = ripgrep ? await grepWithRipgrep(ripgrep, query) : await grepWithJavaScript(query);
      } catch (error) {
        if (context.signal.aborted) return toolFailure('TOOL_FAILED', 'Grep was aborted.');
        return toolFailure('TOOL_FAILED', `Grep failed: ${(error as Error).message}`);
      }
      const mtimes = new Map<string, number>();
      if (mode === 'files_with_matches') {
        await Promise.all(
          results.map(async (result) =>
            mtimes.set(result.file, (await stat(result.file).catch(() => undefined))?.mtimeMs ?? 0),
          ),
        );
      }
      const headLimit = value.head_limit as number | undefined;
      return toolSuccess(
        limitText(
          formatGrepResults(results, {
            mode,
            lineNumbers: value['-n'] !== false,
            withContext: query.before > 0 || query.after > 0,
            headLimit: headLimit !== undefined && headLimit > 0 ? Math.floor(headLimit) : undefined,
            mtimes,
          }),
        ),
      );
    },
  };
}
