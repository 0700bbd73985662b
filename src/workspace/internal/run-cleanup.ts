/**
 * Removes what a run no longer needs: its worktrees, and agent branches whose work is already
 * in the integration branch (or that hold no work). Branches with unmerged work or conflicts
 * are kept: nothing an agent produced is ever deleted.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { git, isAncestor, resolveRef } from './git.js';
import { agentBranchPrefix, baseRef, integrationBranch, runWorktreesDirectory } from './run-refs.js';

export interface CleanupReport {
  readonly removedWorktrees: readonly string[];
  readonly deletedBranches: readonly string[];
  /** Agent branches kept because they hold work that is not in the integration branch. */
  readonly keptBranches: readonly string[];
}

export async function cleanupRunState(gitRoot: string, runId: string): Promise<CleanupReport> {
  const directory = runWorktreesDirectory(gitRoot, runId);
  const removedWorktrees: string[] = [];
  for (const worktree of await listWorktrees(gitRoot)) {
    if (!worktree.startsWith(directory + path.sep)) continue;
    await git(gitRoot, ['worktree', 'remove', '--force', worktree], [128]);
    removedWorktrees.push(worktree);
  }
  await rm(directory, { recursive: true, force: true });
  await git(gitRoot, ['worktree', 'prune']);

  const integration = await resolveRef(gitRoot, `refs/heads/${integrationBranch(runId)}`);
  const base = await resolveRef(gitRoot, baseRef(runId));
  const deletedBranches: string[] = [];
  const keptBranches: string[] = [];
  const refs = await git(gitRoot, [
    'for-each-ref',
    '--format=%(refname:short) %(objectname)',
    `refs/heads/${agentBranchPrefix(runId)}`,
  ]);
  for (const line of refs.stdout.split('\n')) {
    const [branch, commit] = line.split(' ');
    if (!branch || !commit) continue;
    const absorbed =
      commit === base || (integration !== undefined && (await isAncestor(gitRoot, commit, integration)));
    if (absorbed) {
      await git(gitRoot, ['update-ref', '-d', `refs/heads/${branch}`, commit]);
      deletedBranches.push(branch);
    } else {
      keptBranches.push(branch);
    }
  }
  return { removedWorktrees, deletedBranches, keptBranches };
}

/** Paths of every worktree git knows about (the main one included). */
export async function listWorktrees(gitRoot: string): Promise<string[]> {
  const result = await git(gitRoot, ['worktree', 'list', '--porcelain']);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => path.resolve(line.slice('worktree '.length)));
}
