import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import picomatch from 'picomatch';
import { glob } from 'tinyglobby';

import type { AgentTool } from '../agent/types.js';
import { parseToolInput } from './internal/tool-input.js';
import { toolFailure, toolSuccess } from './internal/tool-result.js';
import { isInsideDirectory, resolveWorkspacePath } from './internal/workspace-path.js';

export const GLOB_MAX_RESULTS = 100;

/** Never searched: version-control internals, dependencies, and dynaflow's own state (other agents' worktrees). */
export const SEARCH_IGNORED_DIRECTORIES = ['.git', 'node_modules', '.dynaflow'] as const;

/**
 * `Glob {pattern, path?}`: matching files, newest first (as Claude Code sorts them).
 *
 * @example
 * await createGlobTool().run({ pattern: 'src/** /*.ts' }, context);
 */
export function createGlobTool(): AgentTool {
  return {
    definition: {
      name: 'Glob',
      description:
        'Finds files by glob pattern (e.g. "**/*.ts", "src/**/*.test.ts"). Returns absolute paths sorted by ' +
        `modification time, newest first, at most ${GLOB_MAX_RESULTS}. Skips .git and node_modules.`,
      inputSchema: {
        type: 'object',
        properties: {
          pattern: { type: 'string', description: 'The glob pattern to match files against.' },
          path: { type: 'string', description: 'Directory to search in (default: the workspace root).' },
        },
        required: ['pattern'],
        additionalProperties: false,
      },
    },
    readOnly: true,
    async run(input, context) {
      const parsed = parseToolInput('Glob', input, {
        pattern: { type: 'string', required: true },
        path: { type: 'string' },
      });
      if (!parsed.ok) return parsed.result;
      const resolved = await resolveWorkspacePath(
        context.workspace,
        (parsed.value.path as string | undefined) ?? '.',
      );
      if (!resolved.ok) return resolved.result;
      const directory = resolved.path.absolute;
      const directoryStats = await stat(directory).catch(() => undefined);
      if (!directoryStats?.isDirectory()) {
        return toolFailure('TOOL_FAILED', `${resolved.path.display} is not a directory.`);
      }
      let pattern = parsed.value.pattern as string;
      if (path.isAbsolute(pattern)) {
        if (!isInsideDirectory(resolved.path.display, pattern)) return outsidePattern(pattern);
        pattern = path.relative(resolved.path.display, pattern) || '*';
      }
      // tinyglobby follows `../` in patterns; the workspace boundary forbids it.
      if (pattern.split(/[\\/]/).includes('..')) return outsidePattern(pattern);
      // It also starts its walk at the pattern's literal prefix, even through a symlink
      // (`link/**` where link -> /home): that prefix must resolve inside the workspace too.
      const base = picomatch.scan(pattern).base;
      if (base !== '') {
        const start = await resolveWorkspacePath(context.workspace, path.join(directory, base));
        if (!start.ok) return start.result;
      }
      let files: string[];
      try {
        files = await glob(pattern, {
          cwd: directory,
          absolute: true,
          dot: true,
          onlyFiles: true,
          followSymbolicLinks: false,
          ignore: SEARCH_IGNORED_DIRECTORIES.map((name) => `**/${name}/**`),
          signal: context.signal,
        });
      } catch (error) {
        return toolFailure('TOOL_FAILED', `Glob failed: ${(error as Error).message}`);
      }
      files = await insideOnly(files, resolved.path.root);
      if (files.length === 0) return toolSuccess('No files found');
      const dated = await Promise.all(
        files.map(async (file) => ({ file, mtime: (await stat(file).catch(() => undefined))?.mtimeMs ?? 0 })),
      );
      dated.sort((a, b) => b.mtime - a.mtime || a.file.localeCompare(b.file));
      const shown = dated.slice(0, GLOB_MAX_RESULTS).map((entry) => entry.file);
      const note =
        files.length > GLOB_MAX_RESULTS
          ? `\n(Results are truncated: showing ${GLOB_MAX_RESULTS} of ${files.length}. Use a more specific path or pattern.)`
          : '';
      return toolSuccess(shown.join('\n') + note);
    },
  };
}

/**
 * Drops any match whose directory really lies outside the workspace: a second line behind the
 * prefix check, should the walker ever step through a symlinked directory.
 */
async function insideOnly(files: readonly string[], root: string): Promise<string[]> {
  const verdicts = new Map<string, Promise<boolean>>();
  const inside = await Promise.all(
    files.map((file) => {
      const directory = path.dirname(file);
      let verdict = verdicts.get(directory);
      if (!verdict) {
        verdict = realpath(directory).then(
          (real) => isInsideDirectory(root, real),
          () => false,
        );
        verdicts.set(directory, verdict);
      }
      return verdict;
    }),
  );
  return files.filter((_, index) => inside[index]);
}

function outsidePattern(pattern: string): ReturnType<typeof toolFailure> {
  return toolFailure(
    'PATH_OUTSIDE_WORKSPACE',
    `The pattern ${pattern} reaches outside the workspace. Use a pattern relative to the workspace, without "..".`,
  );
}
