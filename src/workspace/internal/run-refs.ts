/** Where a run's refs and worktrees live. One place, so cleanup and gc agree with creation. */
import path from 'node:path';

export function integrationBranch(runId: string): string {
  return `dynaflow/${runId}/main`;
}

export function agentBranchPrefix(runId: string): string {
  return `dynaflow/${runId}/agents/`;
}

/** What a failed agent left, kept for a person to look at (never merged, never deleted by cleanup). */
export function failedWorkBranch(runId: string, name: string): string {
  return `dynaflow/${runId}/failed/${name}`;
}

/** Outside refs/heads: the base commit is bookkeeping, not a branch the user should see. */
export function baseRef(runId: string): string {
  return `refs/dynaflow/${runId}/base`;
}

export function worktreesRoot(gitRoot: string): string {
  return path.join(gitRoot, '.dynaflow', 'worktrees');
}

export function runWorktreesDirectory(gitRoot: string, runId: string): string {
  return path.join(worktreesRoot(gitRoot), runId);
}
