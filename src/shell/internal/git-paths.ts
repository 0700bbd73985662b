/**
 * What `git commit` in a workspace needs writable besides the workspace: a linked worktree's
 * `.git` is a file pointing at `<main>/.git/worktrees/<name>`, and its objects and refs live in
 * the main repository's `.git` (the "common dir"). That directory is made writable — never the
 * main repository's working tree — except its hooks and config, which would let a sandboxed
 * command plant something for the user's own git to run later.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface GitPaths {
  /** Git directories outside the workspace that commits write. */
  readonly writable: string[];
  /** Existing hooks/config inside a writable git directory, kept read-only. */
  readonly readOnly: string[];
}

export async function gitPathsOf(workspace: string): Promise<GitPaths> {
  const dotGit = path.join(workspace, '.git');
  const kind = await kindOf(dotGit);
  if (kind === 'directory') return { writable: [], readOnly: await existing(guardedPaths(dotGit)) };
  if (kind !== 'file') return { writable: [], readOnly: [] };
  const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''));
  if (!pointer) return { writable: [], readOnly: [] };
  const gitDirectory = path.resolve(workspace, pointer[1]!.trim());
  const common = await readFile(path.join(gitDirectory, 'commondir'), 'utf8').catch(() => undefined);
  const commonDirectory = common === undefined ? gitDirectory : path.resolve(gitDirectory, common.trim());
  if ((await kindOf(commonDirectory)) !== 'directory') return { writable: [], readOnly: [] };
  return {
    writable: [commonDirectory],
    readOnly: await existing([...guardedPaths(commonDirectory), path.join(gitDirectory, 'config.worktree')]),
  };
}

function guardedPaths(gitDirectory: string): string[] {
  return [path.join(gitDirectory, 'hooks'), path.join(gitDirectory, 'config')];
}

async function kindOf(file: string): Promise<'file' | 'directory' | 'other' | undefined> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

async function existing(files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) if ((await kindOf(file)) !== undefined) found.push(file);
  return found;
}
