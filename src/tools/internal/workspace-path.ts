/**
 * Confines every file tool to the agent's workspace. A path is accepted only when both its
 * lexical form and its real location (symlinks resolved) are inside the workspace; for a file
 * that does not exist yet, the deepest existing ancestor is resolved instead, so a symlinked
 * directory cannot smuggle a new file outside. Writers also refuse protected paths (`.git`, …).
 *
 * The check and the later open are two steps; the tools close that gap with `openConfined`
 * (confined-file.ts), which re-checks where the opened descriptor really is.
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

import type { ToolResult } from '../../agent/types.js';
import { protectedComponentOf } from './protected-paths.js';
import { toolFailure } from './tool-result.js';

export interface WorkspacePath {
  /** Where to read or write: the real path (symlinks inside the workspace resolved). */
  readonly absolute: string;
  /** How to show the path to the model: lexical, absolute, as the model would expect it. */
  readonly display: string;
  /** The workspace's real path: what an opened file must stay inside. */
  readonly root: string;
}

export interface ResolveOptions {
  /** The path is to be written: protected paths (`.git`, `.claude`, …) are refused too. */
  readonly forWriting?: boolean;
}

export type PathResolution = { ok: true; path: WorkspacePath } | { ok: false; result: ToolResult };

export async function resolveWorkspacePath(
  workspace: string,
  filePath: string,
  options: ResolveOptions = {},
): Promise<PathResolution> {
  if (filePath === '' || filePath.includes('\0')) {
    return {
      ok: false,
      result: toolFailure('TOOL_INPUT_INVALID', 'The path is empty or contains a NUL character.'),
    };
  }
  const lexicalRoot = path.resolve(workspace);
  const realRoot = await realpath(lexicalRoot).catch(() => lexicalRoot);
  const lexical = path.resolve(lexicalRoot, filePath);
  if (!isInside(lexicalRoot, lexical) && !isInside(realRoot, lexical)) return outside(filePath, lexicalRoot);
  const real = await realLocation(lexical);
  if (real === undefined) {
    return {
      ok: false,
      result: toolFailure(
        'TOOL_FAILED',
        `${filePath} is a symbolic link whose target does not exist; refusing to follow it.`,
      ),
    };
  }
  if (!isInside(realRoot, real)) return outside(filePath, lexicalRoot, true);
  if (options.forWriting) {
    const name = protectedComponentOf({ lexical: lexicalRoot, real: realRoot }, { lexical, real });
    if (name !== undefined) {
      return {
        ok: false,
        result: toolFailure(
          'PERMISSION_DENIED',
          `${filePath} is inside ${name}, which agents may not change: git, the settings and the run ` +
            'journal act on what is written there. Change other files.',
        ),
      };
    }
  }
  return { ok: true, path: { absolute: real, display: lexical, root: realRoot } };
}

/**
 * The real path of `target`, or of its deepest existing ancestor joined with the rest. A
 * dangling symlink gives `undefined`: writing through it would create its target, wherever it is.
 */
async function realLocation(target: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const resolved = await realpath(current);
      return path.join(resolved, ...missing.reverse());
    } catch {
      const isLink = await lstat(current).then(
        (stats) => stats.isSymbolicLink(),
        () => false,
      );
      if (isLink) return undefined;
      const parent = path.dirname(current);
      if (parent === current) return target;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

function outside(filePath: string, root: string, viaLink = false): PathResolution {
  const why = viaLink ? ' (it resolves through a symbolic link)' : '';
  return {
    ok: false,
    result: toolFailure(
      'PATH_OUTSIDE_WORKSPACE',
      `${filePath} is outside the workspace ${root}${why}. Use a path inside the workspace; relative paths resolve against it.`,
    ),
  };
}

export { isInside as isInsideDirectory };
